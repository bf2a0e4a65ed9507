//! Where a simulated or replayed meter writes its telegrams.
