//! The order and cross-references of the events of responses, as a client
//! sees them (`RealtimeServerEventResponse*`): `response.created` before
//! anything names the response; `response.output_item.added` before
//! anything names its item (at the next `output_index`);
//! `response.content_part.added` before deltas of its part; nothing of an
//! item after its `response.output_item.done`; `response.done` after the
//! done events of all its items, and nothing of the response after it.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::conn::Judged;

/// What was wrong with a stream of response events.
#[derive(Debug, Default)]
pub struct Lifecycle {
    /// Events out of order (after a done, `response.done` too early, a
    /// response never done).
    pub order: Vec<String>,
    /// Ids and indexes named before they were announced.
    pub references: Vec<String>,
    /// `response.created` seen.
    pub created: usize,
    /// `response.done` seen.
    pub done: usize,
}

#[derive(Default)]
struct Response {
    items: Vec<String>,
    done: bool,
}

struct Item {
    response: String,
    output_index: i64,
    parts: HashSet<i64>,
    done: bool,
}

/// Judges the events of a connection (other events are ignored).
pub fn lifecycle(events: &[Judged]) -> Lifecycle {
    let mut report = Lifecycle::default();
    let mut responses: HashMap<String, Response> = HashMap::new();
    let mut items: HashMap<String, Item> = HashMap::new();
    for (n, event) in events.iter().enumerate() {
        let v = &event.value;
        let kind = event.kind.as_str();
        let at = format!("event {} (`{kind}`)", n + 1);
        match kind {
            "response.created" => {
                report.created += 1;
                if let Some(id) = v["response"]["id"].as_str() {
                    responses.insert(id.to_owned(), Response::default());
                }
                continue;
            }
            "response.done" => {
                report.done += 1;
                let Some(id) = v["response"]["id"].as_str() else {
                    continue;
                };
                match responses.get_mut(id) {
                    None => report
                        .references
                        .push(format!("{at}: response {id} was never created")),
                    Some(response) => {
                        for item in &response.items {
                            if items.get(item).is_some_and(|i| !i.done) {
                                report.order.push(format!(
                                    "{at}: `response.done` before `response.output_item.done` of {item}"
                                ));
                            }
                        }
                        response.done = true;
                    }
                }
                continue;
            }
            _ => {}
        }
        let Some(response_id) = v["response_id"].as_str() else {
            continue;
        };
        let Some(response) = responses.get_mut(response_id) else {
            report.references.push(format!(
                "{at}: `response_id` {response_id} was not announced by `response.created`"
            ));
            continue;
        };
        if response.done {
            report
                .order
                .push(format!("{at}: after `response.done` of {response_id}"));
        }
        let output_index = v["output_index"].as_i64();
        if kind == "response.output_item.added" {
            let Some(id) = v["item"]["id"].as_str() else {
                continue;
            };
            let expected = response.items.len() as i64;
            if output_index != Some(expected) {
                report.references.push(format!(
                    "{at}: `output_index` {} where the next output is {expected}",
                    show(&v["output_index"])
                ));
            }
            response.items.push(id.to_owned());
            items.insert(
                id.to_owned(),
                Item {
                    response: response_id.to_owned(),
                    output_index: output_index.unwrap_or(expected),
                    parts: HashSet::new(),
                    done: false,
                },
            );
            continue;
        }
        let item_id = match kind {
            "response.output_item.done" => v["item"]["id"].as_str(),
            _ => v["item_id"].as_str(),
        };
        let Some(item_id) = item_id else {
            continue;
        };
        let Some(item) = items.get_mut(item_id) else {
            report.references.push(format!(
                "{at}: item {item_id} was not announced by `response.output_item.added`"
            ));
            continue;
        };
        if item.response != response_id {
            report.references.push(format!(
                "{at}: item {item_id} belongs to {}, not {response_id}",
                item.response
            ));
        }
        if output_index.is_some_and(|i| i != item.output_index) {
            report.references.push(format!(
                "{at}: `output_index` {} but item {item_id} is output {}",
                show(&v["output_index"]),
                item.output_index
            ));
        }
        if item.done {
            report.order.push(format!(
                "{at}: after `response.output_item.done` of {item_id}"
            ));
        }
        let content_index = v["content_index"].as_i64();
        match (kind, content_index) {
            ("response.output_item.done", _) => item.done = true,
            ("response.content_part.added", Some(index)) => {
                item.parts.insert(index);
            }
            (_, Some(index)) if !item.parts.contains(&index) => {
                report.references.push(format!(
                    "{at}: `content_index` {index} of {item_id} was not announced by `response.content_part.added`"
                ));
            }
            _ => {}
        }
    }
    for (id, response) in &responses {
        if !response.done {
            report
                .order
                .push(format!("response {id} has no `response.done`"));
        }
    }
    report
}

fn show(value: &Value) -> String {
    match value {
        Value::Null => "(none)".to_owned(),
        other => other.to_string(),
    }
}
