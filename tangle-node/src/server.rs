//! HTTP: `POST /` with the IRI API, CORS for browsers, a bound on body size,
//! JSON answers with `duration`, and graceful shutdown.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};

use iri_api::ErrorBody;

use crate::api::response::Timed;
use crate::api::{request, ApiError};
use crate::handlers;
use crate::node::Node;

/// How long a client may take to send its request headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long browsers may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// The router: the API on `POST /`, everything else a JSON 404/405.
pub fn router(node: Arc<Node>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::POST, Method::GET, Method::OPTIONS])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("x-iota-api-version"),
        ])
        .max_age(PREFLIGHT_MAX_AGE);
    Router::new()
        .route("/", post(api).fallback(wrong_method))
        .fallback(not_found)
        .layer(cors)
        .with_state(node)
}

/// Serves `router` on `listener` until `shutdown` completes, then waits for
/// the requests in flight. A client gets [`HEADER_READ_TIMEOUT`] to send its
/// request headers, so idle or trickling connections cannot pile up.
pub async fn serve(
    listener: TcpListener,
    node: Arc<Node>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(node);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        // Out of file descriptors and the like: pause rather
                        // than spin, then accept again.
                        tracing::warn!(%error, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let service = TowerToHyperService::new(router.clone());
                let mut http = http1::Builder::new();
                http.timer(TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT);
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

async fn api(State(node): State<Arc<Node>>, headers: HeaderMap, body: Body) -> Response {
    let started = Instant::now();
    let (command, result) = answer(&node, &headers, body).await;
    let duration = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match result {
        Ok(reply) => {
            tracing::debug!(command, duration, "answered");
            json(
                StatusCode::OK,
                &Timed {
                    body: &reply,
                    duration,
                },
            )
        }
        Err(error) => {
            match &error {
                ApiError::Internal(_) => tracing::error!(command, %error, "request failed"),
                _ => tracing::info!(command, %error, "request refused"),
            }
            error_response(&error, duration)
        }
    }
}

/// Reads, parses and answers one request; also names its command for logs.
async fn answer(
    node: &Node,
    headers: &HeaderMap,
    body: Body,
) -> (&'static str, Result<crate::api::Reply, ApiError>) {
    let max = node.limits.max_body_bytes;
    let too_large = || {
        ApiError::bad_request(format!(
            "Request too long: the body has more than {max} bytes (this node's \
             --max-body-bytes); split the request"
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > max) {
        return ("?", Err(too_large()));
    }
    let bytes = match to_bytes(body, max).await {
        Ok(bytes) => bytes,
        Err(_) => return ("?", Err(too_large())),
    };
    let request = match request::parse(&bytes) {
        Ok(request) => request,
        Err(error) => return ("?", Err(error)),
    };
    let command = request.command();
    (command, handlers::handle(node, request).await)
}

fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "encoding a response failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn error_response(error: &ApiError, duration: u64) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(
        status,
        &ErrorBody {
            error: Some(error.to_string()),
            exception: None,
            duration: Some(duration),
        },
    )
}

async fn wrong_method() -> Response {
    let error = ApiError::bad_request("the IRI API takes POST / with a JSON body");
    let mut response = error_response(&error, 0);
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}

async fn not_found() -> Response {
    let error = ApiError::bad_request("not found: the IRI API is at POST /");
    let mut response = error_response(&error, 0);
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}
