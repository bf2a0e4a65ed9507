//! Starts My Home in the page (see the library for what it is).

fn main() {
    browser_app::page::start::<my_home_wasm::app::App>("My Home");
}
