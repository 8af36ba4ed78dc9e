//! Native strategies for free-form JSON: bounded values for catch-all frames
//! and unknown members, and deep or wide objects for a function tool's
//! `parameters`.

use proptest::prelude::*;
use serde_json::{Map, Number, Value};

/// Finite floats of every class JSON can carry (no NaN, no infinity).
pub fn finite_f64() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

/// A member name: mostly short identifiers, sometimes any text (escapes,
/// non-ASCII, the empty string).
pub fn member_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z_]{1,12}",
        1 => any::<String>(),
    ]
}

/// A JSON leaf: null, a boolean, an integer, a float or a string.
pub fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        finite_f64().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::String),
    ]
}

/// A JSON value at most `depth` containers deep, with at most `width` items
/// per container.
pub fn json_value(depth: u32, width: usize) -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(depth, 64, width as u32, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..=width).prop_map(Value::Array),
            json_members(inner, width).prop_map(Value::Object),
        ]
    })
}

/// The members of an object whose values come from `values`.
pub fn json_members(
    values: impl Strategy<Value = Value>,
    width: usize,
) -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((member_name(), values), 0..=width)
        .prop_map(|members| members.into_iter().collect())
}

/// A JSON object at most `depth` containers deep.
pub fn json_object(depth: u32, width: usize) -> impl Strategy<Value = Map<String, Value>> {
    json_members(json_value(depth, width), width)
}

/// One nesting level of [`nested`].
#[derive(Clone, Debug)]
pub enum Level {
    /// `[inner]`
    Array,
    /// `{"name": inner}`
    Object(String),
}

/// `leaf` wrapped in `levels`, outermost first.
pub fn nested(levels: &[Level], leaf: Value) -> Value {
    levels.iter().rev().fold(leaf, |inner, level| match level {
        Level::Array => Value::Array(vec![inner]),
        Level::Object(name) => Value::Object(Map::from_iter([(name.clone(), inner)])),
    })
}

/// Nesting levels, up to `max` of them.
pub fn levels(max: usize) -> impl Strategy<Value = Vec<Level>> {
    prop::collection::vec(
        prop_oneof![Just(Level::Array), "[a-z]{1,6}".prop_map(Level::Object),],
        0..=max,
    )
}

/// How many containers deep `value` is (a scalar is 0).
pub fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}
