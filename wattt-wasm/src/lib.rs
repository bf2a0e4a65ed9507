//! Wattt Insights: an example service provider that charts a household's energy from its meter's telegrams.

pub mod energy;
