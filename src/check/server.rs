//! Server events (`RealtimeServerEvent`): ids, indexes, the response
//! resource's lifecycle and status details, usage totals, the server's
//! session, rate limits, audio deltas, and the items and sessions they carry
//! (judged by the rules both directions share).

use super::item::{self, Placement};
use super::response::metadata_rule;
use super::session::{
    self, max_output_tokens_rule, output_format_and_voice, output_modalities_rule,
};
use super::{values, Checker, Rule};
use crate::events::server::{RealtimeServerEvent, ServerEvent};
use crate::model::rate_limits::RateLimit;
use crate::model::response::{
    RealtimeResponse, ResponseAudioConfig, ResponseAudioOutput, ResponseStatus,
    ResponseStatusDetails, ResponseStatusDetailsType, ResponseStatusReason,
};
use crate::model::usage::{
    CachedTokensDetails, InputTokenDetails, OutputTokenDetails, ResponseUsage,
    TranscriptionTokenUsage, TranscriptionUsage,
};
use crate::wire::Nullable;

const RESPONSE: &str = "RealtimeResponse";

/// Beta-era server event types and the GA names that replaced them.
pub const LEGACY_SERVER_EVENT_TYPES: &[(&str, &str)] = &[
    ("response.text.delta", "response.output_text.delta"),
    ("response.text.done", "response.output_text.done"),
    ("response.audio.delta", "response.output_audio.delta"),
    ("response.audio.done", "response.output_audio.done"),
    (
        "response.audio_transcript.delta",
        "response.output_audio_transcript.delta",
    ),
    (
        "response.audio_transcript.done",
        "response.output_audio_transcript.done",
    ),
    ("transcription_session.created", "session.created"),
    ("transcription_session.updated", "session.updated"),
];

/// The spec schema of a server event (`RealtimeServerEvent` for unknown types).
pub(super) fn event_schema(event: &ServerEvent) -> &'static str {
    event
        .to_event_type()
        .map_or("RealtimeServerEvent", RealtimeServerEvent::schema)
}

/// Where a response resource stands in its lifecycle.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lifecycle {
    Created,
    Done,
}

pub(super) fn event(c: &mut Checker, event: &ServerEvent) {
    let schema = event_schema(event);
    let ServerEvent::Unknown { event_type, .. } = event else {
        c.object(schema, event.extra().expect("known events have extra"));
        members(c, event, schema);
        return;
    };
    c.closed(schema);
    match LEGACY_SERVER_EVENT_TYPES
        .iter()
        .find(|(legacy, _)| legacy == event_type)
    {
        Some((legacy, ga)) => c.report_member(
            "type",
            Rule::LegacyEventType,
            schema,
            format!("`{legacy}` is a beta-era name; GA servers send `{ga}`"),
        ),
        None => c.report_member(
            "type",
            Rule::UnknownServerEventType,
            schema,
            format!("`{event_type}` is not a GA server event type"),
        ),
    }
}

/// The members of a known event. Every id and index is checked by name, so
/// that one table serves all 46 events.
fn members(c: &mut Checker, event: &ServerEvent, schema: &'static str) {
    use ServerEvent as E;
    if let Some(id) = event.event_id() {
        id_rule(c, "event_id", id, "event_", schema);
    }
    match event {
        E::SessionCreated { session, .. } | E::SessionUpdated { session, .. } => {
            c.member("session", |c| session::session(c, session));
        }
        E::ConversationItemCreated { item, .. }
        | E::ConversationItemAdded { item, .. }
        | E::ConversationItemDone { item, .. }
        | E::ConversationItemRetrieved { item, .. } => {
            c.member("item", |c| item::item(c, item, Placement::Server));
        }
        E::ResponseOutputItemAdded {
            response_id,
            output_index,
            item,
            ..
        }
        | E::ResponseOutputItemDone {
            response_id,
            output_index,
            item,
            ..
        } => {
            id_rule(c, "response_id", response_id, "resp_", schema);
            index(c, "output_index", *output_index, schema);
            c.member("item", |c| item::item(c, item, Placement::Server));
        }
        E::ResponseCreated { response, .. } => {
            c.member("response", |c| resource(c, response, Lifecycle::Created));
        }
        E::ResponseDone { response, .. } => {
            c.member("response", |c| resource(c, response, Lifecycle::Done));
        }
        E::ResponseOutputAudioDelta {
            response_id,
            item_id,
            output_index,
            content_index,
            delta,
            ..
        } => {
            part_address(
                c,
                response_id,
                item_id,
                *output_index,
                *content_index,
                schema,
            );
            values::audio(c, "delta", delta, schema);
        }
        E::ResponseOutputAudioDone {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        }
        | E::ResponseOutputAudioTranscriptDelta {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        }
        | E::ResponseOutputAudioTranscriptDone {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        }
        | E::ResponseOutputTextDelta {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        }
        | E::ResponseOutputTextDone {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        } => part_address(
            c,
            response_id,
            item_id,
            *output_index,
            *content_index,
            schema,
        ),
        E::ResponseContentPartAdded {
            response_id,
            item_id,
            output_index,
            content_index,
            part,
            ..
        }
        | E::ResponseContentPartDone {
            response_id,
            item_id,
            output_index,
            content_index,
            part,
            ..
        } => {
            part_address(
                c,
                response_id,
                item_id,
                *output_index,
                *content_index,
                schema,
            );
            c.member("part", |c| {
                c.object(schema, &part.extra);
                if let Some(audio) = &part.audio {
                    values::audio(c, "audio", audio, schema);
                }
            });
        }
        E::ResponseFunctionCallArgumentsDelta {
            response_id,
            item_id,
            output_index,
            call_id,
            ..
        } => {
            item_address(c, response_id, item_id, *output_index, schema);
            id_rule(c, "call_id", call_id, "", schema);
        }
        E::ResponseFunctionCallArgumentsDone {
            response_id,
            item_id,
            output_index,
            call_id,
            arguments,
            ..
        } => {
            item_address(c, response_id, item_id, *output_index, schema);
            id_rule(c, "call_id", call_id, "", schema);
            values::json_string(c, "arguments", arguments, schema);
        }
        E::ResponseMcpCallArgumentsDelta {
            response_id,
            item_id,
            output_index,
            ..
        } => item_address(c, response_id, item_id, *output_index, schema),
        E::ResponseMcpCallArgumentsDone {
            response_id,
            item_id,
            output_index,
            arguments,
            ..
        } => {
            item_address(c, response_id, item_id, *output_index, schema);
            values::json_string(c, "arguments", arguments, schema);
        }
        E::ResponseMcpCallInProgress {
            output_index,
            item_id,
            ..
        }
        | E::ResponseMcpCallCompleted {
            output_index,
            item_id,
            ..
        }
        | E::ResponseMcpCallFailed {
            output_index,
            item_id,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "output_index", *output_index, schema);
        }
        E::ConversationItemDeleted { item_id, .. }
        | E::McpListToolsInProgress { item_id, .. }
        | E::McpListToolsCompleted { item_id, .. }
        | E::McpListToolsFailed { item_id, .. } => id_rule(c, "item_id", item_id, "", schema),
        E::ConversationItemTruncated {
            item_id,
            content_index,
            audio_end_ms,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "content_index", *content_index, schema);
            index(c, "audio_end_ms", *audio_end_ms, schema);
        }
        E::ConversationItemInputAudioTranscriptionCompleted {
            item_id,
            content_index,
            usage,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "content_index", *content_index, schema);
            if let TranscriptionUsage::Tokens(tokens) = usage {
                c.member("usage", |c| transcription_tokens(c, tokens, schema));
            }
        }
        E::ConversationItemInputAudioTranscriptionDelta {
            item_id,
            content_index,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            if let Some(content_index) = content_index {
                index(c, "content_index", *content_index, schema);
            }
        }
        E::ConversationItemInputAudioTranscriptionFailed {
            item_id,
            content_index,
            ..
        }
        | E::ConversationItemInputAudioTranscriptionSegment {
            item_id,
            content_index,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "content_index", *content_index, schema);
        }
        E::InputAudioBufferCommitted { item_id, .. } => {
            id_rule(c, "item_id", item_id, "", schema);
        }
        E::InputAudioBufferSpeechStarted {
            item_id,
            audio_start_ms,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "audio_start_ms", *audio_start_ms, schema);
        }
        E::InputAudioBufferSpeechStopped {
            item_id,
            audio_end_ms,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "audio_end_ms", *audio_end_ms, schema);
        }
        E::InputAudioBufferTimeoutTriggered {
            item_id,
            audio_start_ms,
            audio_end_ms,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "audio_start_ms", *audio_start_ms, schema);
            index(c, "audio_end_ms", *audio_end_ms, schema);
        }
        E::InputAudioBufferDtmfEventReceived { received_at, .. } => {
            index(c, "received_at", *received_at, schema);
        }
        E::OutputAudioBufferStarted { response_id, .. }
        | E::OutputAudioBufferStopped { response_id, .. }
        | E::OutputAudioBufferCleared { response_id, .. } => {
            id_rule(c, "response_id", response_id, "resp_", schema);
        }
        E::RateLimitsUpdated { rate_limits, .. } => {
            c.items("rate_limits", rate_limits, |c, limit| {
                rate_limit(c, limit, schema)
            });
        }
        E::ConversationCreated { conversation, .. } => {
            c.member("conversation", |c| c.object(schema, &conversation.extra));
        }
        E::Error { error, .. } => c.member("error", |c| c.object(schema, &error.extra)),
        E::InputAudioBufferCleared { .. } | E::Unknown { .. } => {}
    }
}

/// An id the server assigned: not empty, and (a warning) with its kind's
/// prefix where the API gives one. Item ids have none to check: their
/// prefix follows the item's type (`item_`, `mcp_`, `mcpl_`, ...).
fn id_rule(c: &mut Checker, name: &str, id: &str, prefix: &str, schema: &'static str) {
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

/// An index, offset or count that cannot be negative.
fn index(c: &mut Checker, name: &str, value: i64, schema: &'static str) {
    if value < 0 {
        c.report_member(
            name,
            Rule::NonNegative,
            schema,
            format!("`{name}` is {value}; it cannot be negative"),
        );
    }
}

/// The response, item and output index an event refers to.
fn item_address(
    c: &mut Checker,
    response_id: &str,
    item_id: &str,
    output_index: i64,
    schema: &'static str,
) {
    id_rule(c, "response_id", response_id, "resp_", schema);
    id_rule(c, "item_id", item_id, "", schema);
    index(c, "output_index", output_index, schema);
}

/// The response, item, output index and content index of a part's event.
fn part_address(
    c: &mut Checker,
    response_id: &str,
    item_id: &str,
    output_index: i64,
    content_index: i64,
    schema: &'static str,
) {
    item_address(c, response_id, item_id, output_index, schema);
    index(c, "content_index", content_index, schema);
}

/// The response resource of `response.created` and `response.done`.
fn resource(c: &mut Checker, response: &RealtimeResponse, lifecycle: Lifecycle) {
    let RealtimeResponse {
        id,
        object: _,
        status,
        status_details,
        output,
        metadata,
        audio,
        usage,
        conversation_id: _,
        output_modalities,
        max_output_tokens,
        extra,
    } = response;
    c.object(RESPONSE, extra);
    if let Some(id) = id {
        id_rule(c, "id", id, "resp_", RESPONSE);
    }
    match (lifecycle, status) {
        (_, None) => c.report(
            Rule::ResponseStatus,
            RESPONSE,
            "the response has no `status`",
        ),
        (Lifecycle::Created, Some(status)) if *status != ResponseStatus::InProgress => c
            .report_member(
                "status",
                Rule::ResponseStatus,
                RESPONSE,
                format!(
                    "`response.created` reports status `{}`; a new response is `in_progress`",
                    status.as_str()
                ),
            ),
        (Lifecycle::Done, Some(ResponseStatus::InProgress)) => c.report_member(
            "status",
            Rule::ResponseStatus,
            RESPONSE,
            "`response.done` reports status `in_progress`; a finished response has a final status",
        ),
        _ => {}
    }
    if let Some(status) = status {
        status_details_rule(c, *status, status_details.as_ref());
    }
    if let Some(output) = output {
        c.items("output", output, |c, item| {
            item::item(c, item, Placement::Server)
        });
    }
    if let Some(Nullable::Value(metadata)) = metadata {
        c.member("metadata", |c| metadata_rule(c, metadata));
    }
    if let Some(ResponseAudioConfig { output, extra }) = audio {
        c.member("audio", |c| {
            c.object(RESPONSE, extra);
            if let Some(ResponseAudioOutput {
                format,
                voice,
                extra,
            }) = output
            {
                c.member("output", |c| {
                    c.object(RESPONSE, extra);
                    output_format_and_voice(c, format.as_ref(), voice.as_ref());
                });
            }
        });
    }
    if let Some(usage) = usage {
        c.member("usage", |c| response_usage(c, usage));
    }
    if let Some(modalities) = output_modalities {
        output_modalities_rule(c, modalities, RESPONSE);
    }
    if let Some(max) = max_output_tokens {
        max_output_tokens_rule(c, max, RESPONSE);
    }
}

/// `status_details` against `status`: the details' `type` is the status;
/// a cancelled response gives a cancel reason, an incomplete one an
/// incompleteness reason, a failed one its error.
fn status_details_rule(
    c: &mut Checker,
    status: ResponseStatus,
    details: Option<&ResponseStatusDetails>,
) {
    use ResponseStatusReason as R;
    let expected = match status {
        ResponseStatus::Completed => ResponseStatusDetailsType::Completed,
        ResponseStatus::Cancelled => ResponseStatusDetailsType::Cancelled,
        ResponseStatus::Failed => ResponseStatusDetailsType::Failed,
        ResponseStatus::Incomplete => ResponseStatusDetailsType::Incomplete,
        ResponseStatus::InProgress => {
            if details.is_some() {
                c.report_member(
                    "status_details",
                    Rule::StatusDetails,
                    RESPONSE,
                    "a response `in_progress` has no `status_details` yet",
                );
            }
            return;
        }
    };
    let Some(details) = details else {
        if status != ResponseStatus::Completed {
            c.report(
                Rule::StatusDetails,
                RESPONSE,
                format!(
                    "a `{}` response explains itself in `status_details`",
                    status.as_str()
                ),
            );
        }
        return;
    };
    c.member("status_details", |c| {
        c.object(RESPONSE, &details.extra);
        if let Some(kind) = details.r#type {
            if kind != expected {
                c.report_member(
                    "type",
                    Rule::StatusDetails,
                    RESPONSE,
                    format!(
                        "`status_details.type` is `{}` but `status` is `{}`",
                        kind.as_str(),
                        status.as_str()
                    ),
                );
            }
        }
        if let Some(reason) = details.reason {
            let fits = match expected {
                ResponseStatusDetailsType::Cancelled => {
                    matches!(reason, R::TurnDetected | R::ClientCancelled)
                }
                ResponseStatusDetailsType::Incomplete => {
                    matches!(reason, R::MaxOutputTokens | R::ContentFilter)
                }
                _ => false,
            };
            if !fits {
                c.report_member(
                    "reason",
                    Rule::StatusDetails,
                    RESPONSE,
                    format!(
                        "reason `{}` does not explain a `{}` response",
                        reason.as_str(),
                        status.as_str()
                    ),
                );
            }
        }
        if expected == ResponseStatusDetailsType::Failed && details.error.is_none() {
            c.report(
                Rule::StatusDetails,
                RESPONSE,
                "a `failed` response gives its `error`",
            );
        }
        if let Some(error) = &details.error {
            c.member("error", |c| c.object(RESPONSE, &error.extra));
        }
    });
}

/// A response's `usage`: non-negative counts that add up.
fn response_usage(c: &mut Checker, usage: &ResponseUsage) {
    let ResponseUsage {
        total_tokens,
        input_tokens,
        output_tokens,
        input_token_details,
        output_token_details,
        extra,
    } = usage;
    c.object(RESPONSE, extra);
    counts(
        c,
        &[
            ("total_tokens", *total_tokens),
            ("input_tokens", *input_tokens),
            ("output_tokens", *output_tokens),
        ],
    );
    if let (Some(total), Some(input), Some(output)) = (total_tokens, input_tokens, output_tokens) {
        sum_rule(
            c,
            "total_tokens",
            *total,
            &[*input, *output],
            "`input_tokens` + `output_tokens`",
        );
    }
    if let Some(details) = input_token_details {
        let InputTokenDetails {
            cached_tokens,
            text_tokens,
            image_tokens,
            audio_tokens,
            cached_tokens_details,
            extra,
        } = details;
        c.member("input_token_details", |c| {
            c.object(RESPONSE, extra);
            counts(
                c,
                &[
                    ("cached_tokens", *cached_tokens),
                    ("text_tokens", *text_tokens),
                    ("image_tokens", *image_tokens),
                    ("audio_tokens", *audio_tokens),
                ],
            );
            if let Some(cached) = cached_tokens_details {
                let CachedTokensDetails {
                    text_tokens,
                    image_tokens,
                    audio_tokens,
                    extra,
                } = cached;
                c.member("cached_tokens_details", |c| {
                    c.object(RESPONSE, extra);
                    counts(
                        c,
                        &[
                            ("text_tokens", *text_tokens),
                            ("image_tokens", *image_tokens),
                            ("audio_tokens", *audio_tokens),
                        ],
                    );
                });
            }
        });
        if let (Some(input), Some(text), Some(audio)) = (input_tokens, text_tokens, audio_tokens) {
            let parts = [*text, *audio, image_tokens.unwrap_or(0)];
            c.member("input_token_details", |c| {
                sum_rule(c, "", *input, &parts, "the text, audio and image tokens")
            });
        }
        if let (Some(input), Some(cached)) = (input_tokens, cached_tokens) {
            if cached > input {
                c.member("input_token_details", |c| {
                    c.report_member(
                        "cached_tokens",
                        Rule::UsageTotals,
                        RESPONSE,
                        format!("`cached_tokens` is {cached}, more than `input_tokens` {input}"),
                    )
                });
            }
        }
    }
    if let Some(details) = output_token_details {
        let OutputTokenDetails {
            text_tokens,
            audio_tokens,
            extra,
        } = details;
        c.member("output_token_details", |c| {
            c.object(RESPONSE, extra);
            counts(
                c,
                &[
                    ("text_tokens", *text_tokens),
                    ("audio_tokens", *audio_tokens),
                ],
            );
        });
        if let (Some(output), Some(text), Some(audio)) = (output_tokens, text_tokens, audio_tokens)
        {
            c.member("output_token_details", |c| {
                sum_rule(
                    c,
                    "",
                    *output,
                    &[*text, *audio],
                    "the text and audio tokens",
                )
            });
        }
    }
}

/// A token-billed transcription's usage.
fn transcription_tokens(c: &mut Checker, usage: &TranscriptionTokenUsage, schema: &'static str) {
    c.object(schema, &usage.extra);
    counts(
        c,
        &[
            ("input_tokens", Some(usage.input_tokens)),
            ("output_tokens", Some(usage.output_tokens)),
            ("total_tokens", Some(usage.total_tokens)),
        ],
    );
    sum_rule(
        c,
        "total_tokens",
        usage.total_tokens,
        &[usage.input_tokens, usage.output_tokens],
        "`input_tokens` + `output_tokens`",
    );
}

fn counts(c: &mut Checker, counts: &[(&str, Option<i64>)]) {
    for (name, value) in counts {
        if let Some(value) = value {
            index(c, name, *value, RESPONSE);
        }
    }
}

/// Reports `name` (or the current object, for `""`) when `total` is not the
/// sum of `parts`.
fn sum_rule(c: &mut Checker, name: &str, total: i64, parts: &[i64], what: &str) {
    let sum = parts.iter().fold(0i64, |a, b| a.saturating_add(*b));
    if sum == total {
        return;
    }
    let message = format!("the total is {total}, but {what} make {sum}");
    if name.is_empty() {
        c.report(Rule::UsageTotals, RESPONSE, message);
    } else {
        c.report_member(name, Rule::UsageTotals, RESPONSE, message);
    }
}

fn rate_limit(c: &mut Checker, limit: &RateLimit, schema: &'static str) {
    c.object(schema, &limit.extra);
    for (name, value) in [("limit", limit.limit), ("remaining", limit.remaining)] {
        if let Some(value) = value {
            index(c, name, value, schema);
        }
    }
    if let Some(seconds) = limit.reset_seconds {
        if seconds < 0.0 {
            c.report_member(
                "reset_seconds",
                Rule::NonNegative,
                schema,
                format!("`reset_seconds` is {seconds}; it cannot be negative"),
            );
        }
    }
    if let (Some(max), Some(remaining)) = (limit.limit, limit.remaining) {
        if remaining > max {
            c.report_member(
                "remaining",
                Rule::RateLimitRemaining,
                schema,
                format!("`remaining` is {remaining}, more than `limit` {max}"),
            );
        }
    }
}
