//! The input audio buffer's events: `input_audio_buffer.append` (duration
//! from the session's input format, VAD) and the commit that turns the buffer
//! into a user item (`input_audio_buffer.committed`, transcription events).

use super::*;

impl Machine {
    pub(super) fn append(&mut self, event_id: Option<&str>, bytes: &[u8], out: &mut Output) {
        let encoding = self.session.input_encoding();
        if let Some(why) = encoding.mismatch(bytes) {
            out.findings.push(ClientFinding {
                frame: self.frames,
                event_type: Some("input_audio_buffer.append".to_owned()),
                event_id: event_id.map(str::to_owned),
                rule: FindingRule::Protocol(ProtocolRule::AudioFormatMismatch),
                pointer: "/audio".to_owned(),
                message: format!(
                    "the session's input format is {}, but {why}",
                    encoding.name()
                ),
            });
        }
        if self.buffer.len() + bytes.len() > MAX_BUFFER_BYTES {
            let reply = ErrorReply::invalid(
                "input_audio_buffer_full",
                format!(
                    "The input audio buffer holds at most {MAX_BUFFER_BYTES} bytes; commit or \
                     clear it first."
                ),
                Some("audio".to_owned()),
            );
            self.error(out, event_id, &reply);
            return;
        }
        self.buffer.extend_from_slice(bytes);
        let Some(settings) = self.session.turn_detection().map(VadSettings::of) else {
            return;
        };
        let window = encoding.bytes_for_ms(WINDOW_MS);
        while self.vad_position + window <= self.buffer.len() {
            let start_ms = self.buffer_start_ms + encoding.duration_ms(self.vad_position);
            let rms = encoding.rms(&self.buffer[self.vad_position..self.vad_position + window]);
            self.vad_position += window;
            match self.vad.window(&settings, start_ms, rms) {
                Some(VadEvent::Started { audio_start_ms }) => {
                    if settings.interrupt_response && self.response.is_some() {
                        self.cancel(ResponseStatusReason::TurnDetected, out);
                    }
                    let item_id = self.ids.next("item");
                    self.speech_item_id = Some(item_id.clone());
                    out.events
                        .push(ServerEvent::input_audio_buffer_speech_started(
                            self.ids.event(),
                            audio_start_ms as i64,
                            item_id,
                        ));
                }
                Some(VadEvent::Stopped { audio_end_ms }) => {
                    let item_id = self
                        .speech_item_id
                        .take()
                        .unwrap_or_else(|| self.ids.next("item"));
                    out.events
                        .push(ServerEvent::input_audio_buffer_speech_stopped(
                            self.ids.event(),
                            audio_end_ms as i64,
                            item_id.clone(),
                        ));
                    let upto = self.vad_position;
                    self.commit(item_id, upto, out);
                    if settings.create_response && self.response.is_none() {
                        let to = Answering {
                            kind: "input_audio_buffer.speech_stopped",
                            event_id: None,
                        };
                        self.create_response(to, None, out);
                    }
                }
                None => {}
            }
        }
    }

    /// Commits the first `len` bytes of the buffer as a user audio item.
    pub(super) fn commit(&mut self, item_id: String, len: usize, out: &mut Output) {
        let encoding = self.session.input_encoding();
        let audio: Vec<u8> = self.buffer.drain(..len).collect();
        self.buffer_start_ms += encoding.duration_ms(len);
        self.vad_position = self.vad_position.saturating_sub(len);
        let ms = encoding.duration_ms(audio.len());
        let mut item = ConversationItem::Message(MessageItem::User(UserMessage {
            content: vec![UserContent {
                r#type: Some(UserContentType::InputAudio),
                ..Default::default()
            }],
            ..Default::default()
        }));
        stamp(&mut item, &item_id, ItemStatus::Completed);
        let stored = StoredItem {
            item: item.clone(),
            input_audio: Some(audio),
            output_audio_ms: 0,
            encoding,
        };
        let previous = self.conversation.append(stored);
        out.events.push(ServerEvent::input_audio_buffer_committed(
            self.ids.event(),
            previous_member(previous.clone()),
            item_id.clone(),
        ));
        self.announce(previous, item, out);
        if self.session.transcription().is_some() {
            let transcript = format!("[{:.1} seconds of audio]", ms as f64 / 1000.0);
            out.events.push(
                ServerEvent::conversation_item_input_audio_transcription_delta(
                    self.ids.event(),
                    item_id.clone(),
                    Some(0),
                    Some(transcript.clone()),
                    None,
                ),
            );
            let audio_tokens = (ms / 50) as i64;
            let output_tokens = transcript.split_whitespace().count() as i64;
            out.events.push(
                ServerEvent::conversation_item_input_audio_transcription_completed(
                    self.ids.event(),
                    item_id.clone(),
                    0,
                    transcript.clone(),
                    None,
                    None,
                    TranscriptionUsage::Tokens(TranscriptionTokenUsage {
                        input_tokens: audio_tokens,
                        input_token_details: None,
                        output_tokens,
                        total_tokens: audio_tokens + output_tokens,
                        extra: Default::default(),
                    }),
                ),
            );
            if let Some(stored) = self.conversation.get_mut(&item_id) {
                if let ConversationItem::Message(MessageItem::User(message)) = &mut stored.item {
                    message.content[0].transcript = Some(transcript.into());
                }
            }
        }
    }
}
