//! The frame scanner: reads the common shape of `input_audio_buffer.append`
//! without serde, and gives up (returns `None`) on anything else.
//!
//! Accepted shape: one JSON object, with JSON whitespace (space, tab, line
//! feed, carriage return) anywhere between tokens, whose members are
//! exactly `"type": "input_audio_buffer.append"`, `"audio": <plain string>`
//! and optionally `"event_id": <string or null>`, in any order, each once.
//! Member names must be written without escapes; the audio must be plain
//! (see [`super::plain`]). Everything the scanner accepts the serde path
//! accepts with the same value; everything else goes to the serde path,
//! which then also produces the error for frames it rejects.

use std::borrow::Cow;

use super::plain;

/// The one `type` the scanner reads.
const APPEND_TYPE: &[u8] = b"\"input_audio_buffer.append\"";

/// An `input_audio_buffer.append` frame of the common shape.
pub(crate) struct PlainAppend<'a> {
    /// The `event_id`; `None` when absent or `null` (as the model reads it).
    pub event_id: Option<Cow<'a, str>>,
    /// The audio string's content: plain bytes, so ASCII.
    pub audio: &'a [u8],
}

/// Scans `frame` as an `input_audio_buffer.append` of the common shape.
pub(crate) fn plain_append(frame: &[u8]) -> Option<PlainAppend<'_>> {
    let mut s = Scanner { frame, pos: 0 };
    s.skip_ws();
    s.expect(b'{')?;
    let mut seen_type = false;
    let mut event_id: Option<Option<Cow<'_, str>>> = None;
    let mut audio: Option<&[u8]> = None;
    loop {
        s.skip_ws();
        let name = s.member_name()?;
        s.skip_ws();
        s.expect(b':')?;
        s.skip_ws();
        match name {
            b"type" if !seen_type => {
                s.literal(APPEND_TYPE)?;
                seen_type = true;
            }
            b"event_id" if event_id.is_none() => event_id = Some(s.string_or_null()?),
            b"audio" if audio.is_none() => audio = Some(s.plain_string()?),
            // Another member, or a member seen twice.
            _ => return None,
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
    Some(PlainAppend {
        event_id: event_id.flatten(),
        audio: audio?,
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

    fn plain_string(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let rest = self.rest();
        let len = plain::plain_string_len(rest)?;
        self.pos += len + 1;
        Some(&rest[..len])
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

    fn scan(frame: &str) -> Option<(Option<String>, String)> {
        plain_append(frame.as_bytes()).map(|p| {
            (
                p.event_id.map(Cow::into_owned),
                String::from_utf8(p.audio.to_vec()).unwrap(),
            )
        })
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
