//! Message content parts. The spec gives each role one flat object schema
//! (the `content` items of `RealtimeConversationItemMessageSystem`, `...User`
//! and `...Assistant`) whose `type` enum lists the part types that role
//! allows and whose other members are all optional; the model mirrors that,
//! so the role's allowed types are enforced by the types here and the
//! checker judges which members each part type needs.
//!
//! A part's strings are `Box<str>`, not `String`: a message may hold a
//! hundred thousand parts, each of which the model keeps with every member
//! slot its role allows, and a boxed string's slot is a third smaller (16
//! bytes, not 24). A part's text is read and written whole, never grown.

use super::audio_data::Base64Audio;

wire_object! {
    /// A system message content part: `{"type": "input_text", "text": ...}`.
    #[derive(Default)]
    pub struct SystemContent : "a system content part object", open {
        /// `type`: always `input_text`.
        opt r#type: SystemContentType,
        /// `text`: the text.
        opt text: Box<str>,
    }
}

wire_enum! {
    /// The part types a system message allows.
    #[derive(Default)]
    pub enum SystemContentType {
        /// `input_text`
        #[default]
        InputText = "input_text",
    }
}

wire_object! {
    /// A user message content part: `input_text` (`text`), `input_audio`
    /// (`audio`, optional `transcript`) or `input_image` (`image_url`, `detail`).
    #[derive(Default)]
    pub struct UserContent : "a user content part object", open {
        /// `type`: the part type.
        opt r#type: UserContentType,
        /// `text`: for `input_text`.
        opt text: Box<str>,
        /// `audio`: base64 audio, for `input_audio`.
        opt audio: Base64Audio,
        /// `image_url`: a data URI (PNG or JPEG), for `input_image`.
        opt image_url: Box<str>,
        /// `detail`: image detail, for `input_image` (default `auto`).
        opt detail: UserImageDetail,
        /// `transcript`: attached for reference, for `input_audio`.
        opt transcript: Box<str>,
    }
}

wire_enum! {
    /// The part types a user message allows.
    pub enum UserContentType {
        InputText = "input_text",
        InputAudio = "input_audio",
        InputImage = "input_image",
    }
}

wire_enum! {
    /// `detail` of a user `input_image` part.
    pub enum UserImageDetail {
        /// `auto` (means `high`)
        Auto = "auto",
        Low = "low",
        High = "high",
    }
}

wire_object! {
    /// An assistant message content part: `output_text` (`text`) or
    /// `output_audio` (`audio`, `transcript`).
    #[derive(Default)]
    pub struct AssistantContent : "an assistant content part object", open {
        /// `type`: the part type.
        opt r#type: AssistantContentType,
        /// `text`: for `output_text`.
        opt text: Box<str>,
        /// `audio`: base64 audio, for `output_audio`.
        opt audio: Base64Audio,
        /// `transcript`: for `output_audio`.
        opt transcript: Box<str>,
    }
}

wire_object! {
    /// The `part` of `response.content_part.added` and
    /// `response.content_part.done` (inline in
    /// `RealtimeServerEventResponseContentPartAdded`): typed `audio` or
    /// `text`, not `output_audio`/`output_text` as in items.
    #[derive(Default)]
    pub struct ResponseContentPart : "a content part object", open {
        /// `type`: `audio` or `text`.
        opt r#type: ResponseContentPartType,
        /// `text`: for `text` parts.
        opt text: Box<str>,
        /// `audio`: base64 audio, for `audio` parts.
        opt audio: Base64Audio,
        /// `transcript`: for `audio` parts.
        opt transcript: Box<str>,
    }
}

wire_enum! {
    /// `part.type` of `response.content_part.*`.
    pub enum ResponseContentPartType {
        Audio = "audio",
        Text = "text",
    }
}

wire_enum! {
    /// The part types an assistant message allows.
    pub enum AssistantContentType {
        OutputText = "output_text",
        OutputAudio = "output_audio",
    }
}

impl SystemContent {
    /// `{"type": "input_text", "text": text}`.
    pub fn input_text(text: impl Into<String>) -> Self {
        SystemContent {
            r#type: Some(SystemContentType::InputText),
            text: Some(text.into().into_boxed_str()),
            extra: Default::default(),
        }
    }
}

impl UserContent {
    /// `{"type": "input_text", "text": text}`.
    pub fn input_text(text: impl Into<String>) -> Self {
        UserContent {
            r#type: Some(UserContentType::InputText),
            text: Some(text.into().into_boxed_str()),
            ..Default::default()
        }
    }

    /// `{"type": "input_audio", "audio": audio}`.
    pub fn input_audio(audio: impl Into<Base64Audio>) -> Self {
        UserContent {
            r#type: Some(UserContentType::InputAudio),
            audio: Some(audio.into()),
            ..Default::default()
        }
    }

    /// `{"type": "input_image", "image_url": image_url}`.
    pub fn input_image(image_url: impl Into<String>) -> Self {
        UserContent {
            r#type: Some(UserContentType::InputImage),
            image_url: Some(image_url.into().into_boxed_str()),
            ..Default::default()
        }
    }
}

impl AssistantContent {
    /// `{"type": "output_text", "text": text}`.
    pub fn output_text(text: impl Into<String>) -> Self {
        AssistantContent {
            r#type: Some(AssistantContentType::OutputText),
            text: Some(text.into().into_boxed_str()),
            ..Default::default()
        }
    }
}

/// Content parts whose members fit their type, for `arbitrary`.
#[cfg(feature = "arbitrary")]
pub(crate) mod arbitrary_parts {
    use arbitrary::{Result, Unstructured};

    use super::*;

    fn count(u: &mut Unstructured) -> Result<usize> {
        u.int_in_range(0..=3usize)
    }

    /// System parts: `input_text` with `text`.
    pub fn system(u: &mut Unstructured) -> Result<Vec<SystemContent>> {
        (0..count(u)?)
            .map(|_| {
                Ok(SystemContent {
                    extra: u.arbitrary()?,
                    ..SystemContent::input_text(u.arbitrary::<String>()?)
                })
            })
            .collect()
    }

    /// User parts: text, audio (with an optional transcript) or image.
    pub fn user(u: &mut Unstructured) -> Result<Vec<UserContent>> {
        (0..count(u)?)
            .map(|_| {
                let part = match u.choose_index(3)? {
                    0 => UserContent::input_text(u.arbitrary::<String>()?),
                    1 => UserContent {
                        transcript: u.arbitrary()?,
                        ..UserContent::input_audio(u.arbitrary::<Base64Audio>()?)
                    },
                    _ => UserContent {
                        detail: u.arbitrary()?,
                        ..UserContent::input_image(crate::model::content::arb::image_data_uri(u)?)
                    },
                };
                Ok(UserContent {
                    extra: u.arbitrary()?,
                    ..part
                })
            })
            .collect()
    }

    /// Assistant parts: text, or audio with its transcript.
    pub fn assistant(u: &mut Unstructured) -> Result<Vec<AssistantContent>> {
        (0..count(u)?)
            .map(|_| {
                let part = if u.arbitrary()? {
                    AssistantContent::output_text(u.arbitrary::<String>()?)
                } else {
                    AssistantContent {
                        r#type: Some(AssistantContentType::OutputAudio),
                        audio: Some(u.arbitrary()?),
                        transcript: Some(u.arbitrary()?),
                        ..Default::default()
                    }
                };
                Ok(AssistantContent {
                    extra: u.arbitrary()?,
                    ..part
                })
            })
            .collect()
    }
}

/// Generators for this module's types where a derived value would not be
/// valid on the wire.
#[cfg(feature = "arbitrary")]
pub(crate) mod arb {
    use arbitrary::{Result, Unstructured};

    /// A PNG data URI (user `input_image` parts).
    pub(crate) fn image_data_uri(u: &mut Unstructured) -> Result<String> {
        let bytes: &[u8] = u.arbitrary()?;
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&bytes[..bytes.len().min(256)]);
        Ok(format!(
            "data:image/png;base64,{}",
            super::Base64Audio::encode(&png).as_str()
        ))
    }
}
