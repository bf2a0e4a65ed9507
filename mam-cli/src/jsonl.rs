//! Printing JSON lines and running a command over JSON lines on stdin.

use std::io::{BufRead, Write};

use anyhow::{Context, Result};
use serde::Serialize;

/// How a run went: everything fine, or some JSON input lines failed.
pub enum Outcome {
    /// Every message was handled.
    AllOk,
    /// This many input lines got an `{"error": ...}` line instead.
    SomeFailed(usize),
}

/// Writes `value` as one JSON line.
pub fn print(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value).context("writing JSON output")?;
    out.write_all(b"\n").context("writing output")?;
    Ok(())
}

/// Feeds every non-empty line of stdin to `handle`, printing its answer or
/// `{"error": ...}`; the line number is part of the error.
pub fn for_each_line<T: serde::de::DeserializeOwned, R: Serialize>(
    out: &mut impl Write,
    mut handle: impl FnMut(T) -> Result<R>,
) -> Result<Outcome> {
    let stdin = std::io::stdin();
    let mut failed = 0;
    for (number, line) in stdin.lock().lines().enumerate() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = serde_json::from_str::<T>(&line)
            .with_context(|| format!("line {}: not a valid request", number + 1))
            .and_then(&mut handle);
        match answer {
            Ok(answer) => print(out, &answer)?,
            Err(error) => {
                failed += 1;
                print(
                    out,
                    &serde_json::json!({ "error": format!("line {}: {error:#}", number + 1) }),
                )?;
            }
        }
    }
    Ok(if failed == 0 {
        Outcome::AllOk
    } else {
        Outcome::SomeFailed(failed)
    })
}
