//! The wall clock, which the browser only offers through JavaScript.

/// Milliseconds since the Unix epoch.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Milliseconds since the Unix epoch.
#[cfg(target_arch = "wasm32")]
pub fn now_millis() -> u64 {
    // `Date.now()` is a whole number of milliseconds.
    js_sys::Date::now() as u64
}

/// Seconds since the Unix epoch (a bundle's issuance timestamp).
pub fn now_seconds() -> u64 {
    now_millis() / 1000
}
