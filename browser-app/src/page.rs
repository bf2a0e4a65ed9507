//! The frame of an app's page (header with a way back to the landing page,
//! then the content) and the app's entry point.

use yew::prelude::*;

/// Properties of [`AppPage`].
#[derive(Properties, PartialEq)]
pub struct AppPageProps {
    /// The app's name, shown as the page heading.
    pub title: AttrValue,
    /// One sentence on what the app is for.
    pub tagline: AttrValue,
    /// The app's content: a column of cards.
    pub children: Html,
}

/// An app's page: a coloured header (the app's `--accent`) over its content.
#[function_component]
pub fn AppPage(props: &AppPageProps) -> Html {
    html! {
        <>
            <header class="app-header">
                <a class="back" href="../">{ "← All apps" }</a>
                <h1>{ props.title.clone() }</h1>
                <p class="tagline">{ props.tagline.clone() }</p>
            </header>
            <main>{ props.children.clone() }</main>
        </>
    }
}

/// Starts `App` in the page's body. Run natively, it only says where the app
/// belongs: the crates compile natively for the workspace's checks, but the
/// browser APIs they call do not exist there.
pub fn start<App>(name: &str)
where
    App: BaseComponent,
    App::Properties: Default,
{
    if cfg!(not(target_arch = "wasm32")) {
        eprintln!("{name} runs in a browser: build it with scripts/build-web.sh.");
        std::process::exit(2);
    }
    yew::Renderer::<App>::new().render();
}
