//! Values from nothing but a seed: a member's value generated from its
//! shape (mostly valid, sometimes one of the odd values below), and the
//! strings and numbers worth trying anywhere.

use base64::Engine as _;
use serde_json::Number;

use super::hints::Model;
use super::tree::Json;
use crate::rng::SplitMix64;
use crate::wire::shape::{ObjectShape, Shape, UnionShape};

/// Strings worth trying anywhere a string goes.
pub(super) const ODD_STRINGS: &[&str] = &[
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

/// Numbers at the edges of the model's integer and float members.
pub(super) fn odd_number(rng: &mut SplitMix64, near: Option<&Number>) -> Number {
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

pub(super) fn some_string(model: &Model, rng: &mut SplitMix64) -> String {
    match rng.below(10) {
        0..=5 => (*rng.pick(&model.words)).to_owned(),
        6..=8 => (*rng.pick(ODD_STRINGS)).to_owned(),
        _ => "x".repeat(1 + rng.below(600)),
    }
}

pub(super) fn some_scalar(model: &Model, rng: &mut SplitMix64) -> Json {
    match rng.below(4) {
        0 => Json::Null,
        1 => Json::Bool(rng.one_in(2)),
        2 => Json::Number(odd_number(rng, None)),
        _ => Json::String(some_string(model, rng)),
    }
}

/// Mostly (three times in four) one of the `known` values of an enum or an
/// open string set, as a client would send it; `None` otherwise, and when
/// nothing is known.
pub(super) fn known_value(known: &[&str], rng: &mut SplitMix64) -> Option<Json> {
    (!known.is_empty() && !rng.one_in(4)).then(|| Json::String((*rng.pick(known)).to_owned()))
}

/// One of the union's tag values; the union must have variants.
pub(super) fn tag_value(u: &UnionShape, rng: &mut SplitMix64) -> Json {
    Json::String(rng.pick(&u.variants).0.to_owned())
}

/// A value of `shape`, mostly valid, at most `depth` containers deep.
pub(super) fn generate(
    model: &Model,
    shape: &'static Shape,
    rng: &mut SplitMix64,
    depth: usize,
) -> Json {
    match shape {
        Shape::Object(o) => Json::Object(generate_members(model, o, rng, depth)),
        Shape::Union(u) => {
            let Some((tag, variant)) = (!u.variants.is_empty()).then(|| rng.pick(&u.variants))
            else {
                return Json::Object(Vec::new());
            };
            let mut members = match generate(model, variant, rng, depth) {
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
        Shape::OneOf(alts) if !alts.is_empty() => generate(model, rng.pick(alts), rng, depth),
        Shape::OneOf(_) => Json::Null,
        Shape::Enum(values) if !values.is_empty() => Json::String((*rng.pick(values)).to_owned()),
        Shape::OpenString(values) => {
            known_value(values, rng).unwrap_or_else(|| Json::String(some_string(model, rng)))
        }
        Shape::Enum(_) | Shape::String => Json::String(some_string(model, rng)),
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
            Json::Array(
                (0..n)
                    .map(|_| generate(model, inner, rng, depth - 1))
                    .collect(),
            )
        }
        Shape::Map(inner) => {
            let n = if depth == 0 { 0 } else { rng.below(3) };
            Json::Object(
                (0..n)
                    .map(|_| {
                        (
                            some_string(model, rng),
                            generate(model, inner, rng, depth - 1),
                        )
                    })
                    .collect(),
            )
        }
        Shape::AnyObject => {
            let n = if depth == 0 { 0 } else { rng.below(3) };
            Json::Object(
                (0..n)
                    .map(|_| (some_string(model, rng), some_scalar(model, rng)))
                    .collect(),
            )
        }
    }
}

fn generate_members(
    model: &Model,
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
            generate(model, &m.shape, rng, depth.saturating_sub(1))
        };
        members.push((m.name.to_owned(), value));
    }
    members
}
