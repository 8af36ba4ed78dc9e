//! The protocol machine under generated client event sequences, against a
//! small reference model of the conversation: which frames are refused,
//! the order of the conversation's items, whether a response is active,
//! how much audio is buffered. And, for every sequence: `session.created`
//! first, every `error` echoes its frame's `event_id`, every emitted event
//! round-trips through `to_vec`/`from_slice`, and every `response.created`
//! is followed by its `response.done`.
//!
//!     cargo test --test serve_machine

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use realtime_harness::protocol::{Machine, Options, Output};
use realtime_harness::{Base64Audio, RealtimeServerEvent, ServerEvent};
use serde_json::{json, Value};

/// One client action. Item ids are small numbers, so that generated
/// references hit existing items about as often as missing ones.
#[derive(Clone, Debug)]
enum Op {
    Create {
        id: u8,
        after: Option<Option<u8>>,
    },
    Delete(u8),
    Retrieve(u8),
    Append {
        ms: u16,
    },
    Commit,
    Clear,
    Respond,
    Cancel,
    /// Let the active response stream this many steps.
    Advance(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..6u8, proptest::option::of(proptest::option::of(0..6u8)))
            .prop_map(|(id, after)| Op::Create { id, after }),
        (0..6u8).prop_map(Op::Delete),
        (0..6u8).prop_map(Op::Retrieve),
        (0..200u16).prop_map(|ms| Op::Append { ms }),
        Just(Op::Commit),
        Just(Op::Clear),
        Just(Op::Respond),
        Just(Op::Cancel),
        (1..40u8).prop_map(Op::Advance),
    ]
}

/// What the reference model expects of the conversation.
#[derive(Debug, Default)]
struct Reference {
    items: Vec<String>,
    active: bool,
    buffered_ms: u64,
}

/// Feeds one frame; returns the events it produced.
fn feed(machine: &mut Machine, frame: Value, out: &mut Output) -> Vec<ServerEvent> {
    out.clear();
    machine.receive_text(frame.to_string().as_bytes(), out);
    out.events.clone()
}

fn is_error(events: &[ServerEvent]) -> bool {
    events.first().map(ServerEvent::wire_type) == Some("error")
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut machine = Machine::new(Options::default());
    let mut out = Output::default();
    machine.start(&mut out);
    prop_assert_eq!(out.events[0].wire_type(), "session.created");
    let mut all: Vec<ServerEvent> = out.events.clone();
    let mut model = Reference::default();
    // Manual turns: the model does not simulate VAD.
    feed(
        &mut machine,
        json!({"type": "session.update", "session": {"type": "realtime", "output_modalities": ["text"],
            "audio": {"input": {"turn_detection": null}}}}),
        &mut out,
    );
    for (n, op) in ops.iter().enumerate() {
        let event_id = format!("evt_{n}");
        let frame = match op {
            Op::Create { id, after } => {
                let mut frame = json!({"type": "conversation.item.create", "event_id": event_id,
                    "item": {"id": format!("i{id}"), "type": "message", "role": "user",
                        "content": [{"type": "input_text", "text": "hello"}]}});
                match after {
                    None => {}
                    Some(None) => frame["previous_item_id"] = json!("root"),
                    Some(Some(p)) => frame["previous_item_id"] = json!(format!("i{p}")),
                }
                frame
            }
            Op::Delete(id) => {
                json!({"type": "conversation.item.delete", "event_id": event_id, "item_id": format!("i{id}")})
            }
            Op::Retrieve(id) => {
                json!({"type": "conversation.item.retrieve", "event_id": event_id, "item_id": format!("i{id}")})
            }
            Op::Append { ms } => json!({"type": "input_audio_buffer.append", "event_id": event_id,
                "audio": Base64Audio::encode(&vec![0u8; *ms as usize * 48]).into_string()}),
            Op::Commit => json!({"type": "input_audio_buffer.commit", "event_id": event_id}),
            Op::Clear => json!({"type": "input_audio_buffer.clear", "event_id": event_id}),
            Op::Respond => json!({"type": "response.create", "event_id": event_id}),
            Op::Cancel => json!({"type": "response.cancel", "event_id": event_id}),
            Op::Advance(steps) => {
                out.clear();
                for _ in 0..*steps {
                    if machine.advance(&mut out).is_none() {
                        break;
                    }
                }
                let finished = out
                    .events
                    .iter()
                    .any(|e| e.to_event_type() == Some(RealtimeServerEvent::ResponseDone));
                if machine.active_response().is_none() && model.active {
                    prop_assert!(finished, "the response ended without response.done");
                    model.active = false;
                }
                for event in &out.events {
                    if event.to_event_type() == Some(RealtimeServerEvent::ConversationItemAdded) {
                        let Value::String(id) = json_of(event)["item"]["id"].clone() else {
                            unreachable!()
                        };
                        model.items.push(id);
                    }
                }
                all.extend(out.events.iter().cloned());
                continue;
            }
        };
        let events = feed(&mut machine, frame, &mut out);
        let refused = is_error(&events);
        // What the reference model says about this frame.
        let expect_refused = match op {
            Op::Create { id, after } => {
                let id = format!("i{id}");
                let missing_after =
                    matches!(after, Some(Some(p)) if !model.items.contains(&format!("i{p}")));
                let refused = model.items.contains(&id) || missing_after;
                if !refused {
                    let at = match after {
                        None => model.items.len(),
                        Some(None) => 0,
                        Some(Some(p)) => {
                            model
                                .items
                                .iter()
                                .position(|i| *i == format!("i{p}"))
                                .unwrap()
                                + 1
                        }
                    };
                    model.items.insert(at, id);
                }
                refused
            }
            Op::Delete(id) => {
                let id = format!("i{id}");
                let found = model.items.iter().position(|i| *i == id);
                if let Some(at) = found {
                    model.items.remove(at);
                }
                found.is_none()
            }
            Op::Retrieve(id) => !model.items.contains(&format!("i{id}")),
            Op::Append { ms } => {
                model.buffered_ms += u64::from(*ms);
                false
            }
            Op::Commit => {
                let refused = model.buffered_ms < 100;
                if !refused {
                    model.buffered_ms = 0;
                    let Value::String(id) = json_of(&events[0])["item_id"].clone() else {
                        unreachable!()
                    };
                    model.items.push(id);
                }
                refused
            }
            Op::Clear => {
                model.buffered_ms = 0;
                false
            }
            Op::Respond => {
                let refused = model.active;
                model.active = true;
                refused
            }
            Op::Cancel => {
                let refused = !model.active;
                model.active = false;
                refused
            }
            Op::Advance(_) => unreachable!(),
        };
        prop_assert_eq!(
            refused,
            expect_refused,
            "{:?} gave {:?}",
            op,
            types(&events)
        );
        if refused {
            let error = json_of(&events[0]);
            prop_assert_eq!(&error["error"]["event_id"], &json!(event_id));
        }
        if matches!(op, Op::Respond) && !refused {
            prop_assert_eq!(events[0].wire_type(), "response.created");
        }
        all.extend(events);
        prop_assert_eq!(machine.active_response().is_some(), model.active);
        prop_assert_eq!(machine.buffered_ms(), model.buffered_ms);
        let ids: Vec<&str> = machine
            .conversation()
            .items()
            .iter()
            .map(|i| i.id())
            .collect();
        prop_assert_eq!(
            ids,
            model.items.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
    // Let the last response finish: every `response.created` has its `response.done`.
    out.clear();
    while machine.advance(&mut out).is_some() {}
    all.extend(out.events.iter().cloned());
    let created = all
        .iter()
        .filter(|e| e.wire_type() == "response.created")
        .count();
    let done = all
        .iter()
        .filter(|e| e.wire_type() == "response.done")
        .count();
    prop_assert_eq!(created, done);
    for event in &all {
        let known = !matches!(event, ServerEvent::Unknown { .. });
        prop_assert!(known, "an Unknown event: {:?}", event);
        let bytes = event.to_vec();
        prop_assert_eq!(&ServerEvent::from_slice(&bytes).unwrap(), event);
    }
    Ok(())
}

fn json_of(event: &ServerEvent) -> Value {
    serde_json::from_slice(&event.to_vec()).unwrap()
}

fn types(events: &[ServerEvent]) -> Vec<&str> {
    events.iter().map(ServerEvent::wire_type).collect()
}

proptest! {
    #![proptest_config(Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x5e47e),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn the_machine_agrees_with_the_reference_model(ops in proptest::collection::vec(op(), 0..60)) {
        run(&ops)?;
    }
}

/// One hand-written sequence through every kind of action, so that the
/// property's paths are exercised whatever proptest draws.
#[test]
fn a_fixed_sequence_through_every_action() {
    let ops = [
        Op::Create { id: 1, after: None },
        Op::Create {
            id: 2,
            after: Some(None),
        },
        Op::Create {
            id: 3,
            after: Some(Some(1)),
        },
        Op::Create {
            id: 4,
            after: Some(Some(5)),
        },
        Op::Create { id: 1, after: None },
        Op::Append { ms: 60 },
        Op::Commit,
        Op::Append { ms: 60 },
        Op::Commit,
        Op::Respond,
        Op::Respond,
        Op::Advance(3),
        Op::Delete(3),
        Op::Retrieve(3),
        Op::Cancel,
        Op::Cancel,
        Op::Append { ms: 150 },
        Op::Clear,
        Op::Respond,
        Op::Advance(40),
    ];
    run(&ops).unwrap();
}
