//! MAM create + parse inside WebAssembly, for `scripts/bench-wasm.sh`:
//! restricted mode, security 2, the same message as the native benchmark.
//! The JavaScript side keeps time; this only does the work.
//!
//! Build: `cargo build -p mam-lib --example wasm_bench --release
//! --no-default-features --target wasm32-unknown-unknown`, then
//! `wasm-bindgen --target nodejs`.

use mam_lib::address::Security;
use mam_lib::mam::{parse, Channel, CreatedMessage, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::Trytes;
use wasm_bindgen::prelude::*;

/// A restricted channel and the message to put on it, over and over.
#[wasm_bindgen]
pub struct MamBench {
    channel: Channel,
    side_key: SideKey,
    message: Trytes,
    prepared: Vec<CreatedMessage>,
}

#[wasm_bindgen]
impl MamBench {
    /// A fresh channel (random seed and side key) for `message` (text).
    #[wasm_bindgen(constructor)]
    pub fn new(message: &str) -> Result<MamBench, JsError> {
        let side_key = SideKey::random();
        let channel = Channel::new(
            &Seed::random(),
            Mode::Restricted,
            Some(side_key.clone()),
            Security::Medium,
        )?;
        Ok(MamBench {
            channel,
            side_key,
            message: Trytes::from_bytes(message.as_bytes()),
            prepared: Vec::new(),
        })
    }

    /// Creates and parses `count` consecutive messages; fails if one does
    /// not come back as it went in.
    pub fn create_and_parse(&mut self, count: u32) -> Result<(), JsError> {
        for _ in 0..count {
            let created = self.channel.create(&self.message)?;
            let parsed = parse(&created.payload, &created.root, Some(&self.side_key))?;
            if parsed.message != self.message {
                return Err(JsError::new("parsed message differs from the created one"));
            }
        }
        Ok(())
    }

    /// Creates `count` messages and keeps them for [`MamBench::parse_prepared`].
    pub fn prepare(&mut self, count: u32) -> Result<(), JsError> {
        self.prepared = (0..count)
            .map(|_| self.channel.create(&self.message))
            .collect::<Result<_, _>>()?;
        Ok(())
    }

    /// Parses the prepared messages (what a provider does with a day of
    /// data); returns how many.
    pub fn parse_prepared(&self) -> Result<u32, JsError> {
        for message in &self.prepared {
            parse(&message.payload, &message.root, Some(&self.side_key))?;
        }
        Ok(self.prepared.len() as u32)
    }
}
