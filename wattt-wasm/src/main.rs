//! Starts Wattt Insights in the page (see the library for what it is).

fn main() {
    browser_app::page::start::<wattt_wasm::app::App>("Wattt Insights");
}
