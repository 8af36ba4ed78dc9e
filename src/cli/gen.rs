//! `realtime-harness gen`: valid frames from the model's `Arbitrary`
//! impls, driven by a seeded SplitMix64 stream, as JSON Lines: client
//! events, server events, or both interleaved.

use std::io::{self, Write};
use std::ops::RangeInclusive;

use arbitrary::{Arbitrary, Unstructured};

use crate::check::{validate, validate_server, MAX_AUDIO_BYTES};
use crate::model::content::{AssistantContent, UserContent};
use crate::model::item::MessageItem;
use crate::rng::SplitMix64;
use crate::{Base64Audio, ClientEvent, ConversationItem, RealtimeClientEvent, ServerEvent};

/// How many samples one frame may take before `gen` gives up: generous for
/// `--type` with one type (a 1 in 11 draw).
pub const MAX_ATTEMPTS: u32 = 10_000;

/// The largest input handed to `arbitrary` for one frame: enough for
/// sessions with several tools, small enough for realistic frames.
const MAX_INPUT: u64 = 4096;

/// Which side's frames `gen` writes (`--direction`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GenDirection {
    /// Client events (`RealtimeClientEvent`).
    #[default]
    Client,
    /// Server events (`RealtimeServerEvent`).
    Server,
    /// Both, interleaved at random (one draw of the stream per frame).
    Both,
}

/// Generates frames deterministically from a seed.
pub struct Generator {
    rng: SplitMix64,
    direction: GenDirection,
    types: Vec<RealtimeClientEvent>,
    audio_bytes: Option<RangeInclusive<usize>>,
    input: Vec<u8>,
    rejected: u64,
    plain: bool,
}

/// Why a frame could not be generated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenError(pub String);

impl std::fmt::Display for GenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GenError {}

impl Generator {
    /// A generator for `seed`; `types` restricts the event types (empty:
    /// all eleven), `audio_bytes` sets the decoded size of every audio
    /// payload (at most 15 MiB).
    pub fn new(
        seed: u64,
        types: Vec<RealtimeClientEvent>,
        audio_bytes: Option<RangeInclusive<usize>>,
    ) -> Self {
        Generator {
            rng: SplitMix64::new(seed),
            direction: GenDirection::Client,
            types,
            audio_bytes,
            input: Vec::new(),
            rejected: 0,
            plain: false,
        }
    }

    /// Frames fit to send to a real server ([`plain_frame`]): no unknown members, realistic
    /// ids. Without it, frames carry what a robust receiver must tolerate.
    pub fn plain(mut self) -> Self {
        self.plain = true;
        self
    }

    /// Which side's frames [`Generator::next_frame`] makes; the client's by default.
    pub fn direction(mut self, direction: GenDirection) -> Self {
        self.direction = direction;
        self
    }

    /// One draw: a fresh input from the stream handed to `T`'s `Arbitrary` impl.
    fn sample<T: for<'a> Arbitrary<'a>>(&mut self) -> Option<T> {
        let len = self.rng.in_range(0, MAX_INPUT) as usize;
        self.input.resize(len, 0);
        self.rng.fill(&mut self.input);
        T::arbitrary(&mut Unstructured::new(&self.input)).ok()
    }

    /// The next arbitrary event of an allowed type, exactly as the model's
    /// `Arbitrary` impls make it (no validation).
    pub fn next_arbitrary(&mut self) -> Result<ClientEvent, GenError> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(mut event) = self.sample::<ClientEvent>() else {
                continue;
            };
            if !self.types.is_empty()
                && !event
                    .to_event_type()
                    .is_some_and(|t| self.types.contains(&t))
            {
                continue;
            }
            if let Some(range) = &self.audio_bytes {
                set_audio(&mut event, &mut self.rng, range);
            }
            return Ok(event);
        }
        Err(GenError(format!(
            "no frame of the requested types after {MAX_ATTEMPTS} samples"
        )))
    }

    /// The next event that passes the validator with no error. Events the
    /// validator rejects are counted ([`Generator::rejected`]) and replaced;
    /// any such event is a generator bug worth reporting.
    pub fn next_valid(&mut self) -> Result<ClientEvent, GenError> {
        for _ in 0..MAX_ATTEMPTS {
            let mut event = self.next_arbitrary()?;
            if self.plain {
                event = plain_frame(&event, &mut self.rng);
            }
            if validate(&event).is_conformant() {
                return Ok(event);
            }
            self.rejected += 1;
        }
        Err(GenError(format!(
            "no valid frame after {MAX_ATTEMPTS} samples"
        )))
    }

    /// The next arbitrary server event, exactly as the model's `Arbitrary`
    /// impls make it (no validation; `types` restricts client events only).
    pub fn next_server_arbitrary(&mut self) -> Result<ServerEvent, GenError> {
        (0..MAX_ATTEMPTS)
            .find_map(|_| self.sample::<ServerEvent>())
            .ok_or_else(|| GenError(format!("no server frame after {MAX_ATTEMPTS} samples")))
    }

    /// The next server event that passes the server checker with no error,
    /// as [`Generator::next_valid`]; plain ones lose their unknown members
    /// ([`strip_unknown_members`]: their ids are already realistic).
    pub fn next_valid_server(&mut self) -> Result<ServerEvent, GenError> {
        for _ in 0..MAX_ATTEMPTS {
            let mut event = self.next_server_arbitrary()?;
            if self.plain {
                event = strip_unknown_members(&event);
            }
            if validate_server(&event).is_conformant() {
                return Ok(event);
            }
            self.rejected += 1;
        }
        Err(GenError(format!(
            "no valid server frame after {MAX_ATTEMPTS} samples"
        )))
    }

    /// The next valid frame of the generator's direction, serialized. For
    /// [`GenDirection::Both`] one draw of the stream picks the side.
    pub fn next_frame(&mut self) -> Result<Vec<u8>, GenError> {
        let server = match self.direction {
            GenDirection::Client => false,
            GenDirection::Server => true,
            GenDirection::Both => self.rng.in_range(0, 1) == 1,
        };
        Ok(if server {
            self.next_valid_server()?.to_vec()
        } else {
            self.next_valid()?.to_vec()
        })
    }

    /// How many generated events the validator rejected so far.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }
}

/// Members whose value is free-form JSON (a tool's JSON Schema, metadata): the user's data,
/// left as generated.
const FREE_FORM: &[&str] = &["annotations", "input_schema", "metadata", "parameters"];

/// `event` made fit for a real server: every `x-harness-*` unknown member removed, at every
/// depth, and every id replaced by one shaped like the API's own (`evt_…` for `event_id`,
/// `item_…` for items and the members that name them, `resp_…`, `call_…`, `file-…`, `voice_…`
/// for a custom voice, `pmpt_…` for a prompt), drawn from `rng`. Arbitrary ids are valid (the spec
/// gives them no format) but empty or odd ones are not what a server sees from a client.
pub fn plain_frame(event: &ClientEvent, rng: &mut SplitMix64) -> ClientEvent {
    rewritten(event, |value| plain_value(value, None, Some(rng)))
}

/// `event` without its `x-harness-*` unknown members, at every depth: a server event fit to
/// hand to a real client (the server generators already make ids shaped like the API's).
pub fn strip_unknown_members(event: &ServerEvent) -> ServerEvent {
    rewritten(event, |value| plain_value(value, None, None))
}

/// `event` serialized, changed by `change`, and read back.
fn rewritten<E>(event: &E, change: impl FnOnce(&mut serde_json::Value)) -> E
where
    E: Clone + serde::Serialize + serde::de::DeserializeOwned,
{
    let mut value = serde_json::to_value(event).expect("events always serialize");
    change(&mut value);
    // Only unknown members and id strings changed, so the model reads it as it read the
    // original; should it ever not, the original is kept and the validator still judges it.
    serde_json::from_value(value).unwrap_or_else(|_| event.clone())
}

/// Removes `x-harness-*` members under `value`; with an `rng`, also replaces ids by realistic
/// ones drawn from it.
fn plain_value(
    value: &mut serde_json::Value,
    parent: Option<&str>,
    mut rng: Option<&mut SplitMix64>,
) {
    use serde_json::Value;
    match value {
        Value::Object(members) => {
            members.retain(|key, _| !key.starts_with("x-harness-"));
            let is_item = members.contains_key("type") && matches!(parent, Some("item" | "input"));
            for (key, child) in members.iter_mut() {
                if FREE_FORM.contains(&key.as_str()) {
                    continue;
                }
                let prefix = match (key.as_str(), parent) {
                    ("event_id", _) => Some("evt_"),
                    ("item_id" | "previous_item_id" | "approval_request_id", _) => Some("item_"),
                    ("response_id", _) => Some("resp_"),
                    ("call_id", _) => Some("call_"),
                    ("file_id", _) => Some("file-"),
                    ("id", Some("voice")) => Some("voice_"),
                    ("id", Some("prompt")) => Some("pmpt_"),
                    ("id", _) if is_item => Some("item_"),
                    _ => None,
                };
                match (prefix, rng.as_deref_mut()) {
                    (Some(prefix), Some(rng)) if child.is_string() => {
                        *child = Value::String(realistic_id(prefix, rng));
                    }
                    (_, rng) => plain_value(child, Some(key), rng),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                plain_value(item, parent, rng.as_deref_mut());
            }
        }
        _ => {}
    }
}

/// `prefix` and 16 letters and digits.
fn realistic_id(prefix: &str, rng: &mut SplitMix64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::with_capacity(prefix.len() + 16);
    id.push_str(prefix);
    for _ in 0..16 {
        id.push(ALPHABET[rng.in_range(0, ALPHABET.len() as u64 - 1) as usize] as char);
    }
    id
}

/// Replaces every audio payload of `event` with pseudo-random bytes of a
/// size drawn from `range`.
fn set_audio(event: &mut ClientEvent, rng: &mut SplitMix64, range: &RangeInclusive<usize>) {
    match event {
        ClientEvent::InputAudioBufferAppend { audio, .. } => *audio = fresh_audio(rng, range),
        ClientEvent::ConversationItemCreate { item, .. } => item_audio(item, rng, range),
        ClientEvent::ResponseCreate {
            response: Some(response),
            ..
        } => {
            for item in response.input.iter_mut().flatten() {
                item_audio(item, rng, range);
            }
        }
        _ => {}
    }
}

fn item_audio(item: &mut ConversationItem, rng: &mut SplitMix64, range: &RangeInclusive<usize>) {
    let ConversationItem::Message(message) = item else {
        return;
    };
    match message {
        MessageItem::User(user) => {
            for UserContent { audio, .. } in &mut user.content {
                if let Some(audio) = audio {
                    *audio = fresh_audio(rng, range);
                }
            }
        }
        MessageItem::Assistant(assistant) => {
            for AssistantContent { audio, .. } in &mut assistant.content {
                if let Some(audio) = audio {
                    *audio = fresh_audio(rng, range);
                }
            }
        }
        MessageItem::System(_) => {}
    }
}

fn fresh_audio(rng: &mut SplitMix64, range: &RangeInclusive<usize>) -> Base64Audio {
    let len = rng.in_range(*range.start() as u64, *range.end() as u64) as usize;
    let mut bytes = vec![0u8; len];
    rng.fill(&mut bytes);
    Base64Audio::encode(&bytes)
}

/// Parses `--audio-bytes`: `N`, `A..B` (B excluded) or `A..=B`, each at
/// most 15 MiB.
pub fn parse_audio_bytes(text: &str) -> Result<RangeInclusive<usize>, String> {
    let number = |s: &str| -> Result<usize, String> {
        s.trim()
            .parse::<usize>()
            .map_err(|_| format!("`{s}` is not a byte count"))
    };
    let range = if let Some((a, b)) = text.split_once("..=") {
        number(a)?..=number(b)?
    } else if let Some((a, b)) = text.split_once("..") {
        let (a, b) = (number(a)?, number(b)?);
        if b <= a {
            return Err(format!("`{text}` is an empty range"));
        }
        a..=b - 1
    } else {
        let n = number(text)?;
        n..=n
    };
    if range.start() > range.end() {
        return Err(format!("`{text}` is an empty range"));
    }
    if *range.end() > MAX_AUDIO_BYTES {
        return Err(format!(
            "`{text}` exceeds the spec's 15 MiB ({MAX_AUDIO_BYTES} bytes) of audio per frame"
        ));
    }
    Ok(range)
}

/// Options of `gen`, parsed from its command line as they are: each member's
/// doc comment is the flag's help. `--plain` frames are made by
/// [`plain_frame`] and [`strip_unknown_members`].
#[derive(Debug, clap::Args)]
pub struct GenOptions {
    /// How many frames to write.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub count: u64,
    /// Seed of the pseudo-random stream.
    #[arg(long, short = 's', default_value_t = 0)]
    pub seed: u64,
    /// Only this event type (repeatable), e.g. `--type session.update`.
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_event_type)]
    pub types: Vec<RealtimeClientEvent>,
    /// Decoded size of every audio payload: `N`, `A..B` or `A..=B` bytes.
    #[arg(long, value_name = "RANGE", value_parser = parse_audio_bytes)]
    pub audio_bytes: Option<RangeInclusive<usize>>,
    /// Frames for a real peer: no `x-harness-*` unknown members, realistic ids.
    #[arg(long)]
    pub plain: bool,
    /// Client events, server events, or both interleaved.
    #[arg(long, value_enum, value_name = "DIRECTION", default_value_t = GenDirection::Client)]
    pub direction: GenDirection,
}

/// `--type`: a GA client event type by its wire name.
fn parse_event_type(text: &str) -> Result<RealtimeClientEvent, String> {
    RealtimeClientEvent::from_wire(text).ok_or_else(|| {
        format!(
            "`{text}` is not a GA client event type; one of: {}",
            RealtimeClientEvent::WIRE_NAMES.join(", ")
        )
    })
}

/// Writes `count` frames, one per line.
pub fn run(options: &GenOptions, out: &mut dyn Write) -> Result<(), GenRunError> {
    let mut generator = Generator::new(
        options.seed,
        options.types.clone(),
        options.audio_bytes.clone(),
    );
    if options.plain {
        generator = generator.plain();
    }
    generator = generator.direction(options.direction);
    for _ in 0..options.count {
        let frame = generator.next_frame().map_err(GenRunError::Generate)?;
        out.write_all(&frame).map_err(GenRunError::Write)?;
        out.write_all(b"\n").map_err(GenRunError::Write)?;
    }
    out.flush().map_err(GenRunError::Write)?;
    if generator.rejected() > 0 {
        eprintln!(
            "realtime-harness: note: {} generated frames failed the validator and were replaced \
             (a generator bug: please report it)",
            generator.rejected()
        );
    }
    Ok(())
}

/// Why `gen` stopped.
#[derive(Debug)]
pub enum GenRunError {
    /// No frame could be generated.
    Generate(GenError),
    /// Writing the output failed.
    Write(io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_byte_ranges() {
        assert_eq!(parse_audio_bytes("1000..5000"), Ok(1000..=4999));
        assert_eq!(parse_audio_bytes("1000..=5000"), Ok(1000..=5000));
        assert_eq!(parse_audio_bytes("64"), Ok(64..=64));
        assert!(parse_audio_bytes("5..5").is_err());
        assert!(parse_audio_bytes("9..=5").is_err());
        assert!(parse_audio_bytes("x..5").is_err());
        assert!(parse_audio_bytes(&format!("{}", MAX_AUDIO_BYTES + 1)).is_err());
    }
}
