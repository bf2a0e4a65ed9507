//! What can go wrong with the state file.

use std::path::PathBuf;

/// A failure reading or writing the state file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The directory for the state file could not be made.
    #[error("cannot create the state directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file could not be opened as a database.
    #[error("cannot open the state file {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("state file: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value no longer reads back (a damaged or foreign file).
    #[error("the state file holds an invalid {what}: {detail}")]
    Corrupt {
        /// Which value.
        what: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// The system's CSPRNG failed, so no secret was made (a predictable
    /// one would be worse than none).
    #[error("cannot make a secret: {0}")]
    Random(#[from] mam_lib::seed::RandomError),
    /// The file was written by a newer pi-reader.
    #[error("the state file has schema version {found}; this pi-reader knows up to {known}: upgrade pi-reader")]
    NewerSchema {
        /// The file's version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
}

impl StoreError {
    /// A value read from the file that does not parse.
    pub(crate) fn corrupt(what: &'static str, detail: impl ToString) -> StoreError {
        StoreError::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }
}
