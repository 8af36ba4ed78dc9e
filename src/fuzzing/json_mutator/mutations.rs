//! The mutations, one function each, and the weighted choice among them.
//! Each picks its node at random, with the model's hint for it
//! ([`super::hints`]), and returns false when the document has no node it
//! applies to.

use super::generation::{
    generate, known_value, odd_number, some_scalar, some_string, tag_value, ODD_STRINGS,
};
use super::hints::{element_hint, member_hint, pick_node, resolve, view, Hint, Model};
use super::tree::{any_node, is_array, is_nonempty_object, is_object, is_scalar, is_string, Json};
use crate::rng::SplitMix64;
use crate::wire::shape::{MemberShape, Shape};

/// The mutations, each applied to a randomly chosen node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    Tweak,
    Regenerate,
    Retype,
    Nullify,
    AddMember,
    DropMember,
    DuplicateMember,
    MoveMember,
    GrowArray,
    GrowString,
    CopySubtree,
    FreshEvent,
}

/// Weighted choice of an operation (weights in sixteenths-ish).
pub(super) const OPS: &[(Op, usize)] = &[
    (Op::Tweak, 6),
    (Op::Regenerate, 4),
    (Op::Retype, 2),
    (Op::Nullify, 1),
    (Op::AddMember, 5),
    (Op::DropMember, 2),
    (Op::DuplicateMember, 1),
    (Op::MoveMember, 1),
    (Op::GrowArray, 2),
    (Op::GrowString, 1),
    (Op::CopySubtree, 1),
    (Op::FreshEvent, 1),
];

pub(super) fn choose_op(rng: &mut SplitMix64) -> Op {
    let total: usize = OPS.iter().map(|(_, w)| w).sum();
    let mut r = rng.below(total);
    for &(op, w) in OPS {
        if r < w {
            return op;
        }
        r -= w;
    }
    Op::Tweak
}

/// Applies `op` somewhere in `root`; false when it found nowhere to apply.
/// `budget` bounds how many bytes a growing operation may add.
pub(super) fn apply(
    op: Op,
    model: &'static Model,
    root: &mut Json,
    rng: &mut SplitMix64,
    budget: usize,
) -> bool {
    match op {
        Op::Tweak => tweak(model, root, rng),
        Op::Regenerate => regenerate(model, root, rng),
        Op::Retype => retype(model, root, rng),
        Op::Nullify => nullify(model, root, rng),
        Op::AddMember => add_member(model, root, rng),
        Op::DropMember => drop_member(model, root, rng),
        Op::DuplicateMember => duplicate_member(model, root, rng),
        Op::MoveMember => move_member(model, root, rng),
        Op::GrowArray => grow_array(model, root, rng, budget),
        Op::GrowString => grow_string(model, root, rng, budget),
        Op::CopySubtree => copy_subtree(model, root, rng, budget),
        Op::FreshEvent => fresh_event(model, root, rng),
    }
}

/// A scalar changed within its type: a union tag or enum value swapped for
/// another the model knows there, a string edited, a boundary number, a
/// flipped bool.
fn tweak(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    let Some((node, hint)) = pick_node(model, root, rng, is_scalar) else {
        return false;
    };
    *node = match (&*node, hint) {
        (Json::String(_), Hint::Tag(u)) if !u.variants.is_empty() => tag_value(u, rng),
        (Json::String(s), Hint::Shape(shape)) => match resolve(shape, node) {
            Shape::Enum(known) | Shape::OpenString(known) => known_value(known, rng),
            _ => None,
        }
        .unwrap_or_else(|| Json::String(tweak_string(model, s, rng))),
        (Json::String(s), _) => Json::String(tweak_string(model, s, rng)),
        (Json::Number(n), _) => Json::Number(odd_number(rng, Some(n))),
        (Json::Bool(b), _) => Json::Bool(!b),
        (_, Hint::Shape(shape)) => generate(model, shape, rng, 2),
        _ => some_scalar(model, rng),
    };
    true
}

/// A node replaced by a fresh value of the shape expected there.
fn regenerate(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    let Some((node, hint)) = pick_node(model, root, rng, any_node) else {
        return false;
    };
    *node = match hint {
        Hint::Shape(shape) => generate(model, shape, rng, 2),
        Hint::Tag(u) if !u.variants.is_empty() => tag_value(u, rng),
        _ => some_scalar(model, rng),
    };
    true
}

/// A node replaced by a value of another JSON type; a number keeps its
/// digits as a string, an array or object may wrap the old value.
fn retype(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    let Some((node, _)) = pick_node(model, root, rng, any_node) else {
        return false;
    };
    let old = std::mem::replace(node, Json::Null);
    let kind = old.kind();
    let mut new_kind = rng.below(5);
    if new_kind >= kind {
        new_kind += 1;
    }
    *node = match new_kind {
        0 => Json::Null,
        1 => Json::Bool(rng.one_in(2)),
        2 => Json::Number(odd_number(rng, None)),
        3 => Json::String(match &old {
            Json::Number(n) => n.to_string(),
            _ => some_string(model, rng),
        }),
        4 => Json::Array(if rng.one_in(2) { vec![old] } else { Vec::new() }),
        _ => Json::Object(if rng.one_in(2) {
            vec![((*rng.pick(&model.member_names)).to_owned(), old)]
        } else {
            Vec::new()
        }),
    };
    true
}

/// A node that is not `null` replaced by `null`.
fn nullify(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    let Some((node, _)) = pick_node(model, root, rng, |j| !matches!(j, Json::Null)) else {
        return false;
    };
    *node = Json::Null;
    true
}

/// A member added to an object: a missing union tag, a member the object
/// lacks (valid for its shape), a map entry, or any member name the model
/// knows with a scalar.
fn add_member(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    let Some((node, hint)) = pick_node(model, root, rng, is_object) else {
        return false;
    };
    let Json::Object(members) = node else {
        return false;
    };
    let v = view(hint, members);
    let missing: Vec<&'static MemberShape> = v
        .object
        .map(|o| {
            o.members
                .iter()
                .filter(|s| !members.iter().any(|(k, _)| k == s.name))
                .collect()
        })
        .unwrap_or_default();
    let missing_tag = v
        .tags
        .iter()
        .find(|u| !members.iter().any(|(k, _)| k == u.tag));
    let member = if let (Some(u), true) = (missing_tag, rng.one_in(2)) {
        let tag = if u.variants.is_empty() {
            Json::String("unknown".to_owned())
        } else {
            tag_value(u, rng)
        };
        (u.tag.to_owned(), tag)
    } else if !missing.is_empty() && !rng.one_in(5) {
        let s = *rng.pick(&missing);
        (s.name.to_owned(), generate(model, &s.shape, rng, 2))
    } else if let (Some(inner), true) = (v.values, rng.one_in(2)) {
        (some_string(model, rng), generate(model, inner, rng, 2))
    } else {
        (
            (*rng.pick(&model.member_names)).to_owned(),
            some_scalar(model, rng),
        )
    };
    let at = rng.below(members.len() + 1);
    members.insert(at, member);
    true
}

/// A member dropped.
fn drop_member(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    let Some((Json::Object(members), _)) = pick_node(model, root, rng, is_nonempty_object) else {
        return false;
    };
    let i = rng.below(members.len());
    members.remove(i);
    true
}

/// A member duplicated (the tree keeps duplicate keys), half the time with
/// a fresh value.
fn duplicate_member(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    let Some((Json::Object(members), hint)) = pick_node(model, root, rng, is_nonempty_object)
    else {
        return false;
    };
    let (key, value) = members[rng.below(members.len())].clone();
    let value = if rng.one_in(2) {
        let v = view(hint, members);
        match member_hint(&v, &key) {
            Hint::Shape(shape) => generate(model, shape, rng, 1),
            Hint::Tag(u) if !u.variants.is_empty() => tag_value(u, rng),
            _ => value,
        }
    } else {
        value
    };
    let at = rng.below(members.len() + 1);
    members.insert(at, (key, value));
    true
}

/// A member moved elsewhere in its object.
fn move_member(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    let Some((Json::Object(members), _)) = pick_node(model, root, rng, is_nonempty_object) else {
        return false;
    };
    // Half the time move a tag-like member, the case the model
    // handles by buffering.
    let from = members
        .iter()
        .position(|(k, _)| k == "type" || k == "role")
        .filter(|_| rng.one_in(2))
        .unwrap_or_else(|| rng.below(members.len()));
    let member = members.remove(from);
    let to = rng.below(members.len() + 1);
    members.insert(to, member);
    true
}

/// An array grown by generated or copied elements, by at most `budget`
/// bytes.
fn grow_array(model: &'static Model, root: &mut Json, rng: &mut SplitMix64, budget: usize) -> bool {
    let Some((node, hint)) = pick_node(model, root, rng, is_array) else {
        return false;
    };
    let inner = element_hint(hint, node);
    let Json::Array(items) = node else {
        return false;
    };
    let add = if rng.one_in(4) { items.len().max(1) } else { 1 };
    for _ in 0..add {
        let item = match (items.is_empty() || rng.one_in(2), inner) {
            (true, Hint::Shape(shape)) => generate(model, shape, rng, 2),
            (true, _) => some_scalar(model, rng),
            (false, _) => items[rng.below(items.len())].clone(),
        };
        if item.weight() > budget {
            break;
        }
        items.push(item);
    }
    true
}

/// A string doubled or grown by odd characters, by at most `budget` bytes.
fn grow_string(
    model: &'static Model,
    root: &mut Json,
    rng: &mut SplitMix64,
    budget: usize,
) -> bool {
    let Some((Json::String(s), _)) = pick_node(model, root, rng, is_string) else {
        return false;
    };
    if rng.one_in(2) && !s.is_empty() && s.len() <= budget {
        let copy = s.clone();
        s.push_str(&copy);
    } else {
        let c = *rng.pick(ODD_CHARS);
        let n = 1 + rng.below(64.min(budget.max(1)));
        s.extend(std::iter::repeat_n(c, n));
    }
    true
}

/// A subtree copied over another node, if it fits in `budget` bytes.
fn copy_subtree(
    model: &'static Model,
    root: &mut Json,
    rng: &mut SplitMix64,
    budget: usize,
) -> bool {
    let Some((source, _)) = pick_node(model, root, rng, any_node) else {
        return false;
    };
    let copy = source.clone();
    if copy.weight() > budget {
        return false;
    }
    let Some((target, _)) = pick_node(model, root, rng, any_node) else {
        return false;
    };
    *target = copy;
    true
}

/// The whole frame replaced by a fresh event generated from the model.
fn fresh_event(model: &'static Model, root: &mut Json, rng: &mut SplitMix64) -> bool {
    *root = generate(model, &model.root, rng, 3);
    true
}

/// Characters appended to grow a string in interesting ways.
const ODD_CHARS: &[char] = &[
    'a',
    '\u{0}',
    '"',
    '\\',
    '/',
    '\n',
    'é',
    '\u{2028}',
    '\u{1F600}',
    '=',
];

/// `s` edited: replaced by another string, one character dropped or an odd
/// one appended.
fn tweak_string(model: &Model, s: &str, rng: &mut SplitMix64) -> String {
    match rng.below(4) {
        0 => some_string(model, rng),
        1 if !s.is_empty() => {
            // Drop one character.
            let chars: Vec<char> = s.chars().collect();
            let i = rng.below(chars.len());
            chars
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, c)| c)
                .collect()
        }
        2 => {
            let mut out = s.to_owned();
            out.push(*rng.pick(ODD_CHARS));
            out
        }
        _ => (*rng.pick(ODD_STRINGS)).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::FRAME;
    use super::*;
    use crate::events::Family;
    use crate::{ClientEvent, ServerEvent};

    fn client() -> &'static Model {
        Model::of(Family::Client)
    }

    fn server() -> &'static Model {
        Model::of(Family::Server)
    }

    #[test]
    fn the_event_type_is_swapped_for_other_known_types() {
        let types = tweaked_types(client(), r#"{"type":"response.cancel"}"#, 3000, 1);
        for name in crate::RealtimeClientEvent::WIRE_NAMES {
            assert!(types.contains(*name), "never swapped to {name}");
        }
    }

    /// The `type` values `rounds` tweaks of `frame` leave, with `model`.
    fn tweaked_types(
        model: &'static Model,
        frame: &str,
        rounds: usize,
        seed: u64,
    ) -> std::collections::BTreeSet<String> {
        let mut types = std::collections::BTreeSet::new();
        let mut rng = SplitMix64::new(seed);
        for _ in 0..rounds {
            let mut doc = Json::parse(frame.as_bytes()).expect("JSON");
            apply(Op::Tweak, model, &mut doc, &mut rng, 1024);
            if let Json::Object(m) = &doc {
                if let Some((_, Json::String(t))) = m.iter().find(|(k, _)| k == "type") {
                    types.insert(t.clone());
                }
            }
        }
        types
    }

    /// The value at a path of member names and array indexes.
    fn at<'a>(doc: &'a Json, path: &[&str]) -> Option<&'a Json> {
        path.iter().try_fold(doc, |node, step| match node {
            Json::Object(m) => m.iter().find(|(k, _)| k == step).map(|(_, v)| v),
            Json::Array(items) => items.get(step.parse::<usize>().ok()?),
            _ => None,
        })
    }

    #[test]
    fn enum_members_get_known_values_of_their_own_enum() {
        let mut rng = SplitMix64::new(2);
        let mut modalities = std::collections::BTreeSet::new();
        let mut formats = std::collections::BTreeSet::new();
        for _ in 0..600 {
            let mut doc = Json::parse(FRAME.as_bytes()).expect("JSON");
            apply(Op::Tweak, client(), &mut doc, &mut rng, 1024);
            if let Some(Json::String(s)) = at(&doc, &["session", "output_modalities", "0"]) {
                modalities.insert(s.clone());
            }
            let format = ["session", "audio", "input", "format", "type"];
            if let Some(Json::String(s)) = at(&doc, &format) {
                formats.insert(s.clone());
            }
        }
        assert!(modalities.contains("text"), "{modalities:?}");
        for f in ["audio/pcmu", "audio/pcma"] {
            assert!(formats.contains(f), "{formats:?}");
        }
    }

    #[test]
    fn added_members_are_ones_the_object_lacks() {
        let mut rng = SplitMix64::new(3);
        let mut added = std::collections::BTreeSet::new();
        for _ in 0..500 {
            let mut doc = Json::parse(br#"{"type":"response.create","response":{}}"#).unwrap();
            apply(Op::AddMember, client(), &mut doc, &mut rng, 1024);
            if let Json::Object(m) = &doc {
                for (k, _) in m {
                    added.insert(format!("/{k}"));
                }
                if let Some((_, Json::Object(r))) = m.iter().find(|(k, _)| k == "response") {
                    for (k, _) in r {
                        added.insert(format!("/response/{k}"));
                    }
                }
            }
        }
        for expected in ["/event_id", "/response/instructions", "/response/tools"] {
            assert!(
                added.contains(expected),
                "{expected} never added: {added:?}"
            );
        }
    }

    /// How many of 500 fresh events of `model`, drawn from `seed`, `parses`
    /// takes.
    fn fresh_events_parsed(model: &'static Model, seed: u64, parses: fn(&[u8]) -> bool) -> usize {
        let mut rng = SplitMix64::new(seed);
        (0..500)
            .filter(|_| {
                let mut doc = Json::Null;
                apply(Op::FreshEvent, model, &mut doc, &mut rng, 1 << 16);
                parses(&doc.to_vec())
            })
            .count()
    }

    #[test]
    fn fresh_events_are_mostly_accepted_by_the_model() {
        let parsed =
            fresh_events_parsed(client(), 4, |frame| ClientEvent::from_slice(frame).is_ok());
        assert!(parsed > 250, "only {parsed} of 500 generated events parse");
    }

    #[test]
    fn every_operation_applies_to_a_full_frame() {
        for &(op, _) in OPS {
            let mut rng = SplitMix64::new(5);
            let original = Json::parse(FRAME.as_bytes()).unwrap();
            let mut changed = false;
            for _ in 0..50 {
                let mut doc = original.clone();
                if apply(op, client(), &mut doc, &mut rng, 1024) && doc != original {
                    changed = true;
                    break;
                }
            }
            assert!(changed, "{op:?} never changed the frame");
        }
    }

    #[test]
    fn server_types_are_swapped_for_other_server_types() {
        let frame = r#"{"type":"response.done","event_id":"e"}"#;
        let types = tweaked_types(server(), frame, 6000, 6);
        for name in crate::RealtimeServerEvent::WIRE_NAMES {
            assert!(types.contains(*name), "never swapped to {name}");
        }
    }

    #[test]
    fn fresh_server_events_are_mostly_accepted_by_the_model() {
        // A frame parsed as `Unknown` does not count: its type was not GA.
        let parsed = fresh_events_parsed(server(), 7, |frame| {
            ServerEvent::from_slice(frame).is_ok_and(|event| event.to_event_type().is_some())
        });
        assert!(
            parsed > 250,
            "only {parsed} of 500 generated server events parse"
        );
    }
}
