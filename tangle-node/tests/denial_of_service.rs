//! Clients that try to tie the node up: trickled bodies, oversized bodies,
//! too many connections, endless proof of work, other clients'
//! interruptions, foreign web pages. Deadlines are set to a second or two
//! by flags so that each test stays short.

mod common;

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use common::{connect_from, exchange, parse_answer, unattached_bundle, Answer, TestNode};
use serde_json::json;
use test_support::ScratchDir;

fn genesis() -> String {
    "9".repeat(81)
}

fn attach_body(mwm: u8, transactions: i64) -> Vec<u8> {
    json!({
        "command": "attachToTangle",
        "trunkTransaction": genesis(),
        "branchTransaction": genesis(),
        "minWeightMagnitude": mwm,
        "trytes": unattached_bundle(transactions, 'D', 'D', ""),
    })
    .to_string()
    .into_bytes()
}

fn error_of(answer: &Answer) -> &str {
    answer.body["error"].as_str().unwrap_or("")
}

/// Reads until the node closes the connection (or `limit` passes).
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    stream.set_read_timeout(Some(limit)).expect("read timeout");
    let mut raw = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return raw,
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
        }
    }
}

#[test]
fn a_client_trickling_its_body_is_cut_off_at_the_body_deadline_and_others_are_served() {
    let dir = ScratchDir::new("slow-body");
    let node = TestNode::start(dir.path(), &["--mwm", "1", "--body-timeout", "1"]);
    let mut slow = TcpStream::connect(("127.0.0.1", node.port())).expect("connect");
    slow.write_all(
        b"POST / HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\n\
          Content-Length: 1000\r\n\r\n{\"command\":",
    )
    .expect("headers");
    let started = Instant::now();
    // A byte every 100 ms: always a little progress, never the whole body.
    let mut trickle = slow.try_clone().expect("clone");
    std::thread::spawn(move || {
        while trickle.write_all(b" ").is_ok() {
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    // Meanwhile everyone else is answered.
    let info = node.call(json!({"command": "getNodeInfo"}));
    assert_eq!(info["appName"], "tangle-node");

    let raw = read_until_closed(&mut slow, Duration::from_secs(10));
    let elapsed = started.elapsed();
    let answer = parse_answer(&raw).expect("an HTTP answer");
    assert_eq!(answer.status, 408, "{answer:?}");
    assert!(error_of(&answer).contains("--body-timeout"), "{answer:?}");
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(5),
        "cut off after {elapsed:?}"
    );
}

#[test]
fn oversized_bodies_are_refused_with_or_without_a_length() {
    let dir = ScratchDir::new("big-body");
    let node = TestNode::start(dir.path(), &["--mwm", "1", "--max-body-bytes", "1000"]);
    let big = format!(
        r#"{{"command":"getNodeInfo","pad":"{}"}}"#,
        "x".repeat(2000)
    );
    let declared = node.post_raw(big.as_bytes());
    assert_eq!(declared.status, 400, "{declared:?}");
    assert!(error_of(&declared).contains("--max-body-bytes"));

    // Chunked: no length up front, refused once the limit is passed.
    let mut stream = TcpStream::connect(("127.0.0.1", node.port())).expect("connect");
    let mut request = b"POST / HTTP/1.1\r\nHost: node\r\nTransfer-Encoding: chunked\r\n\
                        Connection: close\r\n\r\n"
        .to_vec();
    request.extend_from_slice(format!("{:x}\r\n{big}\r\n0\r\n\r\n", big.len()).as_bytes());
    let _ = stream.write_all(&request);
    let answer = parse_answer(&read_until_closed(&mut stream, Duration::from_secs(10)))
        .expect("an HTTP answer");
    assert_eq!(answer.status, 400, "{answer:?}");
    assert!(error_of(&answer).contains("--max-body-bytes"));
}

#[test]
fn past_the_connection_limit_a_new_client_waits_and_is_served_once_a_slot_frees() {
    let dir = ScratchDir::new("connection-limit");
    let node = TestNode::start(
        dir.path(),
        &[
            "--mwm",
            "1",
            "--max-connections",
            "2",
            "--idle-timeout",
            "30",
        ],
    );
    let hog = |_| TcpStream::connect(("127.0.0.1", node.port())).expect("connect");
    let mut hogs: Vec<TcpStream> = (0..2).map(hog).collect();
    // Let the node take both before the newcomer arrives.
    std::thread::sleep(Duration::from_millis(200));
    let (done, answered) = mpsc::channel();
    std::thread::scope(|scope| {
        let (node, done) = (&node, done.clone());
        scope.spawn(move || {
            done.send(node.try_request("POST", &[], br#"{"command":"getNodeInfo"}"#))
        });
        assert_eq!(
            answered.recv_timeout(Duration::from_millis(800)).err(),
            Some(RecvTimeoutError::Timeout),
            "served beyond the connection limit"
        );
        let freed = Instant::now();
        drop(hogs.pop());
        let answer = answered
            .recv_timeout(Duration::from_secs(5))
            .expect("served once a slot freed")
            .expect("an answer");
        assert_eq!(answer.status, 200, "{answer:?}");
        assert!(
            freed.elapsed() < Duration::from_secs(2),
            "{:?}",
            freed.elapsed()
        );
    });
}

/// A node with one connection slot that idle or stalled clients lose
/// after a second.
fn one_slot_node(dir: &ScratchDir) -> TestNode {
    TestNode::start(
        dir.path(),
        &[
            "--mwm",
            "1",
            "--max-connections",
            "1",
            "--idle-timeout",
            "1",
        ],
    )
}

/// `body` as one raw HTTP/1.1 `POST /` request.
fn post_request(body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: node\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

#[test]
fn idle_connections_lose_their_slot_after_the_idle_timeout() {
    let dir = ScratchDir::new("idle-timeout");
    let node = one_slot_node(&dir);
    // A keep-alive client that got its answer and then sits there.
    let mut idle = TcpStream::connect(("127.0.0.1", node.port())).expect("connect");
    let body = br#"{"command":"getNodeInfo"}"#;
    idle.write_all(&post_request(body)).expect("send");
    let started = Instant::now();
    let answered = node.post_raw(body);
    assert_eq!(answered.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the idle connection held the only slot for {:?}",
        started.elapsed()
    );
    // The idle one got its answer and was then closed.
    let raw = read_until_closed(&mut idle, Duration::from_secs(5));
    assert!(String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 200"));
}

#[test]
fn a_client_that_stops_reading_its_answers_loses_its_slot() {
    let dir = ScratchDir::new("slow-reader");
    let node = one_slot_node(&dir);
    // Pipelined requests whose answers (megabytes) are never read.
    let mut hog = TcpStream::connect(("127.0.0.1", node.port())).expect("connect");
    let body = br#"{"command":"getNodeInfo"}"#;
    let flood = post_request(body).repeat(20_000);
    std::thread::spawn(move || {
        let _ = hog.write_all(&flood);
        // Keep the connection open, reading nothing.
        std::thread::sleep(Duration::from_secs(60));
    });
    std::thread::sleep(Duration::from_millis(300));
    let (done, answered) = mpsc::channel();
    std::thread::spawn({
        let port = node.port();
        move || {
            let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            done.send(exchange(stream, "POST", &[], body))
        }
    });
    let answer = answered
        .recv_timeout(Duration::from_secs(10))
        .expect("the node stays stuck writing to a client that reads nothing")
        .expect("an answer");
    assert_eq!(answer.status, 200, "{answer:?}");
}

/// User and system CPU time of a process, from `/proc`.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    // Fields after the command name, which ends with the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("a stat line")
        .1
        .split_whitespace()
        .collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    // The kernel reports in USER_HZ, 100 on Linux.
    Duration::from_millis(ticks * 10)
}

#[test]
fn a_request_past_its_deadline_is_answered_and_its_proof_of_work_stops() {
    let dir = ScratchDir::new("request-timeout");
    let node = TestNode::start(
        dir.path(),
        &[
            "--mwm",
            "1",
            "--max-pow-mwm",
            "60",
            "--pow-threads",
            "1",
            "--request-timeout",
            "1",
        ],
    );
    let started = Instant::now();
    let answer = node.post_raw(&attach_body(60, 1));
    assert_eq!(answer.status, 503, "{answer:?}");
    assert!(
        error_of(&answer).contains("--request-timeout"),
        "{answer:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    // Nothing searches any more: the node's CPU time stands still.
    std::thread::sleep(Duration::from_millis(200));
    let before = cpu_time(node.pid());
    std::thread::sleep(Duration::from_secs(1));
    let spent = cpu_time(node.pid()).saturating_sub(before);
    assert!(
        spent < Duration::from_millis(300),
        "still busy: {spent:?} in 1 s"
    );
    // And the next attach gets the turn.
    let next = node.post_raw(&attach_body(1, 1));
    assert_eq!(next.status, 200, "{next:?}");
}

#[test]
fn interrupting_stops_only_the_callers_own_proof_of_work() {
    let dir = ScratchDir::new("interrupt-own");
    let node = TestNode::start(
        dir.path(),
        &["--mwm", "1", "--max-pow-mwm", "60", "--pow-threads", "1"],
    );
    let other = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    let me = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
    let interrupt = br#"{"command":"interruptAttachingToTangle"}"#;
    let (done, answered) = mpsc::channel();
    std::thread::scope(|scope| {
        let node = &node;
        scope.spawn(move || done.send(node.request_from(other, "POST", &attach_body(60, 1))));
        // Let the other client's search start.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(node.request_from(me, "POST", interrupt).status, 200);
        assert_eq!(
            answered.recv_timeout(Duration::from_millis(800)).err(),
            Some(RecvTimeoutError::Timeout),
            "another client's interruption stopped the search"
        );
        assert_eq!(node.request_from(other, "POST", interrupt).status, 200);
        let stopped = answered
            .recv_timeout(Duration::from_secs(5))
            .expect("its own interruption stops it");
        assert_eq!(stopped.status, 503, "{stopped:?}");
        assert!(error_of(&stopped).contains("interrupted"), "{stopped:?}");
    });
}

#[test]
fn only_allowed_origins_get_cors_headers() {
    let dir = ScratchDir::new("cors-origins");
    let body = br#"{"command":"getNodeInfo"}"#;
    let post_from = |node: &TestNode, origin: &str| {
        node.request(
            "POST",
            &[("Origin", origin), ("Content-Type", "application/json")],
            body,
        )
    };
    let local = TestNode::start(dir.path(), &["--mwm", "1"]);
    for origin in ["http://127.0.0.1:5173", "https://[::1]:8443"] {
        let answer = post_from(&local, origin);
        assert_eq!(answer.header("access-control-allow-origin"), Some(origin));
    }
    let foreign = post_from(&local, "https://evil.example");
    assert_eq!(foreign.status, 200);
    assert_eq!(foreign.header("access-control-allow-origin"), None);
    let preflight = local.request(
        "OPTIONS",
        &[
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    );
    assert_eq!(preflight.header("access-control-allow-origin"), None);
    drop(local);

    let listed = TestNode::start_with_env(
        dir.path(),
        &["--mwm", "1"],
        &[(
            "TANGLE_NODE_ALLOW_ORIGIN",
            "https://meter.example.org,loopback",
        )],
    );
    let answer = post_from(&listed, "https://meter.example.org");
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://meter.example.org")
    );
    assert_eq!(
        post_from(&listed, "https://evil.example").header("access-control-allow-origin"),
        None
    );
    drop(listed);

    let open = TestNode::start(dir.path(), &["--mwm", "1", "--allow-origin", "*"]);
    assert_eq!(
        post_from(&open, "https://evil.example").header("access-control-allow-origin"),
        Some("*")
    );
}

/// This machine's address on its default route, if it has one that is not
/// loopback (the sandbox's and most CI machines' `eth0`). No packet is sent.
fn outside_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("198.51.100.1:9").ok()?;
    let local = socket.local_addr().ok()?.ip();
    (!local.is_loopback() && !local.is_unspecified()).then_some(local)
}

/// The node listening on every address (which `test_support` does not do),
/// killed when dropped.
struct OpenNode {
    child: Child,
    port: u16,
}

impl OpenNode {
    fn start(dir: &std::path::Path, args: &[&str]) -> OpenNode {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tangle-node"))
            .args(["--listen", "0.0.0.0:0", "--data-dir"])
            .arg(dir)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tangle-node");
        let mut line = String::new();
        let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        std::io::BufRead::read_line(&mut stdout, &mut line).expect("the address line");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        OpenNode { child, port }
    }

    fn attach_from(&self, client: IpAddr, transactions: i64) -> Answer {
        let stream = connect_from(client, SocketAddr::new(client, self.port));
        let headers = [("Content-Type", "application/json")];
        exchange(stream, "POST", &headers, &attach_body(1, transactions)).expect("an answer")
    }
}

impl Drop for OpenNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn remote_clients_get_proof_of_work_only_when_allowed_and_only_their_budget() {
    let Some(outside) = outside_address() else {
        // Without a non-loopback address no client can be remote; the rules
        // themselves are unit-tested in `pow_budget`.
        eprintln!("no non-loopback address on this machine: nothing to test");
        return;
    };
    let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let dir = ScratchDir::new("remote-pow");

    let default = OpenNode::start(&dir.path().join("default"), &["--mwm", "1"]);
    let refused = default.attach_from(outside, 1);
    assert_eq!(refused.status, 400, "{refused:?}");
    assert!(error_of(&refused).contains("--remote-pow"), "{refused:?}");
    assert_eq!(default.attach_from(loopback, 1).status, 200);
    drop(default);

    let any = OpenNode::start(
        &dir.path().join("any"),
        &["--mwm", "1", "--remote-pow", "any", "--pow-per-minute", "3"],
    );
    let burst: Vec<u16> = (0..5).map(|_| any.attach_from(outside, 1).status).collect();
    assert_eq!(burst, [200, 200, 200, 429, 429]);
    let over = any.attach_from(outside, 1);
    assert!(error_of(&over).contains("--pow-per-minute"), "{over:?}");
    let too_big = any.attach_from(outside, 4);
    assert_eq!(too_big.status, 400, "{too_big:?}");
    // The loopback is not counted.
    assert_eq!(any.attach_from(loopback, 3).status, 200);
    drop(any);

    let off = OpenNode::start(
        &dir.path().join("off"),
        &["--mwm", "1", "--remote-pow", "off"],
    );
    let refused = off.attach_from(loopback, 1);
    assert_eq!(refused.status, 400, "{refused:?}");
    assert!(
        error_of(&refused).contains("--remote-pow off"),
        "{refused:?}"
    );
}
