//! A pseudo-terminal pair from `socat` (test-support's `PtyPair`): the test
//! writes the meter's side, the device opens the other as its serial port.

pub use test_support::PtyPair;
