//! The bodies of section 3, input audio.

use super::*;

bodies! {
    append_commit => append_commit_fn; clear => clear_fn; append_15_mib => append_15_mib_fn;
    oversized => oversized_fn; commit_pcmu => commit_pcmu_fn; commit_pcma => commit_pcma_fn;
    vad => vad_fn; transcription => transcription_fn;
}

/// Appends `ms` of `encoding` audio and commits; the committed item id.
pub(super) async fn commit(conn: &mut Conn, encoding: Encoding, ms: u64) -> Step<String> {
    conn.send(json!({"type": "input_audio_buffer.append", "audio": audio_b64(encoding, ms)}))
        .await;
    let frame = json!({"type": "input_audio_buffer.commit"});
    let committed = answered(conn, frame, &["input_audio_buffer.committed"]).await?;
    committed.value["item_id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| failed("`input_audio_buffer.committed` has no `item_id`"))
}

async fn append_commit_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    session_update(&mut conn, no_vad()).await?;
    let item = commit(&mut conn, Encoding::Pcm16, 300).await?;
    let added = conn
        .until(|e| {
            matches!(
                e.kind.as_str(),
                "conversation.item.added" | "conversation.item.created"
            ) && e.value["item"]["id"] == item.as_str()
        })
        .await;
    match added {
        Ok(_) => Ok(ok(format!("committed as {item}, and the item was added"))),
        Err(_) => Err(failed(format!(
            "committed as {item}, but no `conversation.item.added` of it"
        ))),
    }
}

async fn clear_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    session_update(&mut conn, no_vad()).await?;
    conn.send(
        json!({"type": "input_audio_buffer.append", "audio": audio_b64(Encoding::Pcm16, 300)}),
    )
    .await;
    conn.send(json!({"type": "input_audio_buffer.clear"})).await;
    conn.until_type("input_audio_buffer.cleared")
        .await
        .map_err(|_| failed("no `input_audio_buffer.cleared`"))?;
    let sent = conn
        .send(json!({"type": "input_audio_buffer.commit"}))
        .await;
    let error = error_for(&mut conn, sent.as_deref()).await?;
    Ok(ok(format!(
        "cleared; the commit then failed with {}",
        error["code"]
    )))
}

async fn append_15_mib_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    session_update(&mut conn, no_vad()).await?;
    let id = conn.event_id();
    let audio = big_audio();
    let text =
        format!(r#"{{"type":"input_audio_buffer.append","event_id":"{id}","audio":"{audio}"}}"#);
    conn.send_text(
        text,
        format!(r#"{{"type":"input_audio_buffer.append","event_id":"{id}","audio":"<{} base64 chars: 15 MiB>"}}"#, audio.len()),
    )
    .await;
    // Decoding and checking 15 MiB takes a while in a debug build.
    conn.wait = conn.wait.max(Duration::from_secs(3)) * 10;
    let frame = json!({"type": "input_audio_buffer.clear"});
    answered(&mut conn, frame, &["input_audio_buffer.cleared"]).await?;
    Ok(ok("accepted (the clear that followed was confirmed)"))
}

/// 15 MiB of silence as base64, made once per process.
fn big_audio() -> &'static str {
    static AUDIO: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    AUDIO.get_or_init(|| "A".repeat(crate::check::MAX_AUDIO_BYTES / 3 * 4))
}

async fn oversized_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let id = conn.event_id();
    let len = 22 << 20;
    let text = format!(
        r#"{{"type":"input_audio_buffer.append","event_id":"{id}","audio":"{}"}}"#,
        "A".repeat(len)
    );
    conn.send_text(text, format!(r#"{{"type":"input_audio_buffer.append","event_id":"{id}","audio":"<{len} base64 chars: 16.5 MiB>"}}"#))
        .await;
    conn.wait = conn.wait.max(Duration::from_secs(3)) * 10;
    let deadline = Instant::now() + conn.wait;
    loop {
        match conn
            .next_within(deadline.saturating_duration_since(Instant::now()))
            .await
        {
            Incoming::Event(e) if e.kind == "error" => {
                return Ok(ok(format!("`error` {}", e.value["error"]["code"])))
            }
            Incoming::Closed(Some(1009)) => return Ok(ok("closed with 1009")),
            Incoming::Closed(code) => {
                return Ok(non_strict(format!(
                    "closed with {code:?} rather than 1009 or an `error`"
                )))
            }
            Incoming::Timeout => return Err(failed("neither an `error` nor a close")),
            _ => continue,
        }
    }
}

async fn commit_in(cx: &mut Ctx, encoding: Encoding, format: &str) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    session_update(
        &mut conn,
        json!({"type": "realtime", "audio": {"input": {"turn_detection": null, "format": {"type": format}}}}),
    )
    .await?;
    let item = commit(&mut conn, encoding, 300).await?;
    Ok(ok(format!("{format} audio committed as {item}")))
}

async fn commit_pcmu_fn(cx: &mut Ctx) -> Step<Outcome> {
    commit_in(cx, Encoding::Pcmu, "audio/pcmu").await
}

async fn commit_pcma_fn(cx: &mut Ctx) -> Step<Outcome> {
    commit_in(cx, Encoding::Pcma, "audio/pcma").await
}

async fn vad_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    session_update(
        &mut conn,
        json!({"type": "realtime", "audio": {"input": {"turn_detection": {"type": "server_vad", "create_response": false}}}}),
    )
    .await?;
    let silence = Base64Audio::encode(&vec![0u8; Encoding::Pcm16.bytes_for_ms(1000)]).into_string();
    conn.send(
        json!({"type": "input_audio_buffer.append", "audio": audio_b64(Encoding::Pcm16, 600)}),
    )
    .await;
    conn.send(json!({"type": "input_audio_buffer.append", "audio": silence}))
        .await;
    let events = conn.until_type("input_audio_buffer.committed").await;
    let events = match events {
        Ok(events) | Err(events) => events,
    };
    let seen: Vec<&str> = events
        .iter()
        .map(|e| e.kind.as_str())
        .filter(|k| k.starts_with("input_audio_buffer."))
        .collect();
    let want = [
        "input_audio_buffer.speech_started",
        "input_audio_buffer.speech_stopped",
        "input_audio_buffer.committed",
    ];
    if seen == want {
        Ok(ok("speech_started, speech_stopped, committed"))
    } else if seen.is_empty() {
        Ok(info("no VAD event for the synthetic tone"))
    } else {
        Err(failed(format!("VAD events {seen:?}, expected {want:?}")))
    }
}

async fn transcription_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    session_update(
        &mut conn,
        json!({"type": "realtime", "audio": {"input": {"turn_detection": null, "transcription": {"model": "whisper-1"}}}}),
    )
    .await?;
    let item = commit(&mut conn, Encoding::Pcm16, 300).await?;
    let done = conn
        .until(|e| {
            e.kind == "conversation.item.input_audio_transcription.completed"
                || e.kind == "conversation.item.input_audio_transcription.failed"
        })
        .await;
    match done {
        Ok(events) => {
            let last = events.last().expect("until returns its event");
            if last.value["item_id"] != item.as_str() {
                Err(failed(format!(
                    "the transcription names {}, not {item}",
                    last.value["item_id"]
                )))
            } else if last.kind.ends_with("failed") {
                Ok(non_strict("the transcription failed"))
            } else {
                Ok(ok(format!("transcript {}", last.value["transcript"])))
            }
        }
        Err(_) => Ok(unimplemented("no transcription event came")),
    }
}
