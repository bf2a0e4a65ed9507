//! [`EnergyChart`]: electricity per hour or per day as stacked bars.

use std::error::Error;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;

use super::axis::{TimeAxis, ValueRange};
use super::bars::{energy_extent, EnergyBar};
use super::canvas::{
    chart_frame, draw_bar, draw_on, draw_zero_line, no_readings, time_chart, use_window_size,
    LegendItem, Scale, RETURNED, TARIFF1, TARIFF2,
};
use super::scale::{time_span, ValueAxis};
use super::Resolution;
use crate::energy::EnergyInterval;

/// What [`EnergyChart`] draws.
#[derive(Properties, PartialEq)]
pub struct EnergyChartProps {
    /// The intervals, e.g. from [`energy_per_hour`](crate::energy::energy_per_hour)
    /// or [`energy_per_day`](crate::energy::energy_per_day); the x axis
    /// spans them all.
    pub intervals: Rc<Vec<EnergyInterval>>,
    /// Whether they are hours or days (how the time axis is labelled).
    pub resolution: Resolution,
}

/// A bar per interval in kWh: tariff 1 and tariff 2 delivered stacked
/// above zero, returned energy (both tariffs) below zero. A bar that is
/// estimated across a gap, only partly covered, or across a meter reset is
/// drawn pale with an outline, and the legend says why. An interval
/// without readings has no bar. Without any bar it shows "No readings in
/// this range." instead of a canvas.
#[function_component]
pub fn EnergyChart(props: &EnergyChartProps) -> Html {
    let canvas = use_node_ref();
    let window_size = use_window_size();
    let bars = use_memo(props.intervals.clone(), |intervals| {
        intervals
            .iter()
            .filter_map(EnergyBar::of)
            .collect::<Vec<_>>()
    });
    {
        let canvas = canvas.clone();
        let bars = bars.clone();
        use_effect_with(
            (props.intervals.clone(), props.resolution, window_size),
            move |(intervals, resolution, _)| {
                let span = time_span(
                    intervals
                        .iter()
                        .map(|i| (i.start.as_millis(), i.end.as_millis())),
                );
                draw_on(&canvas, "energy chart", |root, scale| {
                    draw(&root, scale, &bars, span, *resolution)
                });
            },
        );
    }
    if bars.is_empty() {
        return no_readings();
    }
    let mut legend = vec![
        LegendItem {
            colour: TARIFF1,
            pale: false,
            name: "Used, tariff 1 (low)",
        },
        LegendItem {
            colour: TARIFF2,
            pale: false,
            name: "Used, tariff 2 (normal)",
        },
    ];
    if bars.iter().any(|bar| bar.returned > 0.0) {
        legend.push(LegendItem {
            colour: RETURNED,
            pale: false,
            name: "Returned to the grid (below zero)",
        });
    }
    let uncertain = bars.iter().any(|bar| bar.uncertain).then_some(TARIFF2);
    chart_frame(
        canvas,
        "energy-chart",
        "Electricity used and returned per interval, kWh",
        legend,
        uncertain,
    )
}

fn draw(
    root: &DrawingArea<CanvasBackend, Shift>,
    scale: Scale,
    bars: &[EnergyBar],
    (start, end): (u64, u64),
    resolution: Resolution,
) -> Result<usize, Box<dyn Error>> {
    let (low, high) = energy_extent(bars);
    let x = TimeAxis::new(start, end, resolution == Resolution::Day);
    let y = ValueRange(ValueAxis::including_zero(low, high, 6));
    let mut chart = time_chart(root, scale, x, y, "kWh")?;
    for bar in bars {
        let parts = [
            (0.0, bar.tariff1, TARIFF1),
            (bar.tariff1, bar.delivered(), TARIFF2),
            (0.0, -bar.returned, RETURNED),
        ];
        for (from, to, colour) in parts {
            if from != to {
                draw_bar(
                    &mut chart,
                    scale,
                    (bar.start, bar.end),
                    (from, to),
                    colour,
                    bar.uncertain,
                )?;
            }
        }
    }
    if low < 0.0 {
        draw_zero_line(&mut chart, scale)?;
    }
    Ok(bars.len())
}
