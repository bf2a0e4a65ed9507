//! What Wattt keeps in the browser so a reload reads only new messages:
//! the readings of each home in compact binary chunks ([`codec`]), the
//! state of the homes and of the inbox ([`saved`]), both in IndexedDB
//! ([`cache`]), written in one transaction so they never disagree.
//! Losing all of it loses nothing: it is read again from the seed.

pub mod cache;
pub mod codec;
pub mod saved;
