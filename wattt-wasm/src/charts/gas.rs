//! [`GasChart`]: gas per day as bars.

use std::error::Error;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;

use super::axis::{TimeAxis, ValueRange};
use super::bars::GasBar;
use super::canvas::{
    chart_frame, draw_bar, draw_on, no_readings, time_chart, use_window_size, LegendItem, Scale,
    GAS,
};
use super::scale::{time_span, ValueAxis};
use crate::energy::GasInterval;

/// What [`GasChart`] draws.
#[derive(Properties, PartialEq)]
pub struct GasChartProps {
    /// The days, from [`gas_per_day`](crate::energy::gas_per_day); the x
    /// axis spans them all.
    pub intervals: Rc<Vec<GasInterval>>,
}

/// A bar per day in m³, pale with an outline where estimated, partial or
/// across a meter reset. A day without gas readings has no bar; without any
/// bar it shows "No readings in this range." instead of a canvas.
#[function_component]
pub fn GasChart(props: &GasChartProps) -> Html {
    let canvas = use_node_ref();
    let window_size = use_window_size();
    let bars = use_memo(props.intervals.clone(), |intervals| {
        intervals.iter().filter_map(GasBar::of).collect::<Vec<_>>()
    });
    {
        let canvas = canvas.clone();
        let bars = bars.clone();
        use_effect_with(
            (props.intervals.clone(), window_size),
            move |(intervals, _)| {
                let span = time_span(
                    intervals
                        .iter()
                        .map(|i| (i.start.as_millis(), i.end.as_millis())),
                );
                draw_on(&canvas, "gas chart", |root, scale| {
                    draw(&root, scale, &bars, span)
                });
            },
        );
    }
    if bars.is_empty() {
        return no_readings();
    }
    let legend = vec![LegendItem {
        colour: GAS,
        pale: false,
        name: "Gas used",
    }];
    let uncertain = bars.iter().any(|bar| bar.uncertain).then_some(GAS);
    chart_frame(
        canvas,
        "gas-chart",
        "Gas used per day, cubic metres",
        legend,
        uncertain,
    )
}

fn draw(
    root: &DrawingArea<CanvasBackend, Shift>,
    scale: Scale,
    bars: &[GasBar],
    (start, end): (u64, u64),
) -> Result<usize, Box<dyn Error>> {
    let most = bars.iter().map(|bar| bar.gas).fold(0.0, f64::max);
    let x = TimeAxis::new(start, end, true);
    let y = ValueRange(ValueAxis::including_zero(0.0, most, 6));
    let mut chart = time_chart(root, scale, x, y, "m³")?;
    for bar in bars {
        draw_bar(
            &mut chart,
            scale,
            (bar.start, bar.end),
            (0.0, bar.gas),
            GAS,
            bar.uncertain,
        )?;
    }
    Ok(bars.len())
}
