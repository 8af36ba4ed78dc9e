//! The case table: stable ids by section, each with its requirement (in
//! our words, with the spec schema it comes from), the frames it sends,
//! its expectation and how it is judged ([`Kind`]). Most cases are data:
//! a frame the server must refuse ([`Kind::Refused`]) or a session change
//! it must echo ([`Kind::Echo`]); the others are bodies in `bodies`.

use std::time::Duration;

use serde_json::{json, Value};

use super::conn::{Conn, Judged};
use super::report::About;
use super::{failed, non_strict, ok, Body, Ctx, Outcome, Step};

mod bodies;
mod table;

pub use table::CASES;

/// How a case is run and judged.
pub enum Kind {
    /// Sends `setup` (each answered or not), then `frame`; the server must
    /// answer `frame` with an `error` echoing its `event_id`, ideally with
    /// a `code` among `codes` and `param` equal to `param` (otherwise
    /// NON-STRICT). `"$PCM<ms>"` in a frame becomes that much PCM16 audio.
    Refused {
        /// Frames sent first, answers not judged.
        setup: &'static [&'static str],
        /// The frame to refuse.
        frame: &'static str,
        /// The codes OpenAI's server uses for it (any when empty).
        codes: &'static [&'static str],
        /// The `param` it names, when one is expected.
        param: Option<&'static str>,
    },
    /// Sends `session.update` with `session`; `session.updated` must carry
    /// `value` at `pointer` of its session.
    Echo {
        /// The `session` member sent.
        session: &'static str,
        /// Where in the echoed session to look.
        pointer: &'static str,
        /// The JSON that must be there.
        value: &'static str,
    },
    /// Anything else.
    Run(Body),
}

/// One conformance case.
pub struct Case {
    /// Its id, title, requirement, spec, frames and expectation.
    pub about: About,
    /// How it runs.
    pub kind: Kind,
}

impl std::ops::Deref for Case {
    type Target = About;
    fn deref(&self) -> &About {
        &self.about
    }
}

impl Case {
    /// Runs the case.
    pub async fn run(&self, cx: &mut Ctx) -> Step<Outcome> {
        match &self.kind {
            Kind::Refused {
                setup,
                frame,
                codes,
                param,
            } => refused(cx, setup, frame, codes, *param).await,
            Kind::Echo {
                session,
                pointer,
                value,
            } => echo(cx, session, pointer, value).await,
            Kind::Run(body) => body(cx).await,
        }
    }
}

/// `"$PCM<ms>"` inside `frame` becomes that much PCM16 audio as base64.
pub(crate) fn expand(frame: &str) -> String {
    let Some(at) = frame.find("\"$PCM") else {
        return frame.to_owned();
    };
    let rest = &frame[at + 5..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let ms = digits.parse().unwrap_or(0);
    format!(
        "{}\"{}\"{}",
        &frame[..at],
        bodies::audio_b64(crate::protocol::audio::Encoding::Pcm16, ms),
        &rest[digits.len() + 1..]
    )
}

/// Sends `text` (giving a JSON object an `event_id`); returns the id.
pub(crate) async fn send_frame(conn: &mut Conn, text: &str) -> Option<String> {
    let text = expand(text);
    match serde_json::from_str::<Value>(&text) {
        Ok(value @ Value::Object(_)) => conn.send(value).await,
        _ => {
            conn.send_raw(&text).await;
            None
        }
    }
}

/// Waits for the `error` answering the client event `sent` (its
/// `event_id`, when it has one): FAILED when none comes, or when it does
/// not echo the id.
pub(crate) async fn error_for(conn: &mut Conn, sent: Option<&str>) -> Step<Value> {
    echoes(&first_of(conn, &["error"]).await?, sent)
}

fn no_error(conn: &Conn) -> String {
    format!(
        "no `error` within {:.1} s{}",
        conn.wait.as_secs_f64(),
        if conn.closed.is_some() {
            " (the server closed the connection)"
        } else {
            ""
        }
    )
}

/// The `error` object of `error`, when it echoes `sent` (if there is one).
fn echoes(error: &Judged, sent: Option<&str>) -> Step<Value> {
    if let Some(sent) = sent {
        match error.error_event_id() {
            Some(id) if id == sent => {}
            Some(id) => {
                return Err(failed(format!(
                    "the `error` names event_id {id}, not {sent}"
                )))
            }
            None => {
                return Err(failed(format!(
                    "the `error` does not echo the event_id {sent} (`error.event_id` is {})",
                    error.value["error"]["event_id"]
                )))
            }
        }
    }
    Ok(error.value["error"].clone())
}

/// The event that says a server took a client event of type `kind`.
fn accepted_by(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "session.update" => "session.updated",
        "input_audio_buffer.commit" => "input_audio_buffer.committed",
        "input_audio_buffer.clear" => "input_audio_buffer.cleared",
        "conversation.item.create" => "conversation.item.added",
        "conversation.item.retrieve" => "conversation.item.retrieved",
        "conversation.item.delete" => "conversation.item.deleted",
        "conversation.item.truncate" => "conversation.item.truncated",
        "response.create" => "response.created",
        "response.cancel" => "response.done",
        _ => return None,
    })
}

async fn refused(
    cx: &mut Ctx,
    setup: &[&str],
    frame: &str,
    codes: &[&str],
    param: Option<&str>,
) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    for step in setup {
        send_frame(&mut conn, step).await;
    }
    let sent = send_frame(&mut conn, frame).await;
    // A server that takes the frame says so with its usual answer; no
    // need to wait out the timeout for an `error` that will not come.
    let accepted = serde_json::from_str::<Value>(&expand(frame))
        .ok()
        .and_then(|v| accepted_by(v["type"].as_str()?));
    let answer = first_of(&mut conn, &["error", accepted.unwrap_or("error")]).await?;
    if answer.kind != "error" {
        return Err(failed(format!("the server accepted it: `{}`", answer.kind)));
    }
    let error = echoes(&answer, sent.as_deref())?;
    let code = error["code"].as_str().unwrap_or_default();
    let got_param = error["param"].as_str();
    let said = format!(
        "`error` code {} param {}{}: {}",
        error["code"],
        error["param"],
        if sent.is_some() {
            " echoing event_id"
        } else {
            ""
        },
        error["message"].as_str().unwrap_or_default()
    );
    if !codes.is_empty() && !codes.contains(&code) {
        return Ok(non_strict(format!(
            "{said} (expected code {})",
            codes.join(" or ")
        )));
    }
    if let Some(param) = param {
        if got_param != Some(param) {
            return Ok(non_strict(format!("{said} (expected param {param})")));
        }
    }
    Ok(ok(said))
}

async fn echo(cx: &mut Ctx, session: &str, pointer: &str, value: &str) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let session: Value = serde_json::from_str(session).expect("case tables hold JSON");
    let expected: Value = serde_json::from_str(value).expect("case tables hold JSON");
    let updated = session_update(&mut conn, session).await?;
    let got = updated.pointer(pointer).cloned().unwrap_or(Value::Null);
    // A `null` member and an absent one say the same here.
    if got == expected {
        Ok(ok(format!("`session.updated` has {pointer} = {got}")))
    } else {
        Err(failed(format!(
            "`session.updated` has {pointer} = {got}, not {expected}"
        )))
    }
}

/// Sends `session.update`; the session of `session.updated`, or FAILED
/// with the `error` that refused it.
pub(crate) async fn session_update(conn: &mut Conn, session: Value) -> Step<Value> {
    let frame = json!({"type": "session.update", "session": session});
    let updated = answered(conn, frame, &["session.updated"]).await?;
    Ok(updated.value["session"].clone())
}

/// The first event of one of `kinds`; FAILED naming them when none comes.
pub(crate) async fn first_of(conn: &mut Conn, kinds: &[&str]) -> Step<Judged> {
    match conn.until(|e| kinds.contains(&e.kind.as_str())).await {
        Ok(mut events) => Ok(events.pop().expect("until returns its event")),
        Err(_) if kinds == ["error"] => Err(failed(no_error(conn))),
        Err(_) => Err(failed(format!(
            "no `{}` within {:.1} s",
            kinds.join("` or `"),
            conn.wait.as_secs_f64()
        ))),
    }
}

/// Sends `frame`; its answer (one of `kinds`), FAILED when the server
/// refuses it with an `error` or does not answer.
pub(crate) async fn answered(conn: &mut Conn, frame: Value, kinds: &[&str]) -> Step<Judged> {
    conn.send(frame).await;
    let mut wanted = kinds.to_vec();
    wanted.push("error");
    let answer = first_of(conn, &wanted).await?;
    if answer.kind == "error" {
        return Err(failed(format!(
            "`{}` was refused: {}",
            kinds[0], answer.value["error"]["message"]
        )));
    }
    Ok(answer)
}

/// Waits out `wait` and returns what came (a short grace for servers
/// that answer late).
pub(crate) async fn settle(conn: &mut Conn, wait: Duration) -> Vec<Judged> {
    conn.drain(wait).await
}
