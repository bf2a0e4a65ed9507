//! My Home's pages as hash routes (`#/pair?…`), so the app works on plain
//! static hosting: the server only ever sees `/my-home/`.

/// A page of My Home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Devices and consents at a glance (`#/` or no hash).
    Overview,
    /// Pairing a device (`#/pair`), maybe filled in from a pairing link's
    /// query (`#/pair?device=…&secret=…`).
    Pair {
        /// The query, percent-encoded, without `?`.
        query: String,
    },
    /// A provider's consent request (`#/new-policy?…`).
    NewPolicy {
        /// The query, percent-encoded, without `?`.
        query: String,
    },
    /// The audit trail (`#/history`).
    History,
    /// Node and proof-of-work settings (`#/settings`).
    Settings,
    /// Seed backup and restore (`#/seed`).
    Seed,
    /// Anything else.
    NotFound(String),
}

impl Route {
    /// The route of a location hash (with or without its `#`).
    pub fn parse(hash: &str) -> Route {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = match hash.split_once('?') {
            Some((path, query)) => (path, query.to_owned()),
            None => (hash, String::new()),
        };
        match path.trim_end_matches('/') {
            "" => Route::Overview,
            "/pair" => Route::Pair { query },
            "/new-policy" => Route::NewPolicy { query },
            "/history" => Route::History,
            "/settings" => Route::Settings,
            "/seed" => Route::Seed,
            other => Route::NotFound(other.to_owned()),
        }
    }

    /// The hash that leads here.
    pub fn href(&self) -> String {
        let with_query = |path: &str, query: &str| {
            if query.is_empty() {
                format!("#{path}")
            } else {
                format!("#{path}?{query}")
            }
        };
        match self {
            Route::Overview => "#/".into(),
            Route::Pair { query } => with_query("/pair", query),
            Route::NewPolicy { query } => with_query("/new-policy", query),
            Route::History => "#/history".into(),
            Route::Settings => "#/settings".into(),
            Route::Seed => "#/seed".into(),
            Route::NotFound(path) => format!("#{path}"),
        }
    }

    /// The navigation tab this page belongs to.
    pub fn tab(&self) -> Tab {
        match self {
            Route::Overview | Route::NotFound(_) | Route::NewPolicy { .. } => Tab::Overview,
            Route::Pair { .. } => Tab::Pair,
            Route::History => Tab::History,
            Route::Settings => Tab::Settings,
            Route::Seed => Tab::Seed,
        }
    }
}

/// The navigation tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Devices and consents.
    Overview,
    /// Pair a device.
    Pair,
    /// History.
    History,
    /// Seed backup.
    Seed,
    /// Settings.
    Settings,
}

impl Tab {
    /// Every tab, in the order shown.
    pub const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Pair,
        Tab::History,
        Tab::Seed,
        Tab::Settings,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Pair => "Pair a device",
            Tab::History => "History",
            Tab::Seed => "Backup",
            Tab::Settings => "Settings",
        }
    }

    /// The tab's element id.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Overview => "tab-overview",
            Tab::Pair => "tab-pair",
            Tab::History => "tab-history",
            Tab::Seed => "tab-seed",
            Tab::Settings => "tab-settings",
        }
    }

    /// Where the tab leads.
    pub fn href(self) -> &'static str {
        match self {
            Tab::Overview => "#/",
            Tab::Pair => "#/pair",
            Tab::History => "#/history",
            Tab::Seed => "#/seed",
            Tab::Settings => "#/settings",
        }
    }
}
