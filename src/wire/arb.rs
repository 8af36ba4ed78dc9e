//! Generic generators for `arbitrary` where a derived value would not be a
//! valid frame: bounded free-form JSON, finite numbers inside a range,
//! strings inside a length limit, URLs, and open value sets drawn mostly from
//! their known values. Each is used through `#[arbitrary(with = ...)]`;
//! generators that know one model type live beside that type.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Number, Value};

use super::Nullable;

/// An optional member: absent or a value from `value`, evenly.
pub fn opt<T>(
    u: &mut Unstructured,
    value: impl FnOnce(&mut Unstructured) -> Result<T>,
) -> Result<Option<T>> {
    Ok(if u.arbitrary()? {
        Some(value(u)?)
    } else {
        None
    })
}

/// An optional nullable member: absent, `null` or a value from `value`, a
/// third each, so that all three wire forms are exercised.
pub fn nullable<T>(
    u: &mut Unstructured,
    value: impl FnOnce(&mut Unstructured) -> Result<T>,
) -> Result<Option<Nullable<T>>> {
    Ok(match u.choose_index(3)? {
        0 => None,
        1 => Some(Nullable::Null),
        _ => Some(Nullable::Value(value(u)?)),
    })
}

/// A JSON value at most `depth` levels deep, with small arrays and objects
/// and finite numbers (JSON has no NaN or infinity).
pub fn json_value(u: &mut Unstructured, depth: u8) -> Result<Value> {
    let choices = if depth == 0 { 4 } else { 6 };
    Ok(match u.choose_index(choices)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => {
            if u.arbitrary()? {
                Value::Number(Number::from(u.arbitrary::<i64>()?))
            } else {
                Value::Number(Number::from_f64(finite(u, -1e9, 1e9)?).unwrap_or(Number::from(0)))
            }
        }
        3 => Value::String(u.arbitrary()?),
        4 => {
            let len = u.int_in_range(0..=4usize)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(json_value(u, depth - 1)?);
            }
            Value::Array(items)
        }
        _ => Value::Object(json_map(u, depth - 1)?),
    })
}

/// A JSON object with at most five members, values at most `depth` deep.
pub fn json_map(u: &mut Unstructured, depth: u8) -> Result<Map<String, Value>> {
    let len = u.int_in_range(0..=5usize)?;
    let mut map = Map::new();
    for _ in 0..len {
        map.insert(u.arbitrary()?, json_value(u, depth)?);
    }
    Ok(map)
}

/// Free-form object members (`parameters`, `input_schema`, trace metadata).
pub fn json_object(u: &mut Unstructured) -> Result<Map<String, Value>> {
    json_map(u, 3)
}

/// A finite float in `lo..=hi`.
pub fn finite(u: &mut Unstructured, lo: f64, hi: f64) -> Result<f64> {
    let step: u32 = u.arbitrary()?;
    Ok(lo + (hi - lo) * (f64::from(step) / f64::from(u32::MAX)))
}

/// A string of at most `max` characters.
pub fn string_up_to(u: &mut Unstructured, max: usize) -> Result<String> {
    let s: String = u.arbitrary()?;
    Ok(s.chars().take(max).collect())
}

/// A value of an open string set: mostly a known value, sometimes any
/// string (the spec accepts both).
pub fn open_string(u: &mut Unstructured, known: &[&str]) -> Result<String> {
    if u.ratio(3u8, 4u8)? {
        Ok((*u.choose(known)?).to_owned())
    } else {
        u.arbitrary()
    }
}

/// An optional value of an open string set ([`open_string`]).
pub fn opt_open_string(u: &mut Unstructured, known: &[&str]) -> Result<Option<String>> {
    opt(u, |u| open_string(u, known))
}

/// An optional non-negative integer of realistic size.
pub fn opt_non_negative(u: &mut Unstructured) -> Result<Option<i64>> {
    opt(u, non_negative)
}

/// A non-negative integer of realistic size.
pub fn non_negative(u: &mut Unstructured) -> Result<i64> {
    Ok(i64::from(u.int_in_range(0..=600_000u32)?))
}

/// An optional float in `0.0..=1.0`.
pub fn opt_unit_interval(u: &mut Unstructured) -> Result<Option<f64>> {
    opt(u, unit_interval)
}

/// A float in `0.0..=1.0`.
pub fn unit_interval(u: &mut Unstructured) -> Result<f64> {
    finite(u, 0.0, 1.0)
}

/// A non-empty list (schemas with `minItems: 1`).
pub fn opt_non_empty_strings(u: &mut Unstructured) -> Result<Option<Vec<String>>> {
    if !u.arbitrary()? {
        return Ok(None);
    }
    let mut items: Vec<String> = u.arbitrary()?;
    if items.is_empty() {
        items.push(u.arbitrary()?);
    }
    Ok(Some(items))
}

/// An `https` URL with an arbitrary path (members with `format: uri`).
pub fn url(u: &mut Unstructured) -> Result<String> {
    let host = *u.choose(&["example.com", "mcp.example.org", "127.0.0.1:8080"])?;
    let path: String = u
        .arbitrary::<String>()?
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    Ok(format!("https://{host}/{path}"))
}

/// A URL that is always present.
pub fn some_url(u: &mut Unstructured) -> Result<Option<String>> {
    url(u).map(Some)
}

/// An optional URL.
pub fn opt_url(u: &mut Unstructured) -> Result<Option<String>> {
    opt(u, url)
}

/// An optional, nullable URL.
pub fn null_url(u: &mut Unstructured) -> Result<Option<Nullable<String>>> {
    nullable(u, url)
}
