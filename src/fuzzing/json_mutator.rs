//! A JSON-aware mutator for `client_event_json_structured`.
//!
//! Byte mutation spends most of its time breaking JSON syntax, which the
//! model rejects in its first few bytes. This mutator parses the input as
//! JSON, changes one member in a way the model has to think about, and
//! writes valid JSON back:
//!
//! - a scalar tweaked within its type (boundary numbers, other strings);
//! - an enum string or union tag swapped for another value the model knows
//!   at that position (from [`crate::wire::shape`]), or a fresh valid value for
//!   the member generated from its shape;
//! - a value replaced by one of another JSON type, or by `null`;
//! - a member added (a missing member of that object, valid for its shape),
//!   dropped, duplicated (duplicate keys are kept: the tree below allows
//!   them) or moved (a late `type` exercises the buffering path);
//! - an array or a string grown; a subtree copied elsewhere;
//! - rarely, the whole frame replaced by a fresh event generated from the
//!   model.
//!
//! Input that is not JSON (and a fixed share of JSON input, so syntax keeps
//! being explored) returns `None`, and the shim falls back to libFuzzer's
//! byte mutation. Everything is a pure function of the input and the seed.

use std::sync::OnceLock;

use base64::Engine as _;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

use crate::rng::SplitMix64;
use crate::wire::shape::{ObjectShape, Shape, UnionShape};

/// A JSON document whose objects are member lists, so that duplicate keys
/// and member order survive a parse and a write.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in order, duplicates allowed.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses one JSON document (serde_json's syntax and nesting limit).
    pub fn parse(bytes: &[u8]) -> Option<Json> {
        serde_json::from_slice(bytes).ok()
    }

    /// Compact JSON text.
    pub fn to_vec(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("JSON trees serialize")
    }

    fn kind(&self) -> usize {
        match self {
            Json::Null => 0,
            Json::Bool(_) => 1,
            Json::Number(_) => 2,
            Json::String(_) => 3,
            Json::Array(_) => 4,
            Json::Object(_) => 5,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Number of nodes (this one included) that satisfy `pred`.
    fn count(&self, pred: fn(&Json) -> bool) -> usize {
        let here = usize::from(pred(self));
        here + match self {
            Json::Array(items) => items.iter().map(|v| v.count(pred)).sum(),
            Json::Object(members) => members.iter().map(|(_, v)| v.count(pred)).sum(),
            _ => 0,
        }
    }

    /// Pre-order approximate size of the text, to keep growth bounded.
    fn weight(&self) -> usize {
        match self {
            Json::Null | Json::Bool(_) => 5,
            Json::Number(_) => 12,
            Json::String(s) => s.len() + 2,
            Json::Array(items) => 2 + items.iter().map(|v| v.weight() + 1).sum::<usize>(),
            Json::Object(members) => {
                2 + members
                    .iter()
                    .map(|(k, v)| k.len() + 4 + v.weight())
                    .sum::<usize>()
            }
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            members.push((k, v));
        }
        Ok(Json::Object(members))
    }
}

/// What the model expects at a position of the document.
#[derive(Clone, Copy, Debug)]
enum Hint {
    /// Nothing known (an unknown member, free-form JSON).
    Free,
    /// A value of this shape.
    Shape(&'static Shape),
    /// The tag member of this union.
    Tag(&'static UnionShape),
}

/// The model's vocabulary and frame shape, built once.
struct Model {
    root: Shape,
    words: Vec<&'static str>,
    member_names: Vec<&'static str>,
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let root = crate::events::client_event();
        let mut member_names = std::collections::BTreeSet::new();
        root.walk(&mut |_, s| {
            if let Shape::Object(o) = s {
                member_names.extend(o.members.iter().map(|m| m.name));
            }
        });
        Model {
            root,
            words: crate::events::vocabulary().into_iter().collect(),
            member_names: member_names.into_iter().collect(),
        }
    })
}

/// Whether a value of shape `shape` can be the JSON value `node`, by type.
fn compatible(shape: &Shape, node: &Json) -> bool {
    match (shape, node) {
        (Shape::OneOf(alts), _) => alts.iter().any(|a| compatible(a, node)),
        (
            Shape::Object(_) | Shape::Union(_) | Shape::Map(_) | Shape::AnyObject,
            Json::Object(_),
        )
        | (
            Shape::Enum(_) | Shape::OpenString(_) | Shape::String | Shape::Base64,
            Json::String(_),
        )
        | (Shape::Integer | Shape::Number, Json::Number(_))
        | (Shape::Bool, Json::Bool(_))
        | (Shape::Array(_), Json::Array(_)) => true,
        _ => false,
    }
}

/// The alternative of a `OneOf` that fits `node`, or its first one.
fn resolve(shape: &'static Shape, node: &Json) -> &'static Shape {
    match shape {
        Shape::OneOf(alts) => {
            let alt = alts
                .iter()
                .find(|a| compatible(a, node))
                .or(alts.first())
                .unwrap_or(shape);
            if std::ptr::eq(alt, shape) {
                shape
            } else {
                resolve(alt, node)
            }
        }
        other => other,
    }
}

/// What an object in the document is, as far as the model can tell: the
/// unions whose tags it carries, the variant's member list, or a map's
/// value shape.
#[derive(Default)]
struct ObjectView {
    tags: Vec<&'static UnionShape>,
    object: Option<&'static ObjectShape>,
    values: Option<&'static Shape>,
}

fn view(hint: Hint, members: &[(String, Json)]) -> ObjectView {
    let mut out = ObjectView::default();
    let Hint::Shape(mut shape) = hint else {
        return out;
    };
    let probe = Json::Object(Vec::new());
    for _ in 0..8 {
        match resolve(shape, &probe) {
            Shape::Union(u) => {
                out.tags.push(u);
                let tag = members
                    .iter()
                    .find(|(k, _)| k == u.tag)
                    .and_then(|(_, v)| v.as_str())
                    .or(u.absent);
                match tag.and_then(|t| u.variants.iter().find(|(n, _)| *n == t)) {
                    Some((_, variant)) => shape = variant,
                    None => break,
                }
            }
            Shape::Object(o) => {
                out.object = Some(o);
                break;
            }
            Shape::Map(inner) => {
                out.values = Some(inner);
                break;
            }
            _ => break,
        }
    }
    out
}

fn member_hint(view: &ObjectView, key: &str) -> Hint {
    if let Some(u) = view.tags.iter().find(|u| u.tag == key) {
        return Hint::Tag(u);
    }
    if let Some(m) = view
        .object
        .and_then(|o| o.members.iter().find(|m| m.name == key))
    {
        return Hint::Shape(&m.shape);
    }
    view.values.map_or(Hint::Free, Hint::Shape)
}

fn element_hint(hint: Hint, node: &Json) -> Hint {
    match hint {
        Hint::Shape(shape) => match resolve(shape, node) {
            Shape::Array(inner) => Hint::Shape(inner),
            _ => Hint::Free,
        },
        _ => Hint::Free,
    }
}

/// The `k`-th node (pre-order) among those satisfying `pred`, with the
/// model's hint for it.
fn nth_mut<'a>(
    node: &'a mut Json,
    hint: Hint,
    k: &mut usize,
    pred: fn(&Json) -> bool,
) -> Option<(&'a mut Json, Hint)> {
    if pred(node) {
        if *k == 0 {
            return Some((node, hint));
        }
        *k -= 1;
    }
    let elements = element_hint(hint, node);
    match node {
        Json::Array(items) => {
            for item in items.iter_mut() {
                if let Some(found) = nth_mut(item, elements, k, pred) {
                    return Some(found);
                }
            }
            None
        }
        Json::Object(members) => {
            let shape = match hint {
                Hint::Shape(s) => Hint::Shape(resolve(s, &Json::Object(Vec::new()))),
                other => other,
            };
            let v = view(shape, members);
            for (key, value) in members.iter_mut() {
                let child = member_hint(&v, key);
                if let Some(found) = nth_mut(value, child, k, pred) {
                    return Some(found);
                }
            }
            None
        }
        _ => None,
    }
}

/// A random node satisfying `pred`, or `None` when there is none.
fn pick_node<'a>(
    root: &'a mut Json,
    rng: &mut SplitMix64,
    pred: fn(&Json) -> bool,
) -> Option<(&'a mut Json, Hint)> {
    let n = root.count(pred);
    if n == 0 {
        return None;
    }
    let mut k = rng.below(n);
    let hint = Hint::Shape(&model().root);
    nth_mut(root, hint, &mut k, pred)
}

fn any_node(_: &Json) -> bool {
    true
}
fn is_object(j: &Json) -> bool {
    matches!(j, Json::Object(_))
}
fn is_nonempty_object(j: &Json) -> bool {
    matches!(j, Json::Object(m) if !m.is_empty())
}
fn is_array(j: &Json) -> bool {
    matches!(j, Json::Array(_))
}
fn is_string(j: &Json) -> bool {
    matches!(j, Json::String(_))
}
fn is_scalar(j: &Json) -> bool {
    !matches!(j, Json::Array(_) | Json::Object(_))
}

/// Strings worth trying anywhere a string goes.
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "0",
    "-1",
    "null",
    "true",
    "\u{0}",
    "\"",
    "\\",
    "é",
    "\u{2028}",
    "\u{FEFF}",
    "\u{1F600}",
    "\u{FFFF}",
    "AAAA",
    "====",
    "unknown",
];

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

/// Numbers at the edges of the model's integer and float members.
fn odd_number(rng: &mut SplitMix64, near: Option<&Number>) -> Number {
    match rng.below(18) {
        0 => 0.into(),
        1 => (-1).into(),
        2 => 1.into(),
        3 => i64::from(i32::MAX).into(),
        4 => (i64::from(u32::MAX) + 1).into(),
        5 => i64::MAX.into(),
        6 => i64::MIN.into(),
        7 => u64::MAX.into(),
        8 => (1u64 << 53).wrapping_add(1).into(),
        9 => Number::from_f64(0.5).expect("finite"),
        10 => Number::from_f64(-0.0).expect("finite"),
        11 => Number::from_f64(f64::MAX).expect("finite"),
        12 => Number::from_f64(f64::MIN_POSITIVE).expect("finite"),
        13 => Number::from_f64(1.0).expect("finite"),
        14 => Number::from_f64(1e-7).expect("finite"),
        15 => 512.into(),
        _ => match near.and_then(Number::as_i64) {
            Some(v) => v.wrapping_add(if rng.one_in(2) { 1 } else { -1 }).into(),
            None => match near.and_then(Number::as_f64) {
                Some(v) => Number::from_f64(v * 2.0 + 0.1).unwrap_or_else(|| 0.into()),
                None => (rng.below(100_000) as i64).into(),
            },
        },
    }
}

fn some_string(rng: &mut SplitMix64) -> String {
    match rng.below(10) {
        0..=5 => (*rng.pick(&model().words)).to_owned(),
        6..=8 => (*rng.pick(ODD_STRINGS)).to_owned(),
        _ => "x".repeat(1 + rng.below(600)),
    }
}

fn some_scalar(rng: &mut SplitMix64) -> Json {
    match rng.below(4) {
        0 => Json::Null,
        1 => Json::Bool(rng.one_in(2)),
        2 => Json::Number(odd_number(rng, None)),
        _ => Json::String(some_string(rng)),
    }
}

/// A value of `shape`, mostly valid, at most `depth` containers deep.
fn generate(shape: &'static Shape, rng: &mut SplitMix64, depth: usize) -> Json {
    match shape {
        Shape::Object(o) => Json::Object(generate_members(o, rng, depth)),
        Shape::Union(u) => {
            let Some((tag, variant)) = (!u.variants.is_empty()).then(|| rng.pick(&u.variants))
            else {
                return Json::Object(Vec::new());
            };
            let mut members = match generate(variant, rng, depth) {
                Json::Object(m) => m,
                _ => Vec::new(),
            };
            let omit_tag = u.absent == Some(*tag) && rng.one_in(3);
            if !omit_tag {
                // Mostly first, as clients write it; sometimes late.
                let at = if rng.one_in(4) {
                    rng.below(members.len() + 1)
                } else {
                    0
                };
                members.insert(at, (u.tag.to_owned(), Json::String((*tag).to_owned())));
            }
            Json::Object(members)
        }
        Shape::OneOf(alts) if !alts.is_empty() => generate(rng.pick(alts), rng, depth),
        Shape::OneOf(_) => Json::Null,
        Shape::Enum(values) if !values.is_empty() => Json::String((*rng.pick(values)).to_owned()),
        Shape::OpenString(values) if !values.is_empty() && !rng.one_in(4) => {
            Json::String((*rng.pick(values)).to_owned())
        }
        Shape::Enum(_) | Shape::OpenString(_) | Shape::String => Json::String(some_string(rng)),
        Shape::Base64 => {
            let mut raw = vec![0u8; rng.below(48)];
            rng.fill(&mut raw);
            Json::String(base64::engine::general_purpose::STANDARD.encode(raw))
        }
        Shape::Integer => Json::Number(if rng.one_in(4) {
            odd_number(rng, None)
        } else {
            (rng.below(5000) as i64).into()
        }),
        Shape::Number => Json::Number(
            Number::from_f64(rng.below(1001) as f64 / 1000.0).unwrap_or_else(|| 0.into()),
        ),
        Shape::Bool => Json::Bool(rng.one_in(2)),
        Shape::Array(inner) => {
            let n = if depth == 0 { 0 } else { rng.below(3) };
            Json::Array((0..n).map(|_| generate(inner, rng, depth - 1)).collect())
        }
        Shape::Map(inner) => {
            let n = if depth == 0 { 0 } else { rng.below(3) };
            Json::Object(
                (0..n)
                    .map(|_| (some_string(rng), generate(inner, rng, depth - 1)))
                    .collect(),
            )
        }
        Shape::AnyObject => {
            let n = if depth == 0 { 0 } else { rng.below(3) };
            Json::Object(
                (0..n)
                    .map(|_| (some_string(rng), some_scalar(rng)))
                    .collect(),
            )
        }
    }
}

fn generate_members(
    o: &'static ObjectShape,
    rng: &mut SplitMix64,
    depth: usize,
) -> Vec<(String, Json)> {
    let mut members = Vec::new();
    for m in &o.members {
        if !m.required && (depth == 0 || !rng.one_in(3)) {
            continue;
        }
        let value = if m.nullable && rng.one_in(5) {
            Json::Null
        } else {
            generate(&m.shape, rng, depth.saturating_sub(1))
        };
        members.push((m.name.to_owned(), value));
    }
    members
}

/// The mutations, each applied to a randomly chosen node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
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
const OPS: &[(Op, usize)] = &[
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

fn choose_op(rng: &mut SplitMix64) -> Op {
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
fn apply(op: Op, root: &mut Json, rng: &mut SplitMix64, budget: usize) -> bool {
    let m = model();
    match op {
        Op::Tweak => {
            let Some((node, hint)) = pick_node(root, rng, is_scalar) else {
                return false;
            };
            *node = match (&*node, hint) {
                (Json::String(_), Hint::Tag(u)) if !u.variants.is_empty() => {
                    Json::String(rng.pick(&u.variants).0.to_owned())
                }
                (Json::String(s), Hint::Shape(shape)) => match resolve(shape, node) {
                    Shape::Enum(v) | Shape::OpenString(v) if !v.is_empty() && !rng.one_in(4) => {
                        Json::String((*rng.pick(v)).to_owned())
                    }
                    _ => Json::String(tweak_string(s, rng)),
                },
                (Json::String(s), _) => Json::String(tweak_string(s, rng)),
                (Json::Number(n), _) => Json::Number(odd_number(rng, Some(n))),
                (Json::Bool(b), _) => Json::Bool(!b),
                (_, Hint::Shape(shape)) => generate(shape, rng, 2),
                _ => some_scalar(rng),
            };
            true
        }
        Op::Regenerate => {
            let Some((node, hint)) = pick_node(root, rng, any_node) else {
                return false;
            };
            *node = match hint {
                Hint::Shape(shape) => generate(shape, rng, 2),
                Hint::Tag(u) if !u.variants.is_empty() => {
                    Json::String(rng.pick(&u.variants).0.to_owned())
                }
                _ => some_scalar(rng),
            };
            true
        }
        Op::Retype => {
            let Some((node, _)) = pick_node(root, rng, any_node) else {
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
                    _ => some_string(rng),
                }),
                4 => Json::Array(if rng.one_in(2) { vec![old] } else { Vec::new() }),
                _ => Json::Object(if rng.one_in(2) {
                    vec![((*rng.pick(&m.member_names)).to_owned(), old)]
                } else {
                    Vec::new()
                }),
            };
            true
        }
        Op::Nullify => {
            let Some((node, _)) = pick_node(root, rng, |j| !matches!(j, Json::Null)) else {
                return false;
            };
            *node = Json::Null;
            true
        }
        Op::AddMember => {
            let Some((node, hint)) = pick_node(root, rng, is_object) else {
                return false;
            };
            let Json::Object(members) = node else {
                return false;
            };
            let v = view(hint, members);
            let missing: Vec<&'static crate::wire::shape::MemberShape> = v
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
                    "unknown".to_owned()
                } else {
                    rng.pick(&u.variants).0.to_owned()
                };
                (u.tag.to_owned(), Json::String(tag))
            } else if !missing.is_empty() && !rng.one_in(5) {
                let s = *rng.pick(&missing);
                (s.name.to_owned(), generate(&s.shape, rng, 2))
            } else if let (Some(inner), true) = (v.values, rng.one_in(2)) {
                (some_string(rng), generate(inner, rng, 2))
            } else {
                ((*rng.pick(&m.member_names)).to_owned(), some_scalar(rng))
            };
            let at = rng.below(members.len() + 1);
            members.insert(at, member);
            true
        }
        Op::DropMember => {
            let Some((Json::Object(members), _)) = pick_node(root, rng, is_nonempty_object) else {
                return false;
            };
            let i = rng.below(members.len());
            members.remove(i);
            true
        }
        Op::DuplicateMember => {
            let Some((Json::Object(members), hint)) = pick_node(root, rng, is_nonempty_object)
            else {
                return false;
            };
            let (key, value) = members[rng.below(members.len())].clone();
            let value = if rng.one_in(2) {
                let v = view(hint, members);
                match member_hint(&v, &key) {
                    Hint::Shape(shape) => generate(shape, rng, 1),
                    Hint::Tag(u) if !u.variants.is_empty() => {
                        Json::String(rng.pick(&u.variants).0.to_owned())
                    }
                    _ => value,
                }
            } else {
                value
            };
            let at = rng.below(members.len() + 1);
            members.insert(at, (key, value));
            true
        }
        Op::MoveMember => {
            let Some((Json::Object(members), _)) = pick_node(root, rng, is_nonempty_object) else {
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
        Op::GrowArray => {
            let Some((node, hint)) = pick_node(root, rng, is_array) else {
                return false;
            };
            let inner = element_hint(hint, node);
            let Json::Array(items) = node else {
                return false;
            };
            let add = if rng.one_in(4) { items.len().max(1) } else { 1 };
            for _ in 0..add {
                let item = match (items.is_empty() || rng.one_in(2), inner) {
                    (true, Hint::Shape(shape)) => generate(shape, rng, 2),
                    (true, _) => some_scalar(rng),
                    (false, _) => items[rng.below(items.len())].clone(),
                };
                if item.weight() > budget {
                    break;
                }
                items.push(item);
            }
            true
        }
        Op::GrowString => {
            let Some((Json::String(s), _)) = pick_node(root, rng, is_string) else {
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
        Op::CopySubtree => {
            let Some((source, _)) = pick_node(root, rng, any_node) else {
                return false;
            };
            let copy = source.clone();
            if copy.weight() > budget {
                return false;
            }
            let Some((target, _)) = pick_node(root, rng, any_node) else {
                return false;
            };
            *target = copy;
            true
        }
        Op::FreshEvent => {
            *root = generate(&m.root, rng, 3);
            true
        }
    }
}

fn tweak_string(s: &str, rng: &mut SplitMix64) -> String {
    match rng.below(4) {
        0 => some_string(rng),
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

/// One in this many calls on JSON input leaves the input to libFuzzer's byte
/// mutation anyway, so that malformed JSON near valid frames is explored.
const BYTE_MUTATION_SHARE: usize = 8;

/// The custom mutator: mutates `data[..size]` in place as JSON, returning
/// the new size (at most `max_size`), or `None` when the input is not JSON
/// or the byte mutator should take this turn.
pub fn mutate(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> Option<usize> {
    let mut rng = SplitMix64::new(u64::from(seed) ^ 0x6a73_6f6e_6d75_7461);
    if rng.one_in(BYTE_MUTATION_SHARE) {
        return None;
    }
    let size = size.min(data.len());
    let max_size = max_size.min(data.len());
    let original = Json::parse(&data[..size])?;
    for _ in 0..4 {
        let mut doc = original.clone();
        let budget = max_size.saturating_sub(doc.weight()).min(16 * 1024);
        let rounds = 1 + usize::from(rng.one_in(3)) + usize::from(rng.one_in(9));
        let mut changed = false;
        for _ in 0..rounds {
            changed |= apply(choose_op(&mut rng), &mut doc, &mut rng, budget);
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
/// the result does not fit.
pub fn crossover(data: &[u8], other: &[u8], out: &mut [u8], seed: u32) -> Option<usize> {
    let mut rng = SplitMix64::new(u64::from(seed) ^ 0x6372_6f73_736f_7672);
    let mut doc = Json::parse(data)?;
    let mut donor = Json::parse(other)?;
    let (graft, _) = pick_node(&mut donor, &mut rng, any_node)?;
    let graft = graft.clone();
    let (target, _) = pick_node(&mut doc, &mut rng, any_node)?;
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
    use crate::ClientEvent;

    const FRAME: &str = r#"{"type":"session.update","session":{"type":"realtime","output_modalities":["audio"],"audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"turn_detection":{"type":"server_vad"}}}}}"#;

    fn mutate_str(input: &str, seed: u32) -> Option<Vec<u8>> {
        let mut buf = input.as_bytes().to_vec();
        buf.resize(4096, 0);
        let n = mutate(&mut buf, input.len(), 4096, seed)?;
        buf.truncate(n);
        Some(buf)
    }

    #[test]
    fn the_tree_keeps_duplicates_and_order() {
        let text = br#"{"b":1,"a":[true,null,"x"],"b":2.5}"#;
        let tree = Json::parse(text).expect("JSON");
        assert_eq!(tree.to_vec(), text.to_vec());
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
    fn the_event_type_is_swapped_for_other_known_types() {
        let mut types = std::collections::BTreeSet::new();
        let mut rng = SplitMix64::new(1);
        for _ in 0..3000 {
            let mut doc = Json::parse(br#"{"type":"response.cancel"}"#).expect("JSON");
            apply(Op::Tweak, &mut doc, &mut rng, 1024);
            if let Json::Object(m) = &doc {
                if let Some((_, Json::String(t))) = m.iter().find(|(k, _)| k == "type") {
                    types.insert(t.clone());
                }
            }
        }
        for name in crate::RealtimeClientEvent::WIRE_NAMES {
            assert!(types.contains(*name), "never swapped to {name}");
        }
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
            apply(Op::Tweak, &mut doc, &mut rng, 1024);
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
            apply(Op::AddMember, &mut doc, &mut rng, 1024);
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

    #[test]
    fn fresh_events_are_mostly_accepted_by_the_model() {
        let mut rng = SplitMix64::new(4);
        let mut parsed = 0;
        for _ in 0..500 {
            let mut doc = Json::Null;
            apply(Op::FreshEvent, &mut doc, &mut rng, 1 << 16);
            if ClientEvent::from_slice(&doc.to_vec()).is_ok() {
                parsed += 1;
            }
        }
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
                if apply(op, &mut doc, &mut rng, 1024) && doc != original {
                    changed = true;
                    break;
                }
            }
            assert!(changed, "{op:?} never changed the frame");
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
