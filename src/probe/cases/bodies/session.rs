//! The bodies of section 2, the session.

use super::*;

bodies! {
    refused_update_atomic => refused_update_atomic_fn; voice_after_audio => voice_after_audio_fn;
}

async fn refused_update_atomic_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let sent = conn
        .send(
            json!({"type": "session.update", "session": {"type": "realtime",
            "instructions": "REFUSED", "audio": {"output": {"speed": 9}}}}),
        )
        .await;
    error_for(&mut conn, sent.as_deref()).await?;
    let session = session_update(
        &mut conn,
        json!({"type": "realtime", "max_output_tokens": 100}),
    )
    .await?;
    if session["instructions"] == "REFUSED" {
        Err(failed("the refused update's instructions were applied"))
    } else {
        Ok(ok("refused, and the session kept its instructions"))
    }
}

async fn voice_after_audio_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    audio_item(&mut conn).await?;
    let sent = conn
        .send(json!({"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"voice": "verse"}}}}))
        .await;
    let last = first_of(&mut conn, &["error", "session.updated"]).await?;
    if last.kind == "session.updated" {
        return Err(failed("the voice changed after audio was produced"));
    }
    if last.error_event_id() != sent.as_deref() {
        return Err(failed("the `error` does not echo the update's event_id"));
    }
    match last.value["error"]["code"].as_str() {
        Some("cannot_update_voice") => Ok(ok("refused with `cannot_update_voice`")),
        code => Ok(non_strict(format!("refused with code {code:?}"))),
    }
}
