//! `pi-reader` as a library: the device on the smart meter's P1 port.
//!
//! The binary (`main.rs`) is a thin CLI over these modules. This crate reads
//! DSMR telegrams from the meter ([`p1`]), and for testing without a meter it
//! can play one: generate telegrams ([`simulate`]) or replay recorded ones
//! ([`replay`]).

pub mod channel;
pub mod claims;
pub mod consent;
pub mod daemon;
pub mod intake;
pub mod p1;
pub mod publisher;
pub mod qr;
pub mod replay;
pub mod rotation;
pub mod simulate;
pub mod status;
pub mod store;
