//! The two axes of every chart as plotters coordinates: time on Dutch
//! local clock times ([`TimeAxis`]) and a value axis with nice steps
//! ([`ValueRange`]). Their ticks and labels come from [`scale`](super::scale),
//! so plotters draws exactly what the tests there check.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

use super::scale::{time_label, time_ticks, ValueAxis};

/// Time in ms since 1970 from `start` to `end`, ticked on round local
/// times and labelled `HH:MM` or by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeAxis {
    start: u64,
    end: u64,
    centre_days: bool,
}

impl TimeAxis {
    /// `[start, end)` ms; an empty range is widened to one ms. With
    /// `centre_days`, day ticks sit in the middle of the day (under a day's
    /// bar) rather than at midnight.
    pub fn new(start: u64, end: u64, centre_days: bool) -> Self {
        TimeAxis {
            start,
            end: end.max(start.saturating_add(1)),
            centre_days,
        }
    }
}

impl Ranged for TimeAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = u64;

    fn map(&self, value: &u64, limit: (i32, i32)) -> i32 {
        let share = (*value as f64 - self.start as f64) / (self.end - self.start) as f64;
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<u64> {
        time_ticks(
            self.start,
            self.end,
            hint.max_num_points(),
            self.centre_days,
        )
    }

    fn range(&self) -> Range<u64> {
        self.start..self.end
    }
}

impl ValueFormatter<u64> for TimeAxis {
    fn format_ext(&self, value: &u64) -> String {
        time_label(*value, self.end - self.start)
    }
}

/// A value axis ticked at the multiples of its [`ValueAxis::step`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueRange(pub ValueAxis);

impl Ranged for ValueRange {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let ValueAxis { low, high, .. } = self.0;
        let share = (value - low) / (high - low);
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    /// Every step: the axis was made for the number of labels that fit.
    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        let ValueAxis { low, high, step } = self.0;
        let count = ((high - low) / step).round() as usize + 1;
        (0..count).map(|i| low + step * i as f64).collect()
    }

    fn range(&self) -> Range<f64> {
        self.0.low..self.0.high
    }
}

impl ValueFormatter<f64> for ValueRange {
    fn format_ext(&self, value: &f64) -> String {
        self.0.label(*value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_maps_linearly_onto_the_pixels() {
        let axis = TimeAxis::new(1000, 2000, false);
        assert_eq!(axis.map(&1000, (10, 110)), 10);
        assert_eq!(axis.map(&1500, (10, 110)), 60);
        assert_eq!(axis.map(&2000, (10, 110)), 110);
        assert_eq!(TimeAxis::new(5, 5, false).range(), 5..6);
    }

    #[test]
    fn values_are_ticked_at_the_steps_of_the_axis() {
        let axis = ValueRange(ValueAxis::including_zero(-0.4, 1.3, 6));
        assert_eq!(axis.key_points(8), vec![-0.5, 0.0, 0.5, 1.0, 1.5]);
        assert_eq!(axis.format_ext(&0.5), "0.5");
        // y grows upwards: pixel limits come reversed.
        assert_eq!(axis.map(&-0.5, (200, 0)), 200);
        assert_eq!(axis.map(&1.5, (200, 0)), 0);
    }
}
