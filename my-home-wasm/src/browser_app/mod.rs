//! What every browser app of the project is built from: the page frame
//! ([`page`]) and the identity kept in browser storage ([`identity`]).
//!
//! My Home owns this directory; Wattt Insights compiles the same files through
//! `#[path]`, so there is one copy until the workspace has a crate for code
//! the browser apps share.

pub mod identity;
pub mod page;
