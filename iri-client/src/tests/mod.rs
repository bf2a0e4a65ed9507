//! The client against scripted and simulated nodes: JSON shapes, retries,
//! and whole send/read/MAM flows.

mod fake_node;
mod flood;
mod flows;
mod nonce_search;
mod retries;
mod scripted;
mod shapes;
