//! The bodies of the cases that are more than one frame and one answer.
//! Each is a plain `async` function wrapped by `body!` into a [`Body`].

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::super::conn::{Auth, Conn, Incoming, Judged};
use super::super::{failed, info, non_strict, ok, unimplemented, Body, Ctx, Outcome, Step};
use super::{answered, error_for, first_of, send_frame, session_update, settle};
use crate::model::Base64Audio;
use crate::protocol::audio::Encoding;

/// Declares `pub const NAME: Body` from an `async fn` of a `&mut Ctx`.
macro_rules! bodies {
    ( $( $name:ident => $fun:ident; )* ) => {
        $(
            #[allow(non_upper_case_globals)]
            pub const $name: Body = |cx| Box::pin($fun(cx));
        )*
    };
}

mod audio;
mod connection;
mod errors;
mod items;
mod responses;
mod robustness;
mod server_events;
mod session;

pub use audio::*;
pub use connection::*;
pub use errors::*;
pub use items::*;
pub use responses::*;
pub use robustness::*;
pub use server_events::*;
pub use session::*;

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
