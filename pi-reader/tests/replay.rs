//! Replaying recorded telegrams writes them byte for byte as the meters
//! sent them, once or in a loop, and refuses recordings that are corrupt.

// The recorded telegrams, loaded by the same helpers as p1-telegram's tests.
#[path = "../../p1-telegram/tests/fixtures/mod.rs"]
mod p1_fixtures;

use pi_reader::p1::sink::{open_output, Output};
use pi_reader::replay::{load_recordings, run_replay, ReplayError, ReplayOptions};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn shared_paths() -> Vec<PathBuf> {
    p1_fixtures::telegram_files()
        .into_iter()
        .map(|(name, _)| p1_fixtures::telegram_dir().join(name))
        .collect()
}

fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("pi-reader-replay-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("write scratch file");
    path
}

const FAST: ReplayOptions = ReplayOptions {
    interval: Duration::ZERO,
    repeat: false,
};

#[test]
fn replaying_the_shared_files_writes_each_telegram_once_in_order() {
    let recordings = load_recordings(&shared_paths()).expect("shared telegrams load");
    assert_eq!(recordings.len(), p1_fixtures::telegram_files().len());
    let mut output = Vec::new();
    let mut sources = Vec::new();
    let written = run_replay(
        &recordings,
        &FAST,
        &mut output,
        &AtomicBool::new(false),
        &mut |_, r| sources.push(r.source.clone()),
    )
    .expect("replay to memory");
    assert_eq!(written as usize, recordings.len());
    assert_eq!(sources, shared_paths());
    let expected: Vec<String> = recordings
        .iter()
        .map(|r| r.telegram.raw().to_owned())
        .collect();
    assert_eq!(p1_fixtures::telegrams_in(&output), expected);
}

#[test]
fn a_file_with_several_telegrams_yields_them_all() {
    let mut bytes = p1_fixtures::telegram_file("v5.txt");
    bytes.extend(p1_fixtures::telegram_file("v4_2.txt"));
    bytes.extend(p1_fixtures::telegram_file("v2_2.txt"));
    let path = scratch_file("three.txt", &bytes);
    let recordings = load_recordings(std::slice::from_ref(&path)).expect("loads");
    assert_eq!(recordings.len(), 3);
    let _ = std::fs::remove_file(path);
}

#[test]
fn repeat_loops_until_stopped() {
    let recordings = load_recordings(&shared_paths()[..2]).expect("loads");
    let stop = AtomicBool::new(false);
    let opts = ReplayOptions {
        repeat: true,
        ..FAST
    };
    let mut output = Vec::new();
    let written = run_replay(&recordings, &opts, &mut output, &stop, &mut |i, _| {
        if i == 6 {
            stop.store(true, Ordering::Relaxed);
        }
    })
    .expect("replay");
    assert_eq!(written, 7);
    assert_eq!(p1_fixtures::telegrams_in(&output).len(), 7);
}

#[test]
fn corrupt_or_empty_recordings_are_refused_with_the_file_named() {
    let mut bytes = p1_fixtures::telegram_file("v5.txt");
    bytes[40] ^= 0x04;
    let corrupt = scratch_file("corrupt.txt", &bytes);
    let err = load_recordings(std::slice::from_ref(&corrupt)).expect_err("bad CRC");
    assert!(matches!(err, ReplayError::BadCrc { .. }));
    assert!(err.to_string().contains("corrupt.txt"), "{err}");

    let empty = scratch_file("empty.txt", b"no telegram here\r\n");
    let err = load_recordings(std::slice::from_ref(&empty)).expect_err("no telegram");
    assert!(matches!(err, ReplayError::NoTelegram { .. }));
    assert!(matches!(load_recordings(&[]), Err(ReplayError::NoFiles)));
    let _ = std::fs::remove_file(corrupt);
    let _ = std::fs::remove_file(empty);
}

#[test]
fn replay_to_a_file_output_appends() {
    let recordings = load_recordings(&shared_paths()[..3]).expect("loads");
    let path =
        std::env::temp_dir().join(format!("pi-reader-replay-{}-out.txt", std::process::id()));
    let _ = std::fs::remove_file(&path);
    for _ in 0..2 {
        let mut output = open_output(&Output::File(path.clone())).expect("open file output");
        run_replay(
            &recordings,
            &FAST,
            &mut output,
            &AtomicBool::new(false),
            &mut |_, _| {},
        )
        .expect("replay to file");
    }
    let bytes = std::fs::read(&path).expect("read back");
    assert_eq!(p1_fixtures::telegrams_in(&bytes).len(), 6);
    let _ = std::fs::remove_file(path);
}
