//! Free-form JSON (a function tool's `parameters`, unknown members) at the
//! sizes real schemas reach: nested as deep as the parser allows, and wide,
//! with member order kept at every depth.

use proptest::prelude::*;
use realtime_harness::fidelity::{changes, Change};
use realtime_harness::rng::SplitMix64;
use realtime_harness::ClientEvent;
use serde_json::{json, Map, Value};

use crate::fidelity::frame_of;
use crate::json::{depth, json_leaf, levels, member_name, nested};
use crate::mutation::tags_last;
use crate::robustness::check_error;

/// A frame carrying one function tool with these `parameters`, in a session
/// or in a response.
fn tool_frame(parameters: Map<String, Value>, in_response: bool) -> Value {
    let tool = json!({"type": "function", "name": "f", "parameters": parameters});
    if in_response {
        json!({"type": "response.create", "response": {"tools": [tool]}})
    } else {
        json!({"type": "session.update", "session": {"type": "realtime", "tools": [tool]}})
    }
}

fn parameters_of(frame: &Value, in_response: bool) -> Option<&Value> {
    let pointer = if in_response {
        "/response/tools/0/parameters"
    } else {
        "/session/tools/0/parameters"
    };
    frame.pointer(pointer)
}

/// A JSON Schema object with `width` properties in a random order (names
/// from `choices`), as large tool definitions have.
fn wide_schema(width: usize, choices: &mut SplitMix64) -> Map<String, Value> {
    const TYPES: [&str; 5] = ["string", "integer", "number", "boolean", "object"];
    let mut properties = Map::new();
    for i in 0..width {
        let len = 1 + choices.below(10);
        let name: String = (0..len)
            .map(|_| char::from(b'a' + choices.below(26) as u8))
            .chain(i.to_string().chars())
            .collect();
        let mut property = Map::new();
        property.insert(
            "type".to_owned(),
            Value::from(TYPES[choices.below(TYPES.len())]),
        );
        if choices.one_in(2) {
            property.insert(
                "description".to_owned(),
                Value::from(format!("property {i}")),
            );
        }
        if choices.one_in(4) {
            property.insert("enum".to_owned(), json!(["b", "a", i]));
        }
        properties.insert(name, Value::Object(property));
    }
    let mut required: Vec<Value> = properties.keys().map(|k| Value::from(k.as_str())).collect();
    choices.shuffle(&mut required);
    let mut schema = Map::new();
    schema.insert("type".to_owned(), Value::from("object"));
    schema.insert("properties".to_owned(), Value::Object(properties));
    schema.insert("required".to_owned(), Value::Array(required));
    schema
}

proptest! {
    #![proptest_config(suite_config!("free_form"))]

    /// The model reads free-form JSON exactly as deep as serde_json does
    /// (its nesting limit is the only one), with tags first or last.
    #[test]
    fn deep_parameters_parse_as_deep_as_json_does(
        levels in levels(140),
        leaf in json_leaf(),
        in_response in any::<bool>(),
        late_tags in any::<bool>(),
    ) {
        let mut frame = tool_frame(Map::from_iter([("p".to_owned(), nested(&levels, leaf))]), in_response);
        if late_tags {
            tags_last(&mut frame);
        }
        let text = serde_json::to_vec(&frame).expect("a Value serializes");
        let read = serde_json::from_slice::<Value>(&text);
        match (ClientEvent::from_slice(&text), read) {
            (Ok(event), Ok(read)) => {
                prop_assert_eq!(changes(&read, &frame_of(&event)), Vec::<Change>::new());
            }
            (Err(e), Err(_)) => {
                check_error(&e, &text)?;
                prop_assert!(e.line() > 0, "{:?}", e);
            }
            (Ok(_), Err(json)) => prop_assert!(false, "the model read a frame of depth {} that serde_json refuses: {}", depth(&frame), json),
            (Err(e), Ok(_)) => prop_assert!(false, "a frame of depth {} that serde_json reads was refused: {}", depth(&frame), e),
        }
    }

    /// Hundreds of members, kept in their order at every depth.
    #[test]
    fn wide_parameters_keep_member_order(
        width in 0..=400usize,
        seed in any::<u64>(),
        in_response in any::<bool>(),
    ) {
        let parameters = wide_schema(width, &mut SplitMix64::new(seed));
        let text = serde_json::to_vec(&tool_frame(parameters, in_response)).expect("a Value serializes");
        let read: Value = serde_json::from_slice(&text).expect("valid JSON");
        let event = ClientEvent::from_slice(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let after = frame_of(&event);
        let before = parameters_of(&read, in_response).map(Value::to_string);
        prop_assert_eq!(parameters_of(&after, in_response).map(Value::to_string), before);
    }

    /// Many unknown members on an event, in any order, come back in it.
    #[test]
    fn many_unknown_members_keep_their_order(
        names in prop::collection::vec(member_name(), 0..100),
        late_type in any::<bool>(),
    ) {
        let mut members = Map::new();
        if !late_type {
            members.insert("type".to_owned(), Value::from("input_audio_buffer.clear"));
        }
        for (i, name) in names.into_iter().enumerate() {
            if name != "type" && name != "event_id" {
                members.insert(name, Value::from(i));
            }
        }
        if late_type {
            members.insert("type".to_owned(), Value::from("input_audio_buffer.clear"));
        }
        let text = Value::Object(members.clone()).to_string();
        let event = ClientEvent::from_slice(text.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let extra: Vec<String> = event.extra().map(|e| e.iter().map(|(k, _)| k.into_owned()).collect()).unwrap_or_default();
        let sent: Vec<String> = members.keys().filter(|k| *k != "type").cloned().collect();
        prop_assert_eq!(extra, sent);
    }
}
