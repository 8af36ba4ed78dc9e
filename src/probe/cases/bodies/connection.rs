//! The bodies of section 1, connection and authentication.

use super::*;

bodies! {
    no_key => no_key_fn; wrong_key => wrong_key_fn; created_first => created_first_fn;
    created_complete => created_complete_fn; unknown_path => unknown_path_fn; ping => ping_fn;
    close => close_fn; two_sessions => two_sessions_fn;
}

async fn no_key_fn(cx: &mut Ctx) -> Step<Outcome> {
    auth_refused(cx, Auth::None).await
}

async fn wrong_key_fn(cx: &mut Ctx) -> Step<Outcome> {
    auth_refused(cx, Auth::Wrong).await
}

async fn auth_refused(cx: &mut Ctx, auth: Auth) -> Step<Outcome> {
    let has_key = cx.target.api_key.is_some();
    match cx.connect(auth, None).await {
        Ok(_) if !has_key => Ok(info(
            "no key was given, and the server accepts connections without one",
        )),
        Ok(_) => Err(failed("the server accepted the connection")),
        Err(refusal) if refusal.status == Some(401) => {
            let json_body = serde_json::from_str::<Value>(&refusal.body)
                .is_ok_and(|b| b["error"]["message"].is_string());
            if json_body {
                Ok(ok("HTTP 401 with a JSON error body"))
            } else {
                Ok(non_strict(format!(
                    "HTTP 401, but the body is not an OpenAI-style JSON error: {}",
                    refusal.body
                )))
            }
        }
        Err(refusal) if !has_key => Ok(info(format!(
            "no key was given; the handshake failed: {}",
            refusal.message
        ))),
        Err(refusal) => Err(failed(format!(
            "refused, but not with 401: {}",
            refusal.message
        ))),
    }
}

async fn created_first_fn(cx: &mut Ctx) -> Step<Outcome> {
    cx.session().await?;
    Ok(ok("`session.created` came first"))
}

async fn created_complete_fn(cx: &mut Ctx) -> Step<Outcome> {
    let (_, first) = cx.first_event().await?;
    let session = &first.value["session"];
    let wanted = [
        "/type",
        "/id",
        "/model",
        "/audio/input/format/type",
        "/audio/output/format/type",
    ];
    let missing: Vec<_> = wanted
        .iter()
        .filter(|p| session.pointer(p).is_none_or(Value::is_null))
        .collect();
    match missing.len() {
        0 if session["type"] == "realtime" => Ok(ok(format!(
            "session {} of model {}",
            session["id"], session["model"]
        ))),
        0 => Err(failed(format!("`session.type` is {}", session["type"]))),
        n if n == wanted.len() => Err(failed("the session is empty")),
        _ => Ok(non_strict(format!("the session lacks {missing:?}"))),
    }
}

async fn unknown_path_fn(cx: &mut Ctx) -> Step<Outcome> {
    match cx.connect(Auth::Key, Some("/v1/not-realtime")).await {
        Ok(_) => Ok(info("the server upgrades any path")),
        Err(refusal) => match refusal.status {
            Some(status) if (400..500).contains(&status) => Ok(ok(format!("HTTP {status}"))),
            _ => Ok(info(format!("refused: {}", refusal.message))),
        },
    }
}

async fn ping_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    conn.ping().await;
    match conn.until_incoming(|i| matches!(i, Incoming::Pong)).await {
        Incoming::Pong => Ok(ok("pong")),
        _ => Err(failed("no pong")),
    }
}

async fn close_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    conn.close().await;
    match conn.until_incoming(|_| false).await {
        Incoming::Closed(Some(code)) => Ok(ok(format!("close {code} back"))),
        Incoming::Closed(None) => Ok(non_strict("the connection ended without a close frame")),
        _ => Err(failed("the connection stayed open")),
    }
}

async fn two_sessions_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (_, first) = cx.first_event().await?;
        ids.push(first.value["session"]["id"].clone());
    }
    if ids[0] != ids[1] && ids[0].is_string() {
        Ok(ok(format!("{} and {}", ids[0], ids[1])))
    } else {
        Err(failed(format!("session ids {} and {}", ids[0], ids[1])))
    }
}
