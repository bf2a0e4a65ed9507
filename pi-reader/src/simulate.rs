//! A meter simulator.
