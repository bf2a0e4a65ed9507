//! From the P1 port into the outbox: a thread that reads the meter and
//! keeps each good telegram in the state file the moment it is framed.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use mam_lib::time::UnixMillis;
use tracing::{debug, error, info, warn};

use crate::p1::serial::{run_serial_reader, P1Event, SerialReaderConfig};
use crate::store::{Counter, Store, StoreError};

/// Starts reading the P1 port on a thread of its own, with its own
/// connection to the state file at `state`. The thread ends when `stop`
/// is set; if the state file fails it sets `stop` itself, ending the
/// daemon (a telegram it cannot keep must not be acknowledged silently).
pub fn spawn_intake(
    config: SerialReaderConfig,
    state: PathBuf,
    stop: Arc<AtomicBool>,
) -> Result<JoinHandle<()>> {
    let mut store = Store::open(&state).context("opening the state file for the P1 reader")?;
    std::thread::Builder::new()
        .name("p1-intake".into())
        .spawn(move || {
            run_serial_reader(&config, &stop, |event| {
                if let Err(failure) = record(&mut store, event) {
                    error!(error = %failure, "cannot keep a telegram in the state file; stopping");
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            });
        })
        .context("starting the P1 reader thread")
}

/// Keeps what one P1 event means in the state file.
pub fn record(store: &mut Store, event: P1Event) -> Result<(), StoreError> {
    match event {
        P1Event::Telegram {
            telegram,
            received_at_unix_ms,
        } => {
            let received_at = UnixMillis::from_millis(received_at_unix_ms);
            store.atomically(|db| {
                db.push_telegram(telegram.raw(), received_at)?;
                db.count(Counter::TelegramsReceived, 1)
            })?;
            debug!(bytes = telegram.raw().len(), "telegram kept");
        }
        P1Event::BadCrc { expected, computed } => {
            warn!(
                expected = format!("{expected:04X}"),
                computed = format!("{computed:04X}"),
                "telegram with a bad CRC skipped"
            );
            store.db().count(Counter::BadCrc, 1)?;
        }
        P1Event::Discarded { bytes, reason } => {
            debug!(bytes, ?reason, "bytes from the P1 port discarded");
            store.db().count(Counter::FramesDiscarded, 1)?;
        }
        P1Event::Connected { port, settings } => {
            info!(%port, ?settings, "P1 port open");
        }
        P1Event::SettingsChanged { settings } => {
            info!(?settings, "no telegram yet: trying other line settings");
        }
        P1Event::Disconnected { error, retry_in } => {
            warn!(%error, retry_in_s = retry_in.as_secs_f32(), "P1 port lost; reconnecting");
        }
    }
    Ok(())
}
