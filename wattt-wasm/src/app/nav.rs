//! The tabs at the top of every page.

use yew::prelude::*;

use crate::view::route::{Route, Tab};

/// Properties of [`Nav`].
#[derive(Properties, PartialEq)]
pub struct NavProps {
    /// The page shown.
    pub route: Route,
}

/// The navigation tabs, the current one marked.
#[function_component]
pub fn Nav(props: &NavProps) -> Html {
    let current = props.route.tab();
    html! {
        <nav class="tabs" aria-label="Wattt Insights">
            { for Tab::ALL.iter().map(|tab| {
                let active = *tab == current;
                html! {
                    <a href={tab.href()} class={classes!("tab", active.then_some("active"))}
                        aria-current={active.then_some("page")} id={tab.id()}>
                        { tab.label() }
                    </a>
                }
            }) }
        </nav>
    }
}
