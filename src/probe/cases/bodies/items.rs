//! The bodies of section 4, conversation items.

use super::*;

bodies! {
    item_create => item_create_fn; item_client_id => item_client_id_fn;
    item_previous => item_previous_fn; item_root => item_root_fn;
    item_duplicate => item_duplicate_fn; item_retrieve => item_retrieve_fn;
    item_delete => item_delete_fn; truncate_within => truncate_within_fn;
    truncate_beyond => truncate_beyond_fn; truncate_user => truncate_user_fn;
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

/// Creates a user item saying `text`, then sends `conversation.item.VERB`
/// naming it; its id and the answer (`conversation.item.PAST`).
async fn act_on_new_item(
    conn: &mut Conn,
    text: &str,
    [verb, past]: [&str; 2],
) -> Step<(Value, Judged)> {
    let added = create_item(conn, user_text(text), None).await?;
    let id = added["item"]["id"].clone();
    let frame = json!({"type": format!("conversation.item.{verb}"), "item_id": id});
    let answer = answered(conn, frame, &[&format!("conversation.item.{past}")]).await?;
    Ok((id, answer))
}

async fn item_retrieve_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let (id, retrieved) = act_on_new_item(&mut conn, "Keep me.", ["retrieve", "retrieved"]).await?;
    let item = &retrieved.value["item"];
    if item["id"] == id && item["content"][0]["text"] == "Keep me." {
        Ok(ok(format!("retrieved {id}")))
    } else {
        Err(failed(format!("retrieved {item}")))
    }
}

async fn item_delete_fn(cx: &mut Ctx) -> Step<Outcome> {
    let mut conn = cx.session().await?;
    let (id, deleted) = act_on_new_item(&mut conn, "Delete me.", ["delete", "deleted"]).await?;
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
