//! Runs the real `tangle-node` binary (through `test_support`) on a free
//! loopback port with its own data directory, talks raw HTTP to it, and
//! makes transactions for it.

#![allow(dead_code)] // each test file uses a different part

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::ExitStatus;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use mam_lib::ternary::{Hash81, Tag27};
use mam_lib::transaction::{Transaction, TransactionTrytes};
use serde_json::{json, Value};
use tangle_node::pow::{attach, Attachment};
use test_support::TangleNode;

/// A running node, with a raw HTTP client for the tests that check what
/// it answers to anything (bad input, CORS, methods).
pub struct TestNode {
    node: TangleNode,
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl TestNode {
    /// Starts the node on `data_dir` with extra arguments.
    pub fn start(data_dir: &Path, args: &[&str]) -> TestNode {
        TestNode::start_with_env(data_dir, args, &[])
    }

    /// Starts the node with extra arguments and environment variables. Its
    /// log goes beside its database, kept across restarts.
    pub fn start_with_env(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> TestNode {
        let mut builder = TangleNode::builder(data_dir)
            .binary(env!("CARGO_BIN_EXE_tangle-node"))
            .args(args)
            .env("RUST_LOG", "info")
            .log_file(data_dir.join("node.log"));
        for (name, value) in env {
            builder = builder.env(name, value);
        }
        TestNode {
            node: builder.start(),
        }
    }

    pub fn port(&self) -> u16 {
        self.node.port
    }

    pub fn pid(&self) -> u32 {
        self.node.pid()
    }

    /// Sends raw bytes as the body of `POST /`.
    pub fn post_raw(&self, body: &[u8]) -> Answer {
        self.request("POST", &[("Content-Type", "application/json")], body)
    }

    /// Sends any request.
    pub fn request(&self, method: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        self.try_request(method, headers, body)
            .unwrap_or_else(|e| panic!("{method} / failed: {e}"))
    }

    /// Sends any request; an error if the connection fails.
    pub fn try_request(
        &self,
        method: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Answer, String> {
        let stream = TcpStream::connect(("127.0.0.1", self.node.port))
            .map_err(|e| format!("connect: {e}"))?;
        exchange(stream, method, headers, body)
    }

    /// Sends a request from another loopback address (`127.0.0.2` is a
    /// different client to the node than `127.0.0.1`).
    pub fn request_from(&self, source: IpAddr, method: &str, body: &[u8]) -> Answer {
        let stream = connect_from(source, SocketAddr::from(([127, 0, 0, 1], self.node.port)));
        exchange(
            stream,
            method,
            &[("Content-Type", "application/json")],
            body,
        )
        .unwrap_or_else(|e| panic!("{method} / from {source} failed: {e}"))
    }

    /// Sends a command that must succeed; its answer.
    pub fn call(&self, command: Value) -> Value {
        let answer = self.post_raw(command.to_string().as_bytes());
        assert_eq!(answer.status, 200, "{command:.200}: {:?}", answer.body);
        assert!(
            answer.body["duration"].is_u64(),
            "duration in {:?}",
            answer.body
        );
        answer.body
    }

    /// Sends a body that must be refused with HTTP 400; the error message.
    pub fn refused(&self, body: &[u8]) -> String {
        let answer = self.post_raw(body);
        assert_eq!(answer.status, 400, "{:?}", answer.body);
        answer.body["error"]
            .as_str()
            .expect("an error message")
            .to_owned()
    }

    /// Stops the node with SIGTERM; its exit status.
    pub fn terminate(mut self) -> ExitStatus {
        self.node.terminate()
    }

    /// Kills the node with SIGKILL.
    pub fn kill(mut self) {
        self.node.stop();
    }
}

/// A connection to `target` from the local address `source`.
pub fn connect_from(source: IpAddr, target: SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("a runtime");
    let stream = runtime.block_on(async {
        let socket = match source {
            IpAddr::V4(_) => tokio::net::TcpSocket::new_v4(),
            IpAddr::V6(_) => tokio::net::TcpSocket::new_v6(),
        }
        .expect("a socket");
        socket
            .bind(SocketAddr::new(source, 0))
            .unwrap_or_else(|e| panic!("bind {source}: {e}"));
        let stream = socket
            .connect(target)
            .await
            .unwrap_or_else(|e| panic!("connect {source} -> {target}: {e}"));
        stream.into_std().expect("a std stream")
    });
    stream.set_nonblocking(false).expect("blocking");
    stream
}

/// Sends one request on `stream` (closing it after) and reads the answer.
pub fn exchange(
    mut stream: TcpStream,
    method: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Answer, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| fail("timeout", &e))?;
    let host = stream.peer_addr().map_err(|e| fail("peer", &e))?;
    let mut head = format!(
        "{method} / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .map_err(|e| fail("send", &e))?;
    // The node may answer (and close) before reading a refused body.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| fail("read", &e))?;
    parse_answer(&raw)
}

/// An HTTP/1.1 answer with a JSON (or empty) body.
pub fn parse_answer(raw: &[u8]) -> Result<Answer, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
    let text = String::from_utf8(raw.to_vec()).map_err(|e| fail("utf-8", &e))?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no HTTP head in {text:?}"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).map_err(|e| fail("JSON body", &e))?
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}

pub fn hash(c: char) -> Hash81 {
    c.to_string().repeat(81).parse().expect("hash")
}

pub fn tag(text: &str) -> Tag27 {
    Tag27::padded(text.parse().expect("trytes")).expect("tag")
}

/// A bundle of `count` zero-value transactions to `address`, last index
/// first (as `prepareTransfers` returns them), not yet attached. The bundle
/// hash is a stand-in: the node does not check bundles.
pub fn unattached_bundle(count: i64, address: char, bundle: char, tag_text: &str) -> Vec<String> {
    (0..count)
        .rev()
        .map(|index| {
            let nines = TransactionTrytes::nines();
            let mut tx = Transaction::from_trytes(nines.as_trytes()).expect("decode");
            tx.address = hash(address);
            tx.bundle = hash(bundle);
            tx.obsolete_tag = tag(tag_text);
            tx.current_index = index;
            tx.last_index = count - 1;
            tx.timestamp = 1_700_000_000 + fastrand::i64(0..1_000_000);
            tx.to_trytes().to_string()
        })
        .collect()
}

/// Attaches trytes locally (the library's proof of work), tail first.
pub fn attach_locally(trytes: &[String], trunk: &Hash81, branch: &Hash81, mwm: u8) -> Vec<String> {
    let parsed: Vec<TransactionTrytes> =
        trytes.iter().map(|t| t.parse().expect("trytes")).collect();
    let attachment = Attachment {
        trunk: trunk.clone(),
        branch: branch.clone(),
        mwm,
        threads: 1,
    };
    attach(&parsed, &attachment, &AtomicBool::new(false))
        .expect("pow")
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The decoded transaction and its hash.
pub fn decode(trytes: &str) -> (Transaction, Hash81) {
    let tx: Transaction = trytes.parse().expect("a transaction");
    let hash = tx.hash();
    (tx, hash)
}

/// A JSON list of strings.
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

/// `findTransactions` with one list.
pub fn find(node: &TestNode, key: &str, values: &[&Hash81]) -> Vec<String> {
    let list: Vec<&str> = values.iter().map(|h| h.as_str()).collect();
    let mut command = json!({ "command": "findTransactions" });
    command[key] = json!(list);
    let mut hashes = strings(&node.call(command)["hashes"]);
    hashes.sort();
    hashes
}
