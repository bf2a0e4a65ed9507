//! What one bar of the energy or gas chart shows, pure and tested
//! natively: an interval's counters summed into the stacked parts of a bar,
//! and whether the bar is certain.

use crate::energy::{EnergyInterval, GasInterval, IntervalValue};

/// One bar of the energy chart, kWh: delivered stacked above zero (tariff
/// 1, then tariff 2 on top), returned below zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnergyBar {
    /// The interval's first moment, ms.
    pub start: u64,
    /// The first moment after the interval, ms.
    pub end: u64,
    /// Delivered at tariff 1 (low); for a meter with only a total counter,
    /// that total.
    pub tariff1: f64,
    /// Delivered at tariff 2 (normal).
    pub tariff2: f64,
    /// Returned at both tariffs (or the returned total), as a positive amount.
    pub returned: f64,
    /// Some value of the bar is estimated across a gap, covers only part
    /// of the interval, or spans a meter reset: drawn lighter.
    pub uncertain: bool,
}

impl EnergyBar {
    /// The bar of an interval, or `None` when no counter covers it (no bar
    /// at all, rather than a bar of zero that would claim nothing was used).
    pub fn of(interval: &EnergyInterval) -> Option<Self> {
        let has_tariffs =
            interval.delivered_tariff1.is_some() || interval.delivered_tariff2.is_some();
        let (tariff1, tariff2) = if has_tariffs {
            (interval.delivered_tariff1, interval.delivered_tariff2)
        } else {
            (interval.delivered_total, None)
        };
        let returned: Vec<IntervalValue> =
            if interval.returned_tariff1.is_some() || interval.returned_tariff2.is_some() {
                [interval.returned_tariff1, interval.returned_tariff2]
                    .into_iter()
                    .flatten()
                    .collect()
            } else {
                interval.returned_total.into_iter().collect()
            };
        let used: Vec<IntervalValue> = [tariff1, tariff2]
            .into_iter()
            .flatten()
            .chain(returned.iter().copied())
            .collect();
        if used.is_empty() {
            return None;
        }
        Some(EnergyBar {
            start: interval.start.as_millis(),
            end: interval.end.as_millis(),
            tariff1: amount(tariff1),
            tariff2: amount(tariff2),
            returned: returned.iter().map(|v| clean(v.amount)).sum(),
            uncertain: used.iter().any(is_uncertain),
        })
    }

    /// The top of the bar: all energy delivered.
    pub fn delivered(&self) -> f64 {
        self.tariff1 + self.tariff2
    }
}

/// One bar of the gas chart, m³.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GasBar {
    /// The interval's first moment, ms.
    pub start: u64,
    /// The first moment after the interval, ms.
    pub end: u64,
    /// Gas used.
    pub gas: f64,
    /// Estimated, partial or across a meter reset: drawn lighter.
    pub uncertain: bool,
}

impl GasBar {
    /// The bar of an interval, or `None` when no gas reading covers it.
    pub fn of(interval: &GasInterval) -> Option<Self> {
        let gas = interval.gas?;
        Some(GasBar {
            start: interval.start.as_millis(),
            end: interval.end.as_millis(),
            gas: clean(gas.amount),
            uncertain: is_uncertain(&gas),
        })
    }
}

/// The smallest and largest value of a stack of bars: `(-most returned,
/// most delivered)`, zero when there are none.
pub fn energy_extent(bars: &[EnergyBar]) -> (f64, f64) {
    bars.iter().fold((0.0, 0.0), |(low, high), bar| {
        (
            f64::min(low, -bar.returned),
            f64::max(high, bar.delivered()),
        )
    })
}

fn amount(value: Option<IntervalValue>) -> f64 {
    value.map_or(0.0, |v| clean(v.amount))
}

/// Counter increases are never negative or infinite; should one be, a bar
/// of zero is drawn rather than a broken chart.
fn clean(amount: f64) -> f64 {
    if amount.is_finite() && amount > 0.0 {
        amount
    } else {
        0.0
    }
}

fn is_uncertain(value: &IntervalValue) -> bool {
    value.estimated || value.partial || value.counter_reset
}

#[cfg(test)]
mod tests {
    use mam_lib::time::UnixMillis;

    use super::*;

    fn sure(amount: f64) -> Option<IntervalValue> {
        Some(IntervalValue {
            amount,
            estimated: false,
            partial: false,
            counter_reset: false,
        })
    }

    fn hour() -> EnergyInterval {
        EnergyInterval {
            start: UnixMillis::from_millis(0),
            end: UnixMillis::from_millis(3_600_000),
            delivered_tariff1: None,
            delivered_tariff2: None,
            returned_tariff1: None,
            returned_tariff2: None,
            delivered_total: None,
            returned_total: None,
        }
    }

    #[test]
    fn tariffs_stack_and_returns_add_up_below_zero() {
        let interval = EnergyInterval {
            delivered_tariff1: sure(0.25),
            delivered_tariff2: sure(0.5),
            returned_tariff1: sure(0.125),
            returned_tariff2: sure(1.0),
            delivered_total: sure(0.75),
            returned_total: sure(1.125),
            ..hour()
        };
        let bar = EnergyBar::of(&interval).expect("a bar");
        assert_eq!((bar.tariff1, bar.tariff2, bar.returned), (0.25, 0.5, 1.125));
        assert_eq!(bar.delivered(), 0.75);
        assert!(!bar.uncertain);
        assert_eq!((bar.start, bar.end), (0, 3_600_000));
    }

    #[test]
    fn a_meter_with_only_totals_shows_them_as_one_part() {
        let interval = EnergyInterval {
            delivered_total: sure(2.0),
            returned_total: sure(0.5),
            ..hour()
        };
        let bar = EnergyBar::of(&interval).expect("a bar");
        assert_eq!((bar.tariff1, bar.tariff2, bar.returned), (2.0, 0.0, 0.5));
    }

    #[test]
    fn an_interval_without_readings_has_no_bar() {
        assert_eq!(EnergyBar::of(&hour()), None);
        let no_gas = GasInterval {
            start: hour().start,
            end: hour().end,
            gas: None,
        };
        assert_eq!(GasBar::of(&no_gas), None);
    }

    #[test]
    fn estimated_partial_or_reset_values_make_the_bar_uncertain() {
        for flag in 0..3 {
            let value = IntervalValue {
                amount: 1.0,
                estimated: flag == 0,
                partial: flag == 1,
                counter_reset: flag == 2,
            };
            let interval = EnergyInterval {
                delivered_tariff1: sure(1.0),
                returned_tariff2: Some(value),
                ..hour()
            };
            assert!(EnergyBar::of(&interval).is_some_and(|bar| bar.uncertain));
            let gas = GasInterval {
                start: hour().start,
                end: hour().end,
                gas: Some(value),
            };
            assert!(GasBar::of(&gas).is_some_and(|bar| bar.uncertain));
        }
    }

    #[test]
    fn broken_amounts_draw_as_zero() {
        let interval = EnergyInterval {
            delivered_tariff1: sure(f64::NAN),
            delivered_tariff2: sure(-3.0),
            ..hour()
        };
        let bar = EnergyBar::of(&interval).expect("a bar");
        assert_eq!(bar.delivered(), 0.0);
    }

    #[test]
    fn the_extent_spans_most_returned_to_most_delivered() {
        let a = EnergyBar {
            start: 0,
            end: 1,
            tariff1: 1.0,
            tariff2: 2.0,
            returned: 0.5,
            uncertain: false,
        };
        let b = EnergyBar {
            tariff1: 0.5,
            tariff2: 0.0,
            returned: 4.0,
            ..a
        };
        assert_eq!(energy_extent(&[a, b]), (-4.0, 3.0));
        assert_eq!(energy_extent(&[]), (0.0, 0.0));
    }
}
