//! What the model expects where: the shape hint of each node of a document
//! (walked down from an event family's shape, following union tags as the
//! document states them), the family's vocabulary, and picking a node with
//! its hint.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::tree::Json;
use crate::events::Family;
use crate::rng::SplitMix64;
use crate::wire::shape::{ObjectShape, Shape, UnionShape};

/// What the model expects at a position of the document.
#[derive(Clone, Copy, Debug)]
pub(super) enum Hint {
    /// Nothing known (an unknown member, free-form JSON).
    Free,
    /// A value of this shape.
    Shape(&'static Shape),
    /// The tag member of this union.
    Tag(&'static UnionShape),
}

/// One event family's frame shape and vocabulary, built once per family:
/// everything the mutator knows about the frames it mutates.
pub(super) struct Model {
    /// The family's frame shape.
    pub(super) root: Shape,
    /// The family's vocabulary: member names, tags and enum values.
    pub(super) words: Vec<&'static str>,
    /// Every member name of every object in the family, sorted.
    pub(super) member_names: Vec<&'static str>,
}

impl Model {
    /// The model of `family`. Each family's words are its own (for the
    /// client, exactly [`crate::events::vocabulary`]), so that the client
    /// mutator draws from the same lists, in the same order, as it did
    /// before there was a server family: same seed, same bytes.
    pub(super) fn of(family: Family) -> &'static Model {
        static CLIENT: OnceLock<Model> = OnceLock::new();
        static SERVER: OnceLock<Model> = OnceLock::new();
        let cell = match family {
            Family::Client => &CLIENT,
            Family::Server => &SERVER,
        };
        cell.get_or_init(|| Model::build(family.shape()))
    }

    fn build(root: Shape) -> Model {
        let mut member_names = BTreeSet::new();
        root.walk(&mut |_, s| {
            if let Shape::Object(o) = s {
                member_names.extend(o.members.iter().map(|m| m.name));
            }
        });
        Model {
            words: root.vocabulary().into_iter().collect(),
            root,
            member_names: member_names.into_iter().collect(),
        }
    }
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
pub(super) fn resolve(shape: &'static Shape, node: &Json) -> &'static Shape {
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
pub(super) struct ObjectView {
    pub(super) tags: Vec<&'static UnionShape>,
    pub(super) object: Option<&'static ObjectShape>,
    pub(super) values: Option<&'static Shape>,
}

pub(super) fn view(hint: Hint, members: &[(String, Json)]) -> ObjectView {
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

pub(super) fn member_hint(view: &ObjectView, key: &str) -> Hint {
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

pub(super) fn element_hint(hint: Hint, node: &Json) -> Hint {
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

/// A random node satisfying `pred`, with what `model` expects there, or
/// `None` when there is none.
pub(super) fn pick_node<'a>(
    model: &'static Model,
    root: &'a mut Json,
    rng: &mut SplitMix64,
    pred: fn(&Json) -> bool,
) -> Option<(&'a mut Json, Hint)> {
    pick(root, rng, pred, Hint::Shape(&model.root))
}

/// A random node satisfying `pred`, when what is expected there does not
/// matter (crossover grafts any subtree anywhere). Picks the same node as
/// [`pick_node`] for the same `rng`: hints never change the order.
pub(super) fn pick_unhinted<'a>(
    root: &'a mut Json,
    rng: &mut SplitMix64,
    pred: fn(&Json) -> bool,
) -> Option<&'a mut Json> {
    pick(root, rng, pred, Hint::Free).map(|(node, _)| node)
}

fn pick<'a>(
    root: &'a mut Json,
    rng: &mut SplitMix64,
    pred: fn(&Json) -> bool,
    hint: Hint,
) -> Option<(&'a mut Json, Hint)> {
    let n = root.count(pred);
    if n == 0 {
        return None;
    }
    let mut k = rng.below(n);
    nth_mut(root, hint, &mut k, pred)
}
