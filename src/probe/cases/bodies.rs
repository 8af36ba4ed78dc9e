//! The bodies of the cases that are more than one frame and one answer.
//! Each is a plain `async` function wrapped by `body!` into a [`Body`].

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::super::conn::{Auth, Conn, Incoming, Judged};
use super::super::lifecycle::lifecycle;
use super::super::{failed, info, non_strict, ok, unimplemented, Body, Ctx, Outcome, Step};
use super::{answered, error_for, first_of, send_frame, session_update, settle};
use crate::model::Base64Audio;
use crate::protocol::audio::Encoding;

/// Declares `pub const NAME: Body` from an `async fn` of a `&mut Ctx`.
macro_rules! bodies {
    ( $( $name:ident => $fun:ident; )* ) => {
        $(
            pub const $name: Body = |cx| Box::pin($fun(cx));
        )*
    };
}

#[allow(non_upper_case_globals)]
mod names {
    use super::*;
    bodies! {
        no_key => no_key_fn;
        wrong_key => wrong_key_fn;
        created_first => created_first_fn;
        created_complete => created_complete_fn;
        unknown_path => unknown_path_fn;
        ping => ping_fn;
        close => close_fn;
        two_sessions => two_sessions_fn;
        refused_update_atomic => refused_update_atomic_fn;
        voice_after_audio => voice_after_audio_fn;
        append_commit => append_commit_fn;
        clear => clear_fn;
        append_15_mib => append_15_mib_fn;
        oversized => oversized_fn;
        commit_pcmu => commit_pcmu_fn;
        commit_pcma => commit_pcma_fn;
        vad => vad_fn;
        transcription => transcription_fn;
        item_create => item_create_fn;
        item_client_id => item_client_id_fn;
        item_previous => item_previous_fn;
        item_root => item_root_fn;
        item_duplicate => item_duplicate_fn;
        item_retrieve => item_retrieve_fn;
        item_delete => item_delete_fn;
        truncate_within => truncate_within_fn;
        truncate_beyond => truncate_beyond_fn;
        truncate_user => truncate_user_fn;
        text_response => text_response_fn;
        audio_response => audio_response_fn;
        response_order => response_order_fn;
        response_references => response_references_fn;
        response_done_contents => response_done_contents_fn;
        out_of_band => out_of_band_fn;
        out_of_band_input => out_of_band_input_fn;
        one_active => one_active_fn;
        cancel => cancel_fn;
        function_call => function_call_fn;
        done_after_error => done_after_error_fn;
        max_tokens => max_tokens_fn;
        modality_override => modality_override_fn;
        format_override => format_override_fn;
        rate_limits => rate_limits_fn;
        binary => binary_fn;
        long_event_id => long_event_id_fn;
        echo_all => echo_all_fn;
        hundred_bad => hundred_bad_fn;
        error_shape => error_shape_fn;
        tour_parses => tour_parses_fn;
        tour_checks => tour_checks_fn;
        tour_schema => tour_schema_fn;
        tour_ga_names => tour_ga_names_fn;
        tour_unique_ids => tour_unique_ids_fn;
        fuzz_generated => fuzz_generated_fn;
        fuzz_mutated => fuzz_mutated_fn;
        latency => latency_fn;
        deep_json => deep_json_fn;
        pipelined => pipelined_fn;
        frames_during_response => frames_during_response_fn;
    }
}
pub use names::*;

/// Problems for "what happened": the count and the first three.
fn listed(problems: &[String]) -> String {
    const SHOWN: usize = 3;
    let first = problems[..problems.len().min(SHOWN)].join("; ");
    match problems.len() {
        n if n > SHOWN => format!("{n} problems, the first {SHOWN}: {first}"),
        _ => first,
    }
}

/// `ms` of a voice-like tone in `encoding`, as base64.
pub fn audio_b64(encoding: Encoding, ms: u64) -> String {
    Base64Audio::encode(&encoding.synthesize(0, ms)).into_string()
}

/// A user text message item.
fn user_text(text: &str) -> Value {
    json!({"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]})
}

/// VAD off, so that appends and commits are the client's alone.
fn no_vad() -> Value {
    json!({"type": "realtime", "audio": {"input": {"turn_detection": null}}})
}

/// Creates `item`; the `item` of its `conversation.item.added` (or
/// legacy `.created`).
async fn create_item(conn: &mut Conn, item: Value, previous: Option<&str>) -> Step<Value> {
    let mut frame = json!({"type": "conversation.item.create", "item": item});
    if let Some(previous) = previous {
        frame["previous_item_id"] = previous.into();
    }
    let added = answered(
        conn,
        frame,
        &["conversation.item.added", "conversation.item.created"],
    )
    .await?;
    Ok(added.value)
}

/// Sends `response.create` with `params` and collects events up to its
/// `response.done`.
async fn respond(conn: &mut Conn, params: Value) -> Step<Vec<Judged>> {
    let mut frame = json!({"type": "response.create"});
    if !params.is_null() {
        frame["response"] = params;
    }
    conn.send(frame).await;
    conn.until_type("response.done").await.map_err(|seen| {
        failed(format!(
            "no `response.done` within {:.1} s ({} events came)",
            conn.wait.as_secs_f64(),
            seen.len()
        ))
    })
}

fn of_kind<'a>(events: &'a [Judged], kind: &'a str) -> impl Iterator<Item = &'a Judged> + 'a {
    events.iter().filter(move |e| e.kind == kind)
}

/// An assistant audio item (after a user message and an audio response),
/// with how many ms of audio its deltas carried.
async fn audio_item(conn: &mut Conn) -> Step<(String, u64)> {
    create_item(conn, user_text("Say something."), None).await?;
    let events = respond(conn, json!({"output_modalities": ["audio"]})).await?;
    let mut bytes = 0usize;
    let mut item = None;
    for delta in of_kind(&events, "response.output_audio.delta") {
        item = delta.value["item_id"].as_str().map(str::to_owned);
        bytes += Base64Audio::new(delta.value["delta"].as_str().unwrap_or_default())
            .decode()
            .map_or(0, |b| b.len());
    }
    let item =
        item.ok_or_else(|| failed("the audio response had no `response.output_audio.delta`"))?;
    Ok((item, Encoding::Pcm16.duration_ms(bytes)))
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
    let deadline = Instant::now() + conn.wait;
    loop {
        match conn
            .next_within(deadline.saturating_duration_since(Instant::now()))
            .await
        {
            Incoming::Pong => return Ok(ok("pong")),
            Incoming::Event(_) | Incoming::Binary(_) => continue,
            _ => return Err(failed("no pong")),
        }
    }
}

async fn close_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    conn.close().await;
    let deadline = Instant::now() + conn.wait;
    loop {
        match conn
            .next_within(deadline.saturating_duration_since(Instant::now()))
            .await
        {
            Incoming::Closed(Some(code)) => return Ok(ok(format!("close {code} back"))),
            Incoming::Closed(None) => {
                return Ok(non_strict("the connection ended without a close frame"))
            }
            Incoming::Timeout => return Err(failed("the connection stayed open")),
            _ => continue,
        }
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

/// Appends `ms` of `encoding` audio and commits; the committed item id.
async fn commit(conn: &mut Conn, encoding: Encoding, ms: u64) -> Step<String> {
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

async fn item_create_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let added = create_item(&mut conn, user_text("Hello."), None).await?;
    let id = &added["item"]["id"];
    if !id.is_string() {
        return Err(failed("the added item has no `id`"));
    }
    if added["item"]["content"][0]["text"] != "Hello." {
        return Err(failed("the added item lost its text"));
    }
    match &added["previous_item_id"] {
        Value::Null => Ok(ok(format!("added as {id}, first"))),
        other => Err(failed(format!("the first item comes after {other}"))),
    }
}

async fn item_client_id_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let mut item = user_text("Mine.");
    item["id"] = "item_probe_own".into();
    let added = create_item(&mut conn, item, None).await?;
    if added["item"]["id"] == "item_probe_own" {
        Ok(ok("the id was kept"))
    } else {
        Err(failed(format!("the item became {}", added["item"]["id"])))
    }
}

async fn item_previous_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let first = create_item(&mut conn, user_text("one"), None).await?;
    create_item(&mut conn, user_text("two"), None).await?;
    let first_id = first["item"]["id"].as_str().unwrap_or_default().to_owned();
    let third = create_item(&mut conn, user_text("three"), Some(&first_id)).await?;
    if third["previous_item_id"] == first_id.as_str() {
        Ok(ok(format!("placed after {first_id}")))
    } else {
        Err(failed(format!(
            "placed after {}, not {first_id}",
            third["previous_item_id"]
        )))
    }
}

async fn item_root_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("one"), None).await?;
    let root = create_item(&mut conn, user_text("zero"), Some("root")).await?;
    if root["previous_item_id"].is_null() {
        Ok(ok("placed first"))
    } else {
        Err(failed(format!("placed after {}", root["previous_item_id"])))
    }
}

async fn item_duplicate_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let mut item = user_text("once");
    item["id"] = "item_probe_dup".into();
    create_item(&mut conn, item.clone(), None).await?;
    let sent = conn
        .send(json!({"type": "conversation.item.create", "item": item}))
        .await;
    let error = error_for(&mut conn, sent.as_deref()).await?;
    Ok(ok(format!("refused with {}", error["code"])))
}

async fn item_retrieve_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let added = create_item(&mut conn, user_text("Keep me."), None).await?;
    let id = added["item"]["id"].clone();
    let frame = json!({"type": "conversation.item.retrieve", "item_id": id});
    let retrieved = answered(&mut conn, frame, &["conversation.item.retrieved"]).await?;
    let item = &retrieved.value["item"];
    if item["id"] == id && item["content"][0]["text"] == "Keep me." {
        Ok(ok(format!("retrieved {id}")))
    } else {
        Err(failed(format!("retrieved {item}")))
    }
}

async fn item_delete_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let added = create_item(&mut conn, user_text("Delete me."), None).await?;
    let id = added["item"]["id"].clone();
    let frame = json!({"type": "conversation.item.delete", "item_id": id});
    let deleted = answered(&mut conn, frame, &["conversation.item.deleted"]).await?;
    if deleted.value["item_id"] != id {
        return Err(failed(format!("answered {}", deleted.value)));
    }
    let sent = conn
        .send(json!({"type": "conversation.item.retrieve", "item_id": id}))
        .await;
    error_for(&mut conn, sent.as_deref()).await?;
    Ok(ok(format!("deleted {id}; retrieving it fails")))
}

/// The answer to a truncate: the `error` (echo checked) or the confirmation.
async fn truncate(conn: &mut Conn, item: &str, audio_end_ms: u64) -> Step<Judged> {
    conn.send(json!({"type": "conversation.item.truncate", "item_id": item, "content_index": 0, "audio_end_ms": audio_end_ms}))
        .await;
    first_of(conn, &["conversation.item.truncated", "error"]).await
}

async fn truncate_within_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let (item, ms) = audio_item(&mut conn).await?;
    if ms < 100 {
        return Err(failed(format!("the response had {ms} ms of audio")));
    }
    let answer = truncate(&mut conn, &item, 100).await?;
    let v = &answer.value;
    if answer.kind == "error" {
        return Err(failed(format!("refused: {}", v["error"]["message"])));
    }
    if v["item_id"] == item.as_str() && v["audio_end_ms"] == 100 && v["content_index"] == 0 {
        Ok(ok(format!("{item} of {ms} ms truncated at 100 ms")))
    } else {
        Err(failed(format!("confirmed {v}")))
    }
}

async fn truncate_beyond_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let (item, ms) = audio_item(&mut conn).await?;
    let answer = truncate(&mut conn, &item, 600_000).await?;
    if answer.kind != "error" {
        return Err(failed(format!(
            "a truncate at 600000 ms of {ms} ms of audio was confirmed"
        )));
    }
    match answer.value["error"]["param"].as_str() {
        Some("audio_end_ms") => Ok(ok("refused, param `audio_end_ms`")),
        other => Ok(non_strict(format!("refused with param {other:?}"))),
    }
}

async fn truncate_user_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let added = create_item(&mut conn, user_text("Not audio."), None).await?;
    let id = added["item"]["id"].as_str().unwrap_or_default().to_owned();
    let answer = truncate(&mut conn, &id, 0).await?;
    if answer.kind == "error" {
        Ok(ok(format!("refused: {}", answer.value["error"]["message"])))
    } else {
        Err(failed("a user text item was truncated"))
    }
}

/// The concatenated `delta`s of `delta_kind` and the field of `done_kind`.
fn joined(
    events: &[Judged],
    delta_kind: &str,
    done_kind: &str,
    field: &str,
) -> (String, usize, Option<String>) {
    let deltas: Vec<_> = of_kind(events, delta_kind).collect();
    let text: String = deltas
        .iter()
        .filter_map(|e| e.value["delta"].as_str())
        .collect();
    let done = of_kind(events, done_kind)
        .next()
        .and_then(|e| e.value[field].as_str().map(str::to_owned));
    (text, deltas.len(), done)
}

async fn text_response_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Tell me something."), None).await?;
    let events = respond(&mut conn, json!({"output_modalities": ["text"]})).await?;
    let (text, n, done) = joined(
        &events,
        "response.output_text.delta",
        "response.output_text.done",
        "text",
    );
    match done {
        _ if n == 0 => Err(failed("no `response.output_text.delta`")),
        None => Err(failed("no `response.output_text.done`")),
        Some(done) if done == text => Ok(ok(format!("{n} deltas: {done:?}"))),
        Some(done) => Err(failed(format!(
            "the deltas say {text:?}, the done event {done:?}"
        ))),
    }
}

async fn audio_response_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Tell me something."), None).await?;
    let events = respond(&mut conn, json!({"output_modalities": ["audio"]})).await?;
    let audio: Vec<_> = of_kind(&events, "response.output_audio.delta").collect();
    if audio.is_empty() {
        return Err(failed("no `response.output_audio.delta`"));
    }
    let mut bytes = 0;
    for delta in &audio {
        match Base64Audio::new(delta.value["delta"].as_str().unwrap_or_default()).decode() {
            Ok(b) => bytes += b.len(),
            Err(err) => return Err(failed(format!("an audio delta is not base64: {err}"))),
        }
    }
    let (text, n, done) = joined(
        &events,
        "response.output_audio_transcript.delta",
        "response.output_audio_transcript.done",
        "transcript",
    );
    match done {
        _ if n == 0 => Err(failed("no `response.output_audio_transcript.delta`")),
        Some(done) if done == text => Ok(ok(format!(
            "{} audio deltas ({bytes} bytes), transcript {done:?}",
            audio.len()
        ))),
        done => Err(failed(format!(
            "the transcript deltas say {text:?}, the done event {done:?}"
        ))),
    }
}

async fn response_order_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Hi."), None).await?;
    let mut events = respond(&mut conn, Value::Null).await?;
    // Anything of the response sent after its `response.done`.
    events.extend(settle(&mut conn, Duration::from_millis(100)).await);
    let report = lifecycle(&events);
    if events.first().map(|e| e.kind.as_str()) != Some("response.created")
        && !events.iter().any(|e| e.kind == "response.created")
    {
        return Err(failed("no `response.created`"));
    }
    if report.order.is_empty() {
        Ok(ok(format!("{} events in order", events.len())))
    } else {
        Err(failed(listed(&report.order)))
    }
}

async fn response_references_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Hi."), None).await?;
    let mut events = respond(&mut conn, json!({"output_modalities": ["audio"]})).await?;
    events.extend(respond(&mut conn, json!({"output_modalities": ["text"]})).await?);
    let report = lifecycle(&events);
    if report.references.is_empty() {
        Ok(ok(format!(
            "{} events, every reference announced",
            events.len()
        )))
    } else {
        Err(failed(listed(&report.references)))
    }
}

async fn response_done_contents_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Hi."), None).await?;
    let events = respond(&mut conn, Value::Null).await?;
    let done = &events.last().expect("until returns its event").value["response"];
    let announced: Vec<&Value> = of_kind(&events, "response.output_item.added")
        .map(|e| &e.value["item"]["id"])
        .collect();
    let output: Vec<&Value> = done["output"]
        .as_array()
        .map(|o| o.iter().map(|i| &i["id"]).collect())
        .unwrap_or_default();
    if done["status"] != "completed" {
        return Err(failed(format!("status {}", done["status"])));
    }
    if output.is_empty() || output != announced {
        return Err(failed(format!(
            "`output` {output:?}, announced {announced:?}"
        )));
    }
    if !done["usage"]["total_tokens"].is_i64() {
        return Ok(non_strict("no `usage.total_tokens`"));
    }
    Ok(ok(format!(
        "completed with {} output item(s) and usage",
        output.len()
    )))
}

async fn out_of_band_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Hi."), None).await?;
    let events = respond(
        &mut conn,
        json!({"conversation": "none", "metadata": {"topic": "probe"}, "output_modalities": ["text"]}),
    )
    .await?;
    let added = events
        .iter()
        .filter(|e| e.kind == "conversation.item.added" || e.kind == "conversation.item.created")
        .count();
    let done = &events.last().expect("until returns its event").value["response"];
    if added > 0 {
        Err(failed(format!("{added} item(s) joined the conversation")))
    } else if done["metadata"]["topic"] != "probe" {
        Err(failed(format!(
            "`response.done` has metadata {}",
            done["metadata"]
        )))
    } else {
        Ok(ok("out of band, metadata returned"))
    }
}

async fn out_of_band_input_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let events = respond(
        &mut conn,
        json!({"conversation": "none", "input": [user_text("Only this.")], "output_modalities": ["text"]}),
    )
    .await?;
    let done = &events.last().expect("until returns its event").value["response"];
    let added = of_kind(&events, "conversation.item.added").count();
    if added > 0 {
        Err(failed(format!("{added} item(s) joined the conversation")))
    } else if done["status"] != "completed" {
        Err(failed(format!("status {}", done["status"])))
    } else {
        Ok(ok("completed out of band from its input"))
    }
}

async fn one_active_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Hi."), None).await?;
    conn.send(json!({"type": "response.create"})).await;
    let second = conn.send(json!({"type": "response.create"})).await;
    let mut events = conn
        .until_type("response.done")
        .await
        .map_err(|_| failed("no `response.done`"))?;
    events.extend(settle(&mut conn, Duration::from_millis(150)).await);
    let created = of_kind(&events, "response.created").count();
    let error = events.iter().find(|e| e.kind == "error").ok_or_else(|| {
        failed(format!(
            "no `error` for the second `response.create` ({created} responses created)"
        ))
    })?;
    if error.error_event_id() != second.as_deref() {
        return Err(failed(
            "the `error` does not echo the second `response.create`",
        ));
    }
    if created != 1 {
        return Err(failed(format!("{created} responses were created")));
    }
    match error.value["error"]["code"].as_str() {
        Some("conversation_already_has_active_response") => Ok(ok("the second was refused")),
        code => Ok(non_strict(format!("refused with code {code:?}"))),
    }
}

async fn cancel_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Talk for a while."), None).await?;
    conn.send(json!({"type": "response.create", "response": {"output_modalities": ["audio"]}}))
        .await;
    let mut events = conn
        .until(|e| e.kind == "response.output_audio.delta" || e.kind == "response.done")
        .await
        .map_err(|_| failed("no audio came"))?;
    conn.send(json!({"type": "response.cancel"})).await;
    events.extend(
        conn.until_type("response.done")
            .await
            .map_err(|_| failed("no `response.done` after the cancel"))?,
    );
    let done = &events.last().expect("until returns its event").value["response"];
    let report = lifecycle(&events);
    if done["status"] != "cancelled" {
        return Err(failed(format!("`response.done` says {}", done["status"])));
    }
    if !report.order.is_empty() {
        return Err(failed(listed(&report.order)));
    }
    Ok(ok("cancelled, the item's done events first"))
}

async fn function_call_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    session_update(
        &mut conn,
        json!({"type": "realtime", "tool_choice": "required", "output_modalities": ["text"], "tools": [{"type": "function", "name": "get_weather",
            "description": "Weather for a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]}),
    )
    .await?;
    create_item(&mut conn, user_text("What is the weather in Paris?"), None).await?;
    let events = respond(&mut conn, Value::Null).await?;
    let Some(done) = of_kind(&events, "response.function_call_arguments.done").next() else {
        if events
            .iter()
            .any(|e| e.kind.starts_with("response.function_call_arguments"))
        {
            return Err(failed(
                "`response.done` came before `response.function_call_arguments.done`",
            ));
        }
        return Ok(unimplemented("no function call was made"));
    };
    let call_id = done.value["call_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let arguments = done.value["arguments"].as_str().unwrap_or_default();
    let (deltas, n, _) = joined(&events, "response.function_call_arguments.delta", "-", "-");
    if serde_json::from_str::<Value>(arguments).is_err() {
        return Err(failed(format!("the arguments are not JSON: {arguments}")));
    }
    if n > 0 && deltas != arguments {
        return Err(failed("the argument deltas do not add up to the arguments"));
    }
    create_item(
        &mut conn,
        json!({"type": "function_call_output", "call_id": call_id, "output": "{\"celsius\": 21}"}),
        None,
    )
    .await?;
    session_update(
        &mut conn,
        json!({"type": "realtime", "tool_choice": "auto"}),
    )
    .await?;
    let answer = respond(&mut conn, Value::Null).await?;
    let status = &answer.last().expect("until returns its event").value["response"]["status"];
    if status == "completed" {
        Ok(ok(format!("called with {arguments}, then answered")))
    } else {
        Err(failed(format!("the answer to the call ended {status}")))
    }
}

async fn done_after_error_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Talk."), None).await?;
    conn.send(json!({"type": "response.create"})).await;
    conn.until_type("response.created")
        .await
        .map_err(|_| failed("no `response.created`"))?;
    let bad = conn.send(json!({"type": "conversation.item.delete"})).await;
    let events = conn.until_type("response.done").await;
    let (events, done) = match events {
        Ok(events) => (events, true),
        Err(events) => (events, false),
    };
    let errored = events.iter().any(|e| e.kind == "error");
    match (errored, done) {
        (true, true) => Ok(ok("`error`, then `response.done`")),
        (false, true) => Err(failed(format!(
            "no `error` for the invalid frame {}",
            bad.unwrap_or_default()
        ))),
        (_, false) => Err(failed("no `response.done` after the `error`")),
    }
}

async fn max_tokens_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Tell me a long story."), None).await?;
    let events = respond(
        &mut conn,
        json!({"max_output_tokens": 1, "output_modalities": ["text"]}),
    )
    .await?;
    let response = &events.last().expect("until returns its event").value["response"];
    let reason = &response["status_details"]["reason"];
    match (response["status"].as_str(), reason.as_str()) {
        (Some("incomplete"), Some("max_output_tokens")) => Ok(ok("incomplete, max_output_tokens")),
        (Some("incomplete"), _) => Ok(non_strict(format!("incomplete with reason {reason}"))),
        (status, _) => Err(failed(format!("status {status:?}"))),
    }
}

async fn modality_override_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Hi."), None).await?;
    let events = respond(&mut conn, json!({"output_modalities": ["text"]})).await?;
    let text = of_kind(&events, "response.output_text.delta").count();
    let audio = events.iter().filter(|e| e.kind.contains("audio")).count();
    match (text, audio) {
        (0, _) => Err(failed("no text deltas")),
        (_, 0) => Ok(ok(format!("{text} text deltas, no audio"))),
        (_, n) => Err(failed(format!("{n} audio events in a text response"))),
    }
}

async fn format_override_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Hi."), None).await?;
    let events = respond(
        &mut conn,
        json!({"output_modalities": ["audio"], "audio": {"output": {"format": {"type": "audio/pcmu"}}}}),
    )
    .await?;
    let done = &events.last().expect("until returns its event").value["response"];
    let deltas = of_kind(&events, "response.output_audio.delta").count();
    let format = &done["audio"]["output"]["format"]["type"];
    match (deltas, format.as_str()) {
        (0, _) => Err(failed("no audio deltas")),
        (_, Some("audio/pcmu")) => Ok(ok(format!("{deltas} deltas of audio/pcmu"))),
        (_, _) => Ok(non_strict(format!("`response.done` names format {format}"))),
    }
}

async fn rate_limits_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    create_item(&mut conn, user_text("Hi."), None).await?;
    let mut events = respond(&mut conn, json!({"output_modalities": ["text"]})).await?;
    let done_at = events.len();
    events.extend(settle(&mut conn, Duration::from_millis(100)).await);
    let at: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == "rate_limits.updated")
        .map(|(i, _)| i + 1)
        .collect();
    Ok(info(match at.as_slice() {
        [] => "no `rate_limits.updated`".to_owned(),
        at => format!(
            "`rate_limits.updated` as event(s) {at:?} of the response ({done_at} events to `response.done`)"
        ),
    }))
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

/// A session that uses most of the protocol; every event it received.
async fn tour(cx: &mut Ctx) -> Step<Vec<Judged>> {
    let mut conn = cx.session().await?;
    let ignore = |_: Step<Value>| ();
    ignore(
        session_update(
            &mut conn,
            json!({"type": "realtime", "instructions": "Be brief.",
                "audio": {"input": {"turn_detection": null, "transcription": {"model": "whisper-1"}}},
                "tools": [{"type": "function", "name": "get_time", "parameters": {"type": "object", "properties": {}}}]}),
        )
        .await,
    );
    let _ = commit(&mut conn, Encoding::Pcm16, 300).await;
    let _ = create_item(&mut conn, user_text("Hello there."), None).await;
    let _ = respond(&mut conn, json!({"output_modalities": ["audio"]})).await;
    let _ = respond(&mut conn, json!({"output_modalities": ["text"]})).await;
    let _ = respond(
        &mut conn,
        json!({"tool_choice": "required", "output_modalities": ["text"]}),
    )
    .await;
    conn.send(json!({"type": "conversation.item.retrieve", "item_id": "item_nope"}))
        .await;
    conn.send(json!({"type": "input_audio_buffer.clear"})).await;
    let _ = conn.until_type("input_audio_buffer.cleared").await;
    let _ = settle(&mut conn, Duration::from_millis(50)).await;
    Ok(std::mem::take(&mut conn.received))
}

/// Judges every event of the tour with `bad`, which says what is wrong
/// with one event (empty: nothing).
async fn judge_tour(cx: &mut Ctx, what: &str, bad: fn(&Judged) -> Vec<String>) -> Step<Outcome> {
    let events = tour(cx).await?;
    let mut problems = Vec::new();
    for (n, event) in events.iter().enumerate() {
        for problem in bad(event) {
            problems.push(format!("event {} (`{}`): {problem}", n + 1, event.kind));
        }
    }
    if events.len() < 10 {
        return Err(failed(format!("the tour got only {} events", events.len())));
    }
    match problems.len() {
        0 => Ok(ok(format!("{} events, every one {what}", events.len()))),
        _ => Err(failed(format!(
            "in {} events: {}",
            events.len(),
            listed(&problems)
        ))),
    }
}

async fn tour_parses_fn(cx: &mut Ctx) -> Step<Outcome> {
    judge_tour(cx, "parses as a ServerEvent", |e| {
        if e.parses {
            Vec::new()
        } else {
            e.check_errors.clone()
        }
    })
    .await
}

async fn tour_checks_fn(cx: &mut Ctx) -> Step<Outcome> {
    judge_tour(cx, "passes the checker", |e| e.check_errors.clone()).await
}

async fn tour_schema_fn(cx: &mut Ctx) -> Step<Outcome> {
    judge_tour(cx, "validates against the schema", |e| {
        e.schema_errors.clone()
    })
    .await
}

async fn tour_ga_names_fn(cx: &mut Ctx) -> Step<Outcome> {
    judge_tour(cx, "has a GA type", |e| {
        if e.not_ga || !crate::events::Family::Server.is_ga_type(&e.kind) {
            vec![format!("`{}` is not a GA server event type", e.kind)]
        } else {
            Vec::new()
        }
    })
    .await
}

async fn tour_unique_ids_fn(cx: &mut Ctx) -> Step<Outcome> {
    let events = tour(cx).await?;
    let mut seen = std::collections::HashSet::new();
    let repeated: Vec<_> = events
        .iter()
        .filter_map(|e| e.value["event_id"].as_str())
        .filter(|id| !seen.insert(*id))
        .collect();
    if repeated.is_empty() {
        Ok(ok(format!("{} distinct event ids", seen.len())))
    } else {
        Err(failed(format!("repeated event ids: {repeated:?}")))
    }
}

/// Seed frames for mutation when no generator was handed in.
const SEEDS: &[&str] = &[
    r#"{"type":"session.update","session":{"type":"realtime","instructions":"Be brief.","audio":{"output":{"voice":"ash"}}}}"#,
    r#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}"#,
    r#"{"type":"input_audio_buffer.append","audio":"AAAAAAAA"}"#,
    r#"{"type":"conversation.item.truncate","item_id":"item_1","content_index":0,"audio_end_ms":10}"#,
    r#"{"type":"input_audio_buffer.clear"}"#,
    r#"{"type":"conversation.item.retrieve","item_id":"item_1"}"#,
];

/// The next frame to mutate: generated when a generator was handed in.
fn next_seed(cx: &mut Ctx, n: usize) -> Vec<u8> {
    cx.frames
        .as_mut()
        .and_then(|next| next())
        .unwrap_or_else(|| SEEDS[n % SEEDS.len()].as_bytes().to_vec())
}

async fn fuzz_generated_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    if cx.frames.is_none() {
        return Ok(info(
            "no frame generator; see 8.2 for mutations of the seed frames",
        ));
    }
    let mut sent = 0;
    for n in 0..cx.fuzz {
        let frame = next_seed(cx, n);
        let text = String::from_utf8_lossy(&frame).into_owned();
        // Responses would stream for seconds each; the generator's
        // `response.create` frames are left to 8.2's mutations.
        if text.contains("\"response.create\"") {
            continue;
        }
        conn.send_raw(&text).await;
        sent += 1;
        let _ = conn.drain(Duration::from_millis(2)).await;
    }
    conn.send(json!({"type": "session.update", "session": {"type": "realtime", "instructions": "Still here?"}}))
        .await;
    match conn.until_type("session.updated").await {
        Ok(_) => Ok(ok(format!("{sent} generated frames; the session goes on"))),
        Err(_) if conn.closed.is_some() => Err(failed(format!("the server closed the connection within {sent} generated frames"))),
        Err(_) => Ok(non_strict(format!("{sent} generated frames; the final update got no `session.updated` (an earlier frame may have changed the session)"))),
    }
}

/// Sends `count` mutated frames one at a time; for each the checker
/// rejects, waits for its `error`. Returns the latencies and the misses.
async fn mutated(cx: &mut Ctx, count: usize) -> Step<(Vec<Duration>, Vec<String>)> {
    let mut conn = cx.session().await?;
    let mut latencies = Vec::new();
    let mut misses = Vec::new();
    let mut n = 0;
    let mut tries = 0;
    while latencies.len() + misses.len() < count && tries < count * 20 {
        tries += 1;
        let mut frame = next_seed(cx, n);
        n += 1;
        let size = frame.len();
        frame.resize(size * 2 + 64, 0);
        let max = frame.len();
        let seed = (n as u32).wrapping_mul(2_654_435_761);
        let Some(len) = crate::fuzzing::json_mutator::mutate(&mut frame, size, max, seed) else {
            continue;
        };
        frame.truncate(len);
        let Ok(text) = String::from_utf8(frame) else {
            continue;
        };
        let verdict =
            crate::check::verdict::judge(text.as_bytes(), Some(crate::events::Family::Client));
        let mut value: Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            Err(_) => Value::Null,
        };
        // Only frames the checker rejects must be answered by an `error`;
        // responses would stream for seconds, so they are skipped.
        if verdict.outcome.conforms() || text.contains("response.create") {
            continue;
        }
        let id = format!("evt_fuzz_{n}");
        if let Value::Object(members) = &mut value {
            members.insert("event_id".into(), id.clone().into());
        }
        let started = Instant::now();
        let expected = if value.is_object()
            && !crate::ClientEvent::from_slice(value.to_string().as_bytes())
                .is_ok_and(|e| crate::check::validate(&e).is_conformant())
        {
            conn.send_raw(&value.to_string()).await;
            Some(id)
        } else if value.is_object() {
            // Setting the id made it valid (the mutation was the id).
            continue;
        } else {
            conn.send_raw(&text).await;
            None
        };
        match error_for(&mut conn, expected.as_deref()).await {
            Ok(_) => latencies.push(started.elapsed()),
            Err(outcome) => {
                misses.push(format!(
                    "{}: {}",
                    super::super::conn::elide(&value),
                    outcome.happened
                ));
                if conn.closed.is_some() {
                    break;
                }
            }
        }
    }
    Ok((latencies, misses))
}

async fn fuzz_mutated_fn(cx: &mut Ctx) -> Step<Outcome> {
    let count = cx.fuzz;
    let (latencies, misses) = mutated(cx, count).await?;
    if misses.is_empty() {
        Ok(ok(format!(
            "{} invalid mutations, each answered",
            latencies.len()
        )))
    } else {
        Err(failed(format!(
            "of {} invalid mutations: {}",
            misses.len() + latencies.len(),
            listed(&misses)
        )))
    }
}

async fn latency_fn(cx: &mut Ctx) -> Step<Outcome> {
    let count = cx.fuzz.min(50);
    let (mut latencies, _) = mutated(cx, count).await?;
    if latencies.is_empty() {
        return Ok(info("no error was answered"));
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(info(format!(
        "{} answers: median {:.2} ms, p99 {:.2} ms, worst {:.2} ms",
        latencies.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0))
    )))
}

async fn deep_json_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let depth = 100_000;
    let text = format!(r#"{{"type":{}{}}}"#, "[".repeat(depth), "]".repeat(depth));
    conn.send_text(text, format!("{{\"type\": [[[… {depth} levels …]]]}}"))
        .await;
    error_for(&mut conn, None).await?;
    conn.send(json!({"type": "input_audio_buffer.clear"})).await;
    conn.until_type("input_audio_buffer.cleared")
        .await
        .map_err(|_| failed("no `input_audio_buffer.cleared` after the deep frame"))?;
    Ok(ok("`error`, and the session goes on"))
}

async fn pipelined_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let count = 50;
    for n in 0..count {
        let mut item = user_text(&format!("message {n}"));
        item["id"] = format!("item_probe_{n:03}").into();
        conn.send(json!({"type": "conversation.item.create", "item": item}))
            .await;
    }
    let mut order = Vec::new();
    while order.len() < count {
        let Some(event) = conn.next_event().await else {
            return Err(failed(format!(
                "{} of {count} items were added",
                order.len()
            )));
        };
        match event.kind.as_str() {
            "conversation.item.added" | "conversation.item.created" => order.push(
                event.value["item"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            "error" => {
                return Err(failed(format!(
                    "`error`: {}",
                    event.value["error"]["message"]
                )))
            }
            _ => {}
        }
    }
    let sorted = {
        let mut s = order.clone();
        s.sort();
        s
    };
    if order == sorted {
        Ok(ok(format!("{count} items added in order")))
    } else {
        Err(failed("the items were added out of order"))
    }
}

async fn frames_during_response_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    session_update(&mut conn, no_vad()).await?;
    create_item(&mut conn, user_text("Talk."), None).await?;
    conn.send(json!({"type": "response.create"})).await;
    conn.until_type("response.created")
        .await
        .map_err(|_| failed("no `response.created`"))?;
    for _ in 0..5 {
        conn.send(
            json!({"type": "input_audio_buffer.append", "audio": audio_b64(Encoding::Pcm16, 20)}),
        )
        .await;
    }
    conn.send(json!({"type": "input_audio_buffer.clear"})).await;
    let events = conn
        .until_type("response.done")
        .await
        .map_err(|_| failed("no `response.done`"))?;
    let cleared = events
        .iter()
        .position(|e| e.kind == "input_audio_buffer.cleared");
    match cleared {
        Some(_) => Ok(ok("the clear was confirmed while the response streamed")),
        None => {
            let later = conn.until_type("input_audio_buffer.cleared").await;
            match later {
                Ok(_) => Ok(non_strict(
                    "the clear was confirmed only after `response.done`",
                )),
                Err(_) => Err(failed("the clear was never confirmed")),
            }
        }
    }
}
