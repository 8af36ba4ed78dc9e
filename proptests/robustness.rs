//! Property 7, robustness: edits of a valid frame (drop a member, change a
//! value's JSON type, truncate, insert bytes, duplicate a key, nest a value
//! deeper) never panic; every error says where (a JSON path, or a line and
//! column); whatever still parses is re-emitted faithfully; and every entry
//! point (the append scanner, the zero-copy parse, serde) agrees.

use proptest::prelude::*;
use realtime_harness::events::client_ref::check_agreement;
use realtime_harness::fidelity::changes;
use realtime_harness::fuzzing::FrameEvent;
use realtime_harness::rng::SplitMix64;
use realtime_harness::{ClientEvent, ParseError};
use serde_json::Value;

use crate::bridge::arbitrary;
use crate::fidelity::frame_of;
use crate::mutation::{apply, mutation, nesting, Mutation};

/// The checks every parse of edited client input must pass.
pub fn check_outcome(input: &[u8]) -> Result<(), TestCaseError> {
    // The scanner for append frames, the zero-copy parse and serde agree.
    check_outcome_of::<ClientEvent>(input, check_agreement)
}

/// [`check_outcome`] for input of the family `E`, whose entry points
/// `agreement` compares.
pub fn check_outcome_of<E: FrameEvent>(
    input: &[u8],
    agreement: fn(&[u8]) -> Result<(), String>,
) -> Result<(), TestCaseError> {
    agreement(input).map_err(|why| {
        TestCaseError::fail(format!("{why} for {}", String::from_utf8_lossy(input)))
    })?;
    match E::from_slice(input) {
        Err(e) => check_error(&e, input),
        Ok(event) => {
            // Accepted input is JSON, and re-emitted with at most the
            // documented null normalization.
            let read: Value = serde_json::from_slice(input).map_err(|e| {
                TestCaseError::fail(format!(
                    "the model accepted what serde_json rejects ({e}): {}",
                    String::from_utf8_lossy(input)
                ))
            })?;
            let found = changes(&read, &frame_of(&event));
            prop_assert!(
                found.iter().all(|c| c.is_normalization()),
                "changes {:?} for {}",
                found,
                String::from_utf8_lossy(input)
            );
            Ok(())
        }
    }
}

/// An error must say where: a JSON path or a position.
pub fn check_error(e: &ParseError, input: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(
        e.line() > 0 || !e.path().is_empty(),
        "error {:?} names no path and no position, for {}",
        e,
        String::from_utf8_lossy(input)
    );
    prop_assert!(!e.message().is_empty(), "empty message in {:?}", e);
    Ok(())
}

/// One test per kind of edit, so that each gets the full case count.
macro_rules! edits {
    ($( $(#[$doc:meta])* $name:ident: $mutation:expr ),* $(,)?) => {
        proptest! {
            #![proptest_config(suite_config!("robustness"))]
            $(
                $(#[$doc])*
                #[test]
                fn $name(
                    event in arbitrary::<ClientEvent>(),
                    mutation in $mutation,
                    seed in any::<u64>(),
                ) {
                    let edited = apply(&frame_of(&event), &mutation, &mut SplitMix64::new(seed));
                    check_outcome(&edited.bytes)?;
                }
            )*
        }
    };
}

edits! {
    /// Removing any member: required ones are missing fields, others absent.
    dropped_member: Just(Mutation::DropMember),
    /// Any value replaced by one of another JSON type.
    changed_json_type: Just(Mutation::ChangeType),
    /// The text cut before any byte.
    truncated_text: Just(Mutation::Truncate),
    /// Random bytes and JSON punctuation inserted anywhere.
    inserted_bytes: crate::mutation::inserted_bytes().prop_map(Mutation::InsertBytes),
    /// One member written twice.
    duplicated_key: Just(Mutation::DuplicateKey),
    /// Any value wrapped in `[...]` or `{"k": ...}`.
    nested_value: nesting().prop_map(Mutation::Nest),
    /// Any of the above.
    any_edit: mutation(),
}

proptest! {
    #![proptest_config(suite_config!("robustness"))]

    /// Every strict prefix of a frame is incomplete JSON: always an error,
    /// always with a position.
    #[test]
    fn every_prefix_is_rejected_with_a_position(event in arbitrary::<ClientEvent>()) {
        let text = event.to_vec();
        // Every cut near the ends, and 256 spread over the middle.
        let step = (text.len() / 256).max(1);
        let ends = (0..text.len().min(64)).chain(text.len().saturating_sub(64)..text.len());
        for cut in ends.chain((0..text.len()).step_by(step)) {
            match ClientEvent::from_slice(&text[..cut]) {
                Ok(parsed) => prop_assert!(false, "prefix {} parsed as {:?}", cut, parsed),
                Err(e) => {
                    check_error(&e, &text[..cut])?;
                    prop_assert!(e.line() > 0, "prefix {}: {:?}", cut, e);
                }
            }
        }
    }

    /// Arbitrary bytes, not only edits of frames.
    #[test]
    fn any_bytes(input in prop::collection::vec(any::<u8>(), 0..256)) {
        check_outcome(&input)?;
    }

    /// Duplicating a member the model reads (not inside free-form JSON)
    /// is always an error naming the object or the member.
    #[test]
    fn duplicated_model_member_is_rejected(event in arbitrary::<ClientEvent>(), seed in any::<u64>()) {
        let frame = frame_of(&event);
        let mut choices = SplitMix64::new(seed);
        let objects = crate::shape_walk::model_objects(&frame);
        let object = &objects[choices.below(objects.len())];
        let members = frame.pointer(&object.pointer).and_then(Value::as_object).expect("an object");
        prop_assume!(!members.is_empty());
        let index = choices.below(members.len());
        let text = crate::mutation::text_with_duplicate(&frame, &object.pointer, index);
        match ClientEvent::from_slice(text.as_bytes()) {
            Ok(parsed) => prop_assert!(false, "duplicate accepted as {:?}: {}", parsed, text),
            Err(e) => {
                check_error(&e, text.as_bytes())?;
                prop_assert!(e.message().contains("duplicate"), "{} for {}", e, text);
            }
        }
    }
}
