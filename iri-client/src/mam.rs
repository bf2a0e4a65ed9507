//! MAM over the node: attaching created messages and following a channel.

use std::collections::HashSet;

use mam_lib::bundle::{Bundle, Transfer};
use mam_lib::mam::{
    message_address, parse, CreatedMessage, MamError, Mode, ParsedMessage, SideKey,
};
use mam_lib::ternary::{Hash81, Tag27, Trytes};

use mam_lib::time::UnixMillis;

use super::{Client, ClientError, PowMode, Transport};

/// A MAM message found on the tangle and verified against its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMessage {
    /// The root it was published under.
    pub root: Trytes,
    /// The decrypted, verified message and the root of the next one.
    pub parsed: ParsedMessage,
    /// The tag of the bundle that carried it.
    pub tag: Tag27,
    /// The bundle that carried it.
    pub bundle: Hash81,
}

/// The result of looking for the message under one root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MamFetch {
    /// The message, if one was published and verifies.
    pub message: Option<FetchedMessage>,
    /// Bundles at the address that were invalid or did not verify.
    pub skipped: usize,
}

/// The result of following a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MamFetchAll {
    /// The messages found, in channel order.
    pub messages: Vec<FetchedMessage>,
    /// Where to continue later: the root with no message yet, or the next
    /// root after the last message when the limit was reached.
    pub next_root: Trytes,
    /// Bundles skipped along the way (invalid, or not verifying).
    pub skipped: usize,
}

impl<T: Transport> Client<T> {
    /// Attaches a message made by [`mam_lib::mam::Channel::create`]: its
    /// payload as a zero-value transfer to its address, like `@iota/mam.js`'s
    /// `mamAttach`. Returns the attached bundle.
    pub async fn mam_attach(
        &self,
        message: &CreatedMessage,
        tag: &Tag27,
        min_weight_magnitude: u8,
        pow: PowMode,
    ) -> Result<Bundle, ClientError> {
        let address = Hash81::from_trytes(message.address.clone()).map_err(MamError::from)?;
        let transfer = Transfer::new(address, message.payload.clone(), tag.clone());
        let bundle = Bundle::from_transfers(&[transfer], UnixMillis::now().as_seconds())?;
        self.send_bundle(&bundle, min_weight_magnitude, pow).await
    }

    /// The message published under `root`, if any. Bundles whose payload
    /// does not parse and verify are skipped and counted (a hostile
    /// transaction at the address must not hide the real message); when
    /// several verify, the oldest wins.
    pub async fn mam_fetch(
        &self,
        root: &Trytes,
        mode: Mode,
        side_key: Option<&SideKey>,
    ) -> Result<MamFetch, ClientError> {
        check_mode_key(mode, side_key)?;
        let address = Hash81::from_trytes(message_address(root, mode)?).map_err(MamError::from)?;
        let found = self.read_bundles(&address).await?;
        let mut skipped = found.invalid_bundles;
        for bundle in &found.bundles {
            match parse(&bundle.message_to(&address), root, side_key) {
                Ok(parsed) => {
                    return Ok(MamFetch {
                        message: Some(FetchedMessage {
                            root: root.clone(),
                            parsed,
                            tag: bundle.tail().tag.clone(),
                            bundle: bundle.hash().clone(),
                        }),
                        skipped,
                    })
                }
                Err(_) => skipped += 1,
            }
        }
        Ok(MamFetch {
            message: None,
            skipped,
        })
    }

    /// Follows the channel from `root`: each message names the root of the
    /// next, until a root has no message yet or `limit` messages were read
    /// (`None`: no limit), like `@iota/mam.js`'s `mamFetchAll`.
    pub async fn mam_fetch_all(
        &self,
        root: &Trytes,
        mode: Mode,
        side_key: Option<&SideKey>,
        limit: Option<usize>,
    ) -> Result<MamFetchAll, ClientError> {
        let limit = limit.unwrap_or(usize::MAX);
        let mut messages = Vec::new();
        let mut skipped = 0;
        let mut next_root = root.clone();
        let mut visited = HashSet::new();
        while messages.len() < limit && visited.insert(next_root.clone()) {
            let fetched = self.mam_fetch(&next_root, mode, side_key).await?;
            skipped += fetched.skipped;
            match fetched.message {
                Some(message) => {
                    next_root = message.parsed.next_root.clone();
                    messages.push(message);
                }
                None => break,
            }
        }
        Ok(MamFetchAll {
            messages,
            next_root,
            skipped,
        })
    }
}

/// The side key is required in restricted mode and refused otherwise, as
/// the MAM libraries do.
fn check_mode_key(mode: Mode, side_key: Option<&SideKey>) -> Result<(), MamError> {
    match (mode, side_key) {
        (Mode::Restricted, None) => Err(MamError::MissingSideKey),
        (Mode::Public | Mode::Private, Some(_)) => Err(MamError::UnexpectedSideKey),
        _ => Ok(()),
    }
}
