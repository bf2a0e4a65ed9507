//! Junk as an attacker attaches it: lone transactions of bundles that never
//! complete, each with real proof of work, so a node stores them and a
//! reader must deal with them (issue #9's flood).

use std::error::Error;

use mam_lib::bundle::{Bundle, Transfer};
use mam_lib::pow::{attach_nonce, PowOptions};
use mam_lib::ternary::{Hash81, Tag27, Trytes};

/// `count` transactions at `address`, each the last of a two-transaction
/// bundle whose first never comes: the last approves `trunk` and `branch`
/// (the node's tips), so a node stores it alone. Proof of work at `mwm`.
pub fn lone_transactions(
    address: &Hash81,
    count: usize,
    trunk: &Hash81,
    branch: &Hash81,
    mwm: u8,
) -> Vec<Trytes> {
    // A message longer than one fragment makes a two-transaction bundle.
    let long = Trytes::from_ascii(&"j".repeat(1500)).expect("ASCII text is trytes");
    let options = PowOptions::default();
    (0..count)
        .map(|n| {
            let bundle = Bundle::from_transfers(
                &[Transfer::new(address.clone(), long.clone(), Tag27::nines())],
                1_700_000_000 + n as u64,
            )
            .expect("a zero-value bundle")
            .attach(trunk, branch, 1_700_000_000_000, |trits| {
                attach_nonce(trits, mwm, &options).map_err(Box::<dyn Error>::from)
            })
            .expect("proof of work for junk");
            assert_eq!(bundle.len(), 2, "junk must be a two-transaction bundle");
            bundle.to_trytes().swap_remove(1)
        })
        .collect()
}
