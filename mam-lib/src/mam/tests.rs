//! Round trips and rejections of whole messages.

use super::*;
use crate::address::Security;
use crate::seed::Seed;

fn seed() -> Seed {
    "SEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEEDSEED9"
        .parse()
        .expect("81 trytes")
}

fn restricted_channel() -> (Channel, SideKey) {
    let key: SideKey = "SIDEKEY".parse().expect("side key");
    let channel = Channel::new(
        &seed(),
        Mode::Restricted,
        Some(key.clone()),
        Security::Medium,
    )
    .expect("channel");
    (channel, key)
}

#[test]
fn a_created_message_parses_back_in_every_mode_and_security() {
    for mode in [Mode::Public, Mode::Private, Mode::Restricted] {
        for security in [Security::Low, Security::Medium, Security::High] {
            let key = (mode == Mode::Restricted).then(SideKey::random);
            let mut channel = Channel::new(&seed(), mode, key.clone(), security).expect("channel");
            let text = Trytes::from_ascii("hello, tangle").expect("ascii");
            let created = channel.create(&text).expect("created");
            let parsed = parse(&created.payload, &created.root, key.as_ref()).expect("parses");
            assert_eq!(parsed.message, text);
            assert_eq!(parsed.next_root, created.next_root);
            assert_eq!(parsed.security, security);
            assert_eq!(
                message_address(&created.root, mode),
                Ok(created.address.clone())
            );
        }
    }
}

#[test]
fn consecutive_messages_chain_through_next_roots() {
    let (mut channel, key) = restricted_channel();
    let mut expected_root = channel.root();
    for n in 0..4 {
        let created = channel
            .create(&Trytes::from_ascii(&format!("message {n}")).expect("ascii"))
            .expect("created");
        assert_eq!(created.root, expected_root);
        let parsed = parse(&created.payload, &created.root, Some(&key)).expect("parses");
        expected_root = parsed.next_root;
    }
}

#[test]
fn trees_of_several_keys_sign_every_message() {
    let mut channel = Channel::new(&seed(), Mode::Public, None, Security::Low).expect("channel");
    channel
        .set_position(ChannelPosition {
            start: 3,
            count: 4,
            next_count: 4,
            index: 0,
        })
        .expect("position");
    let root = channel.root();
    for index in 0..4 {
        let created = channel
            .create(&Trytes::from_ascii("x").expect("ascii"))
            .expect("created");
        assert_eq!(created.root, root);
        let parsed = parse(&created.payload, &root, None).expect("parses");
        assert_eq!(parsed.index, index);
    }
    assert_eq!(
        channel.position(),
        ChannelPosition {
            start: 7,
            count: 4,
            next_count: 4,
            index: 0
        }
    );
}

#[test]
fn empty_message_round_trips() {
    let (mut channel, key) = restricted_channel();
    let created = channel.create(&Trytes::new()).expect("created");
    assert_eq!(
        parse(&created.payload, &created.root, Some(&key)).map(|p| p.message),
        Ok(Trytes::new())
    );
}

#[test]
fn wrong_side_key_is_rejected() {
    let (mut channel, _) = restricted_channel();
    let created = channel
        .create(&Trytes::from_ascii("secret").expect("ascii"))
        .expect("created");
    let wrong: SideKey = "OTHERKEY".parse().expect("side key");
    let result = parse(&created.payload, &created.root, Some(&wrong));
    assert!(
        matches!(
            result,
            Err(MamError::InvalidMessageHash
                | MamError::SignatureMismatch
                | MamError::Malformed(_))
        ),
        "{result:?}"
    );
}

#[test]
fn wrong_root_is_rejected() {
    let (mut channel, key) = restricted_channel();
    let created = channel
        .create(&Trytes::from_ascii("data").expect("ascii"))
        .expect("created");
    let result = parse(&created.payload, &created.next_root, Some(&key));
    assert!(
        matches!(
            result,
            Err(MamError::InvalidMessageHash | MamError::SignatureMismatch)
        ),
        "{result:?}"
    );
}

#[test]
fn tampered_payloads_are_rejected_wherever_the_change_is() {
    let mut channel = Channel::new(&seed(), Mode::Public, None, Security::Low).expect("channel");
    let created = channel
        .create(&Trytes::from_ascii("meter reading").expect("ascii"))
        .expect("created");
    let original = created.payload.as_str();
    for position in (0..original.len()).step_by(97) {
        let mut bytes = original.as_bytes().to_vec();
        bytes[position] = if bytes[position] == b'A' { b'B' } else { b'A' };
        let tampered: Trytes = String::from_utf8(bytes)
            .expect("ascii")
            .parse()
            .expect("trytes");
        assert!(
            parse(&tampered, &created.root, None).is_err(),
            "change at tryte {position} went unnoticed"
        );
    }
}

#[test]
fn truncated_payloads_are_rejected() {
    let mut channel =
        Channel::new(&seed(), Mode::Private, None, Security::Medium).expect("channel");
    let created = channel
        .create(&Trytes::from_ascii("data").expect("ascii"))
        .expect("created");
    for len in [
        0,
        1,
        5,
        100,
        created.payload.len() / 2,
        created.payload.len() - 100,
    ] {
        let truncated = created.payload.slice(0..len).expect("in range");
        assert!(
            parse(&truncated, &created.root, None).is_err(),
            "length {len} accepted"
        );
    }
}

#[test]
fn side_key_rules_follow_the_mode() {
    assert_eq!(
        Channel::new(&seed(), Mode::Restricted, None, Security::Low).err(),
        Some(MamError::MissingSideKey)
    );
    assert_eq!(
        Channel::new(
            &seed(),
            Mode::Public,
            Some(SideKey::random()),
            Security::Low
        )
        .err(),
        Some(MamError::UnexpectedSideKey)
    );
}

#[test]
fn leaves_no_reader_could_verify_are_refused() {
    let mut channel = Channel::new(&seed(), Mode::Public, None, Security::Low).expect("channel");
    channel
        .set_position(ChannelPosition {
            start: 0,
            count: 3,
            next_count: 3,
            index: 2,
        })
        .expect("position");
    assert_eq!(
        channel.create(&Trytes::new()).err(),
        Some(MamError::UnverifiableLeaf { index: 2, count: 3 })
    );
    assert_eq!(
        channel.position().index,
        2,
        "a refused message does not advance the channel"
    );
}
