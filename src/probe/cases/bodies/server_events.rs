//! The bodies of section 7, server events.

use super::*;

bodies! {
    tour_parses => tour_parses_fn; tour_checks => tour_checks_fn; tour_schema => tour_schema_fn;
    tour_ga_names => tour_ga_names_fn; tour_unique_ids => tour_unique_ids_fn;
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
