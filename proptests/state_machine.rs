//! The protocol state machine ([`Machine`], which `serve` runs) against a
//! small reference model, with a [`Tracker`] (the stateful checks of
//! captures and of the proxy) watching both directions.
//!
//! Generated sequences of client events (items created, deleted and
//! retrieved by id, audio appended, committed and cleared, responses
//! created, cancelled and run to the end, frames the model rejects). The
//! reference model is a few lines of state: which of our item ids exist,
//! how much audio is buffered, whether a response is active. After each
//! step:
//!
//! - the machine answers with exactly one `error` where the model says the
//!   event is refused, none elsewhere, and the error names the event's
//!   `event_id`;
//! - the machine's active response and our items are what the model says;
//! - the tracker finds nothing wrong with the server, and warns about the
//!   client exactly where the model says a `response.create` came while a
//!   response was active;
//! - at the end every response has had its `response.done`.

use proptest::prelude::*;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};
use realtime_harness::check::Severity;
use realtime_harness::events::Family;
use realtime_harness::protocol::track::{StateFinding, Tracker};
use realtime_harness::protocol::{
    FindingRule, Machine, Options, Output, ProtocolRule, MIN_COMMIT_MS,
};
use realtime_harness::ServerEvent;
use serde_json::{json, Value};

/// Our item ids: few, so that creates collide and deletes hit.
const IDS: u8 = 4;

fn id(n: u8) -> String {
    format!("item_p{n}")
}

/// Where a created item goes.
#[derive(Clone, Debug)]
enum Previous {
    End,
    Root,
    After(u8),
}

/// One client step.
#[derive(Clone, Debug)]
enum Step {
    Create {
        id: u8,
        previous: Previous,
    },
    Delete(u8),
    Retrieve(u8),
    Append {
        ms: u64,
    },
    Commit,
    Clear,
    Respond,
    Cancel,
    /// The active response streams to its end.
    Finish,
    /// A frame the model rejects (`output_modalities` not an array).
    Rejected,
}

/// The reference model.
#[derive(Clone, Debug, Default)]
struct Model {
    items: Vec<u8>,
    buffered_ms: u64,
    active: bool,
    /// The last step is refused with an `error`.
    refused: bool,
    /// The last step was a `response.create` while a response was active.
    create_while_active: bool,
}

impl ReferenceStateMachine for Model {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::default()).boxed()
    }

    fn transitions(_: &Model) -> BoxedStrategy<Step> {
        let previous = prop_oneof![
            Just(Previous::End),
            Just(Previous::Root),
            (0..IDS).prop_map(Previous::After),
        ];
        prop_oneof![
            3 => (0..IDS, previous).prop_map(|(id, previous)| Step::Create { id, previous }),
            1 => (0..IDS).prop_map(Step::Delete),
            1 => (0..IDS).prop_map(Step::Retrieve),
            2 => (0u64..80).prop_map(|ms| Step::Append { ms }),
            1 => Just(Step::Commit),
            1 => Just(Step::Clear),
            2 => Just(Step::Respond),
            1 => Just(Step::Cancel),
            2 => Just(Step::Finish),
            1 => Just(Step::Rejected),
        ]
        .boxed()
    }

    fn apply(mut model: Model, step: &Step) -> Model {
        model.refused = false;
        model.create_while_active = false;
        match step {
            Step::Create { id, previous } => {
                let placed = match previous {
                    Previous::End | Previous::Root => true,
                    Previous::After(p) => model.items.contains(p),
                };
                model.refused = model.items.contains(id) || !placed;
                if !model.refused {
                    model.items.push(*id);
                }
            }
            Step::Delete(id) => {
                model.refused = !model.items.contains(id);
                model.items.retain(|i| i != id);
            }
            Step::Retrieve(id) => model.refused = !model.items.contains(id),
            Step::Append { ms } => model.buffered_ms += ms,
            Step::Commit => {
                model.refused = model.buffered_ms < MIN_COMMIT_MS;
                if !model.refused {
                    model.buffered_ms = 0;
                }
            }
            Step::Clear => model.buffered_ms = 0,
            Step::Respond => {
                model.refused = model.active;
                model.create_while_active = model.active;
                model.active = true;
            }
            Step::Cancel => {
                model.refused = !model.active;
                model.active = false;
            }
            Step::Finish => model.active = false,
            Step::Rejected => model.refused = true,
        }
        model
    }
}

/// The machine, the onlooker, and the frame count.
struct System {
    machine: Machine,
    tracker: Tracker,
    out: Output,
    at: u64,
}

impl System {
    /// Feeds the machine's events to the tracker; returns them and what
    /// the tracker found.
    fn drain(&mut self, found: &mut Vec<StateFinding>) -> Vec<ServerEvent> {
        let events: Vec<ServerEvent> = self.out.events.drain(..).collect();
        self.out.findings.clear();
        for event in &events {
            self.at += 1;
            self.tracker.server(self.at, &event.to_vec(), found);
        }
        events
    }

    fn send(&mut self, frame: &Value, found: &mut Vec<StateFinding>) -> Vec<ServerEvent> {
        let bytes = frame.to_string().into_bytes();
        self.at += 1;
        self.tracker.client(self.at, &bytes, found);
        self.machine.receive_text(&bytes, &mut self.out);
        self.drain(found)
    }

    fn finish_response(&mut self, found: &mut Vec<StateFinding>) -> Vec<ServerEvent> {
        let mut guard = 0;
        while self.machine.advance(&mut self.out).is_some() {
            guard += 1;
            assert!(guard < 10_000, "a response that never ends");
        }
        self.drain(found)
    }
}

fn frame(step: &Step, event_id: &str) -> Option<Value> {
    Some(match step {
        Step::Create { id: n, previous } => {
            let mut frame = json!({"type": "conversation.item.create", "event_id": event_id,
                "item": {"id": id(*n), "type": "message", "role": "user",
                    "content": [{"type": "input_text", "text": "hi"}]}});
            match previous {
                Previous::End => {}
                Previous::Root => frame["previous_item_id"] = json!("root"),
                Previous::After(p) => frame["previous_item_id"] = json!(id(*p)),
            }
            frame
        }
        Step::Delete(n) => {
            json!({"type": "conversation.item.delete", "event_id": event_id, "item_id": id(*n)})
        }
        Step::Retrieve(n) => {
            json!({"type": "conversation.item.retrieve", "event_id": event_id, "item_id": id(*n)})
        }
        Step::Append { ms } => {
            use base64::Engine as _;
            let silence = vec![0u8; *ms as usize * 48];
            json!({"type": "input_audio_buffer.append", "event_id": event_id,
                "audio": base64::engine::general_purpose::STANDARD.encode(silence)})
        }
        Step::Commit => json!({"type": "input_audio_buffer.commit", "event_id": event_id}),
        Step::Clear => json!({"type": "input_audio_buffer.clear", "event_id": event_id}),
        Step::Respond => json!({"type": "response.create", "event_id": event_id,
            "response": {"output_modalities": ["text"]}}),
        Step::Cancel => json!({"type": "response.cancel", "event_id": event_id}),
        Step::Rejected => json!({"type": "response.create", "event_id": event_id,
            "response": {"output_modalities": "text"}}),
        Step::Finish => return None,
    })
}

struct MachineTest;

impl StateMachineTest for MachineTest {
    type SystemUnderTest = System;
    type Reference = Model;

    fn init_test(_: &Model) -> System {
        let mut system = System {
            machine: Machine::new(Options::default()),
            tracker: Tracker::new(),
            out: Output::default(),
            at: 0,
        };
        let mut found = Vec::new();
        system.machine.start(&mut system.out);
        system.drain(&mut found);
        // No server VAD: the model has no turns of its own.
        let update = json!({"type": "session.update", "event_id": "evt_setup", "session": {
            "type": "realtime", "audio": {"input": {"turn_detection": null}}}});
        let events = system.send(&update, &mut found);
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(found.is_empty(), "{found:?}");
        system
    }

    fn apply(mut system: System, model: &Model, step: Step) -> System {
        let event_id = format!("evt_{}", system.at + 1);
        let mut found = Vec::new();
        let events = match frame(&step, &event_id) {
            Some(frame) => system.send(&frame, &mut found),
            None => system.finish_response(&mut found),
        };
        let errors: Vec<Value> = events
            .iter()
            .filter(|e| e.wire_type() == "error")
            .map(|e| serde_json::from_slice(&e.to_vec()).unwrap())
            .collect();
        assert_eq!(
            errors.len(),
            usize::from(model.refused),
            "{step:?}: errors {errors:?}"
        );
        for error in &errors {
            assert_eq!(error["error"]["event_id"], event_id.as_str(), "{error}");
        }
        let server: Vec<&StateFinding> = found
            .iter()
            .filter(|f| f.direction == Family::Server)
            .collect();
        assert!(server.is_empty(), "{step:?}: {server:?}");
        let warned = found
            .iter()
            .any(|f| f.rule == FindingRule::Protocol(ProtocolRule::ResponseWhileActive));
        assert_eq!(warned, model.create_while_active, "{step:?}: {found:?}");
        assert!(
            found.iter().all(|f| f.severity == Severity::Warning),
            "{step:?}: {found:?}"
        );
        system
    }

    fn check_invariants(system: &System, model: &Model) {
        assert_eq!(system.machine.active_response().is_some(), model.active);
        let ours: Vec<u8> = (0..IDS)
            .filter(|n| system.machine.conversation().get(&id(*n)).is_some())
            .collect();
        let mut expected = model.items.clone();
        expected.sort_unstable();
        assert_eq!(ours, expected);
        assert_eq!(system.machine.buffered_ms(), model.buffered_ms);
    }

    fn teardown(mut system: System, _: Model) {
        let mut found = Vec::new();
        system.finish_response(&mut found);
        system.tracker.finish(&mut found);
        assert!(found.is_empty(), "at the end: {found:?}");
    }
}

prop_state_machine! {
    #![proptest_config(suite_config!("state_machine"))]
    #[test]
    fn machine_follows_the_reference_model(sequential 1..40 => MachineTest);
}
