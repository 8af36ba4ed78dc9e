//! The model's own description of itself: every event type, member, union
//! branch and enum value, derived from the type declarations (the macros
//! that generate the serde code generate this too), so it cannot go stale.
//!
//! Used for the fuzzing dictionary, the schema drift report, and anyone who
//! wants to walk the wire format programmatically.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// The wire shape of a JSON value the model accepts.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A JSON object with named members.
    Object(ObjectShape),
    /// An internally tagged union of objects.
    Union(UnionShape),
    /// One of several shapes, told apart by JSON type (a string or an object, ...).
    OneOf(Vec<Shape>),
    /// A closed set of strings.
    Enum(&'static [&'static str]),
    /// Any string; the listed values are the ones the spec names.
    OpenString(&'static [&'static str]),
    /// Any string.
    String,
    /// Base64 text.
    Base64,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// An array of the inner shape.
    Array(Box<Shape>),
    /// An object with arbitrary member names and values of the inner shape.
    Map(Box<Shape>),
    /// Any JSON object (free-form: `parameters`, trace metadata, ...).
    AnyObject,
}

/// An object and its members.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectShape {
    /// What the object is ("a server_vad object").
    pub name: &'static str,
    /// Whether unknown members are kept (`true`) or rejected.
    pub open: bool,
    /// The members, in declaration order.
    pub members: Vec<MemberShape>,
}

/// One member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberShape {
    /// The wire name.
    pub name: &'static str,
    /// Required by the spec.
    pub required: bool,
    /// `null` is a meaningful value (kept apart from absent).
    pub nullable: bool,
    /// The value's shape.
    pub shape: Shape,
}

/// A tagged union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionShape {
    /// What the union is.
    pub name: &'static str,
    /// The tag member (`type`, or `role`).
    pub tag: &'static str,
    /// Each tag value and its variant's shape (without the tag member).
    pub variants: Vec<(&'static str, Shape)>,
    /// The tag value assumed when the tag is absent, if any.
    pub absent: Option<&'static str>,
}

/// A type whose wire shape is known.
pub trait Describe {
    /// The wire shape.
    fn shape() -> Shape;
}

macro_rules! describe_as {
    ($shape:expr => $($ty:ty),*) => {
        $( impl Describe for $ty { fn shape() -> Shape { $shape } } )*
    };
}

describe_as!(Shape::String => String, Box<str>);
describe_as!(Shape::Integer => i64, u32);
describe_as!(Shape::Number => f64);
describe_as!(Shape::Bool => bool);
describe_as!(Shape::AnyObject => Map<String, Value>, super::RawObject);

impl<T: Describe> Describe for Box<T> {
    fn shape() -> Shape {
        T::shape()
    }
}

impl<T: Describe> Describe for Vec<T> {
    fn shape() -> Shape {
        Shape::Array(Box::new(T::shape()))
    }
}

impl<T: Describe> Describe for BTreeMap<String, T> {
    fn shape() -> Shape {
        Shape::Map(Box::new(T::shape()))
    }
}

impl Shape {
    /// Calls `f` for this shape and every shape inside it, depth first, with
    /// a path of member names and `[tag=value]` / `[]` / `{}` segments.
    pub fn walk(&self, f: &mut dyn FnMut(&[String], &Shape)) {
        let mut path = Vec::new();
        self.walk_at(&mut path, f);
    }

    fn walk_at(&self, path: &mut Vec<String>, f: &mut dyn FnMut(&[String], &Shape)) {
        f(path, self);
        match self {
            Shape::Object(object) => {
                for member in &object.members {
                    path.push(member.name.to_owned());
                    member.shape.walk_at(path, f);
                    path.pop();
                }
            }
            Shape::Union(union) => {
                for (value, variant) in &union.variants {
                    path.push(format!("[{}={}]", union.tag, value));
                    variant.walk_at(path, f);
                    path.pop();
                }
            }
            Shape::OneOf(shapes) => {
                for shape in shapes {
                    shape.walk_at(path, f);
                }
            }
            Shape::Array(inner) => {
                path.push("[]".to_owned());
                inner.walk_at(path, f);
                path.pop();
            }
            Shape::Map(inner) => {
                path.push("{}".to_owned());
                inner.walk_at(path, f);
                path.pop();
            }
            _ => {}
        }
    }
}

impl Shape {
    /// Every string this shape gives meaning to: member names, union tags
    /// and their values, enum values and the known values of open sets.
    pub fn vocabulary(&self) -> BTreeSet<&'static str> {
        let mut words = BTreeSet::new();
        self.walk(&mut |_, shape| match shape {
            Shape::Object(object) => words.extend(object.members.iter().map(|m| m.name)),
            Shape::Union(union) => {
                words.insert(union.tag);
                words.extend(union.variants.iter().map(|(v, _)| *v));
            }
            Shape::Enum(values) | Shape::OpenString(values) => words.extend(values.iter().copied()),
            _ => {}
        });
        words
    }
}
