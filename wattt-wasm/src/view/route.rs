//! Wattt's pages as hash routes (`#/home/<policy id>`), so the app works
//! on plain static hosting.

/// A page of Wattt Insights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The homes that gave consent (`#/` or no hash).
    Homes,
    /// One home's energy (`#/home/<policy id, percent-encoded>`).
    Home {
        /// The policy id.
        policy_id: String,
    },
    /// Asking a home for consent (`#/ask`).
    Ask,
    /// The provider's seed, address and key (`#/identity`).
    Identity,
    /// The node and My Home's address (`#/settings`).
    Settings,
    /// Anything else.
    NotFound(String),
}

impl Route {
    /// The route of a location hash (with or without its `#`).
    pub fn parse(hash: &str) -> Route {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let path = hash.split_once('?').map_or(hash, |(path, _)| path);
        if let Some(id) = path.strip_prefix("/home/") {
            let policy_id = percent_decode(id);
            if !policy_id.is_empty() {
                return Route::Home { policy_id };
            }
        }
        match path.trim_end_matches('/') {
            "" => Route::Homes,
            "/ask" => Route::Ask,
            "/identity" => Route::Identity,
            "/settings" => Route::Settings,
            other => Route::NotFound(other.to_owned()),
        }
    }

    /// The hash that leads here.
    pub fn href(&self) -> String {
        match self {
            Route::Homes => "#/".into(),
            Route::Home { policy_id } => format!("#/home/{}", percent_encode(policy_id)),
            Route::Ask => "#/ask".into(),
            Route::Identity => "#/identity".into(),
            Route::Settings => "#/settings".into(),
            Route::NotFound(path) => format!("#{path}"),
        }
    }

    /// The navigation tab this page belongs to.
    pub fn tab(&self) -> Tab {
        match self {
            Route::Homes | Route::Home { .. } | Route::NotFound(_) => Tab::Homes,
            Route::Ask => Tab::Ask,
            Route::Identity => Tab::Identity,
            Route::Settings => Tab::Settings,
        }
    }
}

/// The navigation tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The homes and their energy.
    Homes,
    /// Ask for consent.
    Ask,
    /// Seed and keys.
    Identity,
    /// Settings.
    Settings,
}

impl Tab {
    /// Every tab, in the order shown.
    pub const ALL: [Tab; 4] = [Tab::Homes, Tab::Ask, Tab::Identity, Tab::Settings];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Homes => "Homes",
            Tab::Ask => "Ask for consent",
            Tab::Identity => "Our identity",
            Tab::Settings => "Settings",
        }
    }

    /// The tab's element id.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Homes => "tab-homes",
            Tab::Ask => "tab-ask",
            Tab::Identity => "tab-identity",
            Tab::Settings => "tab-settings",
        }
    }

    /// Where it leads.
    pub fn href(self) -> &'static str {
        match self {
            Tab::Homes => "#/",
            Tab::Ask => "#/ask",
            Tab::Identity => "#/identity",
            Tab::Settings => "#/settings",
        }
    }
}

/// A policy id (printable ASCII) with everything but unreserved
/// characters percent-encoded, for a hash path.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The text of a percent-encoded path segment (bad escapes kept as they
/// are).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip_through_their_hashes() {
        for route in [
            Route::Homes,
            Route::Ask,
            Route::Identity,
            Route::Settings,
            Route::Home {
                policy_id: "policy 1/ä?#%".into(),
            },
        ] {
            assert_eq!(Route::parse(&route.href()), route, "{}", route.href());
        }
        assert_eq!(Route::parse(""), Route::Homes);
        assert_eq!(Route::parse("#/home/"), Route::NotFound("/home".into()));
        assert_eq!(Route::parse("#/nope"), Route::NotFound("/nope".into()));
        assert_eq!(
            Route::parse("#/home/%zz"),
            Route::Home {
                policy_id: "%zz".into()
            }
        );
    }
}
