//! Helpers shared by the P1 integration tests: the real telegrams in
//! `testdata/telegrams`.

#![allow(dead_code)]

use std::path::PathBuf;

use pi_reader::p1::framing::{FramerEvent, TelegramFramer};

/// The folder of captured telegrams, `testdata/telegrams` in the repository.
pub fn telegram_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/telegrams");
    assert!(
        dir.is_dir(),
        "the captured telegrams are missing: expected the folder {} (testdata/telegrams in \
         the repository); restore it from git, the P1 tests cannot run without it",
        dir.display()
    );
    dir
}

/// Every captured telegram file as (file name, bytes), sorted by name.
pub fn telegram_files() -> Vec<(String, Vec<u8>)> {
    let dir = telegram_dir();
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .map(|path| {
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (name, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .txt telegrams in {}", dir.display());
    files
}

/// The bytes of one captured telegram file.
pub fn telegram_file(name: &str) -> Vec<u8> {
    let path = telegram_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The telegrams a stream of bytes holds, as text (`/` to the CRC line).
pub fn telegrams_in(bytes: &[u8]) -> Vec<String> {
    TelegramFramer::new()
        .push(bytes)
        .into_iter()
        .filter_map(|e| match e {
            FramerEvent::Telegram(t) => Some(t.into_raw()),
            _ => None,
        })
        .collect()
}
