//! What the pages decide without a browser: the routes, the links to My
//! Home and back, the consent periods and the chart ranges. Pure, tested
//! natively; the pages in [`crate::app`] only show them.

pub mod links;
pub mod period;
pub mod ranges;
pub mod route;
