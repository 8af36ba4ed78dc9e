//! Property 2, wire fidelity: Value -> model -> Value is the identity for
//! every arbitrary event; and where a frame carries explicit `null`s, exactly
//! the documented normalization happens: a `null` on an optional member the
//! spec does not make nullable is dropped (read as absent), a `null` on a
//! nullable member is kept, and nothing else changes.

use proptest::prelude::*;
use realtime_harness::fidelity::{changes, Change, ChangeKind};
use realtime_harness::fuzzing::FrameEvent;
use realtime_harness::ClientEvent;
use serde_json::Value;

use crate::shape_walk::{client_event_shape, model_objects_of};
use realtime_harness::pointer::{self, child};
use realtime_harness::rng::SplitMix64;
use realtime_harness::shape::Shape;

/// The frame of `event` (of either family) as a JSON value.
pub fn frame_of<E: FrameEvent>(event: &E) -> Value {
    serde_json::from_slice(&event.to_vec()).expect("the model writes JSON")
}

/// Parses a JSON value as a client frame (through its text, as a client
/// sends it) and returns the model and its re-serialization.
pub fn through_model(frame: &Value) -> Result<(ClientEvent, Value), String> {
    through::<ClientEvent>(frame)
}

/// [`through_model`] for a frame of the family `E`.
pub fn through<E: FrameEvent>(frame: &Value) -> Result<(E, Value), String> {
    let bytes = serde_json::to_vec(frame).expect("a Value serializes");
    let event = E::from_slice(&bytes).map_err(|e| format!("{e} in {frame}"))?;
    let after = frame_of(&event);
    Ok((event, after))
}

/// The frame parses as a frame of the family `E` and is re-emitted without
/// any change.
pub fn model_keeps<E: FrameEvent>(frame: &Value) -> Result<(), TestCaseError> {
    let (_, after) = through::<E>(frame).map_err(TestCaseError::fail)?;
    prop_assert_eq!(changes(frame, &after), Vec::<Change>::new());
    Ok(())
}

/// Explicit nulls put into a frame where members were absent.
#[derive(Debug, Default)]
pub struct InjectedNulls {
    /// Pointers of nulls on optional members that are not nullable.
    pub dropped: Vec<String>,
    /// Pointers of nulls on nullable members.
    pub kept: Vec<String>,
}

/// Puts `null` on about half of the absent optional members of every object
/// the model reads (in a frame of the family whose shape is `root`), each at
/// a random position among the object's members (so some come before a
/// union tag and take the buffered path).
pub fn inject_nulls_in(
    frame: &mut Value,
    choices: &mut SplitMix64,
    root: &'static Shape,
) -> InjectedNulls {
    let mut injected = InjectedNulls::default();
    for object in model_objects_of(frame, root) {
        let members = frame
            .pointer_mut(&object.pointer)
            .and_then(Value::as_object_mut)
            .expect("model_objects points at objects");
        for member in &object.shape.members {
            if member.required || members.contains_key(member.name) || !choices.one_in(2) {
                continue;
            }
            let at = choices.below(members.len() + 1);
            members.shift_insert(at, member.name.to_owned(), Value::Null);
            let pointer = child(&object.pointer, member.name);
            if member.nullable {
                injected.kept.push(pointer);
            } else {
                injected.dropped.push(pointer);
            }
        }
    }
    injected
}

/// The null property for `event` of the family `E` whose shape is `root`:
/// nulls injected with choices from `seed` change exactly what the null
/// rule says (cases where none could be injected are rejected).
pub fn injected_nulls_follow_the_rule<E: FrameEvent>(
    event: &E,
    seed: u64,
    root: &'static Shape,
) -> Result<(), TestCaseError> {
    let mut frame = frame_of(event);
    let injected = inject_nulls_in(&mut frame, &mut SplitMix64::new(seed), root);
    prop_assume!(!injected.dropped.is_empty() || !injected.kept.is_empty());
    nulls_change_what_the_rules_say(&frame, &injected, |frame| {
        through::<E>(frame).map_err(TestCaseError::fail)
    })
}

/// Checks a frame with injected nulls against the null rule: exactly the
/// nulls on non-nullable members are dropped, the others kept, and a dropped
/// null reads exactly as absence. `through` parses a frame of the family and
/// re-serializes it.
pub fn nulls_change_what_the_rules_say<E: PartialEq + std::fmt::Debug>(
    frame: &Value,
    injected: &InjectedNulls,
    through: impl Fn(&Value) -> Result<(E, Value), TestCaseError>,
) -> Result<(), TestCaseError> {
    let (model, after) = through(frame)?;
    let mut found = changes(frame, &after);
    found.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    let mut expected: Vec<Change> = injected
        .dropped
        .iter()
        .map(|pointer| Change {
            pointer: pointer.clone(),
            kind: ChangeKind::NullDropped,
        })
        .collect();
    expected.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    prop_assert_eq!(&found, &expected, "frame: {}", frame);
    for pointer in &injected.kept {
        prop_assert_eq!(
            after.pointer(pointer),
            Some(&Value::Null),
            "kept null at {}",
            pointer
        );
    }
    let mut without_dropped = frame.clone();
    for pointer in &injected.dropped {
        remove_member(&mut without_dropped, pointer);
    }
    let (expected_model, _) = through(&without_dropped)?;
    prop_assert_eq!(model, expected_model);
    Ok(())
}

/// Removes the member at `pointer`.
pub fn remove_member(frame: &mut Value, pointer: &str) {
    let (parent, name) = pointer::split_last(pointer).expect("a member pointer has a parent");
    if let Some(members) = frame.pointer_mut(parent).and_then(Value::as_object_mut) {
        members.shift_remove(&name);
    }
}

/// The fidelity properties of the family `$event`, whose shape `$shape`
/// gives, with failures kept in the `$suite` regressions file.
macro_rules! fidelity_properties {
    ($suite:literal, $event:ty, $shape:expr) => {
        proptest! {
            #![proptest_config(suite_config!($suite))]

            #[test]
            fn value_model_value_is_the_identity(event in $crate::bridge::arbitrary::<$event>()) {
                $crate::fidelity::model_keeps::<$event>(&$crate::fidelity::frame_of(&event))?;
            }

            #[test]
            fn injected_nulls_change_exactly_what_the_rules_say(
                event in $crate::bridge::arbitrary::<$event>(),
                seed in any::<u64>(),
            ) {
                $crate::fidelity::injected_nulls_follow_the_rule(&event, seed, $shape)?;
            }
        }
    };
}
pub(crate) use fidelity_properties;

fidelity_properties!("fidelity", ClientEvent, client_event_shape());
