//! Replaying recorded telegrams.
