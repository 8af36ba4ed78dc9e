//! Value predicates shared by the rules: base64 audio, URIs, JSON strings.

use base64::Engine as _;

use super::{Checker, Rule};
use crate::Base64Audio;

/// The largest audio payload the spec allows, decoded: 15 MiB
/// (`RealtimeClientEventInputAudioBufferAppend`).
pub const MAX_AUDIO_BYTES: usize = 15 * 1024 * 1024;

/// The longest `event_id` the spec allows, in characters.
pub const MAX_EVENT_ID_CHARS: usize = 512;

/// How much base64 text is decoded at a time: audio is validated in place,
/// without allocating its decoded form (frames carry up to 20 MiB of it).
const CHUNK: usize = 4096;

/// Checks that `text` is base64 with the standard alphabet and padding
/// (RFC 4648 section 4, canonical trailing bits), and returns the decoded
/// length; the error says what is wrong and at which offset.
pub fn check_base64(text: &str) -> Result<usize, String> {
    let bytes = text.as_bytes();
    // Valid audio, the common case, takes the decoder's own vector check, so
    // the checker and the decoder accept the same texts; the passes below
    // run only to say what is wrong.
    if crate::model::audio_data::is_base64(bytes) {
        return Ok(decoded_len(bytes));
    }
    // The most telling problem first: a character outside the alphabet
    // (a `data:` prefix, URL-safe `-_`, whitespace, line breaks).
    let outside = |b: &u8| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if let Some(at) = bytes.iter().position(outside) {
        return Err(format!(
            "{} at offset {at} is not in the standard base64 alphabet",
            describe_byte(bytes[at])
        ));
    }
    if !bytes.len().is_multiple_of(4) {
        return Err(format!(
            "length {} is not a multiple of 4 (padded base64)",
            bytes.len()
        ));
    }
    // Padding may only end the text: chunked decoding would otherwise accept
    // `=` at the end of an inner chunk.
    let body = bytes.len().saturating_sub(2);
    if let Some(at) = memchr::memchr(b'=', &bytes[..body]) {
        return Err(format!("padding `=` at offset {at}, before the end"));
    }
    let mut buf = [0u8; CHUNK / 4 * 3];
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        let base = n * CHUNK;
        if let Err(err) = base64::engine::general_purpose::STANDARD.decode_slice(chunk, &mut buf) {
            return Err(describe_base64_error(err, base));
        }
    }
    Ok(decoded_len(bytes))
}

/// The decoded length of valid padded base64.
fn decoded_len(bytes: &[u8]) -> usize {
    let padding = bytes.iter().rev().take(2).filter(|&&b| b == b'=').count();
    bytes.len() / 4 * 3 - padding
}

fn describe_base64_error(err: base64::DecodeSliceError, base: usize) -> String {
    use base64::{DecodeError, DecodeSliceError};
    match err {
        DecodeSliceError::DecodeError(DecodeError::InvalidByte(at, byte)) => {
            format!(
                "{} at offset {} is not in the standard base64 alphabet",
                describe_byte(byte),
                base + at
            )
        }
        DecodeSliceError::DecodeError(DecodeError::InvalidLastSymbol(at, byte)) => {
            format!(
                "{} at offset {} leaves non-zero trailing bits (not canonical base64)",
                describe_byte(byte),
                base + at
            )
        }
        DecodeSliceError::DecodeError(DecodeError::InvalidLength(len)) => {
            format!("invalid base64 length {len}")
        }
        DecodeSliceError::DecodeError(DecodeError::InvalidPadding) => {
            "invalid base64 padding".to_owned()
        }
        DecodeSliceError::OutputSliceTooSmall => "invalid base64 length".to_owned(),
    }
}

fn describe_byte(byte: u8) -> String {
    if byte.is_ascii_graphic() {
        format!("`{}`", char::from(byte))
    } else {
        format!("byte 0x{byte:02x}")
    }
}

/// Checks an audio payload at member `name`: base64, and at most 15 MiB.
pub(super) fn audio(c: &mut Checker, name: &str, audio: &Base64Audio, schema: &'static str) {
    match check_base64(audio.as_str()) {
        Err(why) => c.report_member(
            name,
            Rule::AudioBase64,
            schema,
            format!("`{name}` is not valid base64: {why}"),
        ),
        Ok(len) if len > MAX_AUDIO_BYTES => c.report_member(
            name,
            Rule::AudioSize,
            schema,
            format!("`{name}` decodes to {len} bytes, more than 15 MiB ({MAX_AUDIO_BYTES})"),
        ),
        Ok(_) => {}
    }
}

/// Checks an optional `event_id` against the 512-character limit.
pub(super) fn event_id(c: &mut Checker, event_id: Option<&str>, schema: &'static str) {
    let Some(id) = event_id else { return };
    // Bytes bound characters from above: most ids need no count.
    if id.len() <= MAX_EVENT_ID_CHARS {
        return;
    }
    let chars = id.chars().count();
    if chars > MAX_EVENT_ID_CHARS {
        c.report_member(
            "event_id",
            Rule::EventIdLength,
            schema,
            format!("`event_id` has {chars} characters, more than {MAX_EVENT_ID_CHARS}"),
        );
    }
}

/// True when `text` is a URI: a scheme (`[A-Za-z][A-Za-z0-9+.-]*:`) and no
/// whitespace or control characters (those must be percent-encoded).
pub(super) fn is_uri(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks member `name` of format `uri`.
pub(super) fn uri(c: &mut Checker, name: &str, value: Option<&str>, schema: &'static str) {
    if let Some(value) = value {
        if !is_uri(value) {
            c.report_member(
                name,
                Rule::UriFormat,
                schema,
                format!("`{name}` is not a URI (no scheme, or unencoded spaces)"),
            );
        }
    }
}

/// Checks that member `name` is a JSON-encoded string.
pub(super) fn json_string(c: &mut Checker, name: &str, value: &str, schema: &'static str) {
    if let Err(err) = serde_json::from_str::<serde::de::IgnoredAny>(value) {
        c.report_member(
            name,
            Rule::ArgumentsJson,
            schema,
            format!("`{name}` is not JSON-encoded: {err}"),
        );
    }
}

/// Number of characters of `text`, as JSON Schema's `maxLength` counts them.
pub(super) fn chars(text: &str) -> usize {
    text.chars().count()
}

/// An index, offset or count that cannot be negative.
pub(super) fn non_negative(c: &mut Checker, name: &str, value: i64, schema: &'static str) {
    if value < 0 {
        c.report_member(
            name,
            Rule::NonNegative,
            schema,
            format!("`{name}` is {value}; it cannot be negative"),
        );
    }
}

/// An id the server assigned: not empty, and (a warning) with its kind's
/// prefix where the API gives one. Item ids have none to check: their
/// prefix follows the item's type (`item_`, `mcp_`, `mcpl_`, ...).
pub(super) fn id_rule(c: &mut Checker, name: &str, id: &str, prefix: &str, schema: &'static str) {
    if id.is_empty() {
        c.report_member(name, Rule::IdNonEmpty, schema, format!("`{name}` is empty"));
    } else if !id.starts_with(prefix) {
        c.report_member(
            name,
            Rule::IdPrefix,
            schema,
            format!("`{name}` `{id}` does not start with `{prefix}`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_accepts_canonical_padded_text() {
        assert_eq!(check_base64(""), Ok(0));
        assert_eq!(check_base64("AA=="), Ok(1));
        assert_eq!(check_base64("AAA="), Ok(2));
        assert_eq!(check_base64("AAAA"), Ok(3));
        let long = base64::engine::general_purpose::STANDARD.encode(vec![1u8; 10_000]);
        assert_eq!(check_base64(&long), Ok(10_000));
    }

    #[test]
    fn base64_rejects_with_offsets() {
        assert!(check_base64("AAA").unwrap_err().contains("multiple of 4"));
        assert!(check_base64("AA==AAAA").unwrap_err().contains("offset 2"));
        assert!(check_base64("AB==").unwrap_err().contains("trailing bits"));
        assert!(check_base64("AA-_")
            .unwrap_err()
            .contains("`-` at offset 2"));
        // An error in a later chunk reports its offset in the whole text.
        let mut text = "A".repeat(CHUNK * 2);
        text.replace_range(CHUNK + 5..CHUNK + 6, "!");
        let err = check_base64(&text).unwrap_err();
        assert!(err.contains(&format!("offset {}", CHUNK + 5)), "{err}");
        // Padding at the end of an inner chunk is still padding in the middle.
        let mut text = "A".repeat(CHUNK * 2);
        text.replace_range(CHUNK - 2..CHUNK, "==");
        assert!(check_base64(&text).unwrap_err().contains("before the end"));
    }

    #[test]
    fn uris_need_a_scheme() {
        assert!(is_uri("https://example.com/mcp"));
        assert!(is_uri("data:image/png;base64,AAAA"));
        assert!(!is_uri("example.com/mcp"));
        assert!(!is_uri("1http://x"));
        assert!(!is_uri("https://exa mple.com"));
        assert!(!is_uri(""));
    }
}
