//! What the three charts share: the colours, sizing the `<canvas>` to its
//! box for a sharp picture, redrawing when the window resizes, the axes'
//! look, reporting a drawn chart (`data-drawn`) and logging a failed one.

use std::error::Error;

use gloo::console;
use gloo::events::EventListener;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::axis::{TimeAxis, ValueRange};

/// A colour of the charts, used on the canvas and in the HTML legend alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    /// The colour for plotters.
    pub fn rgb(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }

    /// The colour for CSS, at `alpha` (0 to 1).
    pub fn css(self, alpha: f64) -> String {
        format!("rgba({}, {}, {}, {alpha})", self.0, self.1, self.2)
    }
}

/// Electricity taken from the grid (the Wattt accent).
pub const DELIVERED: Colour = Colour(0xb4, 0x53, 0x0f);
/// Electricity delivered at tariff 1 (low): a darker shade apart from tariff 2.
pub const TARIFF1: Colour = Colour(0x6b, 0x2f, 0x06);
/// Electricity delivered at tariff 2 (normal).
pub const TARIFF2: Colour = DELIVERED;
/// Electricity fed into the grid (solar): green, the opposite of use.
pub const RETURNED: Colour = Colour(0x2e, 0x7d, 0x32);
/// Gas.
pub const GAS: Colour = Colour(0x2a, 0x6f, 0x97);
/// How strongly an uncertain bar is filled (a certain one is opaque).
pub const UNCERTAIN_ALPHA: f64 = 0.3;

/// Labels, in the stylesheet's `--muted`.
const LABEL: RGBColor = RGBColor(0x5b, 0x65, 0x74);
/// Grid lines.
const GRID: RGBColor = RGBColor(0xe3, 0xe7, 0xec);
/// The axes and the zero line.
const AXIS: RGBColor = RGBColor(0x8a, 0x93, 0x9e);
/// The canvas's own fonts: no font files in the wasm.
const FONT: &str = "system-ui, sans-serif";
/// Label size in CSS pixels.
const FONT_PX: f64 = 12.0;
/// Tick marks' length in CSS pixels.
const TICK_PX: f64 = 4.0;

/// CSS pixels to canvas pixels: the canvas is `devicePixelRatio` times its
/// CSS size so that it is sharp on high-density screens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale(pub f64);

impl Scale {
    /// `css` CSS pixels in canvas pixels.
    pub fn px(self, css: f64) -> u32 {
        (css * self.0).round().max(1.0) as u32
    }
}

/// The window's CSS width and height and its pixel ratio in percent, for
/// the charts' effects to depend on: they then redraw at a new size or
/// zoom (zooming changes the ratio, not always the CSS size).
#[hook]
pub fn use_window_size() -> (i32, i32, i32) {
    let size = use_state_eq(window_size);
    {
        let size = size.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "resize", move |_| size.set(window_size()))
            });
            move || drop(listener)
        });
    }
    *size
}

fn window_size() -> (i32, i32, i32) {
    let Some(window) = web_sys::window() else {
        return (0, 0, 0);
    };
    let css = |value: Result<web_sys::wasm_bindgen::JsValue, _>| {
        value.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as i32
    };
    (
        css(window.inner_width()),
        css(window.inner_height()),
        (window.device_pixel_ratio() * 100.0) as i32,
    )
}

/// Sizes the canvas behind `node` to its CSS box and draws on it with
/// `draw`, which gets the root area and the CSS-to-canvas scale and returns
/// how many points or bars it drew. Success sets that number as the
/// canvas's `data-drawn` (a browser test waits for it); failure is logged,
/// never a panic. A canvas not in the page, or without a size, is skipped.
pub fn draw_on<F>(node: &NodeRef, name: &str, draw: F)
where
    F: FnOnce(DrawingArea<CanvasBackend, Shift>, Scale) -> Result<usize, Box<dyn Error>>,
{
    let Some(canvas) = node.cast::<HtmlCanvasElement>() else {
        return;
    };
    // A stale count would tell a test the new data is drawn.
    let _ = canvas.remove_attribute("data-drawn");
    let (width, height) = (canvas.client_width(), canvas.client_height());
    if width <= 0 || height <= 0 {
        return;
    }
    let ratio = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(1.0);
    let scale = Scale(ratio);
    // Setting the size also clears the canvas for the new picture.
    canvas.set_width(scale.px(f64::from(width)));
    canvas.set_height(scale.px(f64::from(height)));
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        console::error!(format!("{name}: the canvas has no 2D context"));
        return;
    };
    match draw(backend.into_drawing_area(), scale) {
        Ok(drawn) => {
            let _ = canvas.set_attribute("data-drawn", &drawn.to_string());
        }
        Err(error) => console::error!(format!("{name}: drawing failed: {error}")),
    }
}

/// A chart with time across and values up, with the shared margins, grid
/// and labels drawn; the caller draws its series into it.
pub type TimeChart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<TimeAxis, ValueRange>>;

/// Builds and draws the frame of a chart on `root`: grid, axes, labels,
/// and `unit` above the value labels.
pub fn time_chart<'a>(
    root: &'a DrawingArea<CanvasBackend, Shift>,
    scale: Scale,
    x: TimeAxis,
    y: ValueRange,
    unit: &str,
) -> Result<TimeChart<'a>, Box<dyn Error>> {
    root.fill(&WHITE)?;
    let font = (FONT, FONT_PX * scale.0).into_font().color(&LABEL);
    let (width, _) = root.dim_in_pixel();
    let mut chart = ChartBuilder::on(root)
        .margin_top(scale.px(FONT_PX * 2.5))
        .margin_right(scale.px(12.0))
        .margin_left(scale.px(4.0))
        .x_label_area_size(scale.px(24.0))
        .y_label_area_size(scale.px(58.0))
        .build_cartesian_2d(x, y)?;
    // About 80 CSS pixels per time label: "25 Oct" and "12:00" fit.
    let time_labels = (f64::from(width) / scale.0 / 80.0).floor().max(2.0) as usize;
    chart
        .configure_mesh()
        .x_labels(time_labels)
        .label_style(font.clone())
        .bold_line_style(GRID.stroke_width(scale.px(1.0)))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(scale.px(1.0)))
        .set_all_tick_mark_size(scale.px(TICK_PX))
        .draw()?;
    // The unit sits above the value labels, right-aligned with them and
    // clear of the top one, where a rotated axis title would take room
    // from the bars.
    let (left, top) = (
        chart.plotting_area().get_pixel_range().0.start,
        chart.plotting_area().get_pixel_range().1.start,
    );
    root.draw_text(
        unit,
        &font.pos(Pos::new(HPos::Right, VPos::Bottom)),
        (
            left - scale.px(4.0 + TICK_PX) as i32,
            top - scale.px(FONT_PX * 0.75) as i32,
        ),
    )?;
    Ok(chart)
}

/// Draws a horizontal line at zero across the chart (where used and
/// returned meet).
pub fn draw_zero_line(chart: &mut TimeChart<'_>, scale: Scale) -> Result<(), Box<dyn Error>> {
    let x = chart.x_range();
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(x.start, 0.0), (x.end, 0.0)],
        AXIS.stroke_width(scale.px(1.0)),
    )))?;
    Ok(())
}

/// One entry of a chart's legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// The colour of its swatch.
    pub colour: Colour,
    /// Drawn pale with a full outline, as uncertain bars are.
    pub pale: bool,
    /// What it stands for.
    pub name: &'static str,
}

/// The legend under a chart.
#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// The entries, in order.
    pub items: Vec<LegendItem>,
}

/// The legend under a chart, in HTML: plotters' own legend would sit on
/// top of the data, and HTML text wraps on a narrow screen.
#[function_component]
pub fn Legend(props: &LegendProps) -> Html {
    html! {
        <ul class="chart-legend">
            { for props.items.iter().map(|item| {
                let fill = if item.pale { item.colour.css(UNCERTAIN_ALPHA) } else { item.colour.css(1.0) };
                let style = format!("background: {fill}; border-color: {}", item.colour.css(1.0));
                html! {
                    <li><span class="chart-swatch" {style}></span>{ item.name }</li>
                }
            }) }
        </ul>
    }
}

/// What a chart shows instead of a canvas when it has nothing to draw.
pub fn no_readings() -> Html {
    html! { <p class="muted">{ "No readings in this range." }</p> }
}

/// The HTML of a chart: the canvas behind `canvas` (with `data-testid`
/// `test_id` and the accessible `label`), the legend, and, when some bar
/// is `uncertain` (pale, in that colour), a legend entry and a note on
/// what pale bars mean.
pub fn chart_frame(
    canvas: NodeRef,
    test_id: &'static str,
    label: &'static str,
    mut legend: Vec<LegendItem>,
    uncertain: Option<Colour>,
) -> Html {
    if let Some(colour) = uncertain {
        legend.push(LegendItem {
            colour,
            pale: true,
            name: "Uncertain (see below)",
        });
    }
    html! {
        <div class="chart">
            <canvas ref={canvas} data-testid={test_id} role="img" aria-label={label}></canvas>
            <Legend items={legend} />
            if uncertain.is_some() {
                <p class="chart-note">
                    { "Pale bars are uncertain: estimated across a gap in the readings, \
                       only partly covered by them (such as the hour or day still running), \
                       or across a meter reset." }
                </p>
            }
        </div>
    }
}

/// Draws one part of a bar from value `from` to `to` over the interval,
/// narrower than the interval so that neighbours stand apart; pale with an
/// outline when `uncertain`.
pub fn draw_bar(
    chart: &mut TimeChart<'_>,
    scale: Scale,
    (start, end): (u64, u64),
    (from, to): (f64, f64),
    colour: Colour,
    uncertain: bool,
) -> Result<(), Box<dyn Error>> {
    let inset = end.saturating_sub(start) / 8;
    let corners = [(start + inset, from), (end - inset, to)];
    let fill = if uncertain {
        colour.rgb().mix(UNCERTAIN_ALPHA)
    } else {
        colour.rgb().to_rgba()
    };
    chart.draw_series(std::iter::once(Rectangle::new(corners, fill.filled())))?;
    if uncertain {
        let outline = colour.rgb().stroke_width(scale.px(1.0));
        chart.draw_series(std::iter::once(Rectangle::new(corners, outline)))?;
    }
    Ok(())
}
