//! The charts of Wattt Insights: Yew components that draw the
//! [`energy`](crate::energy) series on a `<canvas>` with plotters.
//!
//! - [`PowerChart`]: power used and returned over a time range (live).
//! - [`EnergyChart`]: electricity per hour or day, tariffs stacked, returns
//!   below zero.
//! - [`GasChart`]: gas per day.
//!
//! Each takes its data in an `Rc` and redraws only when it changes, or when
//! the window resizes; the caller gives the title. Each canvas fills its
//! container's width (the `.chart canvas` rule in the stylesheet sets its
//! height), is drawn at the screen's pixel density, has a `data-testid`
//! (`power-chart`, `energy-chart`, `gas-chart`) and, once drawn, a
//! `data-drawn` attribute with the number of points or bars drawn. With
//! nothing to draw a chart shows "No readings in this range." instead.
//!
//! The arithmetic (ticks on Dutch local times, nice value bounds, labels,
//! gaps, stacking a bar) lives in [`scale`] and [`bars`], pure and tested
//! natively; the components only draw it.

pub mod axis;
pub mod bars;
pub mod canvas;
pub mod energy;
pub mod gas;
pub mod power;
pub mod scale;

pub use energy::{EnergyChart, EnergyChartProps};
pub use gas::{GasChart, GasChartProps};
pub use power::{PowerChart, PowerChartProps};

/// How long each interval of an [`EnergyChart`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Whole hours ([`energy_per_hour`](crate::energy::energy_per_hour)):
    /// ticks at round clock times.
    Hour,
    /// Local days ([`energy_per_day`](crate::energy::energy_per_day)):
    /// ticks under the middle of each day.
    Day,
}
