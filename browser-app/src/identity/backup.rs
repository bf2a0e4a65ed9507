//! The seed's backup: the text file the owner downloads, and reading a seed
//! back from what the owner pastes or uploads. Pure: tested natively.

use mam_lib::address::Address;
use mam_lib::seed::Seed;

/// The most text read from a pasted or uploaded backup: a backup file is a
/// few hundred bytes, so anything far larger is not one.
pub const MAX_BACKUP_TEXT: usize = 16 * 1024;

/// Why a pasted or uploaded text gives no seed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SeedTextError {
    /// Nothing but blanks and comments.
    #[error(
        "there is no seed in it: paste the 81 characters of your seed, or upload the backup file"
    )]
    Empty,
    /// More than one line that could be the seed.
    #[error("it holds more than one line of text besides comments: a backup holds just the seed")]
    SeveralLines,
    /// Far too long to be a backup.
    #[error("it is far too long to be a seed backup")]
    TooLong,
    /// The one line is not a seed.
    #[error("{0}")]
    NotASeed(String),
}

/// The text of the backup file of `app`'s seed: comment lines (`#`) saying
/// what it is, then the seed on a line of its own.
pub fn backup_file_text(app: &str, seed: &Seed, address: &Address) -> String {
    format!(
        "# {app}: seed backup.\n\
         # Anyone who has this seed can act as you: keep this file offline and private.\n\
         # To restore, open {app} in any browser, then Back up & restore > Restore, and\n\
         # upload this file or paste the seed below.\n\
         # Address: {address}\n\
         {seed}\n"
    )
}

/// The seed in a pasted text or an uploaded backup file: comment lines
/// (starting with `#`) and blank lines are skipped, surrounding spaces
/// trimmed; exactly one line must remain, and it must be 81 trytes (`A`–`Z`
/// and `9`). Nothing is guessed: lowercase letters are refused with the
/// reason, as a seed with other letters is another seed.
pub fn parse_seed_text(text: &str) -> Result<Seed, SeedTextError> {
    if text.len() > MAX_BACKUP_TEXT {
        return Err(SeedTextError::TooLong);
    }
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'));
    let line = lines.next().ok_or(SeedTextError::Empty)?;
    if lines.next().is_some() {
        return Err(SeedTextError::SeveralLines);
    }
    line.parse::<Seed>()
        .map_err(|_| SeedTextError::NotASeed(describe_bad_seed(line)))
}

/// Says what is wrong with a line that is not a seed.
fn describe_bad_seed(line: &str) -> String {
    let length = line.chars().count();
    if line.chars().any(|c| c.is_ascii_lowercase()) {
        return "a seed is written in capital letters A–Z and the digit 9; this text has \
                lowercase letters"
            .into();
    }
    if let Some(bad) = line
        .chars()
        .find(|c| !(c.is_ascii_uppercase() || *c == '9'))
    {
        return format!("a seed holds only the letters A–Z and the digit 9, not {bad:?}");
    }
    format!("a seed is exactly 81 characters long; this one has {length}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use mam_lib::address::{generate_address, Security};

    #[test]
    fn the_backup_file_gives_its_seed_back() {
        let seed = Seed::random();
        let address = generate_address(&seed, 0, Security::Medium);
        let file = backup_file_text("My Home", &seed, &address);
        assert!(file.contains(&address.to_string()));
        assert_eq!(parse_seed_text(&file), Ok(seed.clone()));
        // Windows line ends and surrounding blanks too.
        let crlf = file.replace('\n', "\r\n");
        assert_eq!(parse_seed_text(&format!("\n  {crlf}  \n")), Ok(seed));
    }

    #[test]
    fn a_pasted_seed_is_trimmed() {
        let seed = Seed::random();
        assert_eq!(parse_seed_text(&format!("  {seed}\n")), Ok(seed));
    }

    #[test]
    fn malformed_seeds_say_what_is_wrong() {
        let seed = Seed::random().to_string();
        assert_eq!(parse_seed_text(""), Err(SeedTextError::Empty));
        assert_eq!(
            parse_seed_text("# only\n\n# comments"),
            Err(SeedTextError::Empty)
        );
        assert_eq!(
            parse_seed_text(&format!("{seed}\n{seed}")),
            Err(SeedTextError::SeveralLines)
        );
        let short = parse_seed_text(&seed[..80]).expect_err("short");
        assert!(short.to_string().contains("80"), "{short}");
        let lower = parse_seed_text(&seed.to_lowercase()).expect_err("lowercase");
        assert!(lower.to_string().contains("lowercase"), "{lower}");
        let symbol = parse_seed_text(&format!("{}!", &seed[..80])).expect_err("symbol");
        assert!(symbol.to_string().contains("'!'"), "{symbol}");
        let unicode = parse_seed_text(&format!("{}é", &seed[..80])).expect_err("unicode");
        assert!(unicode.to_string().contains("'é'"), "{unicode}");
        assert_eq!(
            parse_seed_text(&"A".repeat(MAX_BACKUP_TEXT + 1)),
            Err(SeedTextError::TooLong)
        );
    }
}
