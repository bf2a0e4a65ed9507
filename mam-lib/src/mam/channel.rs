//! A MAM channel as its author holds it, and creating its messages.

use super::iss::Hash;
use super::mask::{mask, mask_hash};
use super::merkle::MerkleTree;
use super::nonce::find_nonce;
use super::{pascal, MamError, Mode, SideKey};
use crate::address::Security;
use crate::curl::{CurlP, Rounds};
use crate::seed::Seed;
use crate::ternary::Trytes;

/// Where a channel stands: its current tree covers keys `start .. start +
/// count`, the next message signs with key `start + index`, and the tree
/// after this one will have `next_count` keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelPosition {
    /// First key index of the current tree.
    pub start: u64,
    /// Keys (messages) in the current tree.
    pub count: u64,
    /// Keys in the tree after this one.
    pub next_count: u64,
    /// The next message's position within the current tree.
    pub index: u64,
}

impl ChannelPosition {
    /// The position of a new channel: one message per tree, from key 0.
    pub const START: ChannelPosition = ChannelPosition {
        start: 0,
        count: 1,
        next_count: 1,
        index: 0,
    };

    fn check(&self) -> Result<(), MamError> {
        if self.count == 0 || self.next_count == 0 {
            return Err(MamError::InvalidPosition(
                "count and next count must be at least 1",
            ));
        }
        if self.index >= self.count {
            return Err(MamError::InvalidPosition("index must be below count"));
        }
        let end = self
            .start
            .checked_add(self.count)
            .and_then(|end| end.checked_add(self.next_count));
        match end {
            Some(end) if end <= i64::MAX as u64 => Ok(()),
            _ => Err(MamError::InvalidPosition("key indexes run past 2^63")),
        }
    }
}

/// One message ready to attach: the payload goes to `address`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedMessage {
    /// The root of the tree that signed it (what a reader starts from).
    pub root: Trytes,
    /// Where the payload is stored: the root (public) or its hash.
    pub address: Trytes,
    /// The masked, signed payload.
    pub payload: Trytes,
    /// The root of the tree after this one, announced inside the payload.
    pub next_root: Trytes,
}

/// A channel its author can write to.
pub struct Channel {
    seed: Vec<i8>,
    mode: Mode,
    side_key: SideKey,
    security: Security,
    position: ChannelPosition,
    tree: Option<MerkleTree>,
    next_tree: Option<MerkleTree>,
}

impl Channel {
    /// A new channel at [`ChannelPosition::START`]. Restricted channels need
    /// a side key; the others must not have one.
    pub fn new(
        seed: &Seed,
        mode: Mode,
        side_key: Option<SideKey>,
        security: Security,
    ) -> Result<Channel, MamError> {
        let side_key = match (mode, side_key) {
            (Mode::Restricted, Some(key)) => key,
            (Mode::Restricted, None) => return Err(MamError::MissingSideKey),
            (_, Some(_)) => return Err(MamError::UnexpectedSideKey),
            (_, None) => SideKey::none(),
        };
        Ok(Channel {
            seed: seed.to_trits(),
            mode,
            side_key,
            security,
            position: ChannelPosition::START,
            tree: None,
            next_tree: None,
        })
    }

    /// Moves the channel to `position` (for example one saved earlier).
    pub fn set_position(&mut self, position: ChannelPosition) -> Result<(), MamError> {
        position.check()?;
        let same_trees = position.start == self.position.start
            && position.count == self.position.count
            && position.next_count == self.position.next_count;
        if !same_trees {
            self.tree = None;
            self.next_tree = None;
        }
        self.position = position;
        Ok(())
    }

    /// Where the channel stands.
    pub fn position(&self) -> ChannelPosition {
        self.position
    }

    /// The channel's mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The security level of its signatures.
    pub fn security(&self) -> Security {
        self.security
    }

    /// The side key (all `9` for public and private channels).
    pub fn side_key(&self) -> &SideKey {
        &self.side_key
    }

    /// Replaces the side key of a restricted channel (key rotation): later
    /// messages are readable only with the new key.
    pub fn set_side_key(&mut self, side_key: SideKey) -> Result<(), MamError> {
        if self.mode != Mode::Restricted {
            return Err(MamError::UnexpectedSideKey);
        }
        self.side_key = side_key;
        Ok(())
    }

    fn trees(&mut self) -> (&MerkleTree, &MerkleTree) {
        let ChannelPosition {
            start,
            count,
            next_count,
            ..
        } = self.position;
        let tree = self
            .tree
            .get_or_insert_with(|| MerkleTree::new(&self.seed, start, count, self.security));
        let next_tree = self.next_tree.get_or_insert_with(|| {
            MerkleTree::new(&self.seed, start + count, next_count, self.security)
        });
        (tree, next_tree)
    }

    /// The root of the current tree: where a reader starts.
    pub fn root(&mut self) -> Trytes {
        Trytes::from_valid_trits(&self.trees().0.root())
    }

    /// Creates the next message and advances the channel.
    pub fn create(&mut self, message: &Trytes) -> Result<CreatedMessage, MamError> {
        self.position.check()?;
        let index = self.position.index;
        let side_key = self.side_key.as_trytes().to_trits();
        let security = self.security;
        let (tree, next_tree) = self.trees();
        let root = tree.root();
        let next_root = next_tree.root();
        let leaf = tree
            .leaf(index)
            .ok_or(MamError::InvalidPosition("index must be below count"))?;
        if !tree.is_verifiable(index) {
            // Publishing it would lose the message: no reader can verify it.
            return Err(MamError::UnverifiableLeaf {
                index,
                count: self.position.count,
            });
        }

        let message_trits = message.to_trits();
        let mut payload = pascal::encode(index);
        payload.extend(pascal::encode(message_trits.len() as u64));

        let mut sponge = CurlP::new(Rounds::R27);
        sponge.absorb(&side_key);
        sponge.absorb(&root);
        sponge.absorb(&payload);

        let mut body = Vec::with_capacity(next_root.len() + message_trits.len());
        body.extend_from_slice(&next_root);
        body.extend_from_slice(&message_trits);
        mask(&mut body, &mut sponge);
        payload.extend(body);

        let mut nonce = find_nonce(&sponge, security);
        mask(&mut nonce, &mut sponge);
        payload.extend_from_slice(&nonce);

        let message_hash: Hash = sponge.rate();
        let siblings = tree.siblings(index);
        let mut proof = leaf.sign(&message_hash);
        proof.extend(pascal::encode(siblings.len() as u64));
        siblings
            .iter()
            .for_each(|sibling| proof.extend_from_slice(sibling));
        mask(&mut proof, &mut sponge);
        payload.extend(proof);
        payload.resize(payload.len().next_multiple_of(3), 0);

        let created = CreatedMessage {
            root: Trytes::from_valid_trits(&root),
            address: Trytes::from_valid_trits(&message_address_trits(&root, self.mode)),
            payload: Trytes::from_valid_trits(&payload),
            next_root: Trytes::from_valid_trits(&next_root),
        };
        self.advance();
        Ok(created)
    }

    /// After the last key of a tree, the next tree becomes current. (The
    /// reference libraries advance `start` by `next_count` and keep `count`,
    /// which only agrees with the announced next root when both counts are
    /// equal; we follow the announced root.)
    fn advance(&mut self) {
        let position = &mut self.position;
        if position.index + 1 == position.count {
            position.start += position.count;
            position.count = position.next_count;
            position.index = 0;
            self.tree = self.next_tree.take();
        } else {
            position.index += 1;
        }
    }
}

impl core::fmt::Debug for Channel {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Channel")
            .field("mode", &self.mode)
            .field("security", &self.security)
            .field("position", &self.position)
            .finish_non_exhaustive()
    }
}

pub(crate) fn message_address_trits(root: &Hash, mode: Mode) -> Hash {
    match mode {
        Mode::Public => *root,
        Mode::Private | Mode::Restricted => mask_hash(root),
    }
}
