//! Reading the device channel as the provider: from the root its keys
//! named, message by message, following key rotations until the consent
//! ends.

use std::thread;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use consent_protocol::provider::{Connection, EndReason, Ended, FollowStep};
use consent_protocol::{decode, DeviceMessage};
use iri_client::{Client, MamCursor};
use mam_lib::mam::Mode;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use serde_json::{json, Value};

use crate::inbox::POLL_INTERVAL;
use crate::provider::Provider;

/// What the provider read on the channel.
pub struct ChannelRead {
    /// `DATA` messages read.
    pub data_messages: usize,
    /// Telegrams in them.
    pub telegrams: usize,
    /// `KEY_ROTATION`s that gave the provider a new side key.
    pub key_rotations: usize,
    /// Messages that verified under the channel but were no device message.
    pub skipped: usize,
    /// Where the consent ended, if the channel said so.
    pub ended: Option<Ended>,
    /// The connection after the last message read.
    pub connection: Connection,
}

impl ChannelRead {
    /// The JSON the probe prints.
    pub fn to_json(&self) -> Value {
        let ended = self.ended.map(|ended| {
            json!({
                "reason": match ended.reason {
                    EndReason::LeftOut => "leftOut",
                    EndReason::KeyUnreadable => "keyUnreadable",
                },
                "after": ended.after.map(UnixMillis::as_millis),
            })
        });
        json!({
            "policyId": self.connection.policy_id(),
            "dataMessages": self.data_messages,
            "telegrams": self.telegrams,
            "keyRotations": self.key_rotations,
            "skipped": self.skipped,
            "ended": ended,
            "lastSideKey": self.connection.side_key().to_string(),
            "nextRoot": self.connection.next_root().to_string(),
        })
    }
}

/// Reads the channel from `connection`'s root as far as it goes now, or,
/// with `until_ended`, until the consent ends; fails at `deadline` in that
/// case, and on a fork.
pub fn follow_channel(
    client: &Client,
    provider: &Provider,
    connection: Connection,
    until_ended: bool,
    deadline: Instant,
) -> Result<ChannelRead> {
    let mut cursor = MamCursor::new(connection.next_root().as_trytes().clone());
    let mut read = ChannelRead {
        data_messages: 0,
        telegrams: 0,
        key_rotations: 0,
        skipped: 0,
        ended: None,
        connection,
    };
    while read.ended.is_none() {
        let next = pollster::block_on(client.mam_read_next(
            &mut cursor,
            Mode::Restricted,
            Some(read.connection.side_key()),
            UnixMillis::now().as_millis(),
        ))
        .with_context(|| format!("reading the channel message at root {}", cursor.root))?;
        if let Some(fork) = next.fork {
            bail!(
                "two different messages verify under root {} (bundles {:?}): the channel forked",
                fork.root,
                fork.bundles
            );
        }
        match next.message {
            Some(message) => {
                let next_root = Hash81::from_trytes(message.parsed.next_root.clone())
                    .context("the message's next root is not 81 trytes")?;
                read.step(provider, &message.parsed.message, next_root);
            }
            None if next.more => {}
            None if !until_ended => break,
            None if Instant::now() >= deadline => bail!(
                "the consent had not ended by the timeout; read so far: {}",
                read.to_json()
            ),
            None => thread::sleep(POLL_INTERVAL),
        }
    }
    Ok(read)
}

impl ChannelRead {
    fn step(&mut self, provider: &Provider, payload: &mam_lib::ternary::Trytes, next_root: Hash81) {
        let Ok(message) = decode::<DeviceMessage>(payload) else {
            self.skipped += 1;
            return self.connection.skip(next_root);
        };
        match self.connection.follow(&provider.keys, &message, next_root) {
            FollowStep::Telegrams(telegrams) => {
                self.data_messages += 1;
                self.telegrams += telegrams.len();
            }
            FollowStep::KeyRotated => self.key_rotations += 1,
            FollowStep::Ended(ended) => self.ended = Some(ended),
        }
    }
}
