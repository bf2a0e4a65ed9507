//! Reading the P1 serial port.
