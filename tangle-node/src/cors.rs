//! Which browser origins may call the API (`--allow-origin`).
//!
//! The project's web apps are served from the same machine as the node, so
//! the default is every loopback origin; a page from anywhere else gets no
//! CORS headers, and the browser keeps it from reading the answers. This
//! module only decides; `server.rs` puts the answer into headers.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// One entry of `--allow-origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginRule {
    /// `*`: every origin (answered with `Access-Control-Allow-Origin: *`).
    Any,
    /// `loopback`: `http` or `https` on `localhost`, `127.0.0.0/8` or
    /// `[::1]`, any port.
    Loopback,
    /// One origin, `scheme://host[:port]`, compared without regard to case.
    Exact(String),
}

/// Why an `--allow-origin` entry was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{given:?} is not an origin: give `*`, `loopback`, or scheme://host[:port] \
     (for example https://meter.example.org:8443), without a path"
)]
pub struct BadOrigin {
    /// The entry as given.
    pub given: String,
}

impl FromStr for OriginRule {
    type Err = BadOrigin;

    fn from_str(given: &str) -> Result<OriginRule, BadOrigin> {
        let trimmed = given.trim();
        match trimmed {
            "*" => return Ok(OriginRule::Any),
            "loopback" => return Ok(OriginRule::Loopback),
            _ => {}
        }
        // Browsers send no trailing slash; forgive one in the setting.
        let origin = trimmed.strip_suffix('/').unwrap_or(trimmed);
        match Origin::parse(origin) {
            Some(_) => Ok(OriginRule::Exact(origin.to_ascii_lowercase())),
            None => Err(BadOrigin {
                given: given.to_owned(),
            }),
        }
    }
}

impl fmt::Display for OriginRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OriginRule::Any => f.write_str("*"),
            OriginRule::Loopback => f.write_str("loopback"),
            OriginRule::Exact(origin) => f.write_str(origin),
        }
    }
}

/// The origins browsers may call the API from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedOrigins {
    rules: Vec<OriginRule>,
}

impl Default for AllowedOrigins {
    /// Every loopback origin.
    fn default() -> AllowedOrigins {
        AllowedOrigins {
            rules: vec![OriginRule::Loopback],
        }
    }
}

impl AllowedOrigins {
    /// The origins the rules allow (none when `rules` is empty).
    pub fn new(rules: Vec<OriginRule>) -> AllowedOrigins {
        AllowedOrigins { rules }
    }

    /// Whether every origin is allowed (`*`).
    pub fn is_any(&self) -> bool {
        self.rules.contains(&OriginRule::Any)
    }

    /// Whether a page from `origin` (an `Origin` header) may read answers.
    pub fn allows(&self, origin: &str) -> bool {
        let Some(parsed) = Origin::parse(origin) else {
            return false;
        };
        self.rules.iter().any(|rule| match rule {
            OriginRule::Any => true,
            OriginRule::Loopback => parsed.is_loopback(),
            OriginRule::Exact(allowed) => allowed.eq_ignore_ascii_case(origin),
        })
    }
}

/// `scheme://host[:port]` split up; only what the rules need.
struct Origin<'a> {
    host: &'a str,
}

impl<'a> Origin<'a> {
    fn parse(origin: &'a str) -> Option<Origin<'a>> {
        let (scheme, rest) = origin.split_once("://")?;
        if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
            return None;
        }
        let (host, port) = if let Some(bracketed) = rest.strip_prefix('[') {
            let (host, after) = bracketed.split_once(']')?;
            (
                host,
                after.strip_prefix(':').or(after.is_empty().then_some("")),
            )
        } else {
            match rest.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, Some("")),
            }
        };
        let port = port?;
        let valid_port = port.is_empty() || port.parse::<u16>().is_ok();
        let valid_host = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b));
        (valid_port && valid_host).then_some(Origin { host })
    }

    fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(list: &[&str]) -> AllowedOrigins {
        AllowedOrigins::new(list.iter().map(|o| o.parse().expect("rule")).collect())
    }

    #[test]
    fn the_default_allows_local_apps_on_any_port_and_nothing_else() {
        let default = AllowedOrigins::default();
        for local in [
            "http://localhost:8080",
            "http://LOCALHOST:1",
            "https://localhost",
            "http://127.0.0.1:5173",
            "http://127.0.0.2:80",
            "https://[::1]:8443",
            "http://[::1]",
        ] {
            assert!(default.allows(local), "{local}");
        }
        for foreign in [
            "https://evil.example",
            "http://localhost.evil.example:8080",
            "http://127.0.0.1.evil.example",
            "http://192.168.1.10:8080",
            "null",
            "file://",
            "ftp://localhost",
            "http://localhost:99999",
            "http://localhost/path",
        ] {
            assert!(!default.allows(foreign), "{foreign}");
        }
    }

    #[test]
    fn listed_origins_are_allowed_exactly() {
        let allowed = origins(&["https://Meter.example.org:8443/", "loopback"]);
        assert!(allowed.allows("https://meter.example.org:8443"));
        assert!(allowed.allows("http://localhost:3000"));
        assert!(!allowed.allows("https://meter.example.org"));
        assert!(!allowed.allows("http://meter.example.org:8443"));
        assert!(!allowed.is_any());
    }

    #[test]
    fn a_star_allows_every_origin() {
        let any = origins(&["*"]);
        assert!(any.is_any());
        assert!(any.allows("https://anywhere.example"));
    }

    #[test]
    fn entries_that_are_not_origins_are_refused() {
        for bad in [
            "",
            "localhost",
            "https://",
            "https://a.example/app",
            "ws://x",
        ] {
            assert!(bad.parse::<OriginRule>().is_err(), "{bad:?}");
        }
    }
}
