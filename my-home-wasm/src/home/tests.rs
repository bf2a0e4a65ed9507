//! The fold of My Home's channel, its cache and outbox, pairing progress and
//! routes, with honest and hostile input. Messages are made with a real MAM
//! channel and read back with `mam_lib`'s parser, as the reader does.

use consent_protocol::owner::PolicyStatus;
use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{encode, ConsentEvent, Device, Policy, ServiceProvider};
use iri_client::FetchedMessage;
use mam_lib::mam::{parse, Channel, Mode};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};

use super::log::{EventLog, LoggedContent, CHANNEL_SECURITY};
use super::outbox::{Outbox, PendingEvent, Settled};
use super::pairing::{PairFailure, PairStep, PairingProgress, StepState};
use super::route::Route;
use super::views::{format_time, parse_date, HomeView};

const HOUR: i64 = 3_600_000;
const T0: i64 = 1_780_000_000_000;

/// My Home's channel, writing and reading like the app.
struct Home {
    channel: Channel,
    log: EventLog,
    clock: i64,
}

impl Home {
    fn new() -> Home {
        let seed = Seed::random();
        let mut channel =
            Channel::new(&seed, Mode::Private, None, CHANNEL_SECURITY).expect("channel");
        let log = EventLog::new(channel.root());
        Home {
            channel,
            log,
            clock: T0,
        }
    }

    /// Creates the message of `payload` at the next position.
    fn create(&mut self, payload: &Trytes) -> mam_lib::mam::CreatedMessage {
        self.channel.create(payload).expect("create")
    }

    /// Reads `payload` back as the reader would (it verifies or is skipped)
    /// and folds it in, an hour after the previous one.
    fn read(&mut self, created: &mam_lib::mam::CreatedMessage, payload: &Trytes) -> bool {
        self.clock += HOUR;
        let Ok(parsed) = parse(payload, &created.root, None) else {
            return false;
        };
        let fetched = FetchedMessage {
            root: created.root.clone(),
            parsed,
            tag: Tag27::nines(),
            bundle: Hash81::random(),
            attached_at: self.clock,
        };
        self.log.push(&fetched).expect("next root");
        true
    }

    fn record(&mut self, event: &ConsentEvent) {
        let created = self.create(&encode(event));
        assert!(self.read(&created, &created.payload.clone()));
    }

    fn view(&self) -> HomeView {
        HomeView::of(&self.log, self.clock + 1)
    }
}

fn device() -> Device {
    Device {
        address: Hash81::random(),
    }
}

fn policy(id: &str, device: &Device, expires_at: Option<i64>) -> Policy {
    Policy {
        id: id.parse().expect("id"),
        device: device.clone(),
        service_provider: ServiceProvider {
            iota_address: Hash81::random(),
            public_key_trytes: ProviderKeyPair::from_seed(&Seed::random())
                .public_key()
                .clone(),
            url: "https://wattt.example/insights/".into(),
        },
        goal: "energy insights".into(),
        expires_at: expires_at.map(super::log::at),
        request_nonce: Some(Hash81::random()),
    }
}

fn added(device: &Device) -> ConsentEvent {
    ConsentEvent::DeviceAdded {
        device: device.clone(),
    }
}

#[test]
fn the_fold_shows_devices_policies_and_their_dates() {
    let mut home = Home::new();
    let meter = device();
    let grant = policy("P1", &meter, None);
    home.record(&added(&meter));
    home.record(&ConsentEvent::Authorized {
        policy: grant.clone(),
    });
    let view = home.view();
    assert_eq!(view.devices.len(), 1);
    assert!(view.devices[0].added);
    assert_eq!(view.devices[0].added_at, Some(T0 + HOUR));
    assert_eq!(view.devices[0].active_policies, vec![grant.id.clone()]);
    assert_eq!(view.policies[0].status, PolicyStatus::InForce);
    assert_eq!(view.policies[0].granted_at, Some(T0 + 2 * HOUR));
    assert_eq!(view.policies[0].ended_at, None);

    home.record(&ConsentEvent::AuthorizationRevoked {
        policy: grant.clone(),
    });
    let view = home.view();
    assert_eq!(view.policies[0].status, PolicyStatus::Revoked);
    assert_eq!(view.policies[0].ended_at, Some(T0 + 3 * HOUR));
    assert!(view.devices[0].active_policies.is_empty());
    // History: newest first, every message with its position.
    let titles: Vec<_> = view
        .history
        .iter()
        .map(|l| (l.position, l.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        vec![
            (2, "Consent revoked"),
            (1, "Consent given"),
            (0, "Device paired")
        ]
    );
}

#[test]
fn an_expired_policy_ends_at_its_expiry_and_deleting_a_device_ends_its_policies() {
    let mut home = Home::new();
    let meter = device();
    let short = policy("SHORT", &meter, Some(T0 + 150 * 60_000));
    let long = policy("LONG", &meter, None);
    home.record(&added(&meter));
    home.record(&ConsentEvent::Authorized {
        policy: short.clone(),
    });
    home.record(&ConsentEvent::Authorized {
        policy: long.clone(),
    });
    let view = home.view();
    let short_row = view.policy(&short.id).expect("short");
    assert_eq!(short_row.status, PolicyStatus::Expired);
    assert_eq!(short_row.ended_at, Some(T0 + 150 * 60_000));
    assert_eq!(
        view.policy(&long.id).expect("long").status,
        PolicyStatus::InForce
    );

    home.record(&ConsentEvent::DeviceDeleted {
        device: meter.clone(),
    });
    let view = home.view();
    assert!(!view.devices[0].added);
    assert_eq!(view.paired_devices().count(), 0);
    let long_row = view.policy(&long.id).expect("long");
    assert_eq!(long_row.status, PolicyStatus::EndedByReset);
    assert_eq!(long_row.ended_at, Some(T0 + 4 * HOUR));
}

#[test]
fn hostile_and_odd_events_are_shown_as_not_applied_and_change_nothing() {
    let mut home = Home::new();
    let meter = device();
    let stranger = device();
    let never_granted = policy("NEVER", &meter, None);
    let for_stranger = policy("STRANGER", &stranger, None);
    let grant = policy("P1", &meter, None);
    // A revocation of a policy never granted, before anything.
    home.record(&ConsentEvent::AuthorizationRevoked {
        policy: never_granted.clone(),
    });
    home.record(&added(&meter));
    // An authorization for a device never added.
    home.record(&ConsentEvent::Authorized {
        policy: for_stranger.clone(),
    });
    home.record(&ConsentEvent::Authorized {
        policy: grant.clone(),
    });
    // The same authorization twice.
    home.record(&ConsentEvent::Authorized {
        policy: grant.clone(),
    });
    home.record(&ConsentEvent::AuthorizationRevoked {
        policy: never_granted.clone(),
    });

    let view = home.view();
    assert!(
        view.policy(&never_granted.id).is_none(),
        "a revocation grants nothing"
    );
    assert!(matches!(
        view.policy(&for_stranger.id).expect("recorded").status,
        PolicyStatus::NotApplied(_)
    ));
    assert_eq!(
        view.policy(&grant.id).expect("grant").status,
        PolicyStatus::InForce
    );
    assert_eq!(
        view.policy(&grant.id).expect("grant").granted_at,
        Some(T0 + 4 * HOUR)
    );
    assert_eq!(view.policies.len(), 2);
    let paired: Vec<_> = view.paired_devices().map(|d| d.address.clone()).collect();
    assert_eq!(paired, vec![meter.address.clone()]);
    // Each ignored event says why, in the history.
    let ignored: Vec<_> = view
        .history
        .iter()
        .filter(|l| l.ignored.is_some())
        .map(|l| l.position)
        .collect();
    assert_eq!(ignored, vec![5, 4, 2, 0]);
}

#[test]
fn a_tampered_message_is_never_read_and_the_real_one_is() {
    let mut home = Home::new();
    let meter = device();
    let created = home.create(&encode(&added(&meter)));
    // Someone attaches a look-alike at the same address: one trit off.
    let mut tampered = created.payload.to_string().into_bytes();
    tampered[300] = if tampered[300] == b'A' { b'B' } else { b'A' };
    let tampered: Trytes = String::from_utf8(tampered)
        .expect("ascii")
        .parse()
        .expect("trytes");
    assert!(
        !home.read(&created, &tampered),
        "a tampered message does not verify"
    );
    assert!(home.log.is_empty());
    assert!(home.read(&created, &created.payload.clone()));
    assert_eq!(home.view().paired_devices().count(), 1);
}

#[test]
fn a_verified_message_that_is_no_event_keeps_its_position() {
    let mut home = Home::new();
    let created = home.create(&Trytes::from_bytes(b"{\"type\":\"NOT_AN_EVENT\"}"));
    assert!(home.read(&created, &created.payload.clone()));
    let meter = device();
    home.record(&added(&meter));
    assert!(matches!(
        home.log.entries()[0].content,
        LoggedContent::Unreadable { .. }
    ));
    let view = home.view();
    assert_eq!(view.history[1].title, "Unreadable message");
    assert_eq!(view.history[0].position, 1);
    assert_eq!(view.paired_devices().count(), 1);
}

#[test]
fn the_log_takes_only_the_next_root() {
    let mut home = Home::new();
    let first = home.create(&encode(&added(&device())));
    let second = home.create(&encode(&added(&device())));
    // The second message offered first: not under the log's next root.
    let parsed = parse(&second.payload, &second.root, None).expect("verifies");
    let fetched = FetchedMessage {
        root: second.root.clone(),
        parsed,
        tag: Tag27::nines(),
        bundle: Hash81::random(),
        attached_at: T0,
    };
    assert!(home.log.push(&fetched).is_err());
    assert!(home.read(&first, &first.payload.clone()));
    assert!(home.log.push(&fetched).is_ok());
    assert_eq!(home.log.len(), 2);
}

#[test]
fn the_cache_gives_the_same_view_and_a_damaged_or_foreign_one_is_dropped() {
    let mut home = Home::new();
    let meter = device();
    home.record(&added(&meter));
    home.record(&ConsentEvent::Authorized {
        policy: policy("P1", &meter, None),
    });
    let cache = home.log.to_cache();
    let root = home.log.channel_root().clone();
    let restored = EventLog::from_cache(&cache, &root).expect("cache");
    assert_eq!(restored, home.log);
    assert_eq!(
        HomeView::of(&restored, T0 + 9 * HOUR),
        HomeView::of(&home.log, T0 + 9 * HOUR)
    );

    let other = Home::new();
    assert_eq!(EventLog::from_cache(&cache, other.log.channel_root()), None);
    assert_eq!(EventLog::from_cache("{not json", &root), None);
    assert_eq!(
        EventLog::from_cache(&cache.replace("\"position\":1", "\"position\":7"), &root),
        None
    );
    assert_eq!(
        EventLog::from_cache(&cache.replace("\"version\":1", "\"version\":0"), &root),
        None
    );
}

#[test]
fn the_writer_continues_where_the_log_ends() {
    let mut home = Home::new();
    home.record(&added(&device()));
    home.record(&added(&device()));
    // A writer restarted at the log's position makes the next root.
    let next_root = home.log.next_root().clone();
    let created = home.create(&encode(&added(&device())));
    assert_eq!(created.root, next_root);
    assert_eq!(home.log.writer_position(0).start, 2);
    assert_eq!(home.log.writer_position(3).start, 5);
    assert!(home.read(&created, &created.payload.clone()));
}

#[test]
fn pending_events_settle_as_recorded_or_superseded() {
    let mut home = Home::new();
    let meter = device();
    let mut outbox = Outbox::default();
    assert_eq!(outbox.next_position(&home.log), 0);
    let event = added(&meter);
    let created = home.create(&encode(&event));
    outbox.push(PendingEvent::new(0, event.clone(), &created, T0).expect("pending"));
    let later = ConsentEvent::Authorized {
        policy: policy("P1", &meter, None),
    };
    let created_later = home.create(&encode(&later));
    outbox.push(PendingEvent::new(1, later, &created_later, T0).expect("pending"));
    assert_eq!(outbox.next_position(&home.log), 2);

    outbox.attempted(0, Err("node down".into()));
    assert_eq!(outbox.next_to_attach().map(|p| p.position), Some(0));
    assert_eq!(outbox.pending()[0].last_error.as_deref(), Some("node down"));
    outbox.attempted(0, Ok(()));
    assert_eq!(outbox.next_to_attach().map(|p| p.position), Some(1));

    // Nothing read yet: nothing settles.
    assert!(outbox.settle(&home.log).is_empty());
    assert!(home.read(&created, &created.payload.clone()));
    let settled = outbox.settle(&home.log);
    assert!(matches!(&settled[..], [Settled::Recorded(p)] if p.position == 0));
    assert_eq!(outbox.len(), 1);

    // Stored and read back, it is the same.
    let stored = Outbox::from_storage(&outbox.to_storage()).expect("stored");
    assert_eq!(stored, outbox);
    assert_eq!(Outbox::from_storage("[]"), None);
}

#[test]
fn a_position_taken_by_another_browser_supersedes_the_pending_events() {
    let seed = Seed::random();
    let meter = device();
    let mut ours = Channel::new(&seed, Mode::Private, None, CHANNEL_SECURITY).expect("channel");
    let mut theirs = Channel::new(&seed, Mode::Private, None, CHANNEL_SECURITY).expect("channel");
    let mut log = EventLog::new(ours.root());
    let mine = added(&meter);
    let mut outbox = Outbox::default();
    let created = ours.create(&encode(&mine)).expect("create");
    outbox.push(PendingEvent::new(0, mine, &created, T0).expect("pending"));
    let next = ConsentEvent::DeviceDeleted {
        device: meter.clone(),
    };
    let created_next = ours.create(&encode(&next)).expect("create");
    outbox.push(PendingEvent::new(1, next, &created_next, T0).expect("pending"));

    // The other browser records another event at position 0 first.
    let other = ConsentEvent::DeviceAdded { device: device() };
    let their_message = theirs.create(&encode(&other)).expect("create");
    let parsed = parse(&their_message.payload, &their_message.root, None).expect("verifies");
    log.push(&FetchedMessage {
        root: their_message.root.clone(),
        parsed,
        tag: Tag27::nines(),
        bundle: Hash81::random(),
        attached_at: T0,
    })
    .expect("pushed");
    let settled = outbox.settle(&log);
    assert_eq!(settled.len(), 2);
    assert!(settled.iter().all(|s| matches!(s, Settled::Superseded(_))));
    assert!(outbox.is_empty());
}

#[test]
fn pairing_steps_go_forward_and_the_first_failure_sticks() {
    let mut pairing = PairingProgress::start(Hash81::random());
    pairing.advance(PairStep::AwaitingChallenge);
    pairing.advance(PairStep::SendingClaim);
    assert_eq!(pairing.step, PairStep::AwaitingChallenge);
    pairing.fail(PairFailure::NoAnswer {
        step: PairStep::AwaitingChallenge,
    });
    pairing.fail(PairFailure::Node {
        error: "later".into(),
    });
    pairing.advance(PairStep::Done);
    assert!(pairing.is_finished());
    assert_eq!(pairing.step, PairStep::AwaitingChallenge);
    let failure = pairing.failure.clone().expect("failed");
    assert!(failure.advice().contains("secret"), "{}", failure.advice());
    let states = pairing.step_states();
    assert_eq!(states[0].1, StepState::Done);
    assert_eq!(states[1].1, StepState::Failed);
    assert_eq!(states[2].1, StepState::Waiting);

    let mut done = PairingProgress::start(Hash81::random());
    done.advance(PairStep::Done);
    done.fail(PairFailure::Node {
        error: "too late".into(),
    });
    assert!(done.failure.is_none());
    assert!(done
        .step_states()
        .iter()
        .all(|(_, s)| *s == StepState::Done));
}

#[test]
fn failures_say_what_happened_and_what_to_do() {
    let paired = PairFailure::Refused {
        reason: "already paired".into(),
    };
    assert!(paired.title().contains("already paired"));
    assert!(paired.advice().contains("pi-reader unpair"));
    let node = PairFailure::Node {
        error: "connection refused".into(),
    };
    assert!(node.advice().contains("Settings") && node.advice().contains("connection refused"));
}

#[test]
fn routes_parse_and_lead_back() {
    assert_eq!(Route::parse(""), Route::Overview);
    assert_eq!(Route::parse("#"), Route::Overview);
    assert_eq!(Route::parse("#/"), Route::Overview);
    assert_eq!(Route::parse("#/history"), Route::History);
    assert_eq!(
        Route::parse("#/pair?device=ABC&secret=XYZ"),
        Route::Pair {
            query: "device=ABC&secret=XYZ".into()
        }
    );
    assert_eq!(
        Route::parse("#/new-policy?goal=a%20b"),
        Route::NewPolicy {
            query: "goal=a%20b".into()
        }
    );
    assert_eq!(
        Route::parse("#/nowhere"),
        Route::NotFound("/nowhere".into())
    );
    for route in [
        Route::Overview,
        Route::History,
        Route::Settings,
        Route::Seed,
        Route::Pair {
            query: String::new(),
        },
        Route::Pair {
            query: "device=A".into(),
        },
        Route::NewPolicy {
            query: "x=1".into(),
        },
    ] {
        assert_eq!(Route::parse(&route.href()), route);
    }
}

#[test]
fn dates_are_shown_in_utc_and_read_from_date_inputs() {
    assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
    assert_eq!(format_time(1_709_210_096_000), "2024-02-29 12:34 UTC");
    assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800_000));
    assert_eq!(parse_date("2025-02-29"), None);
    assert_eq!(parse_date("2025-13-01"), None);
    assert_eq!(parse_date("yesterday"), None);
    assert_eq!(parse_date(""), None);
}
