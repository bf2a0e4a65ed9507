//! A pseudo-terminal pair from `socat`: a test writes the meter's end, the
//! device opens the other as its serial port.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Time allowed for `socat` to make its links, and to end on SIGTERM.
const SOCAT_TIMEOUT: Duration = Duration::from_secs(10);

/// A running `socat` linking two pseudo-terminals at `meter` and `port`;
/// closed when dropped.
#[derive(Debug)]
pub struct PtyPair {
    child: Option<Child>,
    /// The meter's end (written by the test).
    pub meter: PathBuf,
    /// The device's end (its `--serial-port`).
    pub port: PathBuf,
}

impl PtyPair {
    /// Starts `socat` with both ends linked in `dir` (`meter` and `p1`).
    /// Panics, saying how to install it, when `socat` is missing.
    pub fn start(dir: &Path) -> PtyPair {
        let mut pair = PtyPair {
            child: None,
            meter: dir.join("meter"),
            port: dir.join("p1"),
        };
        pair.reopen();
        pair
    }

    /// Closes both ends, as a pulled cable does: `socat` gets SIGTERM (so
    /// it closes the terminals and removes its links; SIGKILL if it does
    /// not end), and any link left is removed.
    pub fn close(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let deadline = Instant::now() + SOCAT_TIMEOUT;
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.meter);
        let _ = std::fs::remove_file(&self.port);
    }

    /// Opens a new pair at the same paths, as a cable plugged back in, and
    /// waits for both links.
    pub fn reopen(&mut self) {
        if self.child.is_some() {
            return;
        }
        let child = Command::new("socat")
            .arg(format!("pty,raw,echo=0,link={}", self.meter.display()))
            .arg(format!("pty,raw,echo=0,link={}", self.port.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "socat is needed for the serial tests ({e}); scripts/install-deps.sh \
                     installs it (or apt-get install socat)"
                )
            });
        self.child = Some(child);
        let deadline = Instant::now() + SOCAT_TIMEOUT;
        while !(self.meter.exists() && self.port.exists()) {
            assert!(
                Instant::now() < deadline,
                "socat made no pty links in {SOCAT_TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Writes `bytes` into the meter's end, as the meter would.
    pub fn send(&self, bytes: &[u8]) {
        let mut meter = std::fs::OpenOptions::new()
            .write(true)
            .open(&self.meter)
            .expect("the meter end opens");
        meter.write_all(bytes).expect("write to the pty");
        meter.flush().expect("flush the pty");
    }
}

impl Drop for PtyPair {
    fn drop(&mut self) {
        self.close();
    }
}
