//! What Wattt's integration tests share.

pub mod device;
