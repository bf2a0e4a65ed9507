//! A counting, switchable HTTP proxy in front of a real `tangle-node`: it
//! counts the hashes the device asks for with `getTrytes` (to show junk is
//! downloaded once) and can refuse every `findTransactions` about one
//! address (to make the owner's channel unreadable while the rest works).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use iri_client::{HttpTransport, Transport};
use mam_lib::ternary::Hash81;

/// What the proxy counts and refuses, shared with its threads.
#[derive(Default)]
struct Shared {
    trytes_asked: AtomicUsize,
    blocked: Mutex<Option<String>>,
}

/// The proxy; it runs until the test process ends.
pub struct NodeProxy {
    /// Where the device should connect.
    pub url: String,
    shared: Arc<Shared>,
}

impl NodeProxy {
    /// A proxy on a free loopback port forwarding to `node_url`.
    pub fn start(node_url: &str) -> NodeProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy port");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let shared = Arc::new(Shared::default());
        let node_url = node_url.to_owned();
        let state = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&state);
                let node_url = node_url.clone();
                std::thread::spawn(move || serve(stream, &node_url, &state));
            }
        });
        NodeProxy { url, shared }
    }

    /// Hashes asked for with `getTrytes` so far.
    pub fn trytes_asked(&self) -> usize {
        self.shared.trytes_asked.load(Ordering::SeqCst)
    }

    /// Refuses (HTTP 503) every `findTransactions` that names `address`.
    pub fn block(&self, address: &Hash81) {
        *self.shared.blocked.lock().expect("lock") = Some(address.as_str().to_owned());
    }

    /// Forwards everything again.
    pub fn unblock(&self) {
        *self.shared.blocked.lock().expect("lock") = None;
    }
}

/// One request per connection: read it, forward or refuse, answer, close.
fn serve(stream: TcpStream, node_url: &str, state: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(&stream);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    let request: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let command = request["command"].as_str().unwrap_or_default();
    if command == "getTrytes" {
        let asked = request["hashes"].as_array().map_or(0, Vec::len);
        state.trytes_asked.fetch_add(asked, Ordering::SeqCst);
    }
    let blocked = state.blocked.lock().expect("lock").clone();
    let (status, answer) = match blocked {
        Some(address) if command == "findTransactions" && body.contains(&address) => (
            503,
            r#"{"error":"the test proxy refuses to look up the owner's channel"}"#.to_owned(),
        ),
        _ => match pollster::block_on(HttpTransport::default().post(
            node_url,
            &body,
            Duration::from_secs(60),
        )) {
            Ok(response) => (response.status, response.body),
            Err(error) => (502, format!("{{\"error\":\"proxy: {error}\"}}")),
        },
    };
    let mut stream = &stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = stream.flush();
}

/// A real node, the proxy in front of it, a pty and the daemon talking to
/// the node through the proxy, paired with a My Home that added it.
pub struct ProxiedDevice {
    /// The daemon.
    pub device: crate::common::device::Device,
    /// The P1 cable.
    pub pty: crate::common::pty::PtyPair,
    /// The owner.
    pub home: crate::common::owner::MyHome,
    /// The proxy the daemon talks through.
    pub proxy: NodeProxy,
    /// A client of the node itself.
    pub client: iri_client::Client,
    /// The device address.
    pub address: Hash81,
    /// The node (declared last: dropped after the daemon).
    pub node: crate::common::node::Node,
}

impl ProxiedDevice {
    /// Starts everything for test `name` (the daemon with `--max-delay 0s
    /// --poll-interval 500ms`), pairs it and records `DEVICE_ADDED`.
    pub fn start_paired(name: &str) -> ProxiedDevice {
        use crate::common::owner::TEST_MWM;
        use consent_protocol::{ClaimStatus, ConsentEvent, Device as DeviceRef};

        let dir = crate::common::scratch_dir(name);
        let node = crate::common::node::Node::start(&dir, TEST_MWM);
        let proxy = NodeProxy::start(&node.url);
        let pty = crate::common::pty::PtyPair::start(&dir);
        let mwm = TEST_MWM.to_string();
        let flags = [
            "--mwm",
            &mwm,
            "--max-delay",
            "0s",
            "--poll-interval",
            "500ms",
        ];
        let device = crate::common::device::Device::start(&dir, &proxy.url, &pty.port, &flags);
        device.wait_port_open(1, crate::common::rig::PORT_OPEN_TIMEOUT);
        let address: Hash81 = device.address().parse().expect("address");
        let secret = device.info()["pairing_secret"]
            .as_str()
            .expect("secret")
            .parse()
            .expect("27 trytes");
        let mut home = crate::common::owner::MyHome::new(&node.url);
        assert_eq!(home.pair(&address, &secret), ClaimStatus::Ok);
        home.record(&ConsentEvent::DeviceAdded {
            device: DeviceRef {
                address: address.clone(),
            },
        });
        crate::common::wait_for("pairing and DEVICE_ADDED", Duration::from_secs(60), || {
            (device.counter("key_rotations") >= 2).then_some(())
        });
        ProxiedDevice {
            client: iri_client::Client::new(node.url.clone()),
            device,
            pty,
            home,
            proxy,
            address,
            node,
        }
    }

    /// The address of the owner's next event, as the device's state file
    /// has it.
    pub fn next_event_address(&self) -> Hash81 {
        let pairing = self
            .device
            .open_store()
            .db()
            .pairing()
            .expect("pairing")
            .expect("paired");
        mam_lib::mam::message_address(
            pairing.next_event_root.as_trytes(),
            mam_lib::mam::Mode::Private,
        )
        .expect("address")
        .as_str()
        .parse()
        .expect("hash")
    }
}
