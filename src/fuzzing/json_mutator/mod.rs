//! A JSON-aware mutator for `client_event_json_structured`,
//! `server_event_json_structured` and `validator_schema_agrees`.
//!
//! Byte mutation spends most of its time breaking JSON syntax, which the
//! model rejects in its first few bytes. This mutator parses the input as
//! JSON, changes one member in a way the model has to think about, and
//! writes valid JSON back:
//!
//! - a scalar tweaked within its type (boundary numbers, other strings);
//! - an enum string or union tag swapped for another value the model knows
//!   at that position (from [`crate::shape`], walked down from the event
//!   family's frame shape), or a fresh valid value for
//!   the member generated from its shape;
//! - a value replaced by one of another JSON type, or by `null`;
//! - a member added (a missing member of that object, valid for its shape),
//!   dropped, duplicated (duplicate keys are kept: [`Json`] allows them)
//!   or moved (a late `type` exercises the buffering path);
//! - an array or a string grown; a subtree copied elsewhere;
//! - rarely, the whole frame replaced by a fresh event generated from the
//!   model.
//!
//! Input that is not JSON (and a fixed share of JSON input, so syntax keeps
//! being explored) returns `None`, and the shim falls back to libFuzzer's
//! byte mutation. Everything is a pure function of the input and the seed.
//!
//! One mutator per event family ([`mutate`] for the client, [`mutate_server`]),
//! each with its family's shape and vocabulary, and [`mutate_by_type`], which
//! takes the family from the frame's `type`, for targets that read both.
//!
//! By concern: `tree` is the document ([`Json`]), `hints` what the model
//! expects at each node, `generation` values made from a shape, and
//! `mutations` one function per mutation.

mod generation;
mod hints;
mod mutations;
mod tree;

pub use tree::Json;

use hints::{pick_unhinted, Model};
use mutations::{apply, choose_op};
use tree::any_node;

use crate::events::Family;
use crate::rng::SplitMix64;

/// One in this many calls on JSON input leaves the input to libFuzzer's byte
/// mutation anyway, so that malformed JSON near valid frames is explored.
const BYTE_MUTATION_SHARE: usize = 8;

/// The custom mutator of the client targets: mutates `data[..size]` in
/// place as a client frame, returning the new size (at most `max_size`), or
/// `None` when the input is not JSON or the byte mutator should take this
/// turn.
pub fn mutate(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> Option<usize> {
    mutate_with(|_| Family::Client, data, size, max_size, seed)
}

/// [`mutate`] with the server family's shape and vocabulary.
pub fn mutate_server(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> Option<usize> {
    mutate_with(|_| Family::Server, data, size, max_size, seed)
}

/// [`mutate`] with the shape and vocabulary of the family the frame's
/// top-level `type` belongs to ([`Family::of_type`]); a frame of no known
/// type is mutated as a client frame, so that on client frames this is
/// exactly [`mutate`].
pub fn mutate_by_type(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> Option<usize> {
    mutate_with(family_of, data, size, max_size, seed)
}

/// The family of a frame by its top-level `type` (the first one, if it is
/// duplicated), client when it names none.
fn family_of(doc: &Json) -> Family {
    let Json::Object(members) = doc else {
        return Family::Client;
    };
    members
        .iter()
        .find(|(k, _)| k == "type")
        .and_then(|(_, v)| v.as_str())
        .and_then(Family::of_type)
        .unwrap_or(Family::Client)
}

/// The mutator over the family `family` picks for the parsed input. The
/// family is chosen after the parse, which draws nothing from `rng`, so every
/// family sees the same sequence of draws for a seed.
fn mutate_with(
    family: fn(&Json) -> Family,
    data: &mut [u8],
    size: usize,
    max_size: usize,
    seed: u32,
) -> Option<usize> {
    let mut rng = SplitMix64::new(u64::from(seed) ^ 0x6a73_6f6e_6d75_7461);
    if rng.one_in(BYTE_MUTATION_SHARE) {
        return None;
    }
    let size = size.min(data.len());
    let max_size = max_size.min(data.len());
    let original = Json::parse(&data[..size])?;
    let model = Model::of(family(&original));
    for _ in 0..4 {
        let mut doc = original.clone();
        let budget = max_size.saturating_sub(doc.weight()).min(16 * 1024);
        let rounds = 1 + usize::from(rng.one_in(3)) + usize::from(rng.one_in(9));
        let mut changed = false;
        for _ in 0..rounds {
            changed |= apply(choose_op(&mut rng), model, &mut doc, &mut rng, budget);
        }
        if !changed {
            continue;
        }
        let text = if rng.one_in(16) {
            serde_json::to_vec_pretty(&doc).expect("JSON trees serialize")
        } else {
            doc.to_vec()
        };
        if text.len() <= max_size {
            data[..text.len()].copy_from_slice(&text);
            return Some(text.len());
        }
    }
    None
}

/// The custom crossover: grafts a random subtree of `other` into a random
/// position of `data` (replacing a node, or adding the members of an object
/// to an object), written to `out`. `None` when either input is not JSON or
/// the result does not fit. One crossover serves every family: a graft
/// takes any subtree to any position, whatever the model expects there.
pub fn crossover(data: &[u8], other: &[u8], out: &mut [u8], seed: u32) -> Option<usize> {
    let mut rng = SplitMix64::new(u64::from(seed) ^ 0x6372_6f73_736f_7672);
    let mut doc = Json::parse(data)?;
    let mut donor = Json::parse(other)?;
    let graft = pick_unhinted(&mut donor, &mut rng, any_node)?.clone();
    let target = pick_unhinted(&mut doc, &mut rng, any_node)?;
    match (target, graft) {
        (Json::Object(members), Json::Object(more)) if rng.one_in(2) => {
            members.extend(more);
        }
        (target, graft) => *target = graft,
    }
    let text = doc.to_vec();
    if text.len() > out.len() {
        return None;
    }
    out[..text.len()].copy_from_slice(&text);
    Some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const FRAME: &str = r#"{"type":"session.update","session":{"type":"realtime","output_modalities":["audio"],"audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"turn_detection":{"type":"server_vad"}}}}}"#;

    fn mutate_str(input: &str, seed: u32) -> Option<Vec<u8>> {
        let mut buf = input.as_bytes().to_vec();
        buf.resize(4096, 0);
        let n = mutate(&mut buf, input.len(), 4096, seed)?;
        buf.truncate(n);
        Some(buf)
    }

    #[test]
    fn not_json_is_left_to_the_byte_mutator() {
        for seed in 0..64 {
            assert_eq!(mutate_str("{\"type\":", seed), None);
        }
    }

    #[test]
    fn mutations_are_json_bounded_deterministic_and_mostly_changes() {
        let mut changed = 0;
        let mut byte_turns = 0;
        for seed in 0..2000 {
            let Some(out) = mutate_str(FRAME, seed) else {
                byte_turns += 1;
                continue;
            };
            assert!(out.len() <= 4096);
            assert!(Json::parse(&out).is_some(), "seed {seed}: not JSON");
            assert_eq!(Some(&out), mutate_str(FRAME, seed).as_ref(), "seed {seed}");
            if out != FRAME.as_bytes() {
                changed += 1;
            }
        }
        // About one in eight turns goes to the byte mutator.
        assert!((150..=350).contains(&byte_turns), "{byte_turns}");
        assert!(
            changed > 1600,
            "only {changed} of 2000 mutations changed the frame"
        );
    }

    #[test]
    fn the_family_comes_from_the_frame_type() {
        let server_frame = r#"{"type":"response.done","event_id":"e","response":{"id":"r"}}"#;
        let run = |f: super::super::Mutator, input: &str, seed: u32| {
            let mut buf = input.as_bytes().to_vec();
            buf.resize(4096, 0);
            f(&mut buf, input.len(), 4096, seed).map(|n| buf[..n].to_vec())
        };
        for seed in 0..300 {
            assert_eq!(run(mutate_by_type, FRAME, seed), run(mutate, FRAME, seed));
            assert_eq!(
                run(mutate_by_type, server_frame, seed),
                run(mutate_server, server_frame, seed)
            );
        }
    }

    #[test]
    fn max_size_is_respected() {
        for seed in 0..500 {
            let mut buf = FRAME.as_bytes().to_vec();
            let max = FRAME.len() + 8;
            buf.resize(max, 0);
            if let Some(n) = mutate(&mut buf, FRAME.len(), max, seed) {
                assert!(n <= max);
            }
        }
    }

    #[test]
    fn crossover_grafts_json() {
        let mut out = vec![0u8; 4096];
        let mut grafted = 0;
        for seed in 0..200 {
            let n = crossover(
                FRAME.as_bytes(),
                br#"{"type":"response.cancel","response_id":"r1"}"#,
                &mut out,
                seed,
            )
            .expect("both are JSON and the result fits");
            assert!(Json::parse(&out[..n]).is_some());
            if out[..n] != *FRAME.as_bytes() {
                grafted += 1;
            }
        }
        assert!(grafted > 150, "{grafted}");
        assert_eq!(crossover(b"{", b"{}", &mut out, 0), None);
    }
}
