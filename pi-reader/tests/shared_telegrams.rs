//! Every real telegram in `testdata/telegrams/` goes into the device
//! through a pseudo-terminal (the real serial code path) and comes out of
//! its restricted channel on a real `tangle-node`, decrypted with the
//! channel root and side key, exactly once and in order.

mod common;

use std::time::Duration;

use common::reader::{read_channel, telegrams};
use common::rig::Rig;
use common::{published_form, shared_telegrams, wait_for};

#[test]
fn every_shared_telegram_comes_out_of_the_channel_once_and_in_order() {
    let rig = Rig::start("shared-telegrams", &["--max-delay", "1s"]);
    let files = shared_telegrams();
    for (_, bytes) in &files {
        rig.pty.send(bytes);
        std::thread::sleep(Duration::from_millis(150));
    }
    let client = &rig.client;
    let (root, side_key) = rig.device.owner_keys();
    let published = wait_for(
        "all telegrams on the channel",
        Duration::from_secs(90),
        || {
            let found = telegrams(&read_channel(client, &root, &side_key));
            (found.len() >= files.len()).then_some(found)
        },
    );
    let expected: Vec<String> = files
        .iter()
        .map(|(_, bytes)| published_form(bytes))
        .collect();
    let got: Vec<String> = published.iter().map(|t| t.raw.clone()).collect();
    assert_eq!(got.len(), expected.len(), "telegrams on the channel");
    for ((name, _), (got, expected)) in files.iter().zip(got.iter().zip(&expected)) {
        assert_eq!(got, expected, "telegram from {name}");
    }
    assert!(published
        .windows(2)
        .all(|w| w[0].timestamp <= w[1].timestamp));
    assert_eq!(rig.device.counter("telegrams_bad_crc"), 0);
    assert_eq!(rig.device.counter("telegrams_received"), files.len() as i64);
}

#[test]
fn a_corrupt_telegram_is_counted_and_never_published_with_the_node_doing_the_pow() {
    let rig = Rig::start(
        "corrupt-telegram",
        &["--max-delay", "1s", "--pow", "remote"],
    );
    let good = shared_telegrams()
        .into_iter()
        .find(|(name, _)| name == "v5.txt")
        .expect("v5.txt")
        .1;
    let mut corrupt = good.clone();
    // Change one reading digit: the CRC no longer matches.
    let digit = corrupt
        .iter()
        .position(|&b| b == b'1' && corrupt.len() > 100)
        .expect("a digit");
    corrupt[digit + 40] ^= 0x01;
    rig.pty.send(&corrupt);
    rig.pty.send(b"\x00\xffnoise on the line\r\n");
    rig.pty.send(&good);
    let client = &rig.client;
    let (root, side_key) = rig.device.owner_keys();
    let published = wait_for(
        "the good telegram on the channel",
        Duration::from_secs(60),
        || {
            let found = telegrams(&read_channel(client, &root, &side_key));
            (!found.is_empty()).then_some(found)
        },
    );
    std::thread::sleep(Duration::from_secs(2));
    let published_again = telegrams(&read_channel(client, &root, &side_key));
    assert_eq!(published.len(), 1);
    assert_eq!(
        published_again.len(),
        1,
        "only the good telegram is published"
    );
    assert_eq!(published[0].raw, published_form(&good));
    assert_eq!(rig.device.counter("telegrams_bad_crc"), 1);
}
