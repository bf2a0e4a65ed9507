//! The real `tangle-node` binary as a child process: found or built, started
//! on a free loopback port, stopped, started again at the same address.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What the node prints on stdout once it accepts connections.
const LISTENING: &str = "tangle-node listening on http://";

/// Time allowed for the node to open its database and listen.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Time allowed for a graceful stop (SIGTERM).
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// The `tangle-node` binary: `TANGLE_NODE_BIN` if set, else the one of this
/// workspace and profile, built first if it is missing.
///
/// `cargo test --workspace` builds it anyway for tangle-node's own tests.
/// A binary that exists is used as it is: after changing tangle-node, run
/// its tests or `cargo build -p tangle-node` (same profile) so that other
/// crates' tests do not use a stale one.
pub fn node_binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(find_or_build).clone()
}

fn find_or_build() -> PathBuf {
    if let Some(path) = std::env::var_os("TANGLE_NODE_BIN") {
        return path.into();
    }
    let profile_dir = crate::profile_dir()
        .expect("tests run from <target>/<profile>/deps; set TANGLE_NODE_BIN otherwise");
    let binary = profile_dir.join(format!("tangle-node{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        // Cargo has released its build lock by the time tests run.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from(env!("CARGO")));
        let mut build = Command::new(cargo);
        build.args([
            "build",
            "--quiet",
            "-p",
            "tangle-node",
            "--bin",
            "tangle-node",
        ]);
        match profile_dir.file_name().and_then(|name| name.to_str()) {
            Some("debug") | None => {}
            Some("release") => {
                build.arg("--release");
            }
            Some(profile) => {
                build.args(["--profile", profile]);
            }
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building tangle-node failed");
    }
    assert!(binary.exists(), "no tangle-node at {}", binary.display());
    binary
}

/// How to start a node; see [`TangleNode::builder`].
#[derive(Debug, Clone)]
pub struct TangleNodeBuilder {
    binary: Option<PathBuf>,
    data_dir: PathBuf,
    mwm: Option<u8>,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    log_file: Option<PathBuf>,
}

impl TangleNodeBuilder {
    /// The binary to run, instead of [`node_binary`] (tangle-node's own
    /// tests pass `env!("CARGO_BIN_EXE_tangle-node")`, which Cargo keeps
    /// up to date).
    pub fn binary(mut self, path: impl Into<PathBuf>) -> TangleNodeBuilder {
        self.binary = Some(path.into());
        self
    }

    /// `--mwm`: the minimum weight magnitude (the node's default if not
    /// given).
    pub fn mwm(mut self, mwm: u8) -> TangleNodeBuilder {
        self.mwm = Some(mwm);
        self
    }

    /// More command-line arguments.
    pub fn args<S: AsRef<std::ffi::OsStr>>(
        mut self,
        args: impl IntoIterator<Item = S>,
    ) -> TangleNodeBuilder {
        self.args
            .extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        self
    }

    /// An environment variable (`RUST_LOG` is `warn` unless set here).
    pub fn env(mut self, name: &str, value: &str) -> TangleNodeBuilder {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Appends the node's log (stderr) to `path`, kept across restarts;
    /// without it the log goes to the test's stderr.
    pub fn log_file(mut self, path: impl Into<PathBuf>) -> TangleNodeBuilder {
        self.log_file = Some(path.into());
        self
    }

    /// Starts the node and waits until it listens.
    pub fn start(self) -> TangleNode {
        let mut node = TangleNode {
            child: None,
            url: String::new(),
            port: 0,
            options: self,
        };
        node.resume();
        node
    }
}

/// A running `tangle-node` on `127.0.0.1` with its data in one directory,
/// killed when dropped (the data stays).
///
/// The first start takes a free port from the system (`--listen
/// 127.0.0.1:0`); every restart ([`TangleNode::resume`]) reuses it, so a
/// client keeps its URL across a node outage.
#[derive(Debug)]
pub struct TangleNode {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT` (read it; it stays the same across restarts).
    pub url: String,
    /// The loopback port (read it; it stays the same across restarts).
    pub port: u16,
    options: TangleNodeBuilder,
}

impl TangleNode {
    /// Starts a node at weight `mwm` with its database in `data_dir`.
    pub fn start(data_dir: &Path, mwm: u8) -> TangleNode {
        TangleNode::builder(data_dir).mwm(mwm).start()
    }

    /// A node with its database in `data_dir`, to be configured, then
    /// [started](TangleNodeBuilder::start).
    pub fn builder(data_dir: &Path) -> TangleNodeBuilder {
        TangleNodeBuilder {
            binary: None,
            data_dir: data_dir.to_path_buf(),
            mwm: None,
            args: Vec::new(),
            env: Vec::new(),
            log_file: None,
        }
    }

    /// The process id. Panics when the node is stopped.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the node is running").id()
    }

    /// Kills the node (SIGKILL), keeping its data; [`TangleNode::resume`]
    /// starts it again.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the node gracefully (SIGTERM) and returns its exit status.
    /// Panics when it is not running or does not stop within 30 s.
    pub fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("the node is running");
        let signalled = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status()
            .expect("kill -TERM runs");
        assert!(signalled.success(), "kill -TERM {} failed", child.id());
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            if let Some(status) = child.try_wait().expect("wait for the node") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the node did not stop within {STOP_TIMEOUT:?} of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Starts the node (again) on its port and data, and waits until it
    /// listens. Does nothing while it runs.
    pub fn resume(&mut self) {
        if self.child.is_some() {
            return;
        }
        let options = &self.options;
        let binary = options.binary.clone().unwrap_or_else(node_binary);
        let stderr = match &options.log_file {
            Some(path) => Stdio::from(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .unwrap_or_else(|e| panic!("node log {}: {e}", path.display())),
            ),
            None => Stdio::inherit(),
        };
        let mut command = Command::new(&binary);
        command
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--data-dir")
            .arg(&options.data_dir);
        if let Some(mwm) = options.mwm {
            command.args(["--mwm", &mwm.to_string()]);
        }
        let mut child = command
            .args(&options.args)
            .env("RUST_LOG", "warn")
            .envs(options.env.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let address = match child.stdout.take() {
            Some(stdout) => wait_until_listening(stdout),
            None => Err(RecvTimeoutError::Disconnected),
        };
        let address = match address {
            Ok(address) => address,
            Err(why) => {
                let _ = child.kill();
                let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
                let log = options
                    .log_file
                    .as_ref()
                    .map(|path| format!("; its log is {}", path.display()))
                    .unwrap_or_default();
                panic!(
                    "tangle-node did not start listening ({}; {status}){log}",
                    match why {
                        RecvTimeoutError::Timeout => "no answer within a minute",
                        RecvTimeoutError::Disconnected => "it ended first",
                    }
                );
            }
        };
        let port = address
            .rsplit(':')
            .next()
            .and_then(|port| port.trim().parse().ok())
            .unwrap_or_else(|| panic!("no port in the node's address {address:?}"));
        self.port = port;
        self.url = format!("http://127.0.0.1:{port}");
        self.child = Some(child);
    }
}

/// Reads the node's stdout until it says where it listens; a thread keeps
/// draining it afterwards, so the node never blocks on a full pipe.
fn wait_until_listening(stdout: std::process::ChildStdout) -> Result<String, RecvTimeoutError> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(address) = line.strip_prefix(LISTENING) {
                let _ = sender.send(address.trim().to_owned());
            }
        }
    });
    receiver.recv_timeout(START_TIMEOUT)
}

impl Drop for TangleNode {
    fn drop(&mut self) {
        self.stop();
    }
}
