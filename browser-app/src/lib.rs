//! What every browser app of the project is built from: the page frame
//! ([`page`]), the identity kept in browser storage ([`identity`]) and the
//! stylesheet (`style.css`, linked by each app's `index.html`).
//!
//! My Home and Wattt Insights both depend on it. Pure state (the identity
//! reducer) has no browser calls and is tested natively; the rest compiles
//! natively too, so the workspace builds, lints and tests in one go.

pub mod consent_link;
pub mod download;
pub mod feedback;
pub mod identity;
pub mod location_hash;
pub mod page;
pub mod pow;
pub mod qr_scan;
pub mod settings;
pub mod storage;
