//! HTTP: `POST /` with the IRI API, CORS for allowed origins, bounds on
//! connections, body size and time, JSON answers with `duration`, and
//! graceful shutdown.
//!
//! Time is bounded at every stage, so that no client holds a connection
//! slot for long: `--idle-timeout` until the request headers are in (and
//! between keep-alive requests; hyper's header read timeout, which hyper
//! starts on every idle connection), `--body-timeout` for the body, and
//! `--request-timeout` from the headers to the answer, and `--idle-timeout`
//! again for an answer the client stops reading. A request past a
//! deadline is answered with an IRI-style JSON error and its connection
//! closed; dropping its handler stops its proof of work (see
//! [`crate::attach_gate::AttachJob`]).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::cors::{AllowOrigin, CorsLayer};

use iri_api::ErrorBody;

use crate::api::response::Timed;
use crate::api::{request, ApiError};
use crate::config::Http;
use crate::cors::AllowedOrigins;
use crate::handlers;
use crate::node::Node;
use crate::write_stall::WriteStallLimit;

/// How long browsers may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// What every request needs: the node and the deadlines.
#[derive(Clone)]
struct App {
    node: Arc<Node>,
    body_timeout: Duration,
    request_timeout: Duration,
}

/// The router: the API on `POST /`, everything else a JSON 404/405.
/// Requests must carry their client's address as
/// `ConnectInfo<SocketAddr>` (as [`serve`] adds it).
pub fn router(node: Arc<Node>, http: &Http) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(allow_origin(&http.allowed_origins))
        .allow_methods([Method::POST, Method::GET, Method::OPTIONS])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("x-iota-api-version"),
        ])
        .max_age(PREFLIGHT_MAX_AGE);
    let app = App {
        node,
        body_timeout: http.body_timeout,
        request_timeout: http.request_timeout,
    };
    Router::new()
        .route("/", post(api).fallback(wrong_method))
        .fallback(not_found)
        .layer(cors)
        .with_state(app)
}

/// `*` when every origin is allowed, else the origin itself when allowed
/// and no CORS headers at all when not.
fn allow_origin(origins: &AllowedOrigins) -> AllowOrigin {
    if origins.is_any() {
        return AllowOrigin::any();
    }
    let origins = origins.clone();
    AllowOrigin::predicate(move |origin: &HeaderValue, _| {
        origin.to_str().is_ok_and(|origin| origins.allows(origin))
    })
}

/// Serves `router` on `listener` until `shutdown` completes, then waits for
/// the requests in flight. At most `http.max_connections` connections are
/// open at once; more wait in the listen backlog until one closes (a
/// stalled connection is closed at its deadline, so slots come back).
pub async fn serve(
    listener: TcpListener,
    node: Arc<Node>,
    http: Http,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(node, &http);
    let slots = Arc::new(Semaphore::new(http.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                // The semaphore is never closed.
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: pause rather
                        // than spin, then accept again.
                        tracing::warn!(%error, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let service = with_client(router.clone(), peer);
                let mut builder = http1::Builder::new();
                builder.timer(TokioTimer::new())
                    .header_read_timeout(http.idle_timeout);
                let stream = WriteStallLimit::new(stream, http.idle_timeout);
                let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                    drop(slot);
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The router as a hyper service that tells handlers who the client is.
fn with_client(
    router: Router,
    peer: SocketAddr,
) -> impl hyper::service::Service<
    Request<Incoming>,
    Response = Response,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone {
    let service = TowerToHyperService::new(router);
    hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        service.call(request)
    })
}

async fn api(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let limit = app.request_timeout;
    let answered = tokio::time::timeout(limit, answer(&app, peer, &headers, body)).await;
    let past_deadline = answered.is_err();
    let (command, result) = answered.unwrap_or_else(|_| {
        let error = ApiError::Busy(format!(
            "the request took longer than this node's --request-timeout of {} s and was \
             stopped; send smaller requests (fewer transactions, a lower minWeightMagnitude)",
            limit.as_secs()
        ));
        ("?", Err(error))
    });
    // Past a deadline the body may be unread: the connection cannot carry
    // another request.
    let close = past_deadline || matches!(result, Err(ApiError::TimedOut(_)));
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
                _ => tracing::info!(command, client = %peer, %error, "request refused"),
            }
            let mut response = error_response(&error, duration);
            if close {
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            response
        }
    }
}

/// Reads, parses and answers one request; also names its command for logs.
async fn answer(
    app: &App,
    peer: SocketAddr,
    headers: &HeaderMap,
    body: Body,
) -> (&'static str, Result<crate::api::Reply, ApiError>) {
    let node = &app.node;
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
    let bytes = match tokio::time::timeout(app.body_timeout, to_bytes(body, max)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return ("?", Err(too_large())),
        Err(_) => {
            return (
                "?",
                Err(ApiError::TimedOut(format!(
                    "the request body did not arrive within this node's --body-timeout of {} s",
                    app.body_timeout.as_secs()
                ))),
            )
        }
    };
    let request = match request::parse(&bytes) {
        Ok(request) => request,
        Err(error) => return ("?", Err(error)),
    };
    let command = request.command();
    (command, handlers::handle(node, request, peer.ip()).await)
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
