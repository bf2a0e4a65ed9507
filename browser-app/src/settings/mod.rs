//! Where an app reaches the Tangle: the node's URL, where proof of work runs
//! and the minimum weight magnitude it must meet.
//!
//! [`state`] is the pure part (the settings, their validation and the
//! defaults a site may set in `node.json`), tested natively; [`browser`]
//! keeps them in `localStorage` and asks the node for its info; [`view`]
//! is the node field of a settings form, with its connection check.

pub mod browser;
pub mod state;
pub mod view;

pub use browser::{check_node, load_settings, save_settings, site_defaults, NodeCheck};
pub use state::{NodeSettings, PowChoice, SettingsError, SiteDefaults};
pub use view::NodeUrlField;
