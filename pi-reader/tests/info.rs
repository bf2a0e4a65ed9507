//! `pi-reader info`: the pairing link it prints (text, QR code and JSON)
//! carries the device's address and secret, for the My Home URL it is told.
//! `info` reads only the state file, so no node is started.

use std::path::Path;
use std::process::{Command, Output};

use consent_protocol::PairingLink;

fn pi_reader(state: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pi-reader"));
    command.env_remove("PI_READER_MY_HOME_URL");
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .arg("--state")
        .arg(state)
        .args(args)
        .output()
        .expect("pi-reader runs")
}

fn stdout_of(output: Output) -> String {
    assert!(
        output.status.success(),
        "pi-reader failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn json_info(state: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["info", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&stdout_of(pi_reader(state, &all, &[]))).expect("info --json is JSON")
}

fn field(info: &serde_json::Value, name: &str) -> String {
    info[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} in {info}"))
        .to_owned()
}

#[test]
fn the_printed_pairing_link_parses_back_to_the_device_address_and_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.sqlite");
    let url = "https://home.example/my-home/#/policies";
    let info = json_info(&state, &["--my-home-url", url]);
    let (address, secret) = (field(&info, "address"), field(&info, "pairing_secret"));

    let link = field(&info, "pairing_link");
    assert_eq!(
        link,
        format!("https://home.example/my-home/#/pair?device={address}&secret={secret}")
    );
    let text = stdout_of(pi_reader(&state, &["info", "--my-home-url", url], &[]));
    let line = text
        .lines()
        .find_map(|line| line.strip_prefix("pairing link"))
        .expect("a pairing link line");
    assert_eq!(line.trim(), link);

    // What an owner may paste: the link, or the whole output of `info`.
    for pasted in [line, text.as_str()] {
        let parsed = PairingLink::parse(pasted).expect("the printed text parses");
        assert_eq!(parsed.device.as_str(), address);
        assert_eq!(parsed.secret.as_str(), secret);
    }
}

#[test]
fn the_qr_code_holds_the_link_not_only_the_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.sqlite");
    let info = json_info(&state, &[]);
    let text = stdout_of(pi_reader(&state, &["info"], &[]));
    let link_qr = pi_reader::qr::render(&field(&info, "pairing_link")).expect("QR code");
    let secret_qr = pi_reader::qr::render(&field(&info, "pairing_secret")).expect("QR code");
    assert!(text.contains(&link_qr), "the link's QR code in:\n{text}");
    assert!(!text.contains(&secret_qr));
    let no_qr = stdout_of(pi_reader(&state, &["info", "--no-qr"], &[]));
    assert!(!no_qr.contains(&link_qr));
}

#[test]
fn my_home_url_comes_from_the_environment_or_the_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.sqlite");
    let default = field(&json_info(&state, &[]), "pairing_link");
    assert!(
        default.starts_with("http://127.0.0.1:8080/my-home/#/pair?device="),
        "{default}"
    );
    let from_env = stdout_of(pi_reader(
        &state,
        &["info", "--json"],
        &[(
            "PI_READER_MY_HOME_URL",
            "http://192.168.1.10:18080/my-home/",
        )],
    ));
    let from_env: serde_json::Value = serde_json::from_str(&from_env).expect("JSON");
    assert!(field(&from_env, "pairing_link")
        .starts_with("http://192.168.1.10:18080/my-home/#/pair?device="));
}

#[test]
fn a_my_home_url_that_is_not_http_is_refused_plainly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.sqlite");
    for (url, says) in [
        ("javascript:alert(1)", "must start with http:// or https://"),
        ("http://", "has no valid host name"),
        ("http://home example/", "holds a space"),
        ("http://owner@evil.example/", "names a user before the host"),
    ] {
        let output = pi_reader(&state, &["info", "--my-home-url", url], &[]);
        assert!(!output.status.success(), "{url} was taken");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{url}: {stderr}");
    }
}

#[test]
fn unpair_prints_a_link_with_the_new_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.sqlite");
    let before = field(&json_info(&state, &[]), "pairing_secret");
    let after: serde_json::Value = serde_json::from_str(&stdout_of(pi_reader(
        &state,
        &[
            "unpair",
            "--json",
            "--my-home-url",
            "http://pi.local/my-home/",
        ],
        &[],
    )))
    .expect("JSON");
    let parsed = PairingLink::parse(&field(&after, "pairing_link")).expect("parses");
    assert_eq!(parsed.secret.as_str(), field(&after, "pairing_secret"));
    assert_ne!(parsed.secret.as_str(), before);
}
