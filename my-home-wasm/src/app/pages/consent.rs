//! A provider's consent request (filled in once the link format lands).

use std::rc::Rc;

use yew::prelude::*;

use crate::app::core::{Core, Snapshot};

/// Properties of [`ConsentPage`].
#[derive(Properties, PartialEq)]
pub struct ConsentPageProps {
    /// The running home.
    pub core: Rc<Core>,
    /// What to show.
    pub snapshot: Snapshot,
    /// The request's query.
    pub query: AttrValue,
}

/// The consent page.
#[function_component]
pub fn ConsentPage(_props: &ConsentPageProps) -> Html {
    html! {}
}
