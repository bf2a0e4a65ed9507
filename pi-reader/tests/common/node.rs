//! A real `tangle-node` on a fixed loopback port, so it can be stopped and
//! started again at the same address (a node outage).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::wait_for;

/// The `tangle-node` binary of this workspace and profile (built if
/// missing), or `TANGLE_NODE_BIN`.
pub fn node_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TANGLE_NODE_BIN") {
        return path.into();
    }
    let exe = std::env::current_exe().expect("test executable");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("<target>/<profile>");
    let binary = profile_dir.join("tangle-node");
    if !binary.exists() {
        let mut build = Command::new(env!("CARGO"));
        build.args([
            "build",
            "--quiet",
            "-p",
            "tangle-node",
            "--bin",
            "tangle-node",
        ]);
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        assert!(
            build.status().expect("cargo runs").success(),
            "building tangle-node failed"
        );
    }
    binary
}

/// A node process with its database in `dir`.
pub struct Node {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    port: u16,
    dir: PathBuf,
    mwm: u8,
}

impl Node {
    /// Starts a node at `mwm` with its data in `dir`.
    pub fn start(dir: &Path, mwm: u8) -> Node {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut node = Node {
            child: None,
            url: format!("http://127.0.0.1:{port}"),
            port,
            dir: dir.to_path_buf(),
            mwm,
        };
        node.resume();
        node
    }

    /// Stops the node (kill), keeping its data.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port and data.
    pub fn resume(&mut self) {
        let child = Command::new(node_binary())
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(["--mwm", &self.mwm.to_string()])
            .arg("--db")
            .arg(self.dir.join("tangle.sqlite"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tangle-node starts");
        self.child = Some(child);
        let port = self.port;
        wait_for("the node to listen", Duration::from_secs(30), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()
        });
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.stop();
    }
}
