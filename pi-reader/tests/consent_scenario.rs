//! The consent story end to end, against the real daemon on a real node:
//! My Home pairs, authorizes providers A and B, both read; A is revoked:
//! B keeps reading, A cannot decrypt a single later message; the device is
//! deleted: nobody can.

mod common;

use std::time::Duration;

use common::owner::MyHome;
use common::reader::Provider;
use common::rig::Rig;
use common::wait_for;
use consent_protocol::owner::PolicyStatus;
use consent_protocol::{ClaimStatus, ConsentEvent, Device as DeviceRef, DeviceMessage};
use mam_lib::mam::Mode;
use mam_lib::time::UnixMillis;

/// A DSMR 5 telegram with a valid CRC and a reading made unique by `n`.
fn telegram(n: u32) -> Vec<u8> {
    let body = format!(
        "/ISk5\\2MT382-1000\r\n\r\n1-3:0.2.8(50)\r\n0-0:1.0.0(170102192002W)\r\n1-0:1.8.1({:06}.{:03}*kWh)\r\n1-0:1.7.0(00.{:03}*kW)\r\n!",
        1000 + n,
        n % 1000,
        n % 1000
    );
    let crc = p1_telegram::crc::crc16(body.as_bytes());
    format!("{body}{crc:04X}\r\n").into_bytes()
}

fn reading(raw: &str) -> u32 {
    let start = raw.find("1-0:1.8.1(").expect("reading") + 10;
    raw[start..start + 6].parse::<u32>().expect("number") - 1000
}

/// A rig plus the numbering of the telegrams its meter sends.
struct Scenario {
    rig: Rig,
    next_telegram: u32,
}

impl std::ops::Deref for Scenario {
    type Target = Rig;

    fn deref(&self) -> &Rig {
        &self.rig
    }
}

impl Scenario {
    fn start(name: &str) -> Scenario {
        Scenario {
            rig: Rig::start(name, &["--max-delay", "0s", "--poll-interval", "500ms"]),
            next_telegram: 0,
        }
    }

    /// Sends `count` telegrams; returns their numbers.
    fn meter(&mut self, count: u32) -> Vec<u32> {
        (0..count)
            .map(|_| {
                let n = self.next_telegram;
                self.next_telegram += 1;
                self.rig.pty.send(&telegram(n));
                std::thread::sleep(Duration::from_millis(120));
                n
            })
            .collect()
    }

    fn wait_published(&self, telegrams: i64) {
        self.wait_for_counter("telegrams_published", telegrams);
    }

    /// The device serves exactly the policies the owner's ledger holds in
    /// force.
    fn device_agrees_with(&self, home: &MyHome) {
        let mut in_force: Vec<String> = home
            .ledger()
            .in_force(UnixMillis::now())
            .map(|r| r.policy.id.to_string())
            .collect();
        let mut served: Vec<String> = self.device.info()["providers"]
            .as_array()
            .expect("providers")
            .iter()
            .map(|p| p["policy_id"].as_str().expect("policy id").to_owned())
            .collect();
        in_force.sort();
        served.sort();
        assert_eq!(
            served, in_force,
            "the device serves what the owner's ledger shows"
        );
    }

    fn read_until(&self, provider: &mut Provider, last: u32) {
        wait_for("the provider to read on", Duration::from_secs(60), || {
            provider.read_on(&self.client);
            provider
                .telegrams
                .last()
                .is_some_and(|t| reading(&t.raw) >= last)
                .then_some(())
        });
    }
}

#[test]
fn revoked_provider_cannot_read_new_data_and_a_deleted_device_shares_with_nobody() {
    let mut s = Scenario::start("consent");
    let mut home = MyHome::new(s.client.url());
    assert_eq!(home.pair(&s.address, &s.secret()), ClaimStatus::Ok);
    home.record(&ConsentEvent::DeviceAdded {
        device: DeviceRef {
            address: s.address.clone(),
        },
    });
    // Pairing and DEVICE_ADDED each reset the key.
    s.wait_for_counter("key_rotations", 2);

    let mut a = Provider::new();
    let mut b = Provider::new();
    let policy_a = MyHome::policy("policy-a", &s.address, &a);
    let policy_b = MyHome::policy("policy-b", &s.address, &b);
    home.record(&ConsentEvent::Authorized {
        policy: policy_a.clone(),
    });
    home.record(&ConsentEvent::Authorized {
        policy: policy_b.clone(),
    });
    wait_for("keys for A and B", Duration::from_secs(60), || {
        (a.receive_keys(&s.client) && b.receive_keys(&s.client)).then_some(())
    });
    s.device_agrees_with(&home);

    let before = s.meter(3);
    s.wait_published(3);
    s.read_until(&mut a, before[2]);
    s.read_until(&mut b, before[2]);
    let numbers = |p: &Provider| {
        p.telegrams
            .iter()
            .map(|t| reading(&t.raw))
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(&a), before, "A reads from consent on");
    assert_eq!(numbers(&b), before, "B reads from consent on");

    // Revoke A.
    home.record(&ConsentEvent::AuthorizationRevoked { policy: policy_a });
    s.wait_for_counter("key_rotations", 3);
    s.device_agrees_with(&home);
    assert_eq!(
        home.ledger()
            .policy(&policy_b.id)
            .map(|r| r.status_at(UnixMillis::now())),
        Some(PolicyStatus::InForce)
    );
    let after = s.meter(3);
    s.wait_published(6);
    s.read_until(&mut b, after[2]);
    assert_eq!(
        numbers(&b),
        [before.clone(), after.clone()].concat(),
        "B keeps reading"
    );
    a.read_on(&s.client);
    assert!(a.cut_off(), "A met the rotation that left it out");
    assert_eq!(numbers(&a), before, "A read nothing after the revocation");
    let a_key = a.side_key().expect("A's last key");
    let rotation = b
        .read
        .iter()
        .position(|(_, m)| matches!(m, DeviceMessage::KeyRotation { .. }))
        .expect("B read the rotation");
    let later: Vec<_> = b.read[rotation + 1..]
        .iter()
        .map(|(root, _)| root.clone())
        .collect();
    assert!(!later.is_empty());
    for root in &later {
        let fetched = pollster::block_on(s.client.mam_fetch(root, Mode::Restricted, Some(&a_key)))
            .expect("fetch");
        assert!(
            fetched.message.is_none(),
            "A decrypted a message published after its revocation"
        );
    }

    // Delete the device: nobody reads what follows.
    home.record(&ConsentEvent::DeviceDeleted {
        device: DeviceRef {
            address: s.address.clone(),
        },
    });
    s.wait_for_counter("key_rotations", 4);
    s.device_agrees_with(&home);
    assert_eq!(
        home.ledger()
            .policy(&policy_b.id)
            .map(|r| r.status_at(UnixMillis::now())),
        Some(PolicyStatus::EndedByReset)
    );
    let deleted = s.meter(2);
    s.wait_published(8);
    b.read_on(&s.client);
    assert!(b.cut_off(), "B met the reset");
    assert_eq!(numbers(&b), [before, after].concat());
    // The data is there: the owner reads it with the device's current
    // key from where B was cut off. Neither provider's key opens any of it.
    let (_, owner_key) = s.device.owner_keys();
    let reset_root = b.next_root().expect("the root after the reset");
    let after_reset = pollster::block_on(s.client.mam_fetch_all(
        &reset_root,
        Mode::Restricted,
        Some(&owner_key),
        None,
    ))
    .expect("owner reads");
    let owner_numbers: Vec<u32> = after_reset
        .messages
        .iter()
        .flat_map(
            |m| match consent_protocol::decode::<DeviceMessage>(&m.parsed.message) {
                Ok(DeviceMessage::Data { telegrams }) => {
                    telegrams.iter().map(|t| reading(&t.raw)).collect()
                }
                _ => Vec::new(),
            },
        )
        .collect();
    assert_eq!(owner_numbers, deleted, "the owner still reads the device");
    let b_key = b.side_key().expect("B's last key");
    for message in &after_reset.messages {
        for key in [&a_key, &b_key] {
            let fetched = pollster::block_on(s.client.mam_fetch(
                &message.root,
                Mode::Restricted,
                Some(key),
            ))
            .expect("fetch");
            assert!(
                fetched.message.is_none(),
                "a provider decrypted data after the device was deleted"
            );
        }
    }
    assert!(s.rig.device.is_running());
}

#[test]
fn a_consent_that_expires_ends_by_itself() {
    let mut s = Scenario::start("expiry");
    let mut home = MyHome::new(s.client.url());
    // Pairing and DEVICE_ADDED (which pins the channel's security level)
    // each rotate the key for nobody.
    home.pair_and_add(&s.address, &s.secret());
    s.wait_for_counter("key_rotations", 2);
    let rotations = s.device.counter("key_rotations");
    let mut provider = Provider::new();
    let mut policy = MyHome::policy("short-lived", &s.address, &provider);
    // Long enough to be received and read from, short enough for a test.
    policy.expires_at = Some(UnixMillis::now().saturating_add(Duration::from_secs(8)));
    let policy_id = policy.id.clone();
    home.record(&ConsentEvent::Authorized { policy });
    wait_for("keys for the provider", Duration::from_secs(30), || {
        provider.receive_keys(&s.client).then_some(())
    });
    let before = s.meter(2);
    s.wait_published(2);
    s.read_until(&mut provider, before[1]);
    // The device drops the provider when the consent runs out, rotating
    // the key without telling it.
    s.wait_for_counter("key_rotations", rotations + 1);
    assert_eq!(
        s.device.info()["providers"].as_array().map(Vec::len),
        Some(0)
    );
    let after = s.meter(2);
    s.wait_published(4);
    provider.read_on(&s.client);
    assert!(
        provider.cut_off(),
        "the provider met the rotation that left it out"
    );
    assert_eq!(
        home.ledger()
            .policy(&policy_id)
            .map(|r| r.status_at(UnixMillis::now())),
        Some(PolicyStatus::Expired),
        "the owner's ledger shows the consent ran out"
    );
    s.device_agrees_with(&home);
    let numbers: Vec<u32> = provider.telegrams.iter().map(|t| reading(&t.raw)).collect();
    assert_eq!(numbers, before, "nothing after the expiry: {after:?}");
}
