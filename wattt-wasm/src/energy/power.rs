//! Power over time, used and returned, for the live chart: at most a given
//! number of points however many readings the range holds.

use mam_lib::time::UnixMillis;

use super::range::TimeRange;
use super::reading::Reading;

/// One point of the power chart, kW; `None` where no reading in its bucket
/// had the value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerPoint {
    /// Where the point is drawn: the reading's time, or the middle of its bucket.
    pub time: UnixMillis,
    /// Power taken from the grid.
    pub delivered_kw: Option<f64>,
    /// Power fed into the grid.
    pub returned_kw: Option<f64>,
}

/// The power the `readings` (in time order) show within `range`, at most
/// `max_points` points.
///
/// When the range holds more readings than that, it is cut into
/// `max_points` equal buckets and each bucket gives its **maximum** of each
/// power, drawn at the bucket's middle: a day of 1 Hz readings becomes ~1000
/// points and a kettle's half minute at 2 kW still shows as a peak, where a
/// mean would flatten it. A bucket without readings gives no point, so a
/// gap in the data stays a gap. O(log n + readings in range).
pub fn power_series(readings: &[Reading], range: TimeRange, max_points: usize) -> Vec<PowerPoint> {
    let first = readings.partition_point(|r| r.time < range.start());
    let last = readings.partition_point(|r| r.time < range.end());
    let in_range = readings.get(first..last).unwrap_or_default();
    let has_power = |r: &&Reading| r.power_delivered_kw.is_some() || r.power_returned_kw.is_some();
    if max_points == 0 {
        return Vec::new();
    }
    if in_range.len() <= max_points {
        return in_range
            .iter()
            .filter(has_power)
            .map(|r| PowerPoint {
                time: r.time,
                delivered_kw: r.power_delivered_kw,
                returned_kw: r.power_returned_kw,
            })
            .collect();
    }
    let start = range.start().as_millis();
    let span = range.end().as_millis() - start;
    let width = span.div_ceil(max_points as u64).max(1);
    let mut points: Vec<PowerPoint> = Vec::with_capacity(max_points);
    let mut current: Option<(u64, PowerPoint)> = None;
    for reading in in_range.iter().filter(has_power) {
        let bucket = reading.time.as_millis().saturating_sub(start) / width;
        match &mut current {
            Some((index, point)) if *index == bucket => {
                point.delivered_kw = max(point.delivered_kw, reading.power_delivered_kw);
                point.returned_kw = max(point.returned_kw, reading.power_returned_kw);
            }
            _ => {
                points.extend(current.take().map(|(_, point)| point));
                let middle = start
                    .saturating_add(bucket.saturating_mul(width))
                    .saturating_add(width / 2)
                    .min(range.end().as_millis() - 1);
                current = Some((
                    bucket,
                    PowerPoint {
                        time: UnixMillis::from_millis(middle),
                        delivered_kw: reading.power_delivered_kw,
                        returned_kw: reading.power_returned_kw,
                    },
                ));
            }
        }
    }
    points.extend(current.map(|(_, point)| point));
    points
}

fn max(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}
