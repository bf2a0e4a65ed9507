//! `tangle-node`: a private-tangle IOTA node speaking the legacy IRI HTTP
//! API. This binary reads the settings, opens the database, serves, and
//! shuts down cleanly on SIGINT or SIGTERM; the logic is in the library.

mod cli;

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use tangle_node::node::Node;
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

/// How long requests in flight may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

fn main() -> anyhow::Result<()> {
    let config = cli::Cli::parse().into_config()?;
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(run(config));
    // Blocking tasks still running (none, normally) must not hold the exit.
    runtime.shutdown_timeout(Duration::from_secs(5));
    result
}

async fn run(config: tangle_node::config::Config) -> anyhow::Result<()> {
    let signals = Signals::watch()?;
    let db = config.db_path.clone();
    let opened = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || Node::open(&config))
            .await
            .context("opening the database failed")?
    };
    let node =
        Arc::new(opened.with_context(|| format!("cannot open the database {}", db.display()))?);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (is another node running?)",
                config.listen
            )
        })?;
    let address = listener
        .local_addr()
        .context("cannot read the listening address")?;
    tracing::info!(
        %address,
        db = %db.display(),
        mwm = config.mwm,
        tips = node.store.tips().len(),
        "tangle-node started"
    );
    // A fixed line on stdout, whatever the log level, for scripts and tests.
    println!("tangle-node listening on http://{address}");

    let (stopping, stop_signal) = watch::channel(false);
    tokio::spawn(async move {
        signals.next().await;
        let _ = stopping.send(true);
    });
    let mut server = Box::pin(tangle_node::server::serve(
        listener,
        Arc::clone(&node),
        config.http.clone(),
        stopped(stop_signal.clone()),
    ));
    tokio::select! {
        served = &mut server => served.context("the HTTP server failed")?,
        () = async { stopped(stop_signal).await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {
            tracing::warn!(grace = ?SHUTDOWN_GRACE, "requests still running after the grace period; stopping anyway");
            node.attach.interrupt_all();
        }
    }
    drop(server);
    tracing::info!("closing the database");
    match Arc::try_unwrap(node) {
        Ok(node) => tokio::task::spawn_blocking(move || node.close())
            .await
            .context("closing the database failed")?,
        // Abandoned requests still hold the node; it closes when they drop.
        Err(node) => node.attach.interrupt_all(),
    }
    tracing::info!("stopped");
    Ok(())
}

/// Completes once `signal` says stop.
async fn stopped(mut signal: watch::Receiver<bool>) {
    // An error means the sender is gone: stop as well.
    let _ = signal.wait_for(|stop| *stop).await;
}

/// SIGINT (Ctrl-C) and SIGTERM, watched from the moment this is made: a
/// signal that comes right after the address is printed must stop the node
/// cleanly, not kill it with the default action.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn watch() -> anyhow::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt()).context("cannot watch SIGINT")?,
                terminate: signal(SignalKind::terminate()).context("cannot watch SIGTERM")?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// Completes on the first signal.
    async fn next(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => tracing::info!("SIGINT: shutting down"),
            _ = self.terminate.recv() => tracing::info!("SIGTERM: shutting down"),
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("interrupted: shutting down");
        }
    }
}
