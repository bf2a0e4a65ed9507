//! Fresh directories for one test: unique per process and call, removed
//! when the test passes, kept for a look when it fails.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh, empty directory under the target directory's `tmp/` (Cargo's
/// `CARGO_TARGET_TMPDIR`), removed when dropped, unless the thread is
/// panicking: then it stays, and its path is printed.
#[derive(Debug)]
pub struct ScratchDir {
    path: Option<PathBuf>,
}

impl ScratchDir {
    /// A new directory `<target>/tmp/<name>-<process id>-<n>`.
    pub fn new(name: &str) -> ScratchDir {
        static CREATED: AtomicU32 = AtomicU32::new(0);
        let n = CREATED.fetch_add(1, Ordering::Relaxed);
        let path = base().join(format!("{name}-{}-{n}", std::process::id()));
        // Left over from an earlier process with the same id.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        ScratchDir { path: Some(path) }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// Keeps the directory: it is not removed, and its path is returned.
    pub fn keep(mut self) -> PathBuf {
        self.path.take().unwrap_or_default()
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        self.path()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let Some(path) = self.path.take() else {
            return;
        };
        if std::thread::panicking() {
            eprintln!("test failed: its files are kept in {}", path.display());
        } else {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// `<target>/tmp` beside the running test's profile directory, or the
/// system's temp directory.
fn base() -> PathBuf {
    crate::profile_dir()
        .and_then(|profile| profile.parent().map(|target| target.join("tmp")))
        .unwrap_or_else(std::env::temp_dir)
}
