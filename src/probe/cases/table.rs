//! The case table, in id order: each row's id, title, requirement (in
//! our words), spec schema, frames sent, expectation and [`Kind`].

use super::bodies as b;
use super::{About, Case, Kind};

/// Declares [`CASES`] from its rows: `ID TITLE { requirement, spec,
/// sends, expect, KIND }`, or for a `conversation.item.KIND` naming
/// `item_nope`, which the conversation does not hold, `ID TITLE
/// unknown_item("KIND", "SCHEMA SUFFIX")`.
macro_rules! cases {
    (@rows [$($done:expr,)*]) => {
        /// Every case, in id order.
        pub static CASES: &[Case] = &[$($done,)*];
    };
    (@rows [$($done:expr,)*] $id:literal $title:literal {
        requirement: $req:literal, spec: $spec:literal, sends: $sends:literal,
        expect: $expect:literal, $kind:expr $(,)? } $($rest:tt)*) => {
        cases!(@rows [$($done,)* case($id, $title, [$req, $spec, $sends, $expect], $kind),] $($rest)*);
    };
    (@rows [$($done:expr,)*] $id:literal $title:literal unknown_item($kind:literal, $schema:literal)
        $($rest:tt)*) => {
        cases!(@rows [$($done,)* case($id, $title, [
            "`item_id` must name an item of the conversation.",
            concat!("RealtimeClientEventConversationItem", $schema),
            concat!("`conversation.item.", $kind, "` of `item_nope`"),
            "`error` echoing `event_id`, param `item_id`",
        ], refuse(
            concat!(r#"{"type":"conversation.item."#, $kind, r#"","item_id":"item_nope"}"#),
            &["item_not_found"],
            Some("item_id"),
        )),] $($rest)*);
    };
    ($($rows:tt)*) => {
        cases!(@rows [] $($rows)*);
    };
}

/// A [`Case`]: id, title, then requirement, spec, sends and expectation.
const fn case(id: &'static str, title: &'static str, texts: [&'static str; 4], kind: Kind) -> Case {
    let [requirement, spec, sends, expectation] = texts;
    Case {
        about: About {
            id,
            title,
            requirement,
            spec,
            sends,
            expectation,
        },
        kind,
    }
}

/// A [`Kind::Refused`] with no setup.
const fn refuse(
    frame: &'static str,
    codes: &'static [&'static str],
    param: Option<&'static str>,
) -> Kind {
    Kind::Refused {
        setup: &[],
        frame,
        codes,
        param,
    }
}

/// A [`Kind::Echo`].
const fn echo_of(session: &'static str, pointer: &'static str, value: &'static str) -> Kind {
    Kind::Echo {
        session,
        pointer,
        value,
    }
}

cases! {
    "1.1" "A handshake without a key is refused with 401" {
        requirement: "The server authenticates every connection: a WebSocket upgrade without `Authorization: Bearer` gets HTTP 401 and an OpenAI-style JSON error body.",
        spec: "Realtime API authentication (WebSocket handshake)", sends: "an upgrade request without `Authorization`",
        expect: "HTTP 401 with a JSON body `{\"error\": {...}}`; INFORMATIONAL when no key was given to the probe", Kind::Run(b::no_key) }
    "1.2" "A handshake with a wrong key is refused with 401" {
        requirement: "A key that is not valid is refused like a missing one.",
        spec: "Realtime API authentication (WebSocket handshake)", sends: "an upgrade request with a made-up key",
        expect: "HTTP 401; INFORMATIONAL when no key was given to the probe", Kind::Run(b::wrong_key) }
    "1.3" "`session.created` is the first event" {
        requirement: "Right after the upgrade the server sends `session.created`, before any other event and without being asked.",
        spec: "RealtimeServerEventSessionCreated", sends: "nothing",
        expect: "the first frame is `session.created`", Kind::Run(b::created_first) }
    "1.4" "`session.created` carries a complete session" {
        requirement: "The session of `session.created` has its `type`, an `id`, the `model` and the audio formats, so a client knows the defaults it is in.",
        spec: "RealtimeServerEventSessionCreated / RealtimeSessionCreateRequestGA", sends: "nothing",
        expect: "`session.type` realtime, `session.id`, `session.model`, `session.audio.input.format` and `session.audio.output.format` present (NON-STRICT when only some are)", Kind::Run(b::created_complete) }
    "1.5" "An unknown path is refused" {
        requirement: "Only the Realtime endpoint upgrades; another path is not a Realtime server.",
        spec: "Realtime API endpoint `/v1/realtime`", sends: "an upgrade request to `/v1/not-realtime`",
        expect: "the upgrade is refused (HTTP 4xx); INFORMATIONAL when it is accepted", Kind::Run(b::unknown_path) }
    "1.6" "A ping is answered with a pong" {
        requirement: "The WebSocket layer answers pings (RFC 6455 §5.5.2), which clients use as keep-alives.",
        spec: "RFC 6455 ping/pong", sends: "a ping",
        expect: "a pong", Kind::Run(b::ping) }
    "1.7" "A client close is answered with a close" {
        requirement: "A close frame from the client ends the session cleanly: the server answers with its own close frame.",
        spec: "RFC 6455 closing handshake", sends: "a close frame (1000)",
        expect: "a close frame back", Kind::Run(b::close) }
    "1.8" "Each connection is a new session" {
        requirement: "Two connections get two sessions with different ids.",
        spec: "RealtimeServerEventSessionCreated `session.id`", sends: "nothing, on two connections",
        expect: "two different `session.id`s", Kind::Run(b::two_sessions) }

    "2.1" "`session.updated` echoes new instructions" {
        requirement: "A valid `session.update` is applied and `session.updated` carries the whole session with the change.",
        spec: "RealtimeClientEventSessionUpdate / RealtimeServerEventSessionUpdated", sends: "`session.update` with `instructions`",
        expect: "`session.updated` with `session.instructions` as sent",
        echo_of(r#"{"type":"realtime","instructions":"Answer in one short sentence."}"#, "/instructions", r#""Answer in one short sentence.""#) }
    "2.2" "`session.updated` echoes a new voice" {
        requirement: "The output voice can be changed before any audio was produced.",
        spec: "RealtimeClientEventSessionUpdate `audio.output.voice`", sends: "`session.update` with `audio.output.voice`",
        expect: "`session.updated` with the voice",
        echo_of(r#"{"type":"realtime","audio":{"output":{"voice":"ash"}}}"#, "/audio/output/voice", r#""ash""#) }
    "2.3" "`session.updated` echoes a G.711 μ-law output format" {
        requirement: "The output format can be one of the spec's formats; `audio/pcmu` is G.711 μ-law.",
        spec: "RealtimeAudioFormats", sends: "`session.update` with `audio.output.format` `audio/pcmu`",
        expect: "`session.updated` with that format",
        echo_of(r#"{"type":"realtime","audio":{"output":{"format":{"type":"audio/pcmu"}}}}"#, "/audio/output/format/type", r#""audio/pcmu""#) }
    "2.4" "`session.updated` echoes a G.711 A-law input format" {
        requirement: "The input format can be one of the spec's formats; `audio/pcma` is G.711 A-law.",
        spec: "RealtimeAudioFormats", sends: "`session.update` with `audio.input.format` `audio/pcma`",
        expect: "`session.updated` with that format",
        echo_of(r#"{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcma"}}}}"#, "/audio/input/format/type", r#""audio/pcma""#) }
    "2.5" "`session.updated` echoes turn detection turned off" {
        requirement: "`turn_detection: null` turns voice activity detection off.",
        spec: "RealtimeClientEventSessionUpdate `audio.input.turn_detection`", sends: "`session.update` with `turn_detection: null`",
        expect: "`session.updated` with `turn_detection` null",
        echo_of(r#"{"type":"realtime","audio":{"input":{"turn_detection":null}}}"#, "/audio/input/turn_detection", "null") }
    "2.6" "`session.updated` echoes a VAD threshold" {
        requirement: "Server VAD settings are applied member by member.",
        spec: "RealtimeTurnDetection (server_vad)", sends: "`session.update` with `turn_detection.threshold` 0.7",
        expect: "`session.updated` with the threshold",
        echo_of(r#"{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":0.7}}}}"#, "/audio/input/turn_detection/threshold", "0.7") }
    "2.7" "`session.updated` echoes tools" {
        requirement: "Function tools given in `session.update` are kept as given.",
        spec: "RealtimeFunctionTool", sends: "`session.update` with one function tool",
        expect: "`session.updated` with the tool's name",
        echo_of(r#"{"type":"realtime","tools":[{"type":"function","name":"get_weather","description":"Weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}"#, "/tools/0/name", r#""get_weather""#) }
    "2.8" "`session.updated` echoes text-only output" {
        requirement: "`output_modalities` selects text or audio output.",
        spec: "RealtimeClientEventSessionUpdate `output_modalities`", sends: "`session.update` with `output_modalities: [\"text\"]`",
        expect: "`session.updated` with `[\"text\"]`",
        echo_of(r#"{"type":"realtime","output_modalities":["text"]}"#, "/output_modalities", r#"["text"]"#) }
    "2.9" "`session.updated` echoes `max_output_tokens`" {
        requirement: "The output token limit is an integer or `inf`.",
        spec: "RealtimeClientEventSessionUpdate `max_output_tokens`", sends: "`session.update` with `max_output_tokens` 512",
        expect: "`session.updated` with 512",
        echo_of(r#"{"type":"realtime","max_output_tokens":512}"#, "/max_output_tokens", "512") }
    "2.10" "`session.updated` echoes `tool_choice`" {
        requirement: "`tool_choice` is `auto`, `none`, `required` or a named tool.",
        spec: "RealtimeToolChoiceConfig", sends: "`session.update` with `tool_choice: \"none\"`",
        expect: "`session.updated` with `none`",
        echo_of(r#"{"type":"realtime","tool_choice":"none"}"#, "/tool_choice", r#""none""#) }
    "2.11" "`session.updated` echoes input transcription" {
        requirement: "Input audio transcription is configured with a model.",
        spec: "RealtimeAudioInputTranscription", sends: "`session.update` with `audio.input.transcription.model`",
        expect: "`session.updated` with the model",
        echo_of(r#"{"type":"realtime","audio":{"input":{"transcription":{"model":"whisper-1"}}}}"#, "/audio/input/transcription/model", r#""whisper-1""#) }
    "2.12" "An unknown session parameter is rejected" {
        requirement: "Parameters the spec does not define are refused, naming the parameter, rather than ignored.",
        spec: "RealtimeSessionCreateRequestGA (closed)", sends: "`session.update` with `session.temperature`",
        expect: "`error` echoing `event_id`, code `unknown_parameter`, param `session.temperature`",
        refuse(r#"{"type":"session.update","session":{"type":"realtime","temperature":0.7}}"#, &["unknown_parameter"], Some("session.temperature")) }
    "2.13" "An out-of-range value is rejected" {
        requirement: "`audio.output.speed` lies between 0.25 and 1.5; another value is refused, naming it.",
        spec: "RealtimeSessionCreateRequestGA `audio.output.speed`", sends: "`session.update` with speed 9",
        expect: "`error` echoing `event_id`, param `session.audio.output.speed`",
        refuse(r#"{"type":"session.update","session":{"type":"realtime","audio":{"output":{"speed":9}}}}"#, &["invalid_value", "decimal_above_max_value"], Some("session.audio.output.speed")) }
    "2.14" "Changing the session type is rejected" {
        requirement: "A session's `type` is fixed at creation; an update naming another type is refused.",
        spec: "RealtimeClientEventSessionUpdate `session.type`", sends: "`session.update` with `type: transcription`",
        expect: "`error` echoing `event_id`, param `session.type`",
        refuse(r#"{"type":"session.update","session":{"type":"transcription"}}"#, &["invalid_value"], Some("session.type")) }
    "2.15" "A `session.update` without `session` is rejected" {
        requirement: "`session` is required in `session.update`.",
        spec: "RealtimeClientEventSessionUpdate (required `session`)", sends: "`session.update` without `session`",
        expect: "`error` echoing `event_id`, param `session`",
        refuse(r#"{"type":"session.update"}"#, &["missing_required_parameter"], Some("session")) }
    "2.16" "A rejected update changes nothing" {
        requirement: "An update that is refused is refused whole: none of its members are applied.",
        spec: "RealtimeClientEventSessionUpdate", sends: "an update with new instructions and an invalid speed, then a valid update",
        expect: "an `error`, then `session.updated` without the refused instructions", Kind::Run(b::refused_update_atomic) }
    "2.17" "The voice cannot change once audio was produced" {
        requirement: "The voice is fixed once the model has spoken in the session.",
        spec: "RealtimeClientEventSessionUpdate `audio.output.voice`", sends: "`response.create` (audio), then `session.update` with another voice",
        expect: "an `error` echoing `event_id` (code `cannot_update_voice`)", Kind::Run(b::voice_after_audio) }

    "3.1" "Append and commit make a user item" {
        requirement: "Committing at least 100 ms of appended audio emits `input_audio_buffer.committed` naming a new user item, which is added to the conversation.",
        spec: "RealtimeClientEventInputAudioBufferCommit / RealtimeServerEventInputAudioBufferCommitted", sends: "`session.update` (no VAD), `input_audio_buffer.append` (300 ms PCM16), `input_audio_buffer.commit`",
        expect: "`input_audio_buffer.committed` with `item_id`, and `conversation.item.added` of that item", Kind::Run(b::append_commit) }
    "3.2" "Committing an empty buffer is an error" {
        requirement: "A commit needs audio in the buffer.",
        spec: "RealtimeClientEventInputAudioBufferCommit", sends: "`input_audio_buffer.commit` on a fresh session",
        expect: "`error` echoing `event_id`, code `input_audio_buffer_commit_empty`",
        refuse(r#"{"type":"input_audio_buffer.commit"}"#, &["input_audio_buffer_commit_empty"], None) }
    "3.3" "Committing less than 100 ms is an error" {
        requirement: "A commit needs at least 100 ms of audio.",
        spec: "RealtimeClientEventInputAudioBufferCommit", sends: "`input_audio_buffer.append` (50 ms), `input_audio_buffer.commit`",
        expect: "`error` echoing `event_id`, code `input_audio_buffer_commit_empty`",
        Kind::Refused { setup: &[r#"{"type":"input_audio_buffer.append","audio":"$PCM50"}"#], frame: r#"{"type":"input_audio_buffer.commit"}"#, codes: &["input_audio_buffer_commit_empty"], param: None } }
    "3.4" "Clear empties the buffer" {
        requirement: "`input_audio_buffer.clear` drops the buffered audio and is confirmed with `input_audio_buffer.cleared`.",
        spec: "RealtimeClientEventInputAudioBufferClear / RealtimeServerEventInputAudioBufferCleared", sends: "append (300 ms), clear, commit",
        expect: "`input_audio_buffer.cleared`, then the commit fails as empty", Kind::Run(b::clear) }
    "3.5" "A 15 MiB append is accepted" {
        requirement: "An append may carry up to 15 MiB of audio (20 MiB as base64).",
        spec: "RealtimeClientEventInputAudioBufferAppend `audio`", sends: "one `input_audio_buffer.append` with 15 MiB of PCM16, then `input_audio_buffer.clear`",
        expect: "no `error`; `input_audio_buffer.cleared` follows", Kind::Run(b::append_15_mib) }
    "3.6" "An oversized frame is rejected" {
        requirement: "A frame larger than the server accepts is refused with an `error` or a close (1009), not processed and not a crash.",
        spec: "RealtimeClientEventInputAudioBufferAppend (15 MiB limit); RFC 6455 1009", sends: "an append frame of 22 MiB",
        expect: "an `error`, or close code 1009", Kind::Run(b::oversized) }
    "3.7" "Audio that is not base64 is rejected" {
        requirement: "`audio` is base64-encoded audio bytes.",
        spec: "RealtimeClientEventInputAudioBufferAppend `audio`", sends: "`input_audio_buffer.append` with `audio` `not base64!`",
        expect: "`error` echoing `event_id`, param `audio`",
        refuse(r#"{"type":"input_audio_buffer.append","audio":"not base64!"}"#, &["invalid_value"], Some("audio")) }
    "3.8" "G.711 μ-law input is accepted" {
        requirement: "After switching the input format to `audio/pcmu`, μ-law audio appends and commits (8 bytes per ms).",
        spec: "RealtimeAudioFormats `audio/pcmu`", sends: "`session.update` (pcmu, no VAD), append 300 ms of μ-law, commit",
        expect: "`input_audio_buffer.committed`", Kind::Run(b::commit_pcmu) }
    "3.9" "G.711 A-law input is accepted" {
        requirement: "After switching the input format to `audio/pcma`, A-law audio appends and commits.",
        spec: "RealtimeAudioFormats `audio/pcma`", sends: "`session.update` (pcma, no VAD), append 300 ms of A-law, commit",
        expect: "`input_audio_buffer.committed`", Kind::Run(b::commit_pcma) }
    "3.10" "Server VAD reports speech" {
        requirement: "With server VAD, speech in the appended audio is reported by `speech_started` and `speech_stopped`, and the turn is committed.",
        spec: "RealtimeServerEventInputAudioBufferSpeechStarted / SpeechStopped", sends: "600 ms of a voice-like tone, then 1 s of silence",
        expect: "`speech_started`, `speech_stopped`, `committed`; INFORMATIONAL when the server's VAD does not take the tone for speech", Kind::Run(b::vad) }
    "3.11" "Input transcription is delivered" {
        requirement: "With `audio.input.transcription` set, a committed turn is transcribed.",
        spec: "RealtimeServerEventConversationItemInputAudioTranscriptionCompleted", sends: "`session.update` (transcription, no VAD), append 300 ms, commit",
        expect: "`conversation.item.input_audio_transcription.completed` for the item; UNIMPLEMENTED when none comes", Kind::Run(b::transcription) }

    "4.1" "A created item is added at the end" {
        requirement: "`conversation.item.create` without `previous_item_id` appends the item and confirms it with `conversation.item.added` (with a server id).",
        spec: "RealtimeClientEventConversationItemCreate / RealtimeServerEventConversationItemAdded", sends: "`conversation.item.create` of a user text message",
        expect: "`conversation.item.added` with the item, an `id`, and `previous_item_id` null", Kind::Run(b::item_create) }
    "4.2" "A client-chosen item id is kept" {
        requirement: "An item created with an `id` keeps it.",
        spec: "RealtimeConversationItem `id`", sends: "`conversation.item.create` with `item.id`",
        expect: "`conversation.item.added` with that id", Kind::Run(b::item_client_id) }
    "4.3" "`previous_item_id` places an item" {
        requirement: "An item created with `previous_item_id` goes right after that item.",
        spec: "RealtimeClientEventConversationItemCreate `previous_item_id`", sends: "two items, then a third after the first",
        expect: "`conversation.item.added` of the third with `previous_item_id` the first", Kind::Run(b::item_previous) }
    "4.4" "`previous_item_id: root` inserts first" {
        requirement: "`root` places the item at the start of the conversation.",
        spec: "RealtimeClientEventConversationItemCreate `previous_item_id`", sends: "an item, then one with `previous_item_id: root`",
        expect: "`conversation.item.added` with `previous_item_id` null", Kind::Run(b::item_root) }
    "4.5" "An unknown `previous_item_id` is an error" {
        requirement: "`previous_item_id` must name an item of the conversation.",
        spec: "RealtimeClientEventConversationItemCreate `previous_item_id`", sends: "`conversation.item.create` after `item_nope`",
        expect: "`error` echoing `event_id`, param `previous_item_id`",
        refuse(r#"{"type":"conversation.item.create","previous_item_id":"item_nope","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}"#, &["item_not_found", "invalid_value"], Some("previous_item_id")) }
    "4.6" "A duplicate item id is an error" {
        requirement: "Item ids are unique in a conversation.",
        spec: "RealtimeConversationItem `id`", sends: "two `conversation.item.create` with the same `item.id`",
        expect: "the second gets an `error` echoing its `event_id`", Kind::Run(b::item_duplicate) }
    "4.7" "Retrieve returns the item" {
        requirement: "`conversation.item.retrieve` returns the item as the server holds it.",
        spec: "RealtimeClientEventConversationItemRetrieve / RealtimeServerEventConversationItemRetrieved", sends: "create an item, retrieve it",
        expect: "`conversation.item.retrieved` with the same id and content", Kind::Run(b::item_retrieve) }
    "4.8" "Retrieving an unknown item is an error" unknown_item("retrieve", "Retrieve")
    "4.9" "Delete removes the item" {
        requirement: "`conversation.item.delete` removes the item, confirmed by `conversation.item.deleted`; it can no longer be retrieved.",
        spec: "RealtimeClientEventConversationItemDelete / RealtimeServerEventConversationItemDeleted", sends: "create, delete, retrieve",
        expect: "`conversation.item.deleted`, then an `error` for the retrieve", Kind::Run(b::item_delete) }
    "4.10" "Deleting an unknown item is an error" unknown_item("delete", "Delete")
    "4.11" "Truncating within the audio is confirmed" {
        requirement: "An assistant message's audio can be truncated at a point within the audio sent, confirmed by `conversation.item.truncated`.",
        spec: "RealtimeClientEventConversationItemTruncate / RealtimeServerEventConversationItemTruncated", sends: "an audio response, then truncate its item at 100 ms",
        expect: "`conversation.item.truncated` with the item, `content_index` 0 and `audio_end_ms` 100", Kind::Run(b::truncate_within) }
    "4.12" "Truncating beyond the audio is an error" {
        requirement: "`audio_end_ms` cannot exceed the audio of the item.",
        spec: "RealtimeClientEventConversationItemTruncate `audio_end_ms`", sends: "an audio response, then truncate its item at 10 minutes",
        expect: "`error` echoing `event_id` (param `audio_end_ms`), not `conversation.item.truncated`", Kind::Run(b::truncate_beyond) }
    "4.13" "Truncating an unknown item is an error" {
        requirement: "`item_id` must name an item of the conversation.",
        spec: "RealtimeClientEventConversationItemTruncate", sends: "`conversation.item.truncate` of `item_nope`",
        expect: "`error` echoing `event_id`, not `conversation.item.truncated`",
        refuse(r#"{"type":"conversation.item.truncate","item_id":"item_nope","content_index":0,"audio_end_ms":0}"#, &["item_not_found"], Some("item_id")) }
    "4.14" "Truncating a user text item is an error" {
        requirement: "Only an assistant message's audio can be truncated.",
        spec: "RealtimeClientEventConversationItemTruncate", sends: "create a user text item, truncate it",
        expect: "`error` echoing `event_id`, not `conversation.item.truncated`", Kind::Run(b::truncate_user) }
    "4.15" "An item with a wrong content type is rejected" {
        requirement: "A user message holds `input_text`, `input_audio` or `input_image` parts.",
        spec: "RealtimeConversationItemMessageUser", sends: "`conversation.item.create` of a user message with an `output_text` part",
        expect: "`error` echoing `event_id`",
        refuse(r#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"output_text","text":"hi"}]}}"#, &[], None) }

    "5.1" "A text response streams text deltas" {
        requirement: "A text response streams `response.output_text.delta` and ends the part with `response.output_text.done` holding the whole text.",
        spec: "RealtimeServerEventResponseTextDelta / RealtimeServerEventResponseTextDone", sends: "an item, `response.create` with `output_modalities: [\"text\"]`",
        expect: "text deltas whose concatenation is the done text", Kind::Run(b::text_response) }
    "5.2" "An audio response streams audio and transcript" {
        requirement: "An audio response streams base64 audio in `response.output_audio.delta` and its transcript in `response.output_audio_transcript.delta`.",
        spec: "RealtimeServerEventResponseAudioDelta / RealtimeServerEventResponseAudioTranscriptDelta", sends: "an item, `response.create`",
        expect: "audio deltas that decode as base64, transcript deltas whose concatenation is the transcript done", Kind::Run(b::audio_response) }
    "5.3" "A response's events come in order" {
        requirement: "`response.created` first; an item's deltas before its done events; `response.done` after every item's done events, and nothing of the response after it.",
        spec: "RealtimeServerEventResponse* (lifecycle)", sends: "an item, `response.create`",
        expect: "no event out of order", Kind::Run(b::response_order) }
    "5.4" "Every id and index in deltas was announced" {
        requirement: "Each `response_id` was announced by `response.created`, each `item_id` and `output_index` by `response.output_item.added`, each `content_index` by `response.content_part.added`, before use.",
        spec: "RealtimeServerEventResponseOutputItemAdded / RealtimeServerEventResponseContentPartAdded", sends: "an item, `response.create` (audio), `response.create` (text)",
        expect: "no reference to anything unannounced", Kind::Run(b::response_references) }
    "5.5" "`response.done` carries the outputs and usage" {
        requirement: "`response.done` holds the final response: status `completed`, the output items, and `usage`.",
        spec: "RealtimeServerEventResponseDone / RealtimeResponse", sends: "an item, `response.create`",
        expect: "status completed, `output` listing the items announced, `usage.total_tokens`", Kind::Run(b::response_done_contents) }
    "5.6" "An out-of-band response leaves the conversation alone" {
        requirement: "With `conversation: none` the response's items are not added to the conversation, and `metadata` comes back in the response.",
        spec: "RealtimeResponseCreateParams `conversation`, `metadata`", sends: "`response.create` with `conversation: none` and `metadata`",
        expect: "no `conversation.item.added`; `response.done` with the metadata", Kind::Run(b::out_of_band) }
    "5.7" "An out-of-band response uses its `input`" {
        requirement: "`input` gives an out-of-band response its own context.",
        spec: "RealtimeResponseCreateParams `input`", sends: "`response.create` with `conversation: none` and an `input` message",
        expect: "a completed response with no `conversation.item.added`", Kind::Run(b::out_of_band_input) }
    "5.8" "Only one response is active at a time" {
        requirement: "A second `response.create` while a response streams is refused; the first completes.",
        spec: "RealtimeClientEventResponseCreate (one active response)", sends: "two `response.create` back to back",
        expect: "an `error` echoing the second's `event_id` (code `conversation_already_has_active_response`), and one `response.done`", Kind::Run(b::one_active) }
    "5.9" "Cancel ends the response with done events" {
        requirement: "`response.cancel` stops the active response: the item in progress gets its done events, then `response.done` with status `cancelled`.",
        spec: "RealtimeClientEventResponseCancel / RealtimeServerEventResponseDone", sends: "`response.create`, then `response.cancel` after `response.created`",
        expect: "`response.done` with status `cancelled` after the item's done events", Kind::Run(b::cancel) }
    "5.10" "Cancel without a response is an error" {
        requirement: "There must be a response to cancel.",
        spec: "RealtimeClientEventResponseCancel", sends: "`response.cancel` on an idle session",
        expect: "`error` echoing `event_id` (code `response_cancel_not_active`)",
        refuse(r#"{"type":"response.cancel"}"#, &["response_cancel_not_active"], None) }
    "5.11" "A function call round trip" {
        requirement: "With a tool and `tool_choice: required` the response is a `function_call` item with a `call_id` and JSON arguments; a `function_call_output` for it and a new `response.create` get an answer.",
        spec: "RealtimeConversationItemFunctionCall / RealtimeServerEventResponseFunctionCallArgumentsDone", sends: "`session.update` (tool), item, `response.create`, `function_call_output`, `response.create`",
        expect: "arguments deltas, `arguments.done` with JSON arguments, then a second response that completes", Kind::Run(b::function_call) }
    "5.12" "`response.done` comes even after an error" {
        requirement: "An `error` during a response (here for an invalid frame sent meanwhile) does not end it silently: `response.done` still comes.",
        spec: "RealtimeServerEventResponseDone; RealtimeServerEventError", sends: "`response.create`, then an invalid frame while it streams",
        expect: "an `error` for the frame, then `response.done`", Kind::Run(b::done_after_error) }
    "5.13" "`max_output_tokens` ends a response incomplete" {
        requirement: "A response that hits `max_output_tokens` ends with status `incomplete` and reason `max_output_tokens`.",
        spec: "RealtimeResponse `status_details`", sends: "`response.create` with `max_output_tokens: 1`",
        expect: "`response.done` with status `incomplete`, reason `max_output_tokens`", Kind::Run(b::max_tokens) }
    "5.14" "A response's own modality overrides the session's" {
        requirement: "`output_modalities` in `response.create` applies to that response.",
        spec: "RealtimeResponseCreateParams `output_modalities`", sends: "`response.create` with `[\"text\"]` in an audio session",
        expect: "text deltas and no audio deltas", Kind::Run(b::modality_override) }
    "5.15" "A response's own audio format is used" {
        requirement: "`audio.output.format` in `response.create` applies to that response's audio.",
        spec: "RealtimeResponseCreateParams `audio.output.format`", sends: "`response.create` with `audio/pcmu`",
        expect: "`response.done` naming `audio/pcmu`, and audio deltas", Kind::Run(b::format_override) }
    "5.16" "An invalid `response.create` is rejected" {
        requirement: "`response.create` parameters are validated like the session's.",
        spec: "RealtimeResponseCreateParams", sends: "`response.create` with `output_modalities: [\"video\"]`",
        expect: "`error` echoing `event_id`",
        refuse(r#"{"type":"response.create","response":{"output_modalities":["video"]}}"#, &["invalid_value"], None) }
    "5.17" "Rate limits are reported" {
        requirement: "The server reports its rate limits with `rate_limits.updated` around responses.",
        spec: "RealtimeServerEventRateLimitsUpdated", sends: "`response.create`",
        expect: "INFORMATIONAL: whether and where `rate_limits.updated` came", Kind::Run(b::rate_limits) }

    "6.1" "A frame that is not JSON is answered with an error" {
        requirement: "Every frame the server cannot read gets an `error`, and the connection stays open.",
        spec: "RealtimeServerEventError", sends: "the text `this is not JSON`",
        expect: "an `error` (no `event_id` can be echoed)",
        refuse("this is not JSON", &["invalid_json"], None) }
    "6.2" "A JSON array is answered with an error" {
        requirement: "A client event is a JSON object.",
        spec: "RealtimeClientEvent", sends: "`[1,2,3]`",
        expect: "an `error`", refuse("[1,2,3]", &[], None) }
    "6.3" "An unknown event type is answered with an error" {
        requirement: "`type` must be a GA client event type; another one is refused, naming `type`.",
        spec: "RealtimeClientEvent", sends: "`{\"type\": \"session.frobnicate\"}`",
        expect: "`error` echoing `event_id`, param `type`",
        refuse(r#"{"type":"session.frobnicate"}"#, &["invalid_value"], Some("type")) }
    "6.4" "A frame without `type` is answered with an error" {
        requirement: "`type` is required.",
        spec: "RealtimeClientEvent", sends: "an object with `event_id` only",
        expect: "`error` echoing `event_id`",
        refuse(r#"{"item_id":"item_1"}"#, &[], Some("type")) }
    "6.5" "A binary frame is answered with an error" {
        requirement: "The API speaks JSON text frames; a binary frame is refused, and the connection stays open.",
        spec: "RealtimeServerEventError", sends: "a 16-byte binary frame",
        expect: "an `error`", Kind::Run(b::binary) }
    "6.6" "A missing required member is answered with an error" {
        requirement: "Required members are required.",
        spec: "RealtimeClientEventConversationItemDelete (required `item_id`)", sends: "`conversation.item.delete` without `item_id`",
        expect: "`error` echoing `event_id`, param `item_id`",
        refuse(r#"{"type":"conversation.item.delete"}"#, &["missing_required_parameter"], Some("item_id")) }
    "6.7" "A member of the wrong type is answered with an error" {
        requirement: "Members have the spec's types.",
        spec: "RealtimeClientEventConversationItemTruncate `content_index` (integer)", sends: "`conversation.item.truncate` with `content_index: \"zero\"`",
        expect: "`error` echoing `event_id`, param `content_index`",
        refuse(r#"{"type":"conversation.item.truncate","item_id":"item_1","content_index":"zero","audio_end_ms":0}"#, &["invalid_type"], Some("content_index")) }
    "6.8" "An over-long `event_id` is answered with an error" {
        requirement: "`event_id` is at most 512 characters.",
        spec: "RealtimeClientEvent `event_id` (maxLength 512)", sends: "`input_audio_buffer.clear` with a 600-character `event_id`",
        expect: "`error` naming `event_id`", Kind::Run(b::long_event_id) }
    "6.9" "An unknown member of an event is answered with an error" {
        requirement: "Client events have no members beyond the spec's.",
        spec: "RealtimeClientEventInputAudioBufferClear", sends: "`input_audio_buffer.clear` with `force: true`",
        expect: "`error` echoing `event_id`, param `force`",
        refuse(r#"{"type":"input_audio_buffer.clear","force":true}"#, &["unknown_parameter"], Some("force")) }
    "6.10" "Every invalid frame's error echoes its `event_id`" {
        requirement: "An `error` caused by a client event names that event's `event_id`, whatever was wrong with it.",
        spec: "RealtimeServerEventError `error.event_id`", sends: "eight different invalid frames, each with its own `event_id`",
        expect: "eight `error`s, each echoing the `event_id` of its frame", Kind::Run(b::echo_all) }
    "6.11" "The connection survives 100 bad frames" {
        requirement: "Invalid frames are answered, not punished: the session goes on.",
        spec: "RealtimeServerEventError", sends: "100 invalid frames, then a valid `session.update`",
        expect: "100 `error`s, then `session.updated`", Kind::Run(b::hundred_bad) }
    "6.12" "`error` has `type` and `message`" {
        requirement: "An error object has `type` and `message` (and `code`, `param`, `event_id` as strings or null).",
        spec: "RealtimeServerEventError `error`", sends: "an unknown event type",
        expect: "`error.type` and `error.message` strings", Kind::Run(b::error_shape) }

    "7.1" "Every server event parses" {
        requirement: "Every frame the server sends is a `RealtimeServerEvent` the model reads.",
        spec: "RealtimeServerEvent", sends: "a tour: session update, audio commit, items, audio, text and function-call responses, retrieve, truncate, delete, an invalid frame",
        expect: "every received frame parses as a `ServerEvent`", Kind::Run(b::tour_parses) }
    "7.2" "Every server event passes the checker" {
        requirement: "Every frame keeps the rules the types do not enforce (ids, indexes, base64 audio, the session as the server sends it).",
        spec: "RealtimeServerEvent (the checker's server rules)", sends: "the tour of 7.1",
        expect: "no checker error on any received frame", Kind::Run(b::tour_checks) }
    "7.3" "Every server event validates against the official schema" {
        requirement: "Every frame satisfies the OpenAPI document's `RealtimeServerEvent` union.",
        spec: "RealtimeServerEvent (OpenAPI)", sends: "the tour of 7.1",
        expect: "no schema violation on any received frame", Kind::Run(b::tour_schema) }
    "7.4" "Only GA event names are used" {
        requirement: "The server sends GA event types only, not beta-era names (`response.audio.delta`, `conversation.item.created`, ...).",
        spec: "RealtimeServerEvent (GA)", sends: "the tour of 7.1",
        expect: "every `type` is a GA server event type", Kind::Run(b::tour_ga_names) }
    "7.5" "Event ids are unique" {
        requirement: "Every server event has its own `event_id`.",
        spec: "RealtimeServerEvent `event_id`", sends: "the tour of 7.1",
        expect: "no `event_id` repeats", Kind::Run(b::tour_unique_ids) }

    "8.1" "Generated valid frames leave the server up" {
        requirement: "A server takes any spec-valid client frame: it answers or acts, and stays up.",
        spec: "RealtimeClientEvent", sends: "N generated spec-valid frames (`--fuzz N`), then `session.update`",
        expect: "the connection stays open and `session.updated` answers the last frame", Kind::Run(b::fuzz_generated) }
    "8.2" "Mutated frames are each answered with an error" {
        requirement: "A server answers every invalid frame with an `error` echoing its `event_id`, and stays up.",
        spec: "RealtimeServerEventError", sends: "N mutations of valid frames (the JSON-aware mutator)",
        expect: "an `error` for every mutation the checker rejects, echoing its `event_id` when it has one", Kind::Run(b::fuzz_mutated) }
    "8.3" "Error answer latency" {
        requirement: "How fast invalid frames are answered.",
        spec: "RealtimeServerEventError", sends: "N invalid frames, one at a time",
        expect: "INFORMATIONAL: median, 99th percentile and worst latency", Kind::Run(b::latency) }
    "8.4" "Deeply nested JSON is answered with an error" {
        requirement: "A frame nested 100 000 levels deep is refused without crashing the server.",
        spec: "RealtimeClientEvent", sends: "`{\"type\": [[[[...]]]]}` 100 000 levels deep, then `input_audio_buffer.clear`",
        expect: "an `error`, then `input_audio_buffer.cleared`", Kind::Run(b::deep_json) }
    "8.5" "Pipelined frames are answered in order" {
        requirement: "Frames sent without waiting are handled in order.",
        spec: "RealtimeClientEventConversationItemCreate", sends: "50 `conversation.item.create` at once",
        expect: "50 `conversation.item.added`, in the order sent", Kind::Run(b::pipelined) }
    "8.6" "Frames during a response are handled" {
        requirement: "A server keeps reading while a response streams.",
        spec: "RealtimeClientEventInputAudioBufferAppend during a response", sends: "`response.create`, then appends and a clear while it streams",
        expect: "`input_audio_buffer.cleared` before `response.done`, and `response.done`", Kind::Run(b::frames_during_response) }
}
