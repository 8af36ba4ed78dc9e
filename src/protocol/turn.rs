//! `response.create`: the response a turn gets (its text, audio or function
//! call, chosen from the conversation), and the rate limits reported after it.

use super::*;

impl Machine {
    pub(super) fn create_response(
        &mut self,
        to: Answering<'_>,
        params: Option<&RealtimeResponseCreateParams>,
        out: &mut Output,
    ) {
        let Some(realtime) = self.session.as_realtime() else {
            let reply = ErrorReply::invalid(
                "invalid_session_type",
                "A transcription session does not create responses.",
                None,
            );
            self.refuse_event(out, to, ProtocolRule::TranscriptionSessionResponse, &reply);
            return;
        };
        let default = RealtimeResponseCreateParams::default();
        let params = params.unwrap_or(&default);
        let in_conversation = match params.conversation.as_deref() {
            None | Some("auto") => true,
            Some("none") => false,
            Some(other) => {
                let other = other.to_owned();
                self.missing_item(out, to, "response.conversation", &other);
                return;
            }
        };
        // The context: `input` (references resolved) or the conversation.
        let context: Vec<ConversationItem> = match &params.input {
            Some(input) => {
                let mut items = Vec::with_capacity(input.len());
                for (i, item) in input.iter().enumerate() {
                    match item {
                        ConversationItem::ItemReference(reference) => {
                            match self.conversation.get(&reference.id) {
                                Some(stored) => items.push(stored.item.clone()),
                                None => {
                                    let id = reference.id.clone();
                                    let param = format!("response.input[{i}].id");
                                    self.missing_item(out, to, &param, &id);
                                    return;
                                }
                            }
                        }
                        other => items.push(other.clone()),
                    }
                }
                items
            }
            None => self
                .conversation
                .items()
                .iter()
                .map(|s| s.item.clone())
                .collect(),
        };
        let audio_ms: u64 = self
            .conversation
            .items()
            .iter()
            .filter_map(|s| {
                s.input_audio
                    .as_ref()
                    .map(|a| s.encoding.duration_ms(a.len()))
            })
            .sum();
        let (user_text, after_call) = last_turn(&context, &self.conversation);
        let text_tokens: i64 = context.iter().map(word_count).sum();
        let modality = params
            .output_modalities
            .as_ref()
            .or(realtime.output_modalities.as_ref())
            .and_then(|m| m.first().copied())
            .unwrap_or(Modality::Audio);
        // The response's `audio.output` overrides the session's, member by member.
        let session_output = self.session.output();
        let response_output = params.audio.as_ref().and_then(|a| a.output.as_ref());
        let format = response_output
            .and_then(|o| o.format.clone())
            .or_else(|| session_output.and_then(|o| o.format.clone()));
        let voice = response_output
            .and_then(|o| o.voice.clone())
            .or_else(|| session_output.and_then(|o| o.voice.clone()));
        let encoding = Encoding::of(format.as_ref());
        let tools = params.tools.as_deref().unwrap_or(self.session.tools());
        let choice = params
            .tool_choice
            .as_ref()
            .or(realtime.tool_choice.as_ref());
        let reply = match tools::choose(tools, choice, &user_text, after_call) {
            Some(tool) => Reply::Call {
                name: tool.name.clone().unwrap_or_default(),
                arguments: tools::arguments(tool, &user_text),
            },
            None => Reply::Text(reply_text(&context, &user_text, after_call)),
        };
        let max_output_tokens = params
            .max_output_tokens
            .or(realtime.max_output_tokens)
            .unwrap_or(MaxOutputTokens::Inf);
        let max_words = match max_output_tokens {
            MaxOutputTokens::Limit(n) => Some(n.max(1) as usize),
            MaxOutputTokens::Inf => None,
        };
        let min_bytes = self.options.min_audio_delta_bytes;
        let (chunk_ms, min_audio_ms) = if min_bytes > 0 {
            let ms = (min_bytes as u64).div_ceil(encoding.bytes_per_ms() as u64);
            (ms, ms)
        } else {
            (self.options.audio_chunk_ms.max(1), 0)
        };
        let resource = RealtimeResponse {
            object: Some(ResponseObject::RealtimeResponse),
            metadata: Some(params.metadata.clone().unwrap_or(Nullable::Null)),
            audio: Some(ResponseAudioConfig {
                output: Some(ResponseAudioOutput {
                    format: Some(encoding.format()),
                    voice,
                    extra: Default::default(),
                }),
                extra: Default::default(),
            }),
            conversation_id: in_conversation.then(|| self.conversation_id.clone()),
            output_modalities: Some(vec![modality]),
            max_output_tokens: Some(max_output_tokens),
            ..Default::default()
        };
        let plan = Plan {
            id: self.ids.next("resp"),
            in_conversation,
            resource,
            encoding,
            modality,
            reply,
            max_words,
            chunk_ms,
            min_audio_ms,
            fail: self.options.fail_responses,
            input_text_tokens: text_tokens,
            input_audio_tokens: (audio_ms / 50) as i64,
        };
        let (response, created) = ActiveResponse::start(plan, &mut self.ids);
        out.events.push(created);
        self.requests_used += 1;
        out.events.push(ServerEvent::rate_limits_updated(
            self.ids.event(),
            self.rate_limits(),
        ));
        self.response = Some(response);
    }

    /// `rate_limits.updated`: what is left of a generous per-minute budget.
    pub(super) fn rate_limits(&self) -> Vec<RateLimit> {
        const REQUESTS: i64 = 5_000;
        const TOKENS: i64 = 400_000;
        let limit = |name, limit: i64, used: i64| RateLimit {
            name: Some(name),
            limit: Some(limit),
            remaining: Some((limit - used).max(0)),
            reset_seconds: Some(60.0),
            extra: Default::default(),
        };
        vec![
            limit(RateLimitName::Requests, REQUESTS, self.requests_used),
            limit(RateLimitName::Tokens, TOKENS, self.tokens_used),
        ]
    }
}

/// The user's last words in `context` (text, or what their audio was), and
/// whether a function call output is the last item.
fn last_turn(context: &[ConversationItem], conversation: &Conversation) -> (String, bool) {
    let after_call = matches!(
        context.last(),
        Some(ConversationItem::FunctionCallOutput(_))
    );
    for item in context.iter().rev() {
        if let ConversationItem::Message(MessageItem::User(message)) = item {
            let mut words = Vec::new();
            for part in &message.content {
                match part.r#type {
                    Some(UserContentType::InputAudio) => {
                        let ms = message
                            .id
                            .as_deref()
                            .and_then(|id| conversation.get(id))
                            .and_then(|s| {
                                s.input_audio
                                    .as_ref()
                                    .map(|a| s.encoding.duration_ms(a.len()))
                            })
                            .or_else(|| {
                                part.audio
                                    .as_ref()
                                    .and_then(|a| a.decode().ok())
                                    .map(|a| Encoding::Pcm16.duration_ms(a.len()))
                            })
                            .unwrap_or(0);
                        words.push(part.transcript.as_deref().map_or_else(
                            || format!("[{:.1} seconds of audio]", ms as f64 / 1000.0),
                            str::to_owned,
                        ));
                    }
                    _ => words.extend(part.text.as_deref().map(str::to_owned)),
                }
            }
            return (words.join(" "), after_call);
        }
    }
    (String::new(), after_call)
}

/// The deterministic reply: it answers a function's output, echoes the
/// user's words, or greets.
fn reply_text(context: &[ConversationItem], user_text: &str, after_call: bool) -> String {
    const MAX_CHARS: usize = 160;
    let cut = |text: &str| -> String {
        let short: String = text.chars().take(MAX_CHARS).collect();
        if short.len() < text.len() {
            format!("{short}…")
        } else {
            short
        }
    };
    if after_call {
        if let Some(ConversationItem::FunctionCallOutput(output)) = context.last() {
            return format!("The function returned {}.", cut(&output.output));
        }
    }
    if user_text.is_empty() {
        "Hello! This is the realtime-harness reference server.".to_owned()
    } else {
        format!("You said: {}", cut(user_text))
    }
}

/// Text tokens of an item, counted as words.
fn word_count(item: &ConversationItem) -> i64 {
    let words = |s: &Option<Box<str>>| s.as_deref().map_or(0, |s| s.split_whitespace().count());
    (match item {
        ConversationItem::Message(MessageItem::User(m)) => {
            m.content.iter().map(|p| words(&p.text)).sum()
        }
        ConversationItem::Message(MessageItem::System(m)) => {
            m.content.iter().map(|p| words(&p.text)).sum()
        }
        ConversationItem::Message(MessageItem::Assistant(m)) => m
            .content
            .iter()
            .map(|p| words(&p.text) + words(&p.transcript))
            .sum(),
        ConversationItem::FunctionCallOutput(f) => f.output.len().div_ceil(4),
        ConversationItem::FunctionCall(f) => f.arguments.len().div_ceil(4),
        _ => 0,
    }) as i64
}
