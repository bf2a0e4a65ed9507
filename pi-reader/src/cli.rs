//! The command line: every flag also an environment variable.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use iri_client::{Client, PowMode};
use p1_telegram::readings::Readings;
use p1_telegram::Telegram;
use pi_reader::daemon::{Daemon, DaemonSettings};
use pi_reader::intake::spawn_intake;
use pi_reader::p1::serial::{SerialMode, SerialReaderConfig};
use pi_reader::p1::sink::{open_output, Output};
use pi_reader::publisher::{AttachSettings, BatchPolicy};
use pi_reader::replay::{load_recordings, run_replay, ReplayOptions};
use pi_reader::simulate::{run_simulator, SimulateOptions};
use pi_reader::status::DeviceStatus;
use pi_reader::store::Store;

/// Reads a smart meter's P1 port and publishes every telegram to a
/// restricted IOTA MAM channel, sharing it only with the service providers
/// the household consents to in My Home.
///
/// First start: `pi-reader info` shows the device address and pairing
/// secret, and the pairing link that carries both (as text and QR code),
/// to open, paste or scan in My Home; `pi-reader run` is the daemon. Everything the device knows is in one state file; stopping
/// it at any moment (even kill -9 or a power cut) loses nothing.
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
pub struct Cli {
    /// The state file (identity, channel, outbox, consent). Default:
    /// $XDG_STATE_HOME/pi-reader/state.sqlite, else
    /// ~/.local/state/pi-reader/state.sqlite.
    #[arg(long, global = true, env = "PI_READER_STATE", value_name = "FILE")]
    state: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the device: read the P1 port, publish telegrams, answer pairing
    /// claims, follow the owner's consent.
    Run(RunArgs),
    /// Show the device address, pairing secret, pairing link (text and QR
    /// code), channel root, pairing, authorized providers and queues.
    Info(InfoArgs),
    /// Free the device for a new owner, with the device in hand: draws a
    /// new pairing secret (the old one stops working), forgets the owner
    /// and every open challenge, stops sharing with every provider (the
    /// side key is rotated for nobody), then shows the new secret like
    /// `info`. While paired, the device refuses every claim ("already
    /// paired") until this is run or the owner deletes it in My Home. Safe
    /// while `run` is running: it is one transaction on the state file.
    Unpair(InfoArgs),
    /// Play a DSMR 5 meter: write realistic telegrams (valid CRC, changing
    /// readings) at the meter's rate to a serial device or a file, e.g. one
    /// end of a `socat` pseudo-terminal pair whose other end `run` reads.
    Simulate(SimulateArgs),
    /// Play recorded telegram files (such as testdata/telegrams/*.txt) to
    /// a serial device or a file, at a meter's rate.
    Replay(ReplayArgs),
}

#[derive(Debug, Args)]
struct MeterOutputArgs {
    /// Where the telegrams go: a serial device (or pty) or a file/FIFO
    /// (appended to).
    #[arg(long, env = "PI_READER_METER_OUTPUT", value_name = "PATH")]
    output: PathBuf,

    /// Line settings when the output is a serial device: 2.2 = 9600 7E1;
    /// 4 and 5 = 115200 8N1.
    #[arg(long = "line-dsmr", env = "PI_READER_METER_DSMR", default_value = "5", value_parser = parse_serial_mode)]
    line_dsmr: SerialMode,

    /// Time between telegrams (a DSMR 5 meter sends one per second).
    #[arg(long, env = "PI_READER_METER_INTERVAL", default_value = "1s", value_parser = humantime::parse_duration)]
    interval: Duration,

    /// Print nothing per telegram.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct SimulateArgs {
    #[command(flatten)]
    meter: MeterOutputArgs,

    /// Stop after this many telegrams (default: run until interrupted).
    #[arg(long, env = "PI_READER_SIMULATE_COUNT")]
    count: Option<u64>,

    /// Seed of the simulated household, for repeatable readings.
    #[arg(long, env = "PI_READER_SIMULATE_SEED")]
    seed: Option<u64>,
}

#[derive(Debug, Args)]
struct ReplayArgs {
    #[command(flatten)]
    meter: MeterOutputArgs,

    /// Start again from the first file after the last (until interrupted).
    #[arg(long = "loop", env = "PI_READER_REPLAY_LOOP")]
    repeat: bool,

    /// Telegram files, each with one or more telegrams as the meter sent
    /// them.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// The IOTA node (legacy IRI HTTP API).
    #[arg(long, env = "PI_READER_NODE", default_value = "http://127.0.0.1:14265")]
    node: String,

    /// The P1 serial port (a USB P1 cable is usually /dev/ttyUSB0).
    #[arg(
        long,
        env = "PI_READER_SERIAL_PORT",
        default_value = "/dev/ttyUSB0",
        value_name = "PATH"
    )]
    serial_port: String,

    /// The meter's DSMR version, which fixes the line settings: 2.2 (also
    /// 3) = 9600 7E1; 4 and 5 = 115200 8N1; auto tries both.
    #[arg(long, env = "PI_READER_DSMR", default_value = "auto", value_parser = parse_serial_mode)]
    dsmr: SerialMode,

    /// Minimum weight magnitude of the proof of work (14 on the IOTA
    /// mainnet of the legacy protocol, 9 on its testnets; the project's own
    /// tangle-node takes what it is started with).
    #[arg(long, env = "PI_READER_MWM", default_value_t = 14)]
    mwm: u8,

    /// Where proof of work is done: here, or by the node (attachToTangle).
    #[arg(long, env = "PI_READER_POW", value_enum, default_value_t = PowWhere::Local)]
    pow: PowWhere,

    /// Threads for local proof of work (default: all cores).
    #[arg(long, env = "PI_READER_POW_THREADS")]
    pow_threads: Option<usize>,

    /// The longest a telegram waits before it is put in a message ("10s",
    /// "1s", "0s" = as soon as the publisher is free).
    #[arg(long, env = "PI_READER_MAX_DELAY", default_value = "10s", value_parser = humantime::parse_duration)]
    max_delay: Duration,

    /// Put telegrams in a message as soon as this many wait.
    #[arg(long, env = "PI_READER_BATCH_TELEGRAMS", default_value_t = 10)]
    batch_telegrams: usize,

    /// How often the device address and the owner's channel are read.
    #[arg(long, env = "PI_READER_POLL_INTERVAL", default_value = "5s", value_parser = humantime::parse_duration)]
    poll_interval: Duration,

    /// Fail closed when the owner's channel could not be read to its end
    /// for this long (node down, a flood beyond the node's limits, a
    /// forked channel): no new data is published, telegrams wait in the
    /// state file, and `info` says why, until the channel reads again.
    /// Keeps a revocation from being outrun by data the revoked provider
    /// could still read.
    #[arg(long, env = "PI_READER_FAIL_CLOSED_AFTER", default_value = "10m", value_parser = humantime::parse_duration)]
    fail_closed_after: Duration,
}

#[derive(Debug, Args)]
struct InfoArgs {
    /// Print JSON (for scripts) instead of text.
    #[arg(long, env = "PI_READER_INFO_JSON")]
    json: bool,

    /// Leave out the QR code.
    #[arg(long, env = "PI_READER_NO_QR")]
    no_qr: bool,

    /// Where the owner's My Home is served (http or https). The pairing
    /// link, printed as text and QR code, is this URL with
    /// `#/pair?device=…&secret=…`: opened, it shows My Home's pairing form
    /// filled in with this device's address and secret. Any `#…` of the
    /// URL is replaced. Nothing is sent there; it is only printed.
    #[arg(
        long,
        env = "PI_READER_MY_HOME_URL",
        default_value = DEFAULT_MY_HOME_URL,
        value_name = "URL",
        value_parser = parse_my_home_url
    )]
    my_home_url: String,
}

/// My Home as `scripts/run-system.sh` serves it by default.
const DEFAULT_MY_HOME_URL: &str = "http://127.0.0.1:8080/my-home/";

/// The longest My Home URL taken: the link and its QR code must stay
/// scannable from a terminal.
const MAX_MY_HOME_URL_CHARS: usize = 500;

/// An http(s) URL by the protocol's rules for web addresses
/// (`consent_protocol::web_url`), short enough for a QR code.
fn parse_my_home_url(text: &str) -> Result<String, String> {
    let url = text.trim();
    if url.chars().count() > MAX_MY_HOME_URL_CHARS {
        return Err(format!(
            "My Home's URL is at most {MAX_MY_HOME_URL_CHARS} characters"
        ));
    }
    consent_protocol::web_url::check_web_url(url).map_err(|problem| {
        format!("My Home's URL is not usable: {problem} (e.g. http://192.168.1.10:8080/my-home/)")
    })?;
    Ok(url.to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PowWhere {
    /// On this machine.
    Local,
    /// By the node.
    Remote,
}

fn parse_serial_mode(text: &str) -> Result<SerialMode, String> {
    text.parse()
        .map_err(|e: pi_reader::p1::serial::UnknownSerialMode| e.to_string())
}

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> Result<()> {
    let state = match cli.state {
        Some(path) => path,
        None => default_state_path()?,
    };
    match cli.command {
        Command::Run(args) => run_daemon(&state, args),
        Command::Info(args) => info(&state, args),
        Command::Unpair(args) => unpair(&state, args),
        Command::Simulate(args) => simulate(args),
        Command::Replay(args) => replay(args),
    }
}

fn default_state_path() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state")))
        .context("no --state given and neither XDG_STATE_HOME nor HOME is set")?;
    Ok(base.join("pi-reader").join("state.sqlite"))
}

fn open_store(state: &Path) -> Result<Store> {
    Store::open(state).with_context(|| format!("opening the state file {}", state.display()))
}

fn info(state: &Path, args: InfoArgs) -> Result<()> {
    let store = open_store(state)?;
    let status =
        DeviceStatus::read(&store, &args.my_home_url).context("reading the device state")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&status)?);
        return Ok(());
    }
    let qr = if args.no_qr {
        None
    } else {
        Some(pi_reader::qr::render(&status.pairing_link)?)
    };
    print!("{}", status.to_text(qr.as_deref()));
    Ok(())
}

fn unpair(state: &Path, args: InfoArgs) -> Result<()> {
    let mut store = open_store(state)?;
    let now = mam_lib::time::UnixMillis::now();
    let identity = store
        .db()
        .identity_or_create(now)
        .context("reading the device identity")?;
    let was_paired = store
        .db()
        .pairing()
        .context("reading the pairing")?
        .is_some();
    store
        .atomically(|db| pi_reader::claims::unpair(db, &identity, now))
        .context("unpairing (nothing was changed)")?;
    if !args.json {
        println!(
            "{}",
            if was_paired {
                "Unpaired: the owner and every provider were dropped; the old pairing secret no longer works."
            } else {
                "The device had no owner; it has a new pairing secret now (the old one no longer works)."
            }
        );
    }
    info(state, args)
}

fn run_daemon(state: &Path, args: RunArgs) -> Result<()> {
    init_logging();
    let store = open_store(state)?;
    let threads = args
        .pow_threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let settings = DaemonSettings {
        attach: AttachSettings {
            min_weight_magnitude: args.mwm,
            pow: match args.pow {
                PowWhere::Local => PowMode::Local { threads },
                PowWhere::Remote => PowMode::Remote,
            },
        },
        batch: BatchPolicy {
            max_delay: args.max_delay,
            batch_telegrams: args.batch_telegrams,
        },
        poll_interval: args.poll_interval,
        events_per_poll: 20,
        fail_closed_after: args.fail_closed_after,
    };
    let mut daemon = Daemon::new(store, Client::new(args.node.clone()), settings)?;
    tracing::info!(
        address = %daemon.identity().address,
        node = %args.node,
        port = %args.serial_port,
        state = %state.display(),
        "pi-reader running"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let serial = SerialReaderConfig::new(args.serial_port, args.dsmr);
    let intake = spawn_intake(serial, state.to_path_buf(), Arc::clone(&stop))?;
    let result = daemon.run(&stop);
    stop.store(true, Ordering::Relaxed);
    let _ = intake.join();
    result
}

fn meter_output(args: &MeterOutputArgs) -> Result<Box<dyn std::io::Write + Send>> {
    use std::os::unix::fs::FileTypeExt;
    let is_device = std::fs::metadata(&args.output)
        .map(|m| m.file_type().is_char_device())
        .unwrap_or(false);
    let output = if is_device {
        let settings = args.line_dsmr.candidates()[0];
        Output::Serial {
            path: args.output.display().to_string(),
            settings,
        }
    } else {
        Output::File(args.output.clone())
    };
    open_output(&output).with_context(|| format!("opening {}", args.output.display()))
}

fn print_telegram(quiet: bool, number: u64, telegram: &Telegram) {
    if quiet {
        return;
    }
    let readings = Readings::from_telegram(telegram);
    let power = match (readings.power_delivered_kw, readings.power_returned_kw) {
        (_, Some(returned)) if returned > 0.0 => format!("returning {returned:.3} kW"),
        (Some(delivered), _) => format!("using {delivered:.3} kW"),
        _ => "-".to_owned(),
    };
    let header = telegram.header().trim();
    eprintln!("telegram {:>6}  {header}  {power}", number + 1);
}

fn simulate(args: SimulateArgs) -> Result<()> {
    let mut output = meter_output(&args.meter)?;
    let options = SimulateOptions {
        interval: args.meter.interval,
        count: args.count,
        seed: args.seed,
        start_unix_s: None,
    };
    let stop = AtomicBool::new(false);
    let quiet = args.meter.quiet;
    let written = run_simulator(&options, &mut output, &stop, &mut |n, telegram| {
        print_telegram(quiet, n, telegram)
    })?;
    eprintln!(
        "{written} telegrams written to {}",
        args.meter.output.display()
    );
    Ok(())
}

fn replay(args: ReplayArgs) -> Result<()> {
    let recordings = load_recordings(&args.files)?;
    let mut output = meter_output(&args.meter)?;
    let options = ReplayOptions {
        interval: args.meter.interval,
        repeat: args.repeat,
    };
    let stop = AtomicBool::new(false);
    let quiet = args.meter.quiet;
    let written = run_replay(
        &recordings,
        &options,
        &mut output,
        &stop,
        &mut |n, recording| print_telegram(quiet, n, &recording.telegram),
    )?;
    eprintln!(
        "{written} telegrams written to {}",
        args.meter.output.display()
    );
    Ok(())
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PI_READER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
