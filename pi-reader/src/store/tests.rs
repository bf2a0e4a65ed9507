use consent_protocol::seal::ProviderKeyPair;
use mam_lib::address::Security;
use mam_lib::mam::{Channel, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::time::UnixMillis;

use super::*;

fn at(millis: u64) -> UnixMillis {
    UnixMillis::from_millis(millis)
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("state.sqlite")).expect("opens");
    (dir, store)
}

#[test]
fn the_identity_is_made_once_and_kept_across_reopening() {
    let (dir, store) = temp_store();
    let first = store.db().identity_or_create(at(1)).expect("identity");
    drop(store);
    let store = Store::open(&dir.path().join("state.sqlite")).expect("reopens");
    let again = store.db().identity_or_create(at(2)).expect("identity");
    assert_eq!(first.address, again.address);
    assert_eq!(first.pairing_secret, again.pairing_secret);
    assert_eq!(
        store.db().channel_state().expect("channel").position.index,
        0
    );
}

#[test]
fn storing_a_message_moves_the_channel_and_empties_the_outbox_together() {
    let (_dir, mut store) = temp_store();
    let identity = store.db().identity_or_create(at(1)).expect("identity");
    store.db().push_telegram("/A!1234", at(10)).expect("push");
    store.db().push_telegram("/B!5678", at(11)).expect("push");
    let state = store.db().channel_state().expect("channel");
    let mut channel = Channel::new(
        &identity.seed,
        Mode::Restricted,
        Some(state.side_key.clone()),
        Security::Medium,
    )
    .expect("channel");
    channel.set_position(state.position).expect("position");
    let created = channel
        .create(&"ABC".parse().expect("trytes"))
        .expect("create");
    let pending = store.db().pending_telegrams(10).expect("pending");
    // A failing step rolls everything back: the index stays unused.
    let failed: Result<(), StoreError> = store.atomically(|db| {
        db.store_message(
            MessageKind::Data,
            &created,
            channel.position(),
            2,
            Some(at(10)),
            at(12),
        )?;
        db.take_telegrams(pending[1].seq)?;
        Err(StoreError::corrupt("test", "forced failure"))
    });
    assert!(failed.is_err());
    assert_eq!(
        store.db().channel_state().expect("channel").position.index,
        0
    );
    assert_eq!(store.db().outbox_summary().expect("outbox").0, 2);

    store
        .atomically(|db| {
            db.store_message(
                MessageKind::Data,
                &created,
                channel.position(),
                2,
                Some(at(10)),
                at(12),
            )?;
            db.take_telegrams(pending[1].seq)
        })
        .expect("stored");
    assert_eq!(store.db().outbox_summary().expect("outbox"), (0, None));
    assert_eq!(
        store.db().channel_state().expect("channel").position,
        channel.position()
    );
    let unattached = store.db().unattached_messages(10).expect("unattached");
    assert_eq!(unattached.len(), 1);
    assert_eq!(unattached[0].created, created);
    store
        .db()
        .mark_attached(unattached[0].seq, "BUNDLE", at(13))
        .expect("mark");
    assert!(store.db().unattached_messages(10).expect("none").is_empty());
    assert_eq!(store.db().message_counts().expect("counts"), (1, 0));
}

#[test]
fn a_new_side_key_is_kept() {
    let (_dir, store) = temp_store();
    store.db().identity_or_create(at(1)).expect("identity");
    let key = SideKey::random();
    store.db().set_side_key(&key, at(5)).expect("set");
    let state = store.db().channel_state().expect("channel");
    assert_eq!(state.side_key, key);
    assert_eq!(state.side_key_since, at(5));
}

#[test]
fn challenges_are_single_use() {
    let (_dir, store) = temp_store();
    let db = store.db();
    let claimant = "A".repeat(81).parse().expect("hash");
    let challenge = "C".repeat(81).parse().expect("hash");
    db.add_challenge(&challenge, &claimant, at(100))
        .expect("add");
    assert_eq!(db.open_challenges(&claimant, at(0)).expect("open").len(), 1);
    assert!(db
        .open_challenges(&claimant, at(101))
        .expect("too old")
        .is_empty());
    db.use_challenge(&challenge).expect("use");
    assert!(db
        .open_challenges(&claimant, at(0))
        .expect("used")
        .is_empty());
}

#[test]
fn counters_start_at_zero_and_add_up() {
    let (_dir, store) = temp_store();
    let db = store.db();
    assert_eq!(db.counter(Counter::BadCrc).expect("read"), 0);
    db.count(Counter::BadCrc, 2).expect("count");
    db.count(Counter::BadCrc, 1).expect("count");
    assert_eq!(db.counter(Counter::BadCrc).expect("read"), 3);
}

#[test]
fn a_file_from_a_newer_version_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state.sqlite");
    let connection = rusqlite::Connection::open(&path).expect("open");
    connection
        .pragma_update(None, "user_version", 99)
        .expect("set");
    drop(connection);
    let error = Store::open(&path).err().expect("refused");
    assert!(error.to_string().contains("upgrade pi-reader"), "{error}");
}

#[test]
fn a_state_file_written_by_an_earlier_version_reads_back_without_corruption_errors() {
    let (_dir, store) = temp_store();
    let db = store.db();
    let identity = db.identity_or_create(at(1)).expect("identity");
    let seed: Seed = "P".repeat(81).parse().expect("seed");
    let public_key = ProviderKeyPair::from_seed(&seed).public_key().to_trytes();
    // The text and integers earlier versions wrote, a negative `expiresAt`
    // (which an event could carry) among them.
    store
        .connection
        .execute_batch(&format!(
            "INSERT INTO providers (policy_id, address, public_key, url, goal, expires_at, authorized_at)
             VALUES ('policy-1', '{address}', '{public_key}', 'http://wattt', 'insights', -5, 1700000000000);
             INSERT INTO providers (policy_id, address, public_key, url, goal, expires_at, authorized_at)
             VALUES ('policy-2', '{address}', '{public_key}', 'http://wattt', 'insights', NULL, 1700000000001);
             INSERT INTO pairing (id, owner, root, next_event_root, events_read, paired_at)
             VALUES (1, '{address}', '{address}', '{address}', 3, 1700000000002);
             INSERT INTO outbox (raw, received_at) VALUES ('/A!1234', 1700000000003);",
            address = identity.address,
        ))
        .expect("rows as earlier versions wrote them");
    let providers = db.providers().expect("providers read");
    assert_eq!(providers.len(), 2);
    assert_eq!(providers[0].policy_id.as_str(), "policy-1");
    assert_eq!(providers[0].expires_at, Some(UnixMillis::EPOCH));
    assert_eq!(providers[0].authorized_at, at(1_700_000_000_000));
    assert_eq!(providers[0].public_key.to_trytes(), public_key);
    assert_eq!(providers[1].expires_at, None);
    let pairing = db.pairing().expect("pairing").expect("paired");
    assert_eq!(pairing.paired_at, at(1_700_000_000_002));
    assert_eq!(pairing.owner, identity.address);
    let pending = db.pending_telegrams(10).expect("outbox");
    assert_eq!(pending[0].received_at, at(1_700_000_000_003));
    // And what this version writes, it reads the same.
    db.add_provider(&providers[1]).expect("write back");
    assert_eq!(db.providers().expect("again"), providers);
}

#[test]
fn a_provider_row_that_no_longer_parses_is_named_in_the_error() {
    let (_dir, store) = temp_store();
    let identity = store.db().identity_or_create(at(1)).expect("identity");
    store
        .connection
        .execute_batch(&format!(
            "INSERT INTO providers (policy_id, address, public_key, url, goal, expires_at, authorized_at)
             VALUES ('policy-1', '{}', 'AB', 'http://wattt', 'insights', NULL, 1);",
            identity.address
        ))
        .expect("row");
    let error = store.db().providers().expect_err("a key that is no key");
    assert!(error.to_string().contains("provider key"), "{error}");
}

// ------------------------------------------------------------ protocol v2

/// A provider under `policy` at the address of `letter`.
fn provider(policy: &str, letter: char) -> consent_protocol::device::AuthorizedProvider {
    let seed: Seed = letter.to_string().repeat(81).parse().expect("seed");
    consent_protocol::device::AuthorizedProvider {
        policy_id: policy.parse().expect("policy id"),
        address: letter.to_string().repeat(81).parse().expect("address"),
        public_key: ProviderKeyPair::from_seed(&seed).public_key().clone(),
        url: "http://wattt".into(),
        goal: "insights".into(),
        expires_at: None,
        request_nonce: Some("Q".repeat(81).parse().expect("nonce")),
        authorized_at: at(1),
    }
}

/// Queues the `MAM_DATA` of `provider`, as an authorization does.
fn queue_mam_data(db: &Db<'_>, provider: &consent_protocol::device::AuthorizedProvider) {
    let grant = consent_protocol::device::grant(
        provider,
        &"R".repeat(81).parse().expect("root"),
        &SideKey::random(),
    )
    .expect("sealed");
    db.queue_outgoing(TransferPurpose::MamData, &grant, at(2))
        .expect("queued");
}

#[test]
fn a_revocation_drops_the_unsent_mam_data_of_its_policy_only() {
    let (_dir, mut store) = temp_store();
    store.db().identity_or_create(at(1)).expect("identity");
    let (a1, a2) = (provider("a1", 'A'), provider("a2", 'A'));
    store
        .atomically(|db| -> Result<(), StoreError> {
            for p in [&a1, &a2] {
                db.add_provider(p)?;
                queue_mam_data(db, p);
            }
            Ok(())
        })
        .expect("authorized");
    assert_eq!(store.db().queued_transfers().expect("queue").len(), 2);
    // Revoked before the node took the keys: they never go out.
    store
        .atomically(|db| db.remove_provider(&a1.policy_id))
        .expect("revoked");
    assert_eq!(store.db().queued_transfers().expect("queue").len(), 1);
    assert_eq!(store.db().providers().expect("providers"), vec![a2.clone()]);
    // A reset drops every one.
    store.atomically(|db| db.clear_providers()).expect("reset");
    assert!(store.db().queued_transfers().expect("queue").is_empty());
}

#[test]
fn claim_nonces_secret_rotation_and_the_pinned_level_are_kept() {
    let (_dir, store) = temp_store();
    let db = store.db();
    let identity = db.identity_or_create(at(1)).expect("identity");
    let nonce: mam_lib::ternary::Hash81 = "N".repeat(81).parse().expect("nonce");
    assert!(!db.claim_nonce_seen(&nonce).expect("read"));
    db.add_claim_nonce(&nonce, at(2)).expect("kept");
    db.add_claim_nonce(&nonce, at(3))
        .expect("kept twice is fine");
    assert!(db.claim_nonce_seen(&nonce).expect("read"));

    let next = consent_protocol::PairingSecret::random().expect("CSPRNG");
    db.set_pairing_secret(&next).expect("rotated");
    let stored = db.identity().expect("read").expect("identity");
    assert_eq!(stored.pairing_secret, next);
    assert_ne!(stored.pairing_secret, identity.pairing_secret);

    db.set_pairing(&identity.address, &identity.address, at(4))
        .expect("paired");
    assert_eq!(
        db.pairing().expect("read").expect("paired").owner_security,
        None
    );
    db.pin_owner_security(Security::High).expect("pinned");
    assert_eq!(
        db.device_consent().expect("consent").pinned_security,
        Some(Security::High)
    );
    // Pairing afresh forgets the pin.
    db.set_pairing(&identity.address, &identity.address, at(5))
        .expect("paired again");
    assert_eq!(
        db.pairing().expect("read").expect("paired").owner_security,
        None
    );
}

#[test]
fn a_version_1_file_is_upgraded_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state.sqlite");
    let connection = rusqlite::Connection::open(&path).expect("open");
    connection
        .execute_batch(&format!(
            "{}PRAGMA user_version = 1;",
            schema::SCHEMA_V1_FOR_TESTS
        ))
        .expect("a version 1 file");
    drop(connection);
    let store = Store::open(&path).expect("upgraded");
    let version: i64 = store
        .connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .expect("version");
    assert_eq!(version, schema::SCHEMA_VERSION);
    let nonce: mam_lib::ternary::Hash81 = "N".repeat(81).parse().expect("nonce");
    store
        .db()
        .add_claim_nonce(&nonce, at(1))
        .expect("the v2 table exists");
}

#[cfg(unix)]
#[test]
fn the_state_directory_and_file_are_private_and_deleted_content_is_overwritten() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let state_dir = dir.path().join("pi-reader");
    let path = state_dir.join("state.sqlite");
    let store = Store::open(&path).expect("opens");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&state_dir), 0o700);
    assert_eq!(mode(&path), 0o600);
    let secure: i64 = store
        .connection
        .pragma_query_value(None, "secure_delete", |row| row.get(0))
        .expect("pragma");
    assert_eq!(secure, 1);
    drop(store);
    // A file made looser by hand is tightened on the next open.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    Store::open(&path).expect("reopens");
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn the_hourly_budget_counts_challenges_and_claim_results() {
    let (_dir, store) = temp_store();
    let db = store.db();
    let identity = db.identity_or_create(at(1)).expect("identity");
    let claimant: mam_lib::ternary::Hash81 = "H".repeat(81).parse().expect("address");
    db.add_challenge(
        &"C".repeat(81).parse().expect("challenge"),
        &claimant,
        at(10),
    )
    .expect("challenge");
    let refusal = consent_protocol::Outgoing {
        to: claimant,
        message: consent_protocol::TransferMessage::ClaimResult {
            status: consent_protocol::ClaimStatus::Nok,
            reason: "already paired".into(),
            sender: Some(identity.address),
            proof: "P".repeat(81).parse().expect("proof"),
        },
    };
    db.queue_outgoing(TransferPurpose::ClaimResult, &refusal, at(20))
        .expect("queued");
    assert_eq!(db.pairing_replies_since(at(0)).expect("count"), 2);
    assert_eq!(db.pairing_replies_since(at(15)).expect("count"), 1);
    assert_eq!(db.pairing_replies_since(at(30)).expect("count"), 0);
}
