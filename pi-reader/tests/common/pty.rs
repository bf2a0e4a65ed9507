//! A pseudo-terminal pair from `socat`: the test writes the meter's side,
//! the device opens the other as its serial port.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::wait_for;

/// A running `socat` linking `meter` and `port`.
pub struct PtyPair {
    child: Option<Child>,
    /// The meter's end (written by the test).
    pub meter: PathBuf,
    /// The device's end (its `--serial-port`).
    pub port: PathBuf,
}

impl PtyPair {
    /// Starts `socat` with both ends linked in `dir`.
    pub fn start(dir: &Path) -> PtyPair {
        let mut pair = PtyPair {
            child: None,
            meter: dir.join("meter"),
            port: dir.join("p1"),
        };
        pair.reopen();
        pair
    }

    /// Closes both ends, as a pulled cable does.
    pub fn close(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.meter);
        let _ = std::fs::remove_file(&self.port);
    }

    /// Opens a new pair at the same paths, as a cable plugged back in.
    pub fn reopen(&mut self) {
        let child = Command::new("socat")
            .arg(format!("pty,raw,echo=0,link={}", self.meter.display()))
            .arg(format!("pty,raw,echo=0,link={}", self.port.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("socat is needed for the serial tests ({e}); scripts/install-deps.sh installs it")
            });
        self.child = Some(child);
        let (meter, port) = (self.meter.clone(), self.port.clone());
        wait_for("socat's pty links", Duration::from_secs(10), || {
            (meter.exists() && port.exists()).then_some(())
        });
    }

    /// Writes `bytes` as the meter would.
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
