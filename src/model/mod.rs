//! The spec's nested types, shared by both directions: one type family per
//! file, named after the wire concept. Each type's doc comment gives its
//! spec schema name; each reads leniently (unknown members kept, `type`
//! anywhere), and what a direction requires is the checker's to judge.

pub mod audio;
pub mod audio_data;
pub mod audio_ref;
pub mod content;
pub mod conversation;
pub mod error_details;
pub mod generation;
pub mod item;
pub mod mcp_item;
pub mod prompt;
pub mod rate_limits;
pub mod response;
pub mod session;
pub mod tool_choice;
pub mod tools;
pub mod tracing;
pub mod transcription;
pub mod truncation;
pub mod turn_detection;
pub mod usage;

pub use audio::{AudioFormat, AudioFormatType, AudioTranscription, NoiseReduction, Voice};
pub use audio_data::Base64Audio;
pub use audio_ref::AudioRef;
pub use item::{ConversationItem, MessageItem};
pub use response::{RealtimeResponse, RealtimeResponseCreateParams};
pub use session::{RealtimeSessionConfig, SessionConfig, TranscriptionSessionConfig};
pub use tools::RealtimeTool;
pub use turn_detection::TurnDetection;
