//! What the pi-reader integration tests share: a real `tangle-node`, a
//! `socat` pseudo-terminal pair standing in for the P1 cable, the real
//! `pi-reader` binary, and readers of the device channel.
#![allow(dead_code)]

pub mod device;
pub mod meter;
pub mod node;
pub mod owner;
pub mod pty;
pub mod reader;
pub mod rig;

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A fresh directory for one test under Cargo's test temp dir, kept after
/// the test for a look at the device's and the node's files.
pub fn scratch_dir(name: &str) -> PathBuf {
    test_support::ScratchDir::new(&format!("pi-reader-{name}")).keep()
}

/// Polls `check` until it gives a value, or panics after `timeout` with
/// `what` and the last state `describe` reports.
pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        if started.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The real telegrams in `testdata/telegrams`, `(file name, bytes)`.
pub fn shared_telegrams() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/telegrams");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the recorded telegrams are missing at {} ({e}): restore testdata/telegrams from git",
            dir.display()
        )
    });
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(&p).expect("telegram file");
            (name, bytes)
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 13,
        "expected the 13 recorded telegrams, found {}",
        files.len()
    );
    files
}

/// A telegram's text as the device publishes it: from `/` to the end of
/// the CRC line (the line that starts with `!`), without its line end.
/// Anything a meter sends after it (EasyMeter sends a trailer) is not part
/// of the telegram.
pub fn published_form(bytes: &[u8]) -> String {
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let start = text.find('/').expect("a telegram starts with /");
    let end_mark = start + text[start..].find("\n!").expect("a CRC line") + 1;
    let line_end = text[end_mark..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| end_mark + i);
    text[start..line_end].to_owned()
}
