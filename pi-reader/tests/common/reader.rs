//! Reading the device channel: as its owner (root and side key) and as a
//! provider, a thin I/O wrapper over the provider's rules
//! (`consent_protocol::provider`: keys from `MAM_DATA`, following
//! `KEY_ROTATION`s until the consent ends).

use consent_protocol::provider::{Connection, ConnectionState, FollowStep};
use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{decode, DeviceMessage, TelegramRecord, TransferMessage};
use iri_client::Client;
use mam_lib::address::{generate_address, Security};
use mam_lib::mam::{Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Trytes};
use mam_lib::time::UnixMillis;

/// Every message readable from `root` with `side_key`, in order.
pub fn read_channel(client: &Client, root: &Trytes, side_key: &SideKey) -> Vec<DeviceMessage> {
    let fetched =
        pollster::block_on(client.mam_fetch_all(root, Mode::Restricted, Some(side_key), None))
            .expect("mam_fetch_all");
    fetched
        .messages
        .iter()
        .map(|m| decode::<DeviceMessage>(&m.parsed.message).expect("a device message"))
        .collect()
}

/// The telegrams in `messages`, in order.
pub fn telegrams(messages: &[DeviceMessage]) -> Vec<TelegramRecord> {
    messages
        .iter()
        .flat_map(|m| match m {
            DeviceMessage::Data { telegrams } => telegrams.clone(),
            DeviceMessage::KeyRotation { .. } => Vec::new(),
        })
        .collect()
}

/// A service provider: a seed, its NTRU key pair and address, its
/// connection to the device channel once keys arrived, and what it read.
pub struct Provider {
    /// The key pair from the seed.
    pub keys: ProviderKeyPair,
    /// Where `MAM_DATA` arrives.
    pub address: Hash81,
    /// The nonce of its consent request (v2): a `MAM_DATA` must carry it
    /// sealed.
    pub request_nonce: Hash81,
    /// `MAM_DATA` refused: sealed to it but not for one of its requests
    /// (another policy id, an unknown or missing nonce), or not opening.
    pub refused: Vec<String>,
    /// Where and how it reads, once keys arrived.
    connection: Option<Connection>,
    /// Telegrams read, in order.
    pub telegrams: Vec<TelegramRecord>,
    /// Roots of every message it read, with the message.
    pub read: Vec<(Trytes, DeviceMessage)>,
}

impl Provider {
    /// A provider with a fresh seed.
    pub fn new() -> Provider {
        let seed = Seed::random();
        Provider {
            keys: ProviderKeyPair::from_seed(&seed),
            address: generate_address(&seed, 0, Security::Medium),
            request_nonce: Hash81::random(),
            refused: Vec::new(),
            connection: None,
            telegrams: Vec::new(),
            read: Vec::new(),
        }
    }

    /// Looks for a `MAM_DATA` at its address that the provider's rules
    /// accept (opens with its key pair, names the outer policy id and its
    /// request nonce); whether keys arrived. Refusals are kept in
    /// [`refused`](Self::refused) (each read counts once per call).
    pub fn receive_keys(&mut self, client: &Client) -> bool {
        let inbox = pollster::block_on(client.read_messages(&self.address)).expect("inbox");
        self.refused.clear();
        let issued = [self.request_nonce.clone()];
        for received in inbox.messages {
            let Ok(message) = decode::<TransferMessage>(&received.message) else {
                continue;
            };
            match Connection::open(&self.keys, &self.address, &message, &issued) {
                Ok(connection) => {
                    self.connection = Some(connection);
                    return true;
                }
                Err(error) => self.refused.push(error.to_string()),
            }
        }
        false
    }

    /// Reads on as far as the channel goes, or until the consent ended.
    pub fn read_on(&mut self, client: &Client) {
        while !self.cut_off() {
            let Some(connection) = self.connection.as_mut() else {
                return;
            };
            let root = connection.next_root().as_trytes().clone();
            let fetched = pollster::block_on(client.mam_fetch(
                &root,
                Mode::Restricted,
                Some(connection.side_key()),
            ))
            .expect("mam_fetch");
            let Some(message) = fetched.message else {
                return;
            };
            let next_root = Hash81::from_trytes(message.parsed.next_root).expect("next root");
            let decoded: DeviceMessage = decode(&message.parsed.message).expect("device message");
            if let FollowStep::Telegrams(telegrams) =
                connection.follow(&self.keys, &decoded, next_root)
            {
                self.telegrams.extend(telegrams);
            }
            self.read.push((root, decoded));
        }
    }

    /// Whether the channel said its consent ended (a rotation left it out).
    pub fn cut_off(&self) -> bool {
        self.connection
            .as_ref()
            .is_some_and(|c| matches!(c.state(UnixMillis::now()), ConnectionState::Ended(_)))
    }

    /// The key it reads (or last read) with.
    pub fn side_key(&self) -> Option<SideKey> {
        self.connection.as_ref().map(|c| c.side_key().clone())
    }

    /// The root of the next message it would read.
    pub fn next_root(&self) -> Option<Trytes> {
        self.connection
            .as_ref()
            .map(|c| c.next_root().as_trytes().clone())
    }
}

/// For each message on the channel from `root`, in order, how many times
/// it was attached: verifying bundles at its address, each counted as
/// often as its transactions are there (a reattachment in the same second
/// has the same bundle hash but new transactions). `1` everywhere means no
/// channel index was used twice: no message attached again after a crash,
/// and no fork.
pub fn attachments_per_message(client: &Client, root: &Trytes, side_key: &SideKey) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut root = root.clone();
    loop {
        let address = mam_lib::mam::message_address(&root, Mode::Restricted).expect("address");
        let address = Hash81::from_trytes(address).expect("address trytes");
        let found = pollster::block_on(client.read_bundles(&address)).expect("read_bundles");
        let verified: Vec<_> = found
            .bundles
            .iter()
            .filter_map(|bundle| {
                let parsed =
                    mam_lib::mam::parse(&bundle.message_to(&address), &root, Some(side_key))
                        .ok()?;
                let here = bundle
                    .transactions()
                    .iter()
                    .filter(|t| t.address == address)
                    .count();
                Some((parsed, here))
            })
            .collect();
        let Some((first, per_attachment)) = verified.first() else {
            return counts;
        };
        let query = iri_client::FindTransactions::addresses(vec![address.clone()]);
        let at_address = pollster::block_on(client.find_transactions(&query))
            .expect("findTransactions")
            .len();
        counts.push(verified.len().max(at_address / per_attachment.max(&1)));
        root = first.next_root.clone();
    }
}
