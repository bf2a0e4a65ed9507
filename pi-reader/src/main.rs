//! `pi-reader`: the device on the smart meter's P1 port. It reads DSMR
//! telegrams, publishes every one to a restricted MAM channel, pairs with
//! the owner's My Home and hands the channel keys only to the service
//! providers the household consents to. The work is in the library; this
//! file is the command line.

mod cli;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    if let Err(error) = cli::run(cli) {
        eprintln!("pi-reader: {error:#}");
        std::process::exit(1);
    }
}
