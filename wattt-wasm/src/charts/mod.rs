//! The charts of Wattt Insights: the arithmetic of their axes and bars.
//!
//! Ticks on Dutch local times, nice value bounds, labels, gaps and
//! stacking a bar live in [`scale`] and [`bars`], pure and tested
//! natively; [`axis`] hands them to plotters as coordinates.

pub mod axis;
pub mod bars;
pub mod scale;
