//! The frame scanner: reads the common shape of a frame with one large
//! base64 member (`input_audio_buffer.append`, `response.output_audio.delta`)
//! without serde, and gives up (returns `None`) on anything else.
//!
//! Accepted shape: one JSON object, with JSON whitespace (space, tab, line
//! feed, carriage return) anywhere between tokens, whose members are exactly
//! `"type": <the one type>`, the large member as a plain string, and some of
//! the shape's small members (strings, `null`, or integers written plainly),
//! in any order, each once. Member names must be written without escapes;
//! the large string must be plain (see [`super::plain`]). Everything the
//! scanner accepts the serde path accepts with the same value; everything
//! else goes to the serde path, which then also produces the error for
//! frames it rejects. Which small members a frame needs is the caller's to
//! decide: a frame it does not like goes to the serde path too.

use std::borrow::Cow;

use super::plain;

/// The frames one scan reads: the `type` (as a JSON string token), the
/// large member's name and the small members' names.
pub(crate) struct FrameShape<const N: usize> {
    /// The `type` value with its quotes, e.g. `"input_audio_buffer.append"`.
    pub type_token: &'static [u8],
    /// The large member, read as plain string bytes.
    pub large: &'static [u8],
    /// The small members, in the order of [`Scanned::small`].
    pub small: [&'static [u8]; N],
}

/// A small member's value as written.
#[derive(Debug, PartialEq)]
pub(crate) enum Small<'a> {
    /// `null`.
    Null,
    /// A string, borrowed when it had no escapes.
    Str(Cow<'a, str>),
    /// An integer with no sign, fraction, exponent or leading zero that
    /// fits an `i64` (anything else goes to serde, which decides).
    Int(i64),
}

/// A frame of the shape: the large string's bytes and the small members
/// that were present.
pub(crate) struct Scanned<'a, const N: usize> {
    /// The large string's content: plain bytes, so ASCII.
    pub large: &'a [u8],
    /// Each small member of the shape, `None` when absent.
    pub small: [Option<Small<'a>>; N],
}

/// Scans `frame` as a frame of `shape`. With `copy`, the large string's
/// content is also appended to it in the same pass (the owned parse's one
/// copy); when the scan gives up, `copy` holds an unspecified prefix.
pub(crate) fn scan<'a, const N: usize>(
    frame: &'a [u8],
    shape: &FrameShape<N>,
    mut copy: Option<&mut String>,
) -> Option<Scanned<'a, N>> {
    let mut s = Scanner { frame, pos: 0 };
    s.skip_ws();
    s.expect(b'{')?;
    let mut seen_type = false;
    let mut large: Option<&[u8]> = None;
    let mut small: [Option<Small<'a>>; N] = std::array::from_fn(|_| None);
    loop {
        s.skip_ws();
        let name = s.member_name()?;
        s.skip_ws();
        s.expect(b':')?;
        s.skip_ws();
        if name == b"type" {
            if seen_type {
                return None;
            }
            s.literal(shape.type_token)?;
            seen_type = true;
        } else if name == shape.large {
            if large.is_some() {
                return None;
            }
            large = Some(s.plain_string(copy.as_deref_mut())?);
        } else {
            // Another member, or a member seen twice.
            let i = shape.small.iter().position(|n| *n == name)?;
            if small[i].is_some() {
                return None;
            }
            small[i] = Some(s.small_value()?);
        }
        s.skip_ws();
        match s.next()? {
            b',' => continue,
            b'}' => break,
            _ => return None,
        }
    }
    s.skip_ws();
    if s.pos != frame.len() || !seen_type {
        return None;
    }
    Some(Scanned {
        large: large?,
        small,
    })
}

/// The client's audio frame: `input_audio_buffer.append` with `audio` and
/// an optional `event_id`.
const APPEND: FrameShape<1> = FrameShape {
    type_token: b"\"input_audio_buffer.append\"",
    large: b"audio",
    small: [b"event_id"],
};

/// An `input_audio_buffer.append` frame of the common shape.
pub(crate) struct PlainAppend<'a> {
    /// The `event_id`; `None` when absent or `null` (as the model reads it).
    pub event_id: Option<Cow<'a, str>>,
    /// The `event_id` was an explicit `null`: the one change a round trip
    /// through the model makes to a frame of this shape.
    pub event_id_null: bool,
    /// The audio string's content: plain bytes, so ASCII.
    pub audio: &'a [u8],
}

/// Scans `frame` as an `input_audio_buffer.append` of the common shape; with
/// `copy`, also appends the audio to it in the same pass (see [`scan`]).
pub(crate) fn plain_append<'a>(
    frame: &'a [u8],
    copy: Option<&mut String>,
) -> Option<PlainAppend<'a>> {
    let Scanned { large, small } = scan(frame, &APPEND, copy)?;
    let [event_id] = small;
    let event_id_null = event_id == Some(Small::Null);
    let event_id = match event_id {
        None | Some(Small::Null) => None,
        Some(Small::Str(id)) => Some(id),
        Some(Small::Int(_)) => return None,
    };
    Some(PlainAppend {
        event_id,
        event_id_null,
        audio: large,
    })
}

/// The server's audio frame: `response.output_audio.delta` with `delta`
/// and its five small members.
const AUDIO_DELTA: FrameShape<5> = FrameShape {
    type_token: b"\"response.output_audio.delta\"",
    large: b"delta",
    small: [
        b"event_id",
        b"response_id",
        b"item_id",
        b"output_index",
        b"content_index",
    ],
};

/// A `response.output_audio.delta` frame of the common shape: every
/// required member present, each of its JSON type.
pub(crate) struct PlainAudioDelta<'a> {
    /// `event_id`.
    pub event_id: Cow<'a, str>,
    /// `response_id`.
    pub response_id: Cow<'a, str>,
    /// `item_id`.
    pub item_id: Cow<'a, str>,
    /// `output_index`.
    pub output_index: i64,
    /// `content_index`.
    pub content_index: i64,
    /// The audio string's content: plain bytes, so ASCII.
    pub delta: &'a [u8],
}

/// Scans `frame` as a `response.output_audio.delta` of the common shape;
/// with `copy`, also appends the audio to it in the same pass (see [`scan`]).
pub(crate) fn plain_audio_delta<'a>(
    frame: &'a [u8],
    copy: Option<&mut String>,
) -> Option<PlainAudioDelta<'a>> {
    let Scanned { large, small } = scan(frame, &AUDIO_DELTA, copy)?;
    let [Some(Small::Str(event_id)), Some(Small::Str(response_id)), Some(Small::Str(item_id)), Some(Small::Int(output_index)), Some(Small::Int(content_index))] =
        small
    else {
        return None;
    };
    Some(PlainAudioDelta {
        event_id,
        response_id,
        item_id,
        output_index,
        content_index,
        delta: large,
    })
}

struct Scanner<'a> {
    frame: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.frame[self.pos..]
    }

    fn skip_ws(&mut self) {
        // The four bytes serde_json skips between tokens.
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.frame.get(self.pos) {
            self.pos += 1;
        }
    }

    fn next(&mut self) -> Option<u8> {
        let b = *self.frame.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    fn literal(&mut self, text: &[u8]) -> Option<()> {
        if self.rest().starts_with(text) {
            self.pos += text.len();
            Some(())
        } else {
            None
        }
    }

    /// A member name's raw bytes. Names with escapes come back with their
    /// backslashes (or cut at an escaped quote), so they match none of the
    /// three names and the frame goes to the serde path.
    fn member_name(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let rest = self.rest();
        let end = memchr::memchr(b'"', rest)?;
        self.pos += end + 1;
        Some(&rest[..end])
    }

    fn plain_string(&mut self, copy: Option<&mut String>) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let rest = self.rest();
        let len = match copy {
            Some(out) => plain::plain_string_copy(rest, out)?,
            None => plain::plain_string_len(rest)?,
        };
        self.pos += len + 1;
        Some(&rest[..len])
    }

    /// A small member's value: `null`, a string or a plain integer.
    fn small_value(&mut self) -> Option<Small<'a>> {
        match *self.rest().first()? {
            b'"' => self.string_or_null()?.map(Small::Str),
            b'n' => {
                self.literal(b"null")?;
                Some(Small::Null)
            }
            b'1'..=b'9' | b'0' => self.integer().map(Small::Int),
            _ => None,
        }
    }

    /// A non-negative integer as serde_json reads it into an `i64`; `0`
    /// alone, no leading zero; a fraction, an exponent or a number too long
    /// to fit goes to serde.
    fn integer(&mut self) -> Option<i64> {
        let rest = self.rest();
        let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 || len > 18 || (len > 1 && rest[0] == b'0') {
            return None;
        }
        if matches!(rest.get(len), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let value = std::str::from_utf8(&rest[..len]).ok()?.parse().ok()?;
        self.pos += len;
        Some(value)
    }

    /// `null` (read as absent, as the model reads an optional member) or a
    /// string. A string without escapes is borrowed; one with escapes is
    /// decoded by serde_json itself, so its value is serde_json's.
    fn string_or_null(&mut self) -> Option<Option<Cow<'a, str>>> {
        if self.rest().starts_with(b"null") {
            self.pos += 4;
            return Some(None);
        }
        let start = self.pos;
        self.expect(b'"')?;
        let rest = self.rest();
        let mut escaped = false;
        let mut i = 0;
        loop {
            match *rest.get(i)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    // Whatever follows a backslash cannot end the string.
                    i += 2;
                }
                // serde_json rejects raw control characters in strings.
                0x00..=0x1F => return None,
                _ => i += 1,
            }
        }
        self.pos += i + 1;
        if escaped {
            // The token alone: serde_json reads it exactly as it would in
            // place, and rejects it (sending the frame to the serde path)
            // if it is not a valid string.
            let token = &self.frame[start..self.pos];
            serde_json::from_slice::<String>(token)
                .ok()
                .map(|s| Some(Cow::Owned(s)))
        } else {
            std::str::from_utf8(&rest[..i])
                .ok()
                .map(|s| Some(Cow::Borrowed(s)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The borrowing scan's reading of `frame`, after checking that the
    /// copying scan reads the same and copies exactly the audio.
    fn scan(frame: &str) -> Option<(Option<String>, String)> {
        let read = |p: PlainAppend<'_>| {
            (
                p.event_id.map(Cow::into_owned),
                String::from_utf8(p.audio.to_vec()).unwrap(),
            )
        };
        let borrowed = plain_append(frame.as_bytes(), None).map(read);
        let mut copy = String::new();
        let copied = plain_append(frame.as_bytes(), Some(&mut copy)).map(read);
        assert_eq!(copied, borrowed, "{frame}");
        if let Some((_, audio)) = &borrowed {
            assert_eq!(&copy, audio, "{frame}");
        }
        borrowed
    }

    #[test]
    fn common_shapes_are_read() {
        let expected = Some((Some("e1".to_owned()), "QUJD".to_owned()));
        for frame in [
            r#"{"type":"input_audio_buffer.append","event_id":"e1","audio":"QUJD"}"#,
            r#"{"event_id":"e1","audio":"QUJD","type":"input_audio_buffer.append"}"#,
            " {\n\t\"audio\" : \"QUJD\" ,\r\n \"type\":\"input_audio_buffer.append\", \"event_id\": \"e1\" } \n",
        ] {
            assert_eq!(scan(frame), expected, "{frame}");
        }
        assert_eq!(
            scan(r#"{"type":"input_audio_buffer.append","event_id":null,"audio":""}"#),
            Some((None, String::new()))
        );
        assert_eq!(
            scan(r#"{"type":"input_audio_buffer.append","event_id":"a\"\u00e9","audio":"QQ=="}"#),
            Some((Some("a\"é".to_owned()), "QQ==".to_owned()))
        );
    }

    #[test]
    fn other_shapes_are_left_to_serde() {
        for frame in [
            r#"{"type":"input_audio_buffer.append","audio":"QU JD"}"#,
            r#"{"type":"input_audio_buffer.append","audio":"QUJD\/"}"#,
            r#"{"type":"input_audio_buffer.append","audio":"QUJD","x":1}"#,
            r#"{"type":"input_audio_buffer.append","audio":"QUJD","audio":"QUJD"}"#,
            r#"{"type":"input_audio_buffer.append","event_id":null,"event_id":"e","audio":"QUJD"}"#,
            r#"{"type":"input_audio_buffer.append","type":"input_audio_buffer.append","audio":"QUJD"}"#,
            r#"{"type":"input_audio_buffer.commit","audio":"QUJD"}"#,
            r#"{"type":"input_audio_buffer.append"}"#,
            r#"{"audio":"QUJD"}"#,
            r#"{"t\u0079pe":"input_audio_buffer.append","audio":"QUJD"}"#,
            r#"{"type":"input_audio_buffer.append","audio":"QUJD"} x"#,
            r#"{"type":"input_audio_buffer.append","audio":"QUJD",}"#,
            r#"{"type":"input_audio_buffer.append","audio":"QUJD""#,
            r#"{"type":"input_audio_buffer.append","event_id":nul,"audio":"QUJD"}"#,
            r#"{"type":"input_audio_buffer.append","event_id":"\ud800","audio":"QUJD"}"#,
            r#"{"type":"input_audio_buffer.append","event_id":1,"audio":"QUJD"}"#,
            "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"a\u{1}\",\"audio\":\"QUJD\"}",
            "{\"type\":\"input_audio_buffer.append\",\u{c}\"audio\":\"QUJD\"}",
            "{}",
            "",
            "[]",
        ] {
            assert_eq!(scan(frame), None, "{frame}");
        }
    }
}
