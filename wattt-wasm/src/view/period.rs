//! How long a consent Wattt asks for lasts: the choices of the ask form and
//! the `expiresAt` each gives.

use mam_lib::time::UnixMillis;

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// A period to ask consent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Until the owner revokes it.
    UntilRevoked,
    /// This many days from now.
    Days(u32),
}

impl Period {
    /// The choices the form offers, the default first.
    pub const CHOICES: [Period; 5] = [
        Period::UntilRevoked,
        Period::Days(1),
        Period::Days(30),
        Period::Days(90),
        Period::Days(365),
    ];

    /// The form value.
    pub fn value(self) -> String {
        match self {
            Period::UntilRevoked => "none".into(),
            Period::Days(days) => days.to_string(),
        }
    }

    /// The period of a form value.
    pub fn from_value(value: &str) -> Option<Period> {
        match value {
            "none" => Some(Period::UntilRevoked),
            days => days.parse().ok().filter(|d| *d > 0).map(Period::Days),
        }
    }

    /// In words.
    pub fn label(self) -> String {
        match self {
            Period::UntilRevoked => "Until the home revokes it".into(),
            Period::Days(1) => "One day".into(),
            Period::Days(365) => "One year".into(),
            Period::Days(days) => format!("{days} days"),
        }
    }

    /// The `expiresAt` of a consent asked for at `now`.
    pub fn expires_at(self, now: UnixMillis) -> Option<UnixMillis> {
        match self {
            Period::UntilRevoked => None,
            Period::Days(days) => Some(UnixMillis::from_millis(
                now.as_millis().saturating_add(u64::from(days) * DAY_MS),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_round_trip_through_the_form_and_end_when_asked() {
        for period in Period::CHOICES {
            assert_eq!(Period::from_value(&period.value()), Some(period));
        }
        assert_eq!(Period::from_value("0"), None);
        assert_eq!(Period::from_value("x"), None);
        let now = UnixMillis::from_millis(1_000);
        assert_eq!(Period::UntilRevoked.expires_at(now), None);
        assert_eq!(
            Period::Days(30).expires_at(now),
            Some(UnixMillis::from_millis(1_000 + 30 * DAY_MS))
        );
    }
}
