//! Token accounting servers report: a response's `usage`
//! (`RealtimeResponse.usage`) and a token-billed transcription's
//! (`TranscriptTextUsageTokens`): counts are not negative and add up.

use super::values::non_negative as index;
use super::{Checker, Rule};
use crate::model::usage::{
    CachedTokensDetails, InputTokenDetails, OutputTokenDetails, ResponseUsage,
    TranscriptionTokenUsage,
};

const RESPONSE: &str = "RealtimeResponse";

/// Opens an object of a response's `usage` and judges its counts, each
/// named as the member (and the binding) it comes from.
macro_rules! counted {
    ($c:expr, $extra:expr; $($count:ident),+) => {{
        $c.object(RESPONSE, $extra);
        counts($c, &[$((stringify!($count), *$count)),+]);
    }};
}

/// A response's `usage`: non-negative counts that add up.
pub(super) fn response_usage(c: &mut Checker, usage: &ResponseUsage) {
    let ResponseUsage {
        total_tokens,
        input_tokens,
        output_tokens,
        input_token_details,
        output_token_details,
        extra,
    } = usage;
    counted!(c, extra; total_tokens, input_tokens, output_tokens);
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
            counted!(c, extra; cached_tokens, text_tokens, image_tokens, audio_tokens);
            if let Some(cached) = cached_tokens_details {
                let CachedTokensDetails {
                    text_tokens,
                    image_tokens,
                    audio_tokens,
                    extra,
                } = cached;
                c.member(
                    "cached_tokens_details",
                    |c| counted!(c, extra; text_tokens, image_tokens, audio_tokens),
                );
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
        c.member(
            "output_token_details",
            |c| counted!(c, extra; text_tokens, audio_tokens),
        );
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
pub(super) fn transcription_tokens(
    c: &mut Checker,
    usage: &TranscriptionTokenUsage,
    schema: &'static str,
) {
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
