//! Writing frames with one large plain string member without escaping it.

use crate::wire::ExtraMembers;

use super::plain;

/// A small member's value, to be written as serde_json writes it.
pub(crate) enum SmallOut<'a> {
    /// A string, escaped by serde_json.
    Str(&'a str),
    /// An integer.
    Int(i64),
}

/// The JSON serde_json writes for a frame whose members are `type`, the
/// small members that are `Some` (in the given order) and the large string
/// last, written directly when the large string is plain (so serde_json
/// would copy it unescaped) and there are no unknown members; `None`
/// otherwise. The bytes are serde_json's: the same member order and compact
/// form. `event_type` is a GA type name, which needs no escaping.
pub(crate) fn frame(
    event_type: &'static str,
    small: &[(&str, Option<SmallOut<'_>>)],
    large_name: &str,
    large: &[u8],
    extra: &ExtraMembers,
) -> Option<Vec<u8>> {
    if !extra.is_empty() || !plain::all_plain(large) {
        return None;
    }
    let small_room: usize = small
        .iter()
        .map(|(name, value)| match value {
            Some(SmallOut::Str(s)) => name.len() + s.len() + 16,
            Some(SmallOut::Int(_)) => name.len() + 24,
            None => 0,
        })
        .sum();
    let mut out = Vec::with_capacity(event_type.len() + small_room + large.len() + 32);
    out.extend_from_slice(br#"{"type":""#);
    out.extend_from_slice(event_type.as_bytes());
    out.push(b'"');
    for (name, value) in small {
        let Some(value) = value else { continue };
        out.extend_from_slice(b",\"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
        match value {
            SmallOut::Str(s) => serde_json::to_writer(&mut out, s).ok()?,
            SmallOut::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        }
    }
    out.extend_from_slice(b",\"");
    out.extend_from_slice(large_name.as_bytes());
    out.extend_from_slice(b"\":\"");
    out.extend_from_slice(large);
    out.extend_from_slice(br#""}"#);
    Some(out)
}

/// An `input_audio_buffer.append` frame; see [`frame`].
pub(crate) fn append_frame(
    event_id: Option<&str>,
    audio: &[u8],
    extra: &ExtraMembers,
) -> Option<Vec<u8>> {
    frame(
        "input_audio_buffer.append",
        &[("event_id", event_id.map(SmallOut::Str))],
        "audio",
        audio,
        extra,
    )
}
