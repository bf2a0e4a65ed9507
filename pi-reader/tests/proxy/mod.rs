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
