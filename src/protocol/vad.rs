//! Server-side voice activity detection for `turn_detection` `server_vad`
//! and `semantic_vad` (`RealtimeTurnDetection`), by the energy of the
//! input audio in 10 ms windows, on the audio clock (milliseconds of audio
//! appended), so that it is deterministic whatever the network does.
//!
//! A window is speech when its RMS, as a fraction of full scale, exceeds
//! `threshold × 0.05` (the default 0.5 puts the line at −32 dBFS; speech
//! at a normal level is −25 to −15 dBFS). Speech starts at the first
//! speech window (`audio_start_ms` is that minus `prefix_padding_ms`) and
//! stops after `silence_duration_ms` of silence (`audio_end_ms` is the end
//! of the last speech window). Semantic VAD has no silence setting; its
//! `eagerness` picks one: `high` 300 ms, `medium`/`auto` 500 ms, `low` 1000 ms.

use crate::model::turn_detection::{Eagerness, TurnDetection};

/// The analysis window.
pub const WINDOW_MS: u64 = 10;

/// Turn detection settings, read from the session.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VadSettings {
    /// `threshold`.
    pub threshold: f64,
    /// `prefix_padding_ms`.
    pub prefix_padding_ms: u64,
    /// `silence_duration_ms`.
    pub silence_duration_ms: u64,
    /// `create_response`.
    pub create_response: bool,
    /// `interrupt_response`.
    pub interrupt_response: bool,
}

impl VadSettings {
    /// The settings of a turn detection object, defaults filled in.
    pub fn of(turn_detection: &TurnDetection) -> Self {
        match turn_detection {
            TurnDetection::ServerVad(vad) => VadSettings {
                threshold: vad.threshold.unwrap_or(0.5),
                prefix_padding_ms: vad.prefix_padding_ms.unwrap_or(300).max(0) as u64,
                silence_duration_ms: vad.silence_duration_ms.unwrap_or(500).max(0) as u64,
                create_response: vad.create_response.unwrap_or(true),
                interrupt_response: vad.interrupt_response.unwrap_or(true),
            },
            TurnDetection::SemanticVad(vad) => VadSettings {
                threshold: 0.5,
                prefix_padding_ms: 300,
                silence_duration_ms: match vad.eagerness {
                    Some(Eagerness::High) => 300,
                    Some(Eagerness::Low) => 1000,
                    _ => 500,
                },
                create_response: vad.create_response.unwrap_or(true),
                interrupt_response: vad.interrupt_response.unwrap_or(true),
            },
        }
    }

    /// Whether a window of this RMS is speech.
    pub fn is_speech(&self, rms: f64) -> bool {
        rms > self.threshold * 0.05
    }
}

/// What one window changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VadEvent {
    /// Speech began (`input_audio_buffer.speech_started`).
    Started {
        /// `audio_start_ms`.
        audio_start_ms: u64,
    },
    /// Speech ended (`input_audio_buffer.speech_stopped`).
    Stopped {
        /// `audio_end_ms`.
        audio_end_ms: u64,
    },
}

/// The detector's state between windows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vad {
    /// End of the last speech window while speaking.
    speaking_until: Option<u64>,
}

impl Vad {
    /// Whether speech is in progress.
    pub fn speaking(&self) -> bool {
        self.speaking_until.is_some()
    }

    /// Forgets speech in progress (the buffer was cleared or committed).
    pub fn reset(&mut self) {
        self.speaking_until = None;
    }

    /// Feeds the window that starts at `start_ms` on the audio clock.
    pub fn window(&mut self, settings: &VadSettings, start_ms: u64, rms: f64) -> Option<VadEvent> {
        let end_ms = start_ms + WINDOW_MS;
        let speech = settings.is_speech(rms);
        match (self.speaking_until, speech) {
            (None, true) => {
                self.speaking_until = Some(end_ms);
                Some(VadEvent::Started {
                    audio_start_ms: start_ms.saturating_sub(settings.prefix_padding_ms),
                })
            }
            (Some(_), true) => {
                self.speaking_until = Some(end_ms);
                None
            }
            (Some(last), false) if end_ms - last >= settings.silence_duration_ms.max(WINDOW_MS) => {
                self.speaking_until = None;
                Some(VadEvent::Stopped { audio_end_ms: last })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::turn_detection::ServerVad;

    #[test]
    fn speech_starts_with_padding_and_stops_after_the_silence() {
        let settings = VadSettings::of(&TurnDetection::ServerVad(ServerVad {
            silence_duration_ms: Some(200),
            ..Default::default()
        }));
        let mut vad = Vad::default();
        let mut events = Vec::new();
        // 500 ms silence, 400 ms speech, 300 ms silence.
        for i in 0..120u64 {
            let rms = if (50..90).contains(&i) { 0.2 } else { 0.0 };
            if let Some(e) = vad.window(&settings, i * WINDOW_MS, rms) {
                events.push(e);
            }
        }
        assert_eq!(
            events,
            [
                VadEvent::Started {
                    audio_start_ms: 200
                },
                VadEvent::Stopped { audio_end_ms: 900 },
            ]
        );
        assert!(!vad.speaking());
    }

    #[test]
    fn threshold_moves_the_line() {
        let low = VadSettings::of(&TurnDetection::ServerVad(ServerVad {
            threshold: Some(0.1),
            ..Default::default()
        }));
        let high = VadSettings::of(&TurnDetection::ServerVad(ServerVad {
            threshold: Some(0.9),
            ..Default::default()
        }));
        assert!(low.is_speech(0.01));
        assert!(!high.is_speech(0.01));
    }
}
