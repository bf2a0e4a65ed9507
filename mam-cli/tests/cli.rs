//! The `mam` command-line tool as a user runs it: JSON out, one-line errors
//! and non-zero exit codes for bad input, never a panic.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const SEED: &str =
    "TESTSEED9TESTSEED9TESTSEED9TESTSEED9TESTSEED9TESTSEED9TESTSEED9TESTSEED9TESTSEED9";

fn mam(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mam"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mam runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("mam finishes")
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("every stdout line is JSON"))
        .collect()
}

fn field<'a>(value: &'a serde_json::Value, name: &str) -> &'a str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} missing in {value}"))
}

/// A failure: exit code 1, one `error: ...` line naming the problem.
fn assert_one_line_error(output: &Output, mentions: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    assert!(
        stderr.contains(mentions),
        "expected {mentions:?} in {stderr}"
    );
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
}

#[test]
fn create_then_parse_restricted_text_message() {
    let created = mam(
        &[
            "create",
            "--seed",
            SEED,
            "--mode",
            "restricted",
            "--side-key",
            "KEY",
            "--message",
            "hello meter",
        ],
        None,
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let created = &json_lines(&created)[0];
    assert_eq!(created["channel"]["index"], 0);
    assert_eq!(created["channel"]["start"], 1);
    let parsed = mam(
        &[
            "parse",
            "--root",
            field(created, "root"),
            "--side-key",
            "KEY",
            "--payload",
            field(created, "payload"),
        ],
        None,
    );
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let parsed = &json_lines(&parsed)[0];
    assert_eq!(field(parsed, "message"), "hello meter");
    assert_eq!(field(parsed, "nextRoot"), field(created, "nextRoot"));
}

#[test]
fn jsonl_creates_consecutive_messages_and_parses_them() {
    let input = "{\"message\":\"one\"}\n{\"trytes\":\"HELLOWORLD\"}\n\n{\"message\":\"three\"}\n";
    let created = mam(
        &["create", "--seed", SEED, "--mode", "private", "--jsonl"],
        Some(input),
    );
    assert!(created.status.success());
    let created = json_lines(&created);
    assert_eq!(created.len(), 3);
    assert_eq!(field(&created[1], "root"), field(&created[0], "nextRoot"));
    assert_eq!(field(&created[2], "root"), field(&created[1], "nextRoot"));

    let requests: String = created
        .iter()
        .map(|c| {
            format!(
                "{{\"payload\":\"{}\",\"root\":\"{}\"}}\n",
                field(c, "payload"),
                field(c, "root")
            )
        })
        .collect();
    let parsed = mam(&["parse", "--jsonl"], Some(&requests));
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let parsed = json_lines(&parsed);
    assert_eq!(field(&parsed[0], "message"), "one");
    assert_eq!(field(&parsed[1], "trytes"), "HELLOWORLD");
    assert_eq!(field(&parsed[2], "message"), "three");
}

#[test]
fn jsonl_reports_bad_lines_and_fails_at_the_end() {
    let created = mam(&["create", "--seed", SEED, "--message", "ok"], None);
    let created = &json_lines(&created)[0];
    let good = format!(
        "{{\"payload\":\"{}\",\"root\":\"{}\"}}",
        field(created, "payload"),
        field(created, "root")
    );
    let input = format!(
        "not json\n{good}\n{{\"payload\":\"ABC\",\"root\":\"{}\"}}\n",
        field(created, "root")
    );
    let parsed = mam(&["parse", "--jsonl"], Some(&input));
    let lines = json_lines(&parsed);
    assert_eq!(lines.len(), 3);
    assert!(field(&lines[0], "error").contains("line 1"));
    assert_eq!(field(&lines[1], "message"), "ok");
    assert!(field(&lines[2], "error").contains("line 3"));
    assert_one_line_error(&parsed, "2 input line(s) failed");
}

#[test]
fn legacy_address_of_a_seed() {
    let output = mam(
        &["address", "--seed", SEED, "--index", "3", "--security", "1"],
        None,
    );
    assert!(output.status.success());
    let value = &json_lines(&output)[0];
    assert_eq!(field(value, "address").len(), 81);
    assert_eq!(value["index"], 3);
}

#[test]
fn message_address_of_a_root() {
    let public = mam(&["address", "--root", SEED, "--mode", "public"], None);
    assert_eq!(field(&json_lines(&public)[0], "address"), SEED);
    let private = mam(&["address", "--root", SEED, "--mode", "private"], None);
    assert_ne!(field(&json_lines(&private)[0], "address"), SEED);
}

#[test]
fn invalid_seed_characters_are_named() {
    let output = mam(&["address", "--seed", &format!("{}a", &SEED[..80])], None);
    assert_one_line_error(&output, "invalid tryte character 'a' at position 80");
}

#[test]
fn short_seed_is_rejected_with_its_length() {
    let output = mam(&["create", "--seed", "ABC", "--message", "x"], None);
    assert_one_line_error(&output, "expected 81 trytes, got 3");
}

#[test]
fn restricted_without_side_key_is_rejected() {
    let output = mam(
        &[
            "create",
            "--seed",
            SEED,
            "--mode",
            "restricted",
            "--message",
            "x",
        ],
        None,
    );
    assert_one_line_error(&output, "restricted mode needs a side key");
}

#[test]
fn wrong_side_key_is_rejected() {
    let created = mam(
        &[
            "create",
            "--seed",
            SEED,
            "--mode",
            "restricted",
            "--side-key",
            "RIGHT",
            "--message",
            "secret",
        ],
        None,
    );
    let created = &json_lines(&created)[0];
    let output = mam(
        &[
            "parse",
            "--root",
            field(created, "root"),
            "--side-key",
            "WRONG",
            "--payload",
            field(created, "payload"),
        ],
        None,
    );
    assert_one_line_error(&output, "wrong");
}

#[test]
fn tampered_and_truncated_payloads_are_rejected() {
    let created = mam(&["create", "--seed", SEED, "--message", "reading 42"], None);
    let created = &json_lines(&created)[0];
    let payload = field(created, "payload");
    let root = field(created, "root");

    let mut tampered = payload.as_bytes().to_vec();
    tampered[200] = if tampered[200] == b'Z' { b'Y' } else { b'Z' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let output = mam(&["parse", "--root", root, "--payload", &tampered], None);
    assert_one_line_error(&output, "error: ");

    let output = mam(
        &[
            "parse",
            "--root",
            root,
            "--payload",
            &payload[..payload.len() / 3],
        ],
        None,
    );
    assert_one_line_error(&output, "truncated");
}

#[test]
fn wrong_root_is_rejected() {
    let created = mam(&["create", "--seed", SEED, "--message", "x"], None);
    let created = &json_lines(&created)[0];
    let output = mam(
        &[
            "parse",
            "--root",
            field(created, "nextRoot"),
            "--payload",
            field(created, "payload"),
        ],
        None,
    );
    assert_one_line_error(&output, "root");
}

#[test]
fn usage_errors_exit_with_two() {
    let output = mam(
        &["create", "--seed", SEED, "--message", "a", "--trytes", "B"],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let output = mam(&["create", "--seed", SEED], None);
    assert_eq!(output.status.code(), Some(2), "no message given");
    let output = mam(&["parse", "--root", SEED], None);
    assert_eq!(output.status.code(), Some(2), "no payload given");
    let output = mam(&["frobnicate"], None);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_node_that_is_down_is_one_clear_error() {
    // Port 1 on loopback: nothing listens there.
    let output = mam(
        &["fetch", "--node", "http://127.0.0.1:1", "--root", SEED],
        None,
    );
    assert_one_line_error(&output, "node unreachable");
    let output = mam(
        &[
            "attach",
            "--node",
            "http://127.0.0.1:1",
            "--seed",
            SEED,
            "--message",
            "x",
            "--mwm",
            "1",
        ],
        None,
    );
    assert_one_line_error(&output, "cannot connect");
}
