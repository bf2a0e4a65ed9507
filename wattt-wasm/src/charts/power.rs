//! [`PowerChart`]: power used and returned over time, the live chart.

use std::error::Error;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;

use super::axis::{TimeAxis, ValueRange};
use super::canvas::{
    chart_frame, draw_on, draw_zero_line, no_readings, time_chart, use_window_size, LegendItem,
    Scale, DELIVERED, RETURNED,
};
use super::scale::{gap_threshold, runs_without_gaps, ValueAxis};
use crate::energy::{PowerPoint, TimeRange};

/// A line never bridges more than this without readings; meters report
/// every 1 or 10 seconds.
const MIN_GAP_MS: u64 = 30_000;

/// What [`PowerChart`] draws.
#[derive(Properties, PartialEq)]
pub struct PowerChartProps {
    /// The power series, e.g. from [`power_series`](crate::energy::power_series).
    pub points: Rc<Vec<PowerPoint>>,
    /// The time the chart spans (the x axis), whatever the points cover.
    pub range: TimeRange,
}

/// Power used (above zero, in the accent colour) and returned to the grid
/// (below zero, green) over `range`, in kW, with local clock times (dates
/// for ranges over two days) across. A gap in the readings is a gap in the
/// lines. Redraws when the points change (a new `Rc` per update is
/// enough) and when the window resizes. Without points it shows
/// "No readings in this range." instead of a canvas.
#[function_component]
pub fn PowerChart(props: &PowerChartProps) -> Html {
    let canvas = use_node_ref();
    let window_size = use_window_size();
    {
        let canvas = canvas.clone();
        use_effect_with(
            (props.points.clone(), props.range, window_size),
            move |(points, range, _)| {
                draw_on(&canvas, "power chart", |root, scale| {
                    draw(&root, scale, points, *range)
                });
            },
        );
    }
    if props.points.is_empty() {
        return no_readings();
    }
    let legend = vec![
        LegendItem {
            colour: DELIVERED,
            pale: false,
            name: "Used from the grid",
        },
        LegendItem {
            colour: RETURNED,
            pale: false,
            name: "Returned to the grid (below zero)",
        },
    ];
    chart_frame(
        canvas,
        "power-chart",
        "Power used and returned over time, kW",
        legend,
        None,
    )
}

fn draw(
    root: &DrawingArea<CanvasBackend, Shift>,
    scale: Scale,
    points: &[PowerPoint],
    range: TimeRange,
) -> Result<usize, Box<dyn Error>> {
    let most = |value: fn(&PowerPoint) -> Option<f64>| {
        points
            .iter()
            .filter_map(value)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    };
    let used = most(|p| p.delivered_kw);
    let returned = most(|p| p.returned_kw);
    let x = TimeAxis::new(range.start().as_millis(), range.end().as_millis(), false);
    let y = ValueRange(ValueAxis::including_zero(-returned, used, 6));
    let mut chart = time_chart(root, scale, x, y, "kW")?;
    if returned > 0.0 {
        draw_zero_line(&mut chart, scale)?;
    }
    let times: Vec<u64> = points.iter().map(|p| p.time.as_millis()).collect();
    let max_gap = gap_threshold(&times, MIN_GAP_MS);
    for run in runs_without_gaps(&times, max_gap) {
        let run = points.get(run).unwrap_or_default();
        let series = |value: fn(&PowerPoint) -> Option<f64>, sign: f64| -> Vec<(u64, f64)> {
            run.iter()
                .filter(|p| range.contains(p.time))
                .filter_map(|p| {
                    value(p)
                        .filter(|v| v.is_finite())
                        .map(|v| (p.time.as_millis(), sign * v))
                })
                .collect()
        };
        for (line, colour) in [
            (series(|p| p.delivered_kw, 1.0), DELIVERED),
            (series(|p| p.returned_kw, -1.0), RETURNED),
        ] {
            // A lone point would be an invisible area: a dot instead.
            if let [(time, value)] = line.as_slice() {
                chart.draw_series(std::iter::once(Circle::new(
                    (*time, *value),
                    scale.px(2.0),
                    colour.rgb().filled(),
                )))?;
                continue;
            }
            chart.draw_series(
                AreaSeries::new(line, 0.0, colour.rgb().mix(0.15))
                    .border_style(colour.rgb().stroke_width(scale.px(1.5))),
            )?;
        }
    }
    Ok(points.len())
}
