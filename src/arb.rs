//! Generators for `arbitrary` where a derived value would not be a valid
//! frame: bounded free-form JSON, finite numbers inside the spec's ranges,
//! strings inside the spec's length limits, and open value sets drawn mostly
//! from their known values. Each function is used through
//! `#[arbitrary(with = ...)]` on the field it serves.

use std::collections::BTreeMap;

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Number, Value};

use crate::wire::Nullable;

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

/// An optional free-form object.
pub fn opt_json_object(u: &mut Unstructured) -> Result<Option<Map<String, Value>>> {
    Ok(if u.arbitrary()? {
        Some(json_object(u)?)
    } else {
        None
    })
}

/// An optional, nullable free-form object.
pub fn null_json_object(u: &mut Unstructured) -> Result<Option<Nullable<Map<String, Value>>>> {
    Ok(match u.choose_index(3)? {
        0 => None,
        1 => Some(Nullable::Null),
        _ => Some(Nullable::Value(json_object(u)?)),
    })
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

/// `event_id`: optional, at most 512 characters.
pub fn event_id(u: &mut Unstructured) -> Result<Option<String>> {
    Ok(if u.arbitrary()? {
        Some(string_up_to(u, 512)?)
    } else {
        None
    })
}

/// An optional value of an open string set: mostly a known value, sometimes
/// any string (the spec accepts both).
pub fn open_string(u: &mut Unstructured, known: &[&str]) -> Result<String> {
    if u.ratio(3u8, 4u8)? {
        Ok((*u.choose(known)?).to_owned())
    } else {
        u.arbitrary()
    }
}

/// An optional non-negative integer of realistic size.
pub fn opt_non_negative(u: &mut Unstructured) -> Result<Option<i64>> {
    Ok(if u.arbitrary()? {
        Some(i64::from(u.int_in_range(0..=600_000u32)?))
    } else {
        None
    })
}

/// `content_index`: the spec says to send 0; sometimes a small index.
pub fn content_index(u: &mut Unstructured) -> Result<i64> {
    Ok(if u.ratio(7u8, 8u8)? {
        0
    } else {
        i64::from(u.int_in_range(1..=3u8)?)
    })
}

/// A non-negative integer of realistic size.
pub fn non_negative(u: &mut Unstructured) -> Result<i64> {
    Ok(i64::from(u.int_in_range(0..=600_000u32)?))
}

/// An optional float in `0.0..=1.0`.
pub fn opt_unit_interval(u: &mut Unstructured) -> Result<Option<f64>> {
    Ok(if u.arbitrary()? {
        Some(finite(u, 0.0, 1.0)?)
    } else {
        None
    })
}

/// A float in `0.0..=1.0`.
pub fn unit_interval(u: &mut Unstructured) -> Result<f64> {
    finite(u, 0.0, 1.0)
}

/// `audio.output.speed`: `0.25..=1.5`.
pub fn opt_speed(u: &mut Unstructured) -> Result<Option<f64>> {
    Ok(if u.arbitrary()? {
        Some(finite(u, 0.25, 1.5)?)
    } else {
        None
    })
}

/// `idle_timeout_ms`: absent, null, or `5000..=30000`.
pub fn idle_timeout_ms(u: &mut Unstructured) -> Result<Option<Nullable<i64>>> {
    Ok(match u.choose_index(3)? {
        0 => None,
        1 => Some(Nullable::Null),
        _ => Some(Nullable::Value(i64::from(u.int_in_range(5000..=30000u32)?))),
    })
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

/// `Metadata`: at most 16 pairs, keys up to 64 and values up to 512 characters.
pub fn metadata(u: &mut Unstructured) -> Result<Option<Nullable<BTreeMap<String, String>>>> {
    Ok(match u.choose_index(3)? {
        0 => None,
        1 => Some(Nullable::Null),
        _ => {
            let mut map = BTreeMap::new();
            for _ in 0..u.int_in_range(0..=16u8)? {
                map.insert(string_up_to(u, 64)?, string_up_to(u, 512)?);
            }
            Some(Nullable::Value(map))
        }
    })
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
    Ok(if u.arbitrary()? { Some(url(u)?) } else { None })
}

/// An optional, nullable URL.
pub fn null_url(u: &mut Unstructured) -> Result<Option<Nullable<String>>> {
    Ok(match u.choose_index(3)? {
        0 => None,
        1 => Some(Nullable::Null),
        _ => Some(Nullable::Value(url(u)?)),
    })
}

/// A PNG data URI (user `input_image` parts).
pub fn image_data_uri(u: &mut Unstructured) -> Result<String> {
    let bytes: &[u8] = u.arbitrary()?;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&bytes[..bytes.len().min(256)]);
    Ok(format!(
        "data:image/png;base64,{}",
        crate::Base64Audio::encode(&png).as_str()
    ))
}

/// `output_modalities`: absent, empty, `["text"]` or `["audio"]` (the spec
/// does not allow both at once).
pub fn opt_modalities(u: &mut Unstructured) -> Result<Option<Vec<crate::generation::Modality>>> {
    use crate::generation::Modality;
    Ok(match u.choose_index(4)? {
        0 => None,
        1 => Some(Vec::new()),
        2 => Some(vec![Modality::Text]),
        _ => Some(vec![Modality::Audio]),
    })
}

/// An audio format whose members fit its type: `rate` (always 24000) only
/// on PCM, and sometimes no `type` at all.
pub fn opt_audio_format(u: &mut Unstructured) -> Result<Option<crate::AudioFormat>> {
    use crate::audio::{AudioFormat, AudioFormatType, PCM_RATE};
    if !u.arbitrary()? {
        return Ok(None);
    }
    let (r#type, rate) = match u.choose_index(5)? {
        0 => (Some(AudioFormatType::Pcm), Some(PCM_RATE)),
        1 => (Some(AudioFormatType::Pcm), None),
        2 => (Some(AudioFormatType::Pcmu), None),
        3 => (Some(AudioFormatType::Pcma), None),
        _ => (None, None),
    };
    Ok(Some(AudioFormat {
        r#type,
        rate,
        extra: u.arbitrary()?,
    }))
}
