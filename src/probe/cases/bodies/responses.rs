//! The bodies of section 5, responses.

use super::*;

/// What the connection's [`Tracker`](crate::protocol::track::Tracker)
/// found about its responses, as lines: `order` (`event-after-done`,
/// `done-before-item-done`, `response-without-done`) and `references`
/// (`unannounced-id`, `output-reference-mismatch`).
struct Lifecycle {
    order: Vec<String>,
    references: Vec<String>,
}

/// The connection's [`Lifecycle`]; once the case has what it waits for
/// (a response not done by then counts as never done).
fn lifecycle(conn: &mut Conn) -> Lifecycle {
    use crate::protocol::report::{FindingRule, ProtocolRule as P};
    let mut report = Lifecycle {
        order: Vec::new(),
        references: Vec::new(),
    };
    for finding in conn.state_findings() {
        let list = match finding.rule {
            FindingRule::Protocol(
                P::EventAfterDone | P::DoneBeforeItemDone | P::ResponseWithoutDone,
            ) => &mut report.order,
            FindingRule::Protocol(P::UnannouncedId | P::OutputReferenceMismatch) => {
                &mut report.references
            }
            _ => continue,
        };
        list.push(format!(
            "frame {} (`{}`): {}",
            finding.at,
            finding.event_type.as_deref().unwrap_or_default(),
            finding.message
        ));
    }
    report
}

bodies! {
    text_response => text_response_fn; audio_response => audio_response_fn;
    response_order => response_order_fn; response_references => response_references_fn;
    response_done_contents => response_done_contents_fn; out_of_band => out_of_band_fn;
    out_of_band_input => out_of_band_input_fn; one_active => one_active_fn; cancel => cancel_fn;
    function_call => function_call_fn; done_after_error => done_after_error_fn;
    max_tokens => max_tokens_fn; modality_override => modality_override_fn;
    format_override => format_override_fn; rate_limits => rate_limits_fn;
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
    let report = lifecycle(&mut conn);
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
    let report = lifecycle(&mut conn);
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
    let report = lifecycle(&mut conn);
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
