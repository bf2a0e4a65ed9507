//! Wattt's state as a provider, pure (no browser calls, no node): its
//! address and key pair ([`identity`]), the consent requests it issued ([`requests`]), the keys homes sent it and
//! the connection each opened ([`homes`]), and each home's channel as it
//! is followed through key rotations until the consent ends ([`home`]).
//! The rules themselves are `consent_protocol::provider`'s; the node I/O
//! is in [`crate::tangle`].

pub mod home;
pub mod homes;
pub mod identity;
pub mod refusals;
pub mod requests;
#[cfg(test)]
mod tests;
