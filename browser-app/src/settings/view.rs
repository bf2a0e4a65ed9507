//! The node's URL field of a settings form, with its connection check.

use yew::prelude::*;

use super::browser::{check_node, NodeCheck};

/// Properties of [`NodeUrlField`].
#[derive(Properties, PartialEq)]
pub struct NodeUrlFieldProps {
    /// The URL in use, shown first.
    pub value: AttrValue,
    /// The input, for the form to read on submit.
    pub input: NodeRef,
}

/// What the connection check said.
#[derive(Clone, PartialEq)]
enum Check {
    Idle,
    Running,
    Reached(NodeCheck),
    Failed(String),
}

/// The `#node-url` input, a *Check connection* button that asks the node
/// typed in for its info, and what it answered.
#[function_component]
pub fn NodeUrlField(props: &NodeUrlFieldProps) -> Html {
    let check = use_state(|| Check::Idle);
    let on_check = {
        let (input, check) = (props.input.clone(), check.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(input) = input.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            let node = input.value().trim().trim_end_matches('/').to_owned();
            check.set(Check::Running);
            let check = check.clone();
            yew::platform::spawn_local(async move {
                check.set(match check_node(&node).await {
                    Ok(reached) => Check::Reached(reached),
                    Err(error) => Check::Failed(error),
                });
            });
        })
    };
    let result = match &*check {
        Check::Idle => html! {},
        Check::Running => {
            html! { <p class="status loading" id="node-check">{ "Asking the node…" }</p> }
        }
        Check::Reached(reached) => html! {
            <p class="status ready" id="node-check" data-state="ready">
                { format!("Reached: {}{}.", reached.software,
                    reached.milestone.map(|m| format!(", milestone {m}")).unwrap_or_default()) }
            </p>
        },
        Check::Failed(error) => html! {
            <p class="status error" id="node-check" data-state="error">
                { format!("Not reached: {error}") }
            </p>
        },
    };
    html! {
        <>
            <label for="node-url">{ "Node (IRI HTTP API)" }</label>
            <div class="inline-row">
                <input id="node-url" type="url" ref={props.input.clone()} value={props.value.clone()}
                    placeholder="http://127.0.0.1:14265" />
                <button type="button" class="button secondary" id="check-node" onclick={on_check}>
                    { "Check connection" }
                </button>
            </div>
            { result }
        </>
    }
}
