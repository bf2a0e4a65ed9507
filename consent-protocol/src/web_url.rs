//! Web addresses the protocol's parties hand each other (a provider's
//! return URL in a policy, My Home's URL in a pairing link, a node's URL in
//! the apps' settings): a strict subset of http(s) URLs, checked without a
//! URL parser.
//!
//! The `url` crate would bring IDNA and its Unicode tables into both wasm
//! apps to check a few fields; these URLs need only a scheme, a host a
//! person can read and nothing that fools the eye or the browser, so the
//! rules are stricter than a parser's: printable ASCII only (an
//! international host in its `xn--` form, a path percent-encoded), no
//! user name (`https://bank.example@evil.example` goes to `evil.example`),
//! no backslash (browsers read it as `/`).

use core::fmt;

/// The longest web URL taken, in bytes (all ASCII): well past what a
/// provider or a site needs, well inside what browsers take.
pub const MAX_WEB_URL_BYTES: usize = 2000;

/// What is wrong with a web URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not `http://` or `https://`.
    NotHttp,
    /// Longer than [`MAX_WEB_URL_BYTES`].
    TooLong,
    /// A space, a control character or a character outside ASCII.
    NotPrintableAscii,
    /// A backslash, which browsers read as `/`.
    Backslash,
    /// A user name or password before the host (`user@host`).
    UserInfo,
    /// No host, or a host with characters a host cannot have.
    BadHost,
    /// A port that is not a number from 1 to 65535.
    BadPort,
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlProblem::NotHttp => "it must start with http:// or https://",
            UrlProblem::TooLong => "it is longer than 2000 characters",
            UrlProblem::NotPrintableAscii => {
                "it holds a space, a control character or a character outside ASCII"
            }
            UrlProblem::Backslash => "it holds a backslash",
            UrlProblem::UserInfo => "it names a user before the host (user@host)",
            UrlProblem::BadHost => "it has no valid host name",
            UrlProblem::BadPort => "its port is not a number from 1 to 65535",
        })
    }
}

/// Checks that `url` is an http(s) URL by the rules of this module.
pub fn check_web_url(url: &str) -> Result<(), UrlProblem> {
    if url.len() > MAX_WEB_URL_BYTES {
        return Err(UrlProblem::TooLong);
    }
    let rest = ["http://", "https://"]
        .iter()
        .find_map(|scheme| {
            url.get(..scheme.len())
                .filter(|head| head.eq_ignore_ascii_case(scheme))
                .map(|_| &url[scheme.len()..])
        })
        .ok_or(UrlProblem::NotHttp)?;
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(UrlProblem::NotPrintableAscii);
    }
    if url.contains('\\') {
        return Err(UrlProblem::Backslash);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(UrlProblem::UserInfo);
    }
    let (host, port) = split_port(authority)?;
    if !is_host(host) {
        return Err(UrlProblem::BadHost);
    }
    match port {
        Some(port) if !is_port(port) => Err(UrlProblem::BadPort),
        _ => Ok(()),
    }
}

/// `host[:port]` or `[v6]:port` into host and port.
fn split_port(authority: &str) -> Result<(&str, Option<&str>), UrlProblem> {
    if let Some(v6) = authority.strip_prefix('[') {
        let (address, after) = v6.split_once(']').ok_or(UrlProblem::BadHost)?;
        if address.is_empty()
            || !address
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(UrlProblem::BadHost);
        }
        return match after {
            "" => Ok((authority, None)),
            _ => after
                .strip_prefix(':')
                .map(|port| (&authority[..address.len() + 2], Some(port)))
                .ok_or(UrlProblem::BadHost),
        };
    }
    Ok(match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn is_host(host: &str) -> bool {
    if host.starts_with('[') {
        return true; // checked by `split_port`
    }
    !host.is_empty()
        && !host.starts_with(['.', '-'])
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

fn is_port(port: &str) -> bool {
    !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_provider_urls_are_taken() {
        for url in [
            "https://wattt.example/consent/done",
            "http://127.0.0.1:8080/wattt/",
            "HTTPS://Wattt.Example:443/a?b=c#/d",
            "http://[::1]:8080/wattt/",
            "http://[::1]/",
            "https://xn--bcher-kva.example/",
            "https://wattt.example",
        ] {
            assert_eq!(check_web_url(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn urls_that_could_fool_the_owner_or_the_browser_are_refused() {
        for (url, problem) in [
            ("javascript:alert(1)", UrlProblem::NotHttp),
            ("ftp://files.example/", UrlProblem::NotHttp),
            ("//wattt.example/", UrlProblem::NotHttp),
            ("https://bank.example@evil.example/", UrlProblem::UserInfo),
            (
                "https://evil.example\\@bank.example/",
                UrlProblem::Backslash,
            ),
            ("https://wattt.example/a b", UrlProblem::NotPrintableAscii),
            ("https://wattt.example/\n", UrlProblem::NotPrintableAscii),
            ("https://bücher.example/", UrlProblem::NotPrintableAscii),
            ("https://", UrlProblem::BadHost),
            ("https:///path", UrlProblem::BadHost),
            ("https://wat_tt.example/", UrlProblem::BadHost),
            ("https://.example/", UrlProblem::BadHost),
            ("https://[zz]/", UrlProblem::BadHost),
            ("https://[::1/", UrlProblem::BadHost),
            ("https://wattt.example:0/", UrlProblem::BadPort),
            ("https://wattt.example:65536/", UrlProblem::BadPort),
            ("https://wattt.example:/", UrlProblem::BadPort),
            ("https://wattt.example:+80/", UrlProblem::BadPort),
        ] {
            assert_eq!(check_web_url(url), Err(problem), "{url}");
        }
        let long = format!("https://wattt.example/{}", "a".repeat(MAX_WEB_URL_BYTES));
        assert_eq!(check_web_url(&long), Err(UrlProblem::TooLong));
    }
}
