//! The proof-of-work Web Worker: posts [`Reply::Ready`] once loaded, then
//! answers every [`pow_worker::Job`] posted to it with a nonce or an
//! error. Trunk builds it next to each app (`data-type="worker"`);
//! `browser-app`'s pool starts one per core.

use pow_worker::Reply;

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = match event.data().as_string() {
            Some(text) => pow_worker::handle_message(&text),
            None => Reply::Failed {
                error: "the worker got a message that is not text".into(),
            },
        };
        post(&replies, &reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Messages posted before the handler was set are lost: the pool waits
    // for this before it posts a job.
    post(&scope, &Reply::Ready);
}

#[cfg(target_arch = "wasm32")]
fn post(scope: &web_sys::DedicatedWorkerGlobalScope, reply: &Reply) {
    let text = wasm_bindgen::JsValue::from_str(&reply.to_message());
    // Fails only for values that cannot be cloned; a string always can.
    let _ = scope.post_message(&text);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // Named so that the native build links the library as the worker does.
    let _ = Reply::Ready;
    eprintln!(
        "pow-worker runs in a browser as a Web Worker: build the apps with scripts/build-web.sh."
    );
    std::process::exit(2);
}
