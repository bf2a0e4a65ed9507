use mam_lib::address::Security;
use mam_lib::mam::{Channel, Mode, SideKey};

use super::*;

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("state.sqlite")).expect("opens");
    (dir, store)
}

#[test]
fn the_identity_is_made_once_and_kept_across_reopening() {
    let (dir, store) = temp_store();
    let first = store.db().identity_or_create(1).expect("identity");
    drop(store);
    let store = Store::open(&dir.path().join("state.sqlite")).expect("reopens");
    let again = store.db().identity_or_create(2).expect("identity");
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
    let identity = store.db().identity_or_create(1).expect("identity");
    store.db().push_telegram("/A!1234", 10).expect("push");
    store.db().push_telegram("/B!5678", 11).expect("push");
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
            Some(10),
            12,
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
                Some(10),
                12,
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
        .mark_attached(unattached[0].seq, "BUNDLE", 13)
        .expect("mark");
    assert!(store.db().unattached_messages(10).expect("none").is_empty());
    assert_eq!(store.db().message_counts().expect("counts"), (1, 0));
}

#[test]
fn a_new_side_key_is_kept() {
    let (_dir, store) = temp_store();
    store.db().identity_or_create(1).expect("identity");
    let key = SideKey::random();
    store.db().set_side_key(&key, 5).expect("set");
    let state = store.db().channel_state().expect("channel");
    assert_eq!(state.side_key, key);
    assert_eq!(state.side_key_since, 5);
}

#[test]
fn challenges_are_single_use() {
    let (_dir, store) = temp_store();
    let db = store.db();
    let claimant = "A".repeat(81).parse().expect("hash");
    let challenge = "C".repeat(81).parse().expect("hash");
    db.add_challenge(&challenge, &claimant, 100).expect("add");
    assert_eq!(db.open_challenges(&claimant, 0).expect("open").len(), 1);
    assert!(db
        .open_challenges(&claimant, 101)
        .expect("too old")
        .is_empty());
    db.use_challenge(&challenge).expect("use");
    assert!(db.open_challenges(&claimant, 0).expect("used").is_empty());
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
