//! The `response` of `response.create` (`RealtimeResponseCreateParams`)
//! and its `metadata` (`Metadata`).

use super::item::{self, Placement};
use super::session::{
    max_output_tokens_rule, output_format_and_voice, output_modalities_rule, reasoning_rule,
};
use super::values::chars;
use super::{tools, Checker, Rule};
use crate::model::response::{Metadata, ResponseAudioConfig, ResponseAudioOutput};
use crate::wire::Nullable;
use crate::RealtimeResponseCreateParams;

const S: &str = "RealtimeResponseCreateParams";

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
    if let Some(ResponseAudioConfig { output, extra }) = audio {
        c.member("audio", |c| {
            c.object(S, extra);
            if let Some(ResponseAudioOutput {
                format,
                voice,
                extra,
            }) = output
            {
                c.member("output", |c| {
                    c.object(S, extra);
                    output_format_and_voice(c, format.as_ref(), voice.as_ref());
                });
            }
        });
    }
    if let Some(tools) = tools {
        c.items("tools", tools, tools::tool);
    }
    if let Some(choice) = tool_choice {
        c.member("tool_choice", |c| tools::tool_choice(c, choice));
    }
    if let Some(reasoning) = reasoning {
        c.member("reasoning", |c| reasoning_rule(c, reasoning));
    }
    if let Some(max) = max_output_tokens {
        max_output_tokens_rule(c, max, S);
    }
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
        let key_chars = chars(key);
        if key_chars > 64 {
            c.report_member(
                key,
                Rule::MetadataKeyLength,
                M,
                format!("metadata key has {key_chars} characters, more than 64"),
            );
        }
        let value_chars = chars(value);
        if value_chars > 512 {
            c.report_member(
                key,
                Rule::MetadataValueLength,
                M,
                format!("metadata value has {value_chars} characters, more than 512"),
            );
        }
    }
}
