//! The `error` event as OpenAI's server sends it (`RealtimeServerEventError`):
//! `type` `invalid_request_error`, a machine-readable `code`, a one-line
//! `message`, the offending `param` as a dotted path
//! (`session.audio.input.format.rate`, `tools[0].name`), and the client's
//! `event_id`.

use crate::check::{Finding, Rule};
use crate::error::{ErrorCategory, ParseError};
use crate::model::error_details::ErrorDetails;
use crate::wire::Nullable;

/// `error.type` of every error a client's frame causes.
pub const INVALID_REQUEST: &str = "invalid_request_error";

/// `error.type` of errors the server causes (the `error-without-response-done`
/// fault).
pub const SERVER_ERROR: &str = "server_error";

/// An error about to be sent: everything but the event's own id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorReply {
    /// `error.type`.
    pub kind: &'static str,
    /// `error.code`.
    pub code: &'static str,
    /// `error.message`.
    pub message: String,
    /// `error.param`: a dotted path, when the error is about one member.
    pub param: Option<String>,
}

impl ErrorReply {
    /// An `invalid_request_error`.
    pub fn invalid(code: &'static str, message: impl Into<String>, param: Option<String>) -> Self {
        ErrorReply {
            kind: INVALID_REQUEST,
            code,
            message: message.into(),
            param,
        }
    }

    /// The `error` member, echoing `event_id` (`null` when the client sent none).
    pub fn details(&self, event_id: Option<&str>) -> ErrorDetails {
        ErrorDetails {
            r#type: self.kind.to_owned(),
            code: Some(Nullable::Value(self.code.to_owned())),
            message: self.message.clone(),
            param: Some(self.param.clone().map_or(Nullable::Null, Nullable::Value)),
            event_id: Some(event_id.map_or(Nullable::Null, |id| Nullable::Value(id.to_owned()))),
            extra: Default::default(),
        }
    }

    /// The reply to a frame the model rejects: the code says what kind of
    /// mistake, `param` where, the message what was expected.
    pub fn from_parse_error(err: &ParseError) -> Self {
        if matches!(err.category(), ErrorCategory::Syntax | ErrorCategory::Eof) {
            return ErrorReply::invalid(
                "invalid_json",
                format!("The frame is not valid JSON: {err}"),
                None,
            );
        }
        let message = err.message();
        let named = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(|name| join(err.path(), name))
        };
        if let Some(param) = named("missing field `") {
            return ErrorReply::invalid(
                "missing_required_parameter",
                format!("Missing required parameter: '{param}'."),
                Some(param),
            );
        }
        if let Some(param) = named("unknown field `") {
            return ErrorReply::invalid(
                "unknown_parameter",
                format!("Unknown parameter: '{param}'."),
                Some(param),
            );
        }
        if let Some(param) = named("duplicate field `") {
            return ErrorReply::invalid(
                "duplicate_parameter",
                format!("Duplicate parameter: '{param}' ({err})."),
                Some(param),
            );
        }
        let code = if message.starts_with("invalid type") {
            "invalid_type"
        } else {
            "invalid_value"
        };
        let param = (!err.path().is_empty()).then(|| err.path().to_owned());
        let message = match &param {
            Some(param) => format!("Invalid value for '{param}': {err}."),
            None => format!("Invalid client event: {err}."),
        };
        ErrorReply::invalid(code, message, param)
    }

    /// The reply to a frame the checker finds non-conforming, from its
    /// first finding that makes the server refuse the frame.
    pub fn from_finding(finding: &Finding) -> Self {
        let param = pointer_to_param(&finding.pointer);
        let param = (!param.is_empty()).then_some(param);
        match finding.rule {
            Rule::UnknownMember => ErrorReply::invalid(
                "unknown_parameter",
                format!(
                    "Unknown parameter: '{}'.",
                    param.as_deref().unwrap_or_default()
                ),
                param,
            ),
            Rule::UnknownEventType | Rule::BetaEventType => ErrorReply::invalid(
                "invalid_value",
                format!("{} ({}).", finding.message, finding.schema),
                Some("type".to_owned()),
            ),
            rule => ErrorReply::invalid(
                "invalid_value",
                format!("{} [{rule}] ({}).", finding.message, finding.schema),
                param,
            ),
        }
    }
}

/// Whether the server refuses a frame with this finding: every error, and
/// the two warnings OpenAI's server refuses too (unknown members, beta-era
/// event types). Other warnings (an explicit `null`, a missing part `type`)
/// are accepted and only reported.
pub fn refuses(finding: &Finding) -> bool {
    finding.is_error() || matches!(finding.rule, Rule::UnknownMember | Rule::BetaEventType)
}

/// `/session/tools/0/name` -> `session.tools[0].name`, the form OpenAI's
/// errors use in `param`.
pub fn pointer_to_param(pointer: &str) -> String {
    let mut param = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            param.push('[');
            param.push_str(&segment);
            param.push(']');
        } else {
            if !param.is_empty() {
                param.push('.');
            }
            param.push_str(&segment);
        }
    }
    param
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClientEvent;

    #[test]
    fn parse_errors_map_to_openai_codes() {
        let reply = |frame: &str| {
            ErrorReply::from_parse_error(&ClientEvent::from_slice(frame.as_bytes()).unwrap_err())
        };
        let missing = reply(r#"{"type":"conversation.item.delete"}"#);
        assert_eq!(missing.code, "missing_required_parameter");
        assert_eq!(missing.param.as_deref(), Some("item_id"));
        let unknown = reply(
            r#"{"type":"session.update","session":{"type":"realtime","audio":{"output":{"voice":{"id":"v","x":1}}}}}"#,
        );
        assert_eq!(unknown.code, "unknown_parameter");
        assert_eq!(
            unknown.param.as_deref(),
            Some("session.audio.output.voice.x")
        );
        let bad_type = reply(r#"{"type":"conversation.item.delete","item_id":3}"#);
        assert_eq!(bad_type.code, "invalid_type");
        assert_eq!(bad_type.param.as_deref(), Some("item_id"));
        let json = reply("{");
        assert_eq!(json.code, "invalid_json");
        assert_eq!(json.param, None);
    }
}
