//! The real `pi-reader` daemon, started, killed and asked about itself.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use mam_lib::mam::SideKey;
use mam_lib::ternary::Trytes;
use pi_reader::store::Store;

/// A `pi-reader run` process with its state in a directory.
pub struct Device {
    child: Option<Child>,
    /// Its state file.
    pub state: PathBuf,
    log: PathBuf,
    args: Vec<String>,
}

impl Device {
    /// Starts `pi-reader run` against `node_url`, reading `port`, with
    /// `extra` flags (e.g. `--mwm`).
    pub fn start(dir: &Path, node_url: &str, port: &Path, extra: &[&str]) -> Device {
        let mut args: Vec<String> = vec![
            "run".into(),
            "--node".into(),
            node_url.into(),
            "--serial-port".into(),
            port.display().to_string(),
            "--dsmr".into(),
            "5".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let mut device = Device {
            child: None,
            state: dir.join("state.sqlite"),
            log: dir.join("pi-reader.log"),
            args,
        };
        device.restart();
        device
    }

    /// Starts the process again with the same state and flags.
    pub fn restart(&mut self) {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_pi-reader"))
            .arg("--state")
            .arg(&self.state)
            .args(&self.args)
            .env(
                "PI_READER_LOG",
                std::env::var("PI_READER_TEST_LOG")
                    .unwrap_or_else(|_| "info,pi_reader=debug".into()),
            )
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("pi-reader starts");
        self.child = Some(child);
    }

    /// kill -9.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// What the daemon wrote to its log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `pi-reader info --json`.
    pub fn info(&self) -> serde_json::Value {
        info(&self.state)
    }

    /// `pi-reader unpair --json` beside the running daemon: the new state
    /// as `info --json` shows it.
    pub fn unpair(&self) -> serde_json::Value {
        let output = Command::new(env!("CARGO_BIN_EXE_pi-reader"))
            .arg("--state")
            .arg(&self.state)
            .args(["unpair", "--json"])
            .output()
            .expect("pi-reader unpair runs");
        assert!(
            output.status.success(),
            "pi-reader unpair failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("unpair --json is JSON")
    }

    /// A counter from `info --json`.
    pub fn counter(&self, name: &str) -> i64 {
        self.info()["counters"][name].as_i64().unwrap_or(0)
    }

    /// The device address (from `info`).
    pub fn address(&self) -> String {
        self.info()["address"].as_str().expect("address").to_owned()
    }

    /// What the device's owner has at hand on the Pi: the channel's first
    /// root and the current side key (read from the state file).
    pub fn owner_keys(&self) -> (Trytes, SideKey) {
        let store = Store::open(&self.state).expect("state file");
        let state = store.db().channel_state().expect("channel state");
        let root: Trytes = self.info()["channel_root"]
            .as_str()
            .expect("channel_root")
            .parse()
            .expect("root trytes");
        (root, state.side_key)
    }
}

/// `pi-reader --state STATE info --json`.
pub fn info(state: &Path) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_pi-reader"))
        .arg("--state")
        .arg(state)
        .args(["info", "--json"])
        .output()
        .expect("pi-reader info runs");
    assert!(
        output.status.success(),
        "pi-reader info failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("info --json is JSON")
}

impl Drop for Device {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!("--- pi-reader log ---\n{}", self.log());
        }
    }
}

/// Looking at a running (or killed) device from outside: its log and its
/// state file, without starting `pi-reader info` each time.
impl Device {
    /// How many times the daemon logged `needle` so far (over restarts).
    pub fn log_count(&self, needle: &str) -> usize {
        self.log().matches(needle).count()
    }

    /// Waits until the daemon has logged "P1 port open" `times` times in
    /// all: the port is open and what the meter writes now is read.
    pub fn wait_port_open(&self, times: usize, timeout: std::time::Duration) {
        super::wait_for(
            &format!("\"P1 port open\" logged {times} time(s)"),
            timeout,
            || (self.log_count("P1 port open") >= times).then_some(()),
        );
    }

    /// The state file, opened beside the daemon (SQLite in WAL mode lets
    /// it read while the daemon writes).
    pub fn open_store(&self) -> Store {
        Store::open(&self.state).expect("state file")
    }

    /// Messages created, and how many of them are not yet attached.
    pub fn message_counts(&self) -> (i64, i64) {
        self.open_store()
            .db()
            .message_counts()
            .expect("message counts")
    }

    /// Telegrams kept and not yet in a message.
    pub fn outbox_len(&self) -> i64 {
        self.open_store().db().outbox_summary().expect("outbox").0
    }

    /// A counter read from the state file.
    pub fn stored_counter(&self, counter: pi_reader::store::Counter) -> i64 {
        self.open_store().db().counter(counter).expect("counter")
    }
}
