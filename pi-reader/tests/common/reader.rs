//! Reading the device channel: as its owner (root and side key) and as a
//! provider (keys from `MAM_DATA`, following `KEY_ROTATION`s).

use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{
    decode, DeviceMessage, KeyBundle, RotatedKey, TelegramRecord, TransferMessage,
};
use iri_client::Client;
use mam_lib::address::{generate_address, Security};
use mam_lib::mam::{Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Trytes};

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

/// A service provider: a seed, its NTRU key pair and address, and what it
/// has read of the device channel.
pub struct Provider {
    /// The key pair from the seed.
    pub keys: ProviderKeyPair,
    /// Where `MAM_DATA` arrives.
    pub address: Hash81,
    /// Where reading goes on, once keys arrived.
    pub next_root: Option<Trytes>,
    /// The key it reads with.
    pub side_key: Option<SideKey>,
    /// Telegrams read, in order.
    pub telegrams: Vec<TelegramRecord>,
    /// Roots of every message it read, with the message.
    pub read: Vec<(Trytes, DeviceMessage)>,
    /// Whether a rotation left it out.
    pub cut_off: bool,
}

impl Provider {
    /// A provider with a fresh seed.
    pub fn new() -> Provider {
        let seed = Seed::random();
        Provider {
            keys: ProviderKeyPair::from_seed(&seed),
            address: generate_address(&seed, 0, Security::Medium),
            next_root: None,
            side_key: None,
            telegrams: Vec::new(),
            read: Vec::new(),
            cut_off: false,
        }
    }

    /// Looks for `MAM_DATA` at its address; whether keys arrived.
    pub fn receive_keys(&mut self, client: &Client) -> bool {
        let inbox = pollster::block_on(client.read_messages(&self.address)).expect("inbox");
        for message in inbox.messages {
            if let Ok(TransferMessage::MamData { mam_data, .. }) = decode(&message.message) {
                let opened = self.keys.open(&mam_data).expect("opens with our key");
                let keys: KeyBundle = serde_json::from_slice(&opened).expect("key bundle");
                self.next_root = Some(keys.root.as_trytes().clone());
                self.side_key = Some(keys.side_key);
                return true;
            }
        }
        false
    }

    /// Reads on as far as the channel goes (or until cut off).
    pub fn read_on(&mut self, client: &Client) {
        while !self.cut_off {
            let (Some(root), Some(key)) = (self.next_root.clone(), self.side_key.clone()) else {
                return;
            };
            let fetched = pollster::block_on(client.mam_fetch(&root, Mode::Restricted, Some(&key)))
                .expect("mam_fetch");
            let Some(message) = fetched.message else {
                return;
            };
            let decoded: DeviceMessage = decode(&message.parsed.message).expect("device message");
            match &decoded {
                DeviceMessage::Data { telegrams } => {
                    self.telegrams.extend(telegrams.iter().cloned())
                }
                DeviceMessage::KeyRotation { keys } => match keys.get(&self.address) {
                    Some(sealed) => {
                        let opened = self.keys.open(sealed).expect("our rotated key opens");
                        let rotated: RotatedKey =
                            serde_json::from_slice(&opened).expect("rotated key");
                        self.side_key = Some(rotated.side_key);
                    }
                    None => self.cut_off = true,
                },
            }
            self.read.push((root, decoded));
            self.next_root = Some(message.parsed.next_root);
        }
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
