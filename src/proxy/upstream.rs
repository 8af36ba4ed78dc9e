//! The upstream side of a connection: the URLs the proxy takes (`ws://`,
//! or `wss://` through [`crate::tls`]), the target a client's request goes
//! to, and the request that carries the client's headers there.

use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue, Uri};

/// Request headers that belong to one hop and are not forwarded.
const HOP_HEADERS: &[&str] = &[
    "host",
    "connection",
    "upgrade",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-extensions",
    "sec-websocket-accept",
    "content-length",
    "transfer-encoding",
    "keep-alive",
    "te",
    "trailer",
    "proxy-authorization",
    "proxy-connection",
];

/// Whether a header belongs to one hop (compared without case).
pub(super) fn is_hop_header(name: &str) -> bool {
    HOP_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// Checks an upstream URL: `ws://` or `wss://HOST[:PORT][/PATH][?QUERY]`.
pub fn parse_upstream(url: &str) -> Result<Uri, String> {
    let uri: Uri = url
        .parse()
        .map_err(|err| format!("`{url}` is not a URL: {err}"))?;
    if !matches!(uri.scheme_str(), Some("ws" | "wss")) {
        return Err(format!("`{url}`: expected a ws:// or wss:// URL"));
    }
    if uri.host().is_none() {
        return Err(format!("`{url}`: expected a host"));
    }
    Ok(uri)
}

/// The upstream target for a client's request target: the upstream's
/// scheme and authority, its path when it has one, else the client's; both
/// queries, the upstream's first.
pub fn upstream_target(upstream: &Uri, client_target: &str) -> String {
    let (client_path, client_query) = client_target.split_once('?').unwrap_or((client_target, ""));
    let path = match upstream.path() {
        "" | "/" => client_path,
        path => path,
    };
    let query: Vec<&str> = [upstream.query().unwrap_or_default(), client_query]
        .into_iter()
        .filter(|q| !q.is_empty())
        .collect();
    let authority = upstream.authority().map_or("", |a| a.as_str());
    let scheme = upstream.scheme_str().unwrap_or("ws");
    let mut target = format!("{scheme}://{authority}{path}");
    if !query.is_empty() {
        target.push('?');
        target.push_str(&query.join("&"));
    }
    target
}

/// The upstream request for `target`: a WebSocket upgrade (its own key,
/// version and `Host`) with the client's headers but the hop ones;
/// `Err` says why the target is not a URL.
pub(super) fn request(target: &str, headers: &[(String, String)]) -> Result<Request, String> {
    let mut request = target
        .into_client_request()
        .map_err(|err| format!("the upstream target is not a URL: {err}"))?;
    for (name, value) in headers {
        if is_hop_header(name) {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            request.headers_mut().append(name, value);
        }
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_targets_keep_the_clients_path_and_query() {
        let bare = parse_upstream("ws://127.0.0.1:9/").unwrap();
        assert_eq!(
            upstream_target(&bare, "/v1/realtime?model=gpt-realtime"),
            "ws://127.0.0.1:9/v1/realtime?model=gpt-realtime"
        );
        let full = parse_upstream("ws://h:1/v1/realtime?intent=x").unwrap();
        assert_eq!(
            upstream_target(&full, "/other?model=m"),
            "ws://h:1/v1/realtime?intent=x&model=m"
        );
        assert_eq!(upstream_target(&full, "/"), "ws://h:1/v1/realtime?intent=x");
        let tls = parse_upstream("wss://api.example/v1/realtime").unwrap();
        assert_eq!(
            upstream_target(&tls, "/?model=m"),
            "wss://api.example/v1/realtime?model=m"
        );
    }

    #[test]
    fn only_ws_and_wss_upstreams_with_a_host_are_accepted() {
        assert!(parse_upstream("http://h/").unwrap_err().contains("ws://"));
        assert!(parse_upstream("wss:///path").is_err());
        assert!(parse_upstream("not a url").is_err());
    }

    #[test]
    fn hop_headers_stay_and_the_others_go_upstream() {
        let headers = [
            ("Host".to_owned(), "proxy:1".to_owned()),
            ("Authorization".to_owned(), "Bearer k".to_owned()),
            ("Sec-WebSocket-Key".to_owned(), "abc".to_owned()),
            ("OpenAI-Beta".to_owned(), "realtime=v1".to_owned()),
        ];
        let request = request("ws://h:1/v1/realtime", &headers).unwrap();
        assert_eq!(request.headers()["authorization"], "Bearer k");
        assert_eq!(request.headers()["openai-beta"], "realtime=v1");
        assert_eq!(request.headers()["host"], "h:1");
        assert_ne!(request.headers()["sec-websocket-key"], "abc");
    }
}
