//! The bodies of section 6, errors.

use super::*;

bodies! {
    binary => binary_fn; long_event_id => long_event_id_fn; echo_all => echo_all_fn;
    hundred_bad => hundred_bad_fn; error_shape => error_shape_fn;
}

async fn binary_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    conn.send_binary(vec![0u8; 16]).await;
    let error = error_for(&mut conn, None).await?;
    Ok(ok(format!("`error` {}", error["code"])))
}

async fn long_event_id_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let id = format!("evt_{}", "x".repeat(596));
    conn.send(json!({"type": "input_audio_buffer.clear", "event_id": id}))
        .await;
    let last = first_of(&mut conn, &["error", "input_audio_buffer.cleared"]).await?;
    if last.kind != "error" {
        return Err(failed("a 600-character event_id was accepted"));
    }
    match last.value["error"]["param"].as_str() {
        Some("event_id") => Ok(ok("refused, param `event_id`")),
        param => Ok(non_strict(format!("refused with param {param:?}"))),
    }
}

/// Invalid frames, each with a different mistake.
const INVALID: &[&str] = &[
    r#"{"type":"session.frobnicate"}"#,
    r#"{"type":"conversation.item.delete"}"#,
    r#"{"type":"input_audio_buffer.append","audio":"not base64!"}"#,
    r#"{"type":"conversation.item.truncate","item_id":"item_1","content_index":"zero","audio_end_ms":0}"#,
    r#"{"type":"session.update","session":{"type":"realtime","temperature":0.7}}"#,
    r#"{"type":"conversation.item.retrieve","item_id":"item_nope"}"#,
    r#"{"type":"input_audio_buffer.clear","force":true}"#,
    r#"{"type":"response.cancel"}"#,
];

async fn echo_all_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let mut missing = Vec::new();
    for frame in INVALID {
        let sent = send_frame(&mut conn, frame).await;
        if let Err(outcome) = error_for(&mut conn, sent.as_deref()).await {
            missing.push(format!("{frame}: {}", outcome.happened));
        }
    }
    if missing.is_empty() {
        Ok(ok(format!(
            "{} errors, each echoing its event_id",
            INVALID.len()
        )))
    } else {
        Err(failed(listed(&missing)))
    }
}

async fn hundred_bad_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let mut bad = vec!["{".to_owned(), "null".to_owned(), "\"text\"".to_owned()];
    bad.extend(INVALID.iter().map(|s| (*s).to_owned()));
    for n in 0..100 {
        send_frame(&mut conn, &bad[n % bad.len()]).await;
    }
    conn.send(json!({"type": "session.update", "session": {"type": "realtime", "instructions": "Still here?"}}))
        .await;
    let events = conn.until_type("session.updated").await.map_err(|seen| {
        failed(format!(
            "no `session.updated` after 100 bad frames ({} errors came{})",
            seen.iter().filter(|e| e.kind == "error").count(),
            if conn.closed.is_some() {
                ", then the connection closed"
            } else {
                ""
            }
        ))
    })?;
    let errors = of_kind(&events, "error").count();
    if errors == 100 {
        Ok(ok("100 errors, then `session.updated`"))
    } else {
        Err(failed(format!("{errors} errors for 100 bad frames")))
    }
}

async fn error_shape_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let sent = conn.send(json!({"type": "session.frobnicate"})).await;
    let error = error_for(&mut conn, sent.as_deref()).await?;
    let strings = |k: &str| error[k].is_string();
    let nullable = |k: &str| error[k].is_string() || error[k].is_null();
    if !(strings("type") && strings("message")) {
        return Err(failed(format!("`error` is {error}")));
    }
    if ["code", "param", "event_id"].iter().all(|k| nullable(k)) {
        Ok(ok(format!(
            "type {} message {}",
            error["type"], error["message"]
        )))
    } else {
        Err(failed(format!("`error` is {error}")))
    }
}
