//! A real `tangle-node` (test-support's `TangleNode`) on a free loopback
//! port that it keeps across restarts, so it can be stopped and started
//! again at the same address (a node outage).

pub use test_support::TangleNode as Node;
