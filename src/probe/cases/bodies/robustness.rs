//! The bodies of section 8, robustness.

use super::*;

bodies! {
    fuzz_generated => fuzz_generated_fn; fuzz_mutated => fuzz_mutated_fn; latency => latency_fn;
    deep_json => deep_json_fn; pipelined => pipelined_fn;
    frames_during_response => frames_during_response_fn;
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
                    crate::probe::conn::elide(&value),
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
