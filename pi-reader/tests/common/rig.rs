//! One device under test: a real node, a socat pty as the P1 cable and the
//! real daemon reading it, started together and ready.

use std::time::Duration;

use consent_protocol::PairingSecret;
use iri_client::Client;
use mam_lib::ternary::Hash81;

use super::device::Device;
use super::node::Node;
use super::owner::TEST_MWM;
use super::pty::PtyPair;
use super::{scratch_dir, wait_for};

/// Time allowed for a (re)started daemon to open the port.
pub const PORT_OPEN_TIMEOUT: Duration = Duration::from_secs(30);

/// A node, a pty pair and a daemon with `--mwm 3`, in their own directory.
pub struct Rig {
    /// The daemon.
    pub device: Device,
    /// The P1 cable.
    pub pty: PtyPair,
    /// A client of the node.
    pub client: Client,
    /// The device address.
    pub address: Hash81,
    /// The node (declared last: dropped after the daemon).
    pub node: Node,
}

impl Rig {
    /// Starts everything for test `name`, the daemon with `flags` besides
    /// `--mwm`, and waits until it reads the port.
    pub fn start(name: &str, flags: &[&str]) -> Rig {
        let dir = scratch_dir(name);
        let node = Node::start(&dir, TEST_MWM);
        let pty = PtyPair::start(&dir);
        let mwm = TEST_MWM.to_string();
        let mut all_flags = vec!["--mwm", mwm.as_str()];
        all_flags.extend_from_slice(flags);
        let device = Device::start(&dir, &node.url, &pty.port, &all_flags);
        device.wait_port_open(1, PORT_OPEN_TIMEOUT);
        let address = device.address().parse().expect("address");
        Rig {
            client: Client::new(node.url.clone()),
            device,
            pty,
            address,
            node,
        }
    }

    /// The pairing secret `info` shows.
    pub fn secret(&self) -> PairingSecret {
        self.device.info()["pairing_secret"]
            .as_str()
            .expect("secret")
            .parse()
            .expect("27 trytes")
    }

    /// Waits until counter `name` reaches `at_least`.
    pub fn wait_for_counter(&self, name: &str, at_least: i64) {
        wait_for(name, Duration::from_secs(60), || {
            (self.device.counter(name) >= at_least).then_some(())
        });
    }
}
