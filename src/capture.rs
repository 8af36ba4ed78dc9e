//! The capture format: a two-direction recording of Realtime connections as
//! JSON Lines, one WebSocket message per line, written by `realtime-harness
//! proxy --record` and read by `check`.
//!
//! ```text
//! {"time":"2026-11-30T23:40:01.123456Z","connection":1,"direction":"client","frame":{"type":"response.create"}}
//! {"time":"2026-11-30T23:40:01.130020Z","connection":1,"direction":"server","frame":"not JSON"}
//! {"time":"2026-11-30T23:40:02.000000Z","connection":1,"direction":"client","binary":"AAEC"}
//! {"time":"2026-11-30T23:40:03.000000Z","connection":1,"direction":"server","close":{"code":1000,"reason":""}}
//! ```
//!
//! Members, in this order when written:
//!
//! - `time`: when the proxy received the message, RFC 3339 in UTC with
//!   microseconds; optional when reading;
//! - `connection`: which connection through the proxy (1 for the first);
//!   optional when reading (1);
//! - `direction`: `"client"` (client to server, a `RealtimeClientEvent`) or
//!   `"server"` (server to client, a `RealtimeServerEvent`);
//! - exactly one of
//!   - `frame`: a text message. A message that is one JSON object on one
//!     line (`{` first, `}` last, no line break) is embedded as it was sent,
//!     byte for byte; any other text is a JSON string holding it;
//!   - `binary`: a binary message, base64;
//!   - `close`: a close message, `{"code": N, "reason": "…"}` (`code`
//!     absent when the close carried none).
//!
//! No handshake header is recorded: the `Authorization` key and the
//! subprotocols (browsers send the key as one) never reach a capture.
//! Any JSON Lines file whose lines carry a `direction` and a `frame`, and
//! no `type`, reads as a capture.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::events::Family;

/// One message of a capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload<'a> {
    /// A text message, as sent.
    Text(Cow<'a, str>),
    /// A binary message.
    Binary(Vec<u8>),
    /// A close message.
    Close {
        /// The close code, when the message carried one.
        code: Option<u16>,
        /// The close reason.
        reason: String,
    },
}

/// One line of a capture, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// `time`, as written.
    pub time: Option<Cow<'a, str>>,
    /// `connection` (1 when absent).
    pub connection: u64,
    /// `direction`: the family the message belongs to.
    pub direction: Family,
    /// The message.
    pub payload: Payload<'a>,
}

/// A line that is not a capture line, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureError {
    /// JSON path of the member at fault (empty: the line).
    pub path: String,
    /// What was expected.
    pub message: String,
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for CaptureError {}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    time: Option<Cow<'a, str>>,
    #[serde(default)]
    connection: Option<u64>,
    #[serde(borrow)]
    direction: Cow<'a, str>,
    #[serde(borrow, default)]
    frame: Option<&'a RawValue>,
    #[serde(default)]
    binary: Option<String>,
    #[serde(default)]
    close: Option<Close>,
    #[serde(rename = "type", default)]
    event_type: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Close {
    #[serde(default)]
    code: Option<u16>,
    #[serde(default)]
    reason: String,
}

fn invalid(path: &str, message: impl Into<String>) -> CaptureError {
    CaptureError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Reads one capture line.
pub fn from_slice(line: &[u8]) -> Result<Entry<'_>, CaptureError> {
    let parsed: Line<'_> = serde_json::from_slice(line).map_err(|err| {
        invalid(
            "",
            format!(
                "expected a capture line {{\"direction\": \"client\"|\"server\", \"frame\": …}}: {err}"
            ),
        )
    })?;
    if parsed.event_type.is_some() {
        return Err(invalid(
            "type",
            "a capture line has no `type`; this is an event, not a capture line",
        ));
    }
    let direction = match parsed.direction.as_ref() {
        "client" => Family::Client,
        "server" => Family::Server,
        other => {
            return Err(invalid(
                "direction",
                format!("expected \"client\" or \"server\", found {other:?}"),
            ))
        }
    };
    let payload = match (parsed.frame, parsed.binary, parsed.close) {
        (Some(frame), None, None) => Payload::Text(text_of(frame)?),
        (None, Some(binary), None) => Payload::Binary(
            base64::engine::general_purpose::STANDARD
                .decode(binary)
                .map_err(|err| invalid("binary", format!("expected base64: {err}")))?,
        ),
        (None, None, Some(close)) => Payload::Close {
            code: close.code,
            reason: close.reason,
        },
        _ => {
            return Err(invalid(
                "",
                "expected exactly one of `frame`, `binary` and `close`",
            ))
        }
    };
    Ok(Entry {
        time: parsed.time,
        connection: parsed.connection.unwrap_or(1),
        direction,
        payload,
    })
}

/// The text a `frame` member stands for: a string's content, or the JSON
/// as written.
fn text_of(frame: &RawValue) -> Result<Cow<'_, str>, CaptureError> {
    let raw = frame.get();
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw)
            .map(Cow::Owned)
            .map_err(|err| invalid("frame", err.to_string()));
    }
    Ok(Cow::Borrowed(raw))
}

/// Whether `line` is a capture line (the test `check` applies to the first
/// line of a JSON Lines input to read it as a capture).
pub fn is_capture_line(line: &[u8]) -> bool {
    from_slice(line).is_ok()
}

/// Whether a text message can stand in a line as it was sent: one JSON
/// object, no line break, nothing around it.
fn embeddable(text: &str) -> bool {
    text.starts_with('{')
        && text.ends_with('}')
        && memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_none()
        && serde_json::from_str::<IgnoredAny>(text).is_ok()
}

/// Writes one capture line (with its newline) for a message received at `time`.
pub fn write_line(
    out: &mut dyn Write,
    time: SystemTime,
    connection: u64,
    direction: Family,
    payload: &Payload<'_>,
) -> io::Result<()> {
    write!(
        out,
        "{{\"time\":\"{}\",\"connection\":{connection},\"direction\":\"{}\",",
        rfc3339(time),
        direction.as_str()
    )?;
    match payload {
        Payload::Text(text) if embeddable(text) => {
            out.write_all(b"\"frame\":")?;
            out.write_all(text.as_bytes())?;
        }
        Payload::Text(text) => {
            out.write_all(b"\"frame\":")?;
            serde_json::to_writer(&mut *out, text.as_ref())?;
        }
        Payload::Binary(bytes) => {
            out.write_all(b"\"binary\":\"")?;
            out.write_all(
                base64::engine::general_purpose::STANDARD
                    .encode(bytes)
                    .as_bytes(),
            )?;
            out.write_all(b"\"")?;
        }
        Payload::Close { code, reason } => {
            let close = match code {
                Some(code) => serde_json::json!({ "code": code, "reason": reason }),
                None => serde_json::json!({ "reason": reason }),
            };
            write!(out, "\"close\":{close}")?;
        }
    }
    out.write_all(b"}\n")
}

/// `time` as RFC 3339 in UTC with microseconds, e.g. `2026-11-30T23:40:01.123456Z`.
pub fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        since.subsec_micros()
    )
}

/// Year, month, day of the proleptic Gregorian calendar for a count of days
/// since 1970-01-01 (eras of 400 years, 146 097 days each; the year taken to
/// start in March so that the leap day comes last).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn line(direction: Family, payload: &Payload<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        write_line(&mut out, UNIX_EPOCH, 3, direction, payload).unwrap();
        out
    }

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        let leap = UNIX_EPOCH + Duration::from_micros(951_782_400_000_007);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00.000007Z");
        let late = UNIX_EPOCH + Duration::from_secs(1_796_081_999);
        assert_eq!(rfc3339(late), "2026-11-30T23:39:59.000000Z");
    }

    #[test]
    fn one_line_objects_are_embedded_byte_for_byte() {
        let frame = r#"{"type":"response.create",  "event_id":"e\u00e9"}"#;
        let written = line(Family::Client, &Payload::Text(frame.into()));
        let text = String::from_utf8(written.clone()).unwrap();
        assert!(text.contains(frame), "{text}");
        assert!(text.ends_with("}\n"));
        let entry = from_slice(written.trim_ascii_end()).unwrap();
        assert_eq!(entry.connection, 3);
        assert_eq!(entry.direction, Family::Client);
        assert_eq!(entry.payload, Payload::Text(frame.into()));
    }

    #[test]
    fn other_text_binary_and_close_round_trip() {
        for payload in [
            Payload::Text("not json".into()),
            Payload::Text("{\n\"type\": \"x\"\n}".into()),
            Payload::Text(" {\"a\":1}".into()),
            Payload::Text("\"a string\"".into()),
            Payload::Text("{\"broken\":".into()),
            Payload::Binary(vec![0, 1, 2, 255]),
            Payload::Close {
                code: Some(1000),
                reason: "bye".into(),
            },
            Payload::Close {
                code: None,
                reason: String::new(),
            },
        ] {
            let written = line(Family::Server, &payload);
            assert_eq!(written.iter().filter(|&&b| b == b'\n').count(), 1);
            let entry = from_slice(written.trim_ascii_end()).unwrap();
            assert_eq!(entry.payload, payload);
            assert_eq!(entry.direction, Family::Server);
        }
    }

    #[test]
    fn events_and_bad_lines_are_not_capture_lines() {
        assert!(!is_capture_line(br#"{"type":"response.create"}"#));
        assert!(!is_capture_line(
            br#"{"type":"x","direction":"client","frame":{}}"#
        ));
        let err = from_slice(br#"{"direction":"upstream","frame":{}}"#).unwrap_err();
        assert_eq!(err.path, "direction");
        let err = from_slice(br#"{"direction":"client"}"#).unwrap_err();
        assert!(err.message.contains("exactly one"), "{err}");
        let err = from_slice(br#"{"direction":"client","binary":"!!"}"#).unwrap_err();
        assert_eq!(err.path, "binary");
        assert!(is_capture_line(br#"{"direction":"server","frame":"hi"}"#));
    }
}
