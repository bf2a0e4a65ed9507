//! How the apps tell a person what is happening: a status line (working,
//! done, a problem), an alert that says what went wrong and what to do, a
//! success box, and a button that asks before it acts. Styled by
//! `style.css` (`.status`, `.alert`, `.success`, `.confirm`).

use yew::prelude::*;

/// What a status line reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Work under way (a pulsing dot).
    Working,
    /// Done, all well.
    Ready,
    /// Something failed.
    Problem,
}

impl Tone {
    /// The line's `data-state` and class: `loading`, `ready` or `error`.
    pub fn state(self) -> &'static str {
        match self {
            Tone::Working => "loading",
            Tone::Ready => "ready",
            Tone::Problem => "error",
        }
    }
}

/// Properties of [`StatusLine`].
#[derive(Properties, PartialEq)]
pub struct StatusLineProps {
    /// The element id (tests find the line by it).
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// What it reports.
    pub tone: Tone,
    /// Extra classes.
    #[prop_or_default]
    pub class: Classes,
    /// The text, and maybe an action.
    pub children: Html,
}

/// One line of status with a coloured dot; `data-state` is `loading`,
/// `ready` or `error`.
#[function_component]
pub fn StatusLine(props: &StatusLineProps) -> Html {
    let state = props.tone.state();
    let role = if props.tone == Tone::Problem {
        "alert"
    } else {
        "status"
    };
    html! {
        <p id={props.id.clone()} class={classes!("status", state, props.class.clone())}
            data-state={state} {role}>
            { props.children.clone() }
        </p>
    }
}

/// Properties of [`Alert`] and [`Success`].
#[derive(Properties, PartialEq)]
pub struct BoxProps {
    /// The element id.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// What happened, in one line.
    #[prop_or_default]
    pub title: Option<AttrValue>,
    /// The detail and what to do, maybe with buttons.
    pub children: Html,
}

/// A problem: what happened (the title) and what to do (the content).
#[function_component]
pub fn Alert(props: &BoxProps) -> Html {
    html! {
        <div class="alert" role="alert" id={props.id.clone()}>
            if let Some(title) = &props.title { <h3>{ title.clone() }</h3> }
            { props.children.clone() }
        </div>
    }
}

/// Something that worked, and where to go next.
#[function_component]
pub fn Success(props: &BoxProps) -> Html {
    html! {
        <div class="success" role="status" id={props.id.clone()}>
            if let Some(title) = &props.title { <h3>{ title.clone() }</h3> }
            { props.children.clone() }
        </div>
    }
}

/// Properties of [`ConfirmButton`].
#[derive(Properties, PartialEq)]
pub struct ConfirmButtonProps {
    /// The button's label.
    pub label: AttrValue,
    /// The question asked before acting.
    pub question: AttrValue,
    /// The confirming button's label.
    pub confirm_label: AttrValue,
    /// The action.
    pub on_confirm: Callback<()>,
    /// The element id of the first button (the confirming one gets
    /// `-confirm`).
    pub id: AttrValue,
    /// Whether the action is disabled.
    #[prop_or_default]
    pub disabled: bool,
}

/// A button for something that cannot be undone: it asks its question in
/// place, and acts only on the second click.
#[function_component]
pub fn ConfirmButton(props: &ConfirmButtonProps) -> Html {
    let asking = use_state(|| false);
    if *asking {
        let confirm = {
            let asking = asking.clone();
            let on_confirm = props.on_confirm.clone();
            Callback::from(move |_: MouseEvent| {
                asking.set(false);
                on_confirm.emit(());
            })
        };
        let cancel = {
            let asking = asking.clone();
            Callback::from(move |_: MouseEvent| asking.set(false))
        };
        html! {
            <div class="confirm" role="alertdialog" aria-live="assertive">
                <p>{ props.question.clone() }</p>
                <button class="button danger" id={format!("{}-confirm", props.id)} onclick={confirm}>
                    { props.confirm_label.clone() }
                </button>
                <button class="button secondary" onclick={cancel}>{ "Cancel" }</button>
            </div>
        }
    } else {
        let ask = {
            let asking = asking.clone();
            Callback::from(move |_: MouseEvent| asking.set(true))
        };
        html! {
            <button class="button secondary danger-outline" id={props.id.clone()}
                disabled={props.disabled} onclick={ask}>
                { props.label.clone() }
            </button>
        }
    }
}
