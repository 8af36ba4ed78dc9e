//! Responses: the `response` of `response.create`
//! (`RealtimeResponseCreateParams`) and its `metadata` (`Metadata`), and the
//! response resource servers report (`RealtimeResponse`): its lifecycle
//! status and the `status_details` that explain it.

use super::item::{self, Placement};
use super::session::{
    format_and_voice, max_output_tokens_rule, model_settings, output_modalities_rule,
};
use super::usage::response_usage;
use super::values::chars;
use super::{tools, Checker, Rule};
use crate::model::response::{
    Metadata, RealtimeResponse, ResponseAudioConfig, ResponseAudioOutput, ResponseStatus,
    ResponseStatusDetails, ResponseStatusDetailsType, ResponseStatusReason,
};
use crate::wire::Nullable;
use crate::RealtimeResponseCreateParams;

const S: &str = "RealtimeResponseCreateParams";
const RESPONSE: &str = "RealtimeResponse";

/// Members of the beta-era response object that GA renamed or moved.
const BETA_RESPONSE_MEMBERS: &[&str] =
    &["modalities", "voice", "output_audio_format", "temperature"];

pub(super) fn params(c: &mut Checker, params: &RealtimeResponseCreateParams) {
    let RealtimeResponseCreateParams {
        output_modalities,
        instructions: _,
        audio,
        tools,
        tool_choice,
        parallel_tool_calls: _,
        reasoning,
        max_output_tokens,
        conversation: _,
        metadata,
        prompt,
        input,
        extra,
    } = params;
    c.object_with_beta(
        S,
        extra,
        BETA_RESPONSE_MEMBERS,
        "RealtimeBetaClientEventResponseCreate",
    );
    if let Some(modalities) = output_modalities {
        output_modalities_rule(c, modalities, S);
    }
    if let Some(audio) = audio {
        c.member("audio", |c| audio_config(c, audio, S));
    }
    model_settings(c, S, tools, tool_choice, reasoning, max_output_tokens);
    if let Some(Nullable::Value(metadata)) = metadata {
        c.member("metadata", |c| metadata_rule(c, metadata));
    }
    if let Some(Nullable::Value(prompt)) = prompt {
        c.member("prompt", |c| tools::prompt(c, prompt));
    }
    if let Some(input) = input {
        c.items("input", input, |c, it| {
            item::item(c, it, Placement::ResponseInput)
        });
    }
}

/// `Metadata`: at most 16 pairs, keys up to 64 characters, values up to 512.
pub(super) fn metadata_rule(c: &mut Checker, metadata: &Metadata) {
    const M: &str = "Metadata";
    c.closed(M);
    if metadata.len() > 16 {
        c.report(
            Rule::MetadataSize,
            M,
            format!("`metadata` has {} pairs, more than 16", metadata.len()),
        );
    }
    for (key, value) in metadata {
        let limits = [
            ("key", key, 64, Rule::MetadataKeyLength),
            ("value", value, 512, Rule::MetadataValueLength),
        ];
        for (what, text, max, rule) in limits {
            let n = chars(text);
            if n > max {
                let message = format!("metadata {what} has {n} characters, more than {max}");
                c.report_member(key, rule, M, message);
            }
        }
    }
}

/// A response's `audio` (its `output` format and voice), in the response
/// parameters or the resource, both of schema `schema`.
fn audio_config(c: &mut Checker, audio: &ResponseAudioConfig, schema: &'static str) {
    let ResponseAudioConfig { output, extra } = audio;
    c.object(schema, extra);
    if let Some(ResponseAudioOutput {
        format,
        voice,
        extra,
    }) = output
    {
        c.member("output", |c| {
            c.object(schema, extra);
            format_and_voice(c, format.as_ref(), voice.as_ref());
        });
    }
}

/// Where a response resource stands in its lifecycle.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Lifecycle {
    /// In `response.created`.
    Created,
    /// In `response.done`.
    Done,
}

/// The response resource of `response.created` and `response.done`.
pub(super) fn resource(c: &mut Checker, response: &RealtimeResponse, lifecycle: Lifecycle) {
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
        super::values::id_rule(c, "id", id, "resp_", RESPONSE);
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
    if let Some(audio) = audio {
        c.member("audio", |c| audio_config(c, audio, RESPONSE));
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
