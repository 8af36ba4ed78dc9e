//! The official-schema oracle (`realtime_harness::schema`) against OpenAI's OpenAPI document:
//! the structure-only extract the crate embeds (`spec/realtime.schema.json`), or the document
//! `REALTIME_HARNESS_SPEC` names. Every test runs on a bare clone; the comparison with the full
//! document is `tests/spec_drift.rs`.
#![cfg(feature = "schema")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use realtime_harness::schema::{
    known_fix_ids, members_of_schema, schema_members, SchemaFamily, SchemaOracle, SchemaViolation,
    SpecDocument,
};
use serde_json::{json, Value};

fn document() -> &'static SpecDocument {
    static DOC: OnceLock<SpecDocument> = OnceLock::new();
    DOC.get_or_init(|| SpecDocument::load_default().unwrap_or_else(|e| panic!("{e}")))
}

fn oracle() -> &'static SchemaOracle {
    SchemaOracle::shared().unwrap_or_else(|e| panic!("{e}"))
}

fn pointers(violations: &[SchemaViolation]) -> Vec<&str> {
    violations
        .iter()
        .map(|v| v.instance_pointer.as_str())
        .collect()
}

fn expect_rejected(oracle: &SchemaOracle, frame: &Value, pointer: &str, keyword: &str) {
    let violations = oracle
        .validate_ga(frame)
        .expect_err(&format!("accepted {frame}"));
    assert!(
        violations
            .iter()
            .any(|v| v.instance_pointer == pointer && v.keyword == keyword),
        "expected a `{keyword}` violation at {pointer} for {frame}, got {violations:#?}"
    );
    assert!(!oracle.is_valid_ga(frame));
}

#[test]
fn transcription_session_update_is_legacy_and_beta_not_ga() {
    let frame = json!({
        "type": "transcription_session.update",
        "session": {
            "input_audio_format": "pcm16",
            "input_audio_transcription": { "model": "gpt-4o-transcribe", "prompt": "", "language": "" },
            "turn_detection": { "type": "server_vad", "threshold": 0.5 },
            "input_audio_noise_reduction": { "type": "near_field" },
            "include": ["item.input_audio_transcription.logprobs"]
        }
    });
    let families: Vec<(SchemaFamily, &str)> = oracle()
        .matching_schemas(&frame)
        .iter()
        .map(|s| (s.family, s.name.as_str()))
        .collect();
    assert_eq!(
        families,
        [
            (
                SchemaFamily::Legacy,
                "RealtimeClientEventTranscriptionSessionUpdate"
            ),
            (
                SchemaFamily::Beta,
                "RealtimeBetaClientEventTranscriptionSessionUpdate"
            ),
        ]
    );
    assert!(!oracle().is_valid_ga(&frame));
    assert!(oracle()
        .ga_schema_for("transcription_session.update")
        .is_none());
}

/// One frame per defect fix: rejected when only that fix is left out, accepted with all.
#[test]
fn each_defect_fix_flips_a_frame_from_rejected_to_accepted() {
    // A beta-era session as clients send it: no server-issued `client_secret`.
    let beta_session_update = json!({"type": "session.update", "session": {
        "modalities": ["text", "audio"], "instructions": "Answer in one sentence.",
        "tools": [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
        "tool_choice": "auto"}});
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "conversation-oneof-as-anyof",
            "RealtimeClientEventResponseCreate",
            json!({"type": "response.create", "response": {"conversation": "auto"}}),
            "/response/conversation",
        ),
        (
            "conversation-oneof-as-anyof",
            "RealtimeClientEventResponseCreate",
            json!({"type": "response.create", "response": {"conversation": "none"}}),
            "/response/conversation",
        ),
        (
            "nullable",
            "RealtimeClientEventSessionUpdate",
            json!({"type": "session.update", "session": {"type": "realtime", "tracing": null}}),
            "/session/tracing",
        ),
        (
            "item-reference-input",
            "RealtimeClientEventResponseCreate",
            json!({"type": "response.create", "response": {"conversation": "none",
                "input": [{"type": "item_reference", "id": "item_12345"}]}}),
            "/response/input/0/type",
        ),
        (
            "audio-input-null",
            "RealtimeClientEventSessionUpdate",
            json!({"type": "session.update", "session": {"type": "realtime",
                "audio": {"input": {"transcription": null}}}}),
            "/session/audio/input/transcription",
        ),
        (
            "audio-input-null",
            "RealtimeClientEventSessionUpdate",
            json!({"type": "session.update", "session": {"type": "transcription",
                "audio": {"input": {"noise_reduction": null}}}}),
            "/session/audio/input/noise_reduction",
        ),
        (
            "described-null",
            "RealtimeBetaClientEventSessionUpdate",
            json!({"type": "session.update", "session": {"turn_detection": null}}),
            "/session/turn_detection",
        ),
        (
            "described-null",
            "RealtimeClientEventTranscriptionSessionUpdate",
            json!({"type": "transcription_session.update",
                "session": {"input_audio_noise_reduction": null}}),
            "/session/input_audio_noise_reduction",
        ),
        (
            "session-client-secret-required",
            "RealtimeBetaClientEventSessionUpdate",
            beta_session_update,
            "/session/client_secret",
        ),
    ];
    let doc = document();
    let mut covered = BTreeSet::new();
    for (fix, schema, frame, pointer) in &cases {
        let without = SchemaOracle::with_fixes(doc, |id| id != *fix).unwrap();
        let violations = without
            .validate_schema(schema, frame)
            .unwrap()
            .expect_err(&format!("without `{fix}`, {schema} accepted {frame}"));
        assert!(
            pointers(&violations).contains(pointer),
            "without `{fix}`: expected a violation at {pointer}, got {violations:#?}"
        );
        assert_eq!(
            oracle().validate_schema(schema, frame),
            Some(Ok(())),
            "with every fix, {schema} must accept {frame}"
        );
        if schema.starts_with("RealtimeClientEvent")
            && *schema != "RealtimeClientEventTranscriptionSessionUpdate"
        {
            assert!(!without.is_valid_ga(frame), "without `{fix}`: {frame}");
            assert_eq!(oracle().validate_ga(frame), Ok(()), "{frame}");
        }
        covered.insert(*fix);
    }
    // Every fix that changes a verdict has a case here; the discriminator one changes none.
    let expected: BTreeSet<&str> = known_fix_ids()
        .filter(|id| *id != "openapi-discriminator")
        .collect();
    assert_eq!(covered, expected);
}

#[test]
fn the_openapi_discriminator_keyword_is_harmless() {
    // The document as it is, `discriminator` and all, still accepts what it should...
    let unfixed = SchemaOracle::unfixed(document()).unwrap();
    assert!(unfixed.fixes().is_empty());
    let item = json!({"type": "conversation.item.create", "item": {"type": "function_call_output",
        "call_id": "call_1", "output": "{}"}});
    assert_eq!(unfixed.validate_ga(&item), Ok(()));
    // ...and removing it changes no verdict.
    let only_discriminator =
        SchemaOracle::with_fixes(document(), |id| id == "openapi-discriminator").unwrap();
    assert_eq!(
        only_discriminator
            .fixes()
            .iter()
            .map(|f| f.id)
            .collect::<Vec<_>>(),
        ["openapi-discriminator"]
    );
    let frames = [
        item,
        json!({"type": "session.update", "session": {"type": "realtime",
            "audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "low"}}}}}),
        json!({"type": "session.update", "session": {"type": "realtime",
            "audio": {"input": {"turn_detection": {"type": "server_vad", "eagerness": "low"}}}}}),
        json!({"type": "conversation.item.create", "item": {"type": "message", "role": "user",
            "content": [{"type": "input_text", "text": "hi"}]}}),
        json!({"type": "conversation.item.create", "item": {"type": "nothing"}}),
    ];
    for frame in &frames {
        assert_eq!(
            unfixed.is_valid_ga(frame),
            only_discriminator.is_valid_ga(frame),
            "{frame}"
        );
    }
}

#[test]
fn fixes_are_listed_once_each_with_where_they_applied() {
    let ids: Vec<&str> = oracle().fixes().iter().map(|f| f.id).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    assert_eq!(ids, known_fix_ids().collect::<Vec<_>>());
    for fix in oracle().fixes() {
        assert!(!fix.locations.is_empty(), "{fix}");
        for location in &fix.locations {
            assert!(location.starts_with("#/components/schemas/"), "{location}");
        }
        assert!(!fix.to_string().contains('\n'), "{fix}");
    }
    let nullable = oracle()
        .fixes()
        .iter()
        .find(|f| f.id == "nullable")
        .unwrap();
    assert!(nullable.locations.contains(
        &"#/components/schemas/RealtimeSessionCreateRequestGA/properties/tracing".to_owned()
    ));
}

#[test]
fn invalid_frames_are_rejected_naming_the_member() {
    let oracle = oracle();
    let at_limit = json!({"type": "conversation.item.delete", "item_id": "item_1", "event_id": "e".repeat(512)});
    assert_eq!(oracle.validate_ga(&at_limit), Ok(()));
    let over = json!({"type": "conversation.item.delete", "item_id": "item_1", "event_id": "e".repeat(513)});
    expect_rejected(oracle, &over, "/event_id", "maxLength");
    let violation = &oracle.validate_ga(&over).unwrap_err()[0];
    assert_eq!(
        violation.schema_path,
        "#/components/schemas/RealtimeClientEventConversationItemDelete/properties/event_id/maxLength"
    );
    assert!(violation.message.len() < 200, "{violation}");

    expect_rejected(
        oracle,
        &json!({"type": "conversation.item.delete"}),
        "/item_id",
        "required",
    );
    expect_rejected(
        oracle,
        &json!({"type": "conversation.item.truncate", "item_id": "i", "content_index": 0, "audio_end_ms": "1500"}),
        "/audio_end_ms",
        "type",
    );
    let speed = |value: Value| json!({"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"speed": value}}}});
    expect_rejected(
        oracle,
        &speed(json!("fast")),
        "/session/audio/output/speed",
        "type",
    );
    expect_rejected(
        oracle,
        &speed(json!(1.6)),
        "/session/audio/output/speed",
        "maximum",
    );
    assert_eq!(oracle.validate_ga(&speed(json!(1.5))), Ok(()));
    expect_rejected(
        oracle,
        &json!({"type": "session.update", "session": {"type": "realtime", "tool_choice": "sometimes"}}),
        "/session/tool_choice",
        "enum",
    );
    expect_rejected(
        oracle,
        &json!({"type": "session.update", "session": {"type": "realtime",
            "audio": {"input": {"transcription": {"model": 5}}}}}),
        "/session/audio/input/transcription/model",
        "type",
    );
    expect_rejected(
        oracle,
        &json!({"type": "session.update", "session": {"type": "realtime",
            "audio": {"input": {"format": {"type": "audio/pcm", "rate": 16000}}}}}),
        "/session/audio/input/format/rate",
        "enum",
    );
    expect_rejected(
        oracle,
        &json!({"type": "session.update", "session": {"type": "conversation"}}),
        "/session/type",
        "enum",
    );
    expect_rejected(
        oracle,
        &json!({"type": "conversation.item.create", "item": {"type": "message", "role": "robot", "content": []}}),
        "/item/role",
        "enum",
    );
    expect_rejected(
        oracle,
        &json!({"type": "conversation.item.create", "item": {"type": "message", "role": "user",
            "content": [{"type": "output_text", "text": "hi"}]}}),
        "/item/content/0/type",
        "enum",
    );
    expect_rejected(
        oracle,
        &json!({"type": "response.create", "response": {"input": [{"type": "item_reference"}]}}),
        "/response/input/0/id",
        "required",
    );
    expect_rejected(oracle, &json!({"type": "session.updat"}), "/type", "enum");
    expect_rejected(oracle, &json!({"type": 7}), "/type", "type");
    expect_rejected(oracle, &json!({"event_id": "e"}), "/type", "required");
    for not_an_object in [json!([]), json!(null), json!("session.update"), json!(1)] {
        expect_rejected(oracle, &not_an_object, "", "type");
        assert!(oracle.matching_schemas(&not_an_object).is_empty());
    }
}

#[test]
fn union_verdict_and_event_verdict_agree() {
    let oracle = oracle();
    let frames = [
        json!({"type": "input_audio_buffer.append", "audio": "AAAA"}),
        json!({"type": "input_audio_buffer.append"}),
        json!({"type": "response.cancel", "response_id": 5}),
        json!({"type": "response.create", "response": {"max_output_tokens": "inf"}}),
        json!({"type": "response.create", "response": {"max_output_tokens": "lots"}}),
        json!({"type": "output_audio_buffer.clear", "event_id": "x"}),
        json!({"type": "session.update", "session": {"type": "transcription", "audio": {"input": {"turn_detection": null}}}}),
    ];
    for frame in &frames {
        let event_type = frame["type"].as_str().unwrap();
        let schema = oracle.ga_schema_for(event_type).unwrap();
        let by_event = oracle.validate_schema(&schema.name, frame).unwrap();
        let by_union = oracle.validate_ga(frame);
        assert_eq!(by_union, by_event, "{frame}");
        assert_eq!(oracle.is_valid_ga(frame), by_union.is_ok(), "{frame}");
        let ga_matches: Vec<&str> = oracle
            .matching_schemas(frame)
            .into_iter()
            .filter(|s| s.family == SchemaFamily::Ga)
            .map(|s| s.name.as_str())
            .collect();
        let expected: Vec<&str> = if by_union.is_ok() {
            vec![&schema.name]
        } else {
            vec![]
        };
        assert_eq!(ga_matches, expected, "{frame}");
    }
}

#[test]
fn matching_schemas_tells_ga_from_beta() {
    let names = |frame: Value| -> Vec<(SchemaFamily, String)> {
        oracle()
            .matching_schemas(&frame)
            .into_iter()
            .map(|s| (s.family, s.name.clone()))
            .collect()
    };
    // Beta-era names and no `session.type`: only the beta schema.
    assert_eq!(
        names(
            json!({"type": "session.update", "session": {"modalities": ["text"], "voice": "alloy"}})
        ),
        [(
            SchemaFamily::Beta,
            "RealtimeBetaClientEventSessionUpdate".to_owned()
        )]
    );
    // GA shape with a member the beta session types differently: only GA.
    assert_eq!(
        names(
            json!({"type": "session.update", "session": {"type": "realtime", "tool_choice": {"type": "mcp", "server_label": "s"}}})
        ),
        [(
            SchemaFamily::Ga,
            "RealtimeClientEventSessionUpdate".to_owned()
        )]
    );
    assert!(names(json!({"type": "nothing.at.all"})).is_empty());
}

#[test]
fn the_shared_oracle_is_built_once() {
    let first: *const SchemaOracle = oracle();
    let second: *const SchemaOracle = oracle();
    assert!(std::ptr::eq(first, second));
    let events: Vec<_> = oracle().event_schemas().collect();
    let count = |family| events.iter().filter(|e| e.family == family).count();
    assert_eq!(count(SchemaFamily::Ga), 11);
    assert_eq!(count(SchemaFamily::Legacy), 1);
    assert_eq!(count(SchemaFamily::Beta), 12);
}

#[test]
fn members_list_paths_and_enum_values_of_every_ga_event() {
    let members = schema_members(document()).unwrap();
    let member = |path: &str| {
        members
            .get(path)
            .unwrap_or_else(|| panic!("no member {path}"))
    };
    let format = member("session.update/session(realtime).audio.input.format.type");
    assert_eq!(
        format.enum_values,
        ["audio/pcm", "audio/pcmu", "audio/pcma"]
    );
    assert!(!format.accepts_any_string);
    assert_eq!(
        member("session.update/session(realtime).audio.input.format(audio/pcm).rate").enum_values,
        ["24000"]
    );
    let session_type = member("session.update/session.type");
    assert_eq!(session_type.enum_values, ["realtime", "transcription"]);
    assert!(session_type.required);
    let conversation = member("response.create/response.conversation");
    assert_eq!(conversation.enum_values, ["auto", "none"]);
    assert!(conversation.accepts_any_string);
    let transcription = member("session.update/session(realtime).audio.input.transcription");
    assert!(transcription.nullable);
    assert!(transcription.schemas.contains("AudioTranscription"));
    assert!(member("session.update/session(transcription).audio.input.noise_reduction").nullable);
    assert!(member("session.update/session(realtime).tracing").nullable);
    assert!(!member("session.update/session(realtime).audio.output.speed").nullable);
    assert!(member("response.create/response.input[](item_reference).id").required);
    assert_eq!(
        member("response.create/response.input[](message,user).content[].type").enum_values,
        ["input_text", "input_audio", "input_image"]
    );
    assert_eq!(
        member("conversation.item.create/item.role").enum_values,
        ["system", "user", "assistant"]
    );
    let voice = member("response.create/response.audio.output.voice");
    assert!(voice.accepts_any_string && voice.enum_values.contains(&"marin".to_owned()));
    let delete_id = member("conversation.item.delete/item_id");
    assert!(delete_id.required);
    assert!(delete_id
        .declared_in
        .contains("RealtimeClientEventConversationItemDelete"));
    // Every GA event and the legacy one list their own `type`.
    for event in oracle()
        .event_schemas()
        .filter(|e| e.family != SchemaFamily::Beta)
    {
        let event_type = event.event_type.as_deref().unwrap();
        let own = member(&format!("{event_type}/type"));
        assert_eq!(own.enum_values, [event_type], "{}", event.name);
        assert!(own.required, "{}", event.name);
    }
    let beta = members_of_schema(document(), "RealtimeBetaClientEventSessionUpdate").unwrap();
    assert!(beta.get("session.turn_detection").unwrap().nullable);
    assert!(members_of_schema(document(), "NoSuchSchema").is_err());
}

// ---- Documents that are not the official one. ----

/// A file in a per-process temporary folder, removed when dropped.
struct ScratchFile(PathBuf);

impl ScratchFile {
    fn new(name: &str, contents: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "realtime-harness-schema-oracle-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        // Fails while other tests still hold files there; the last one out removes it.
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// A small document in the official shape: a GA union of one event whose `node` is recursive.
fn tiny_document() -> Value {
    json!({
        "openapi": "3.1.0",
        "paths": { "/x": { "get": { "responses": { "200": { "description": "ok" } } } } },
        "components": { "schemas": {
            "RealtimeClientEvent": {
                "discriminator": { "propertyName": "type" },
                "anyOf": [ { "$ref": "#/components/schemas/RealtimeClientEventPing" } ]
            },
            "RealtimeClientEventPing": {
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": { "type": "string", "enum": ["ping"] },
                    "note": { "type": "string", "nullable": true },
                    "stamp": { "type": "string", "format": "date-time" },
                    "node": { "$ref": "#/components/schemas/Node" }
                }
            },
            "Node": {
                "type": "object",
                "properties": {
                    "value": { "type": "string" },
                    "next": { "$ref": "#/components/schemas/Node" }
                }
            },
            "Unrelated": { "type": "string", "pattern": "(?<unclosed" }
        } }
    })
}

#[test]
fn load_errors_are_one_line_and_name_the_file() {
    let missing = Path::new("/nonexistent/realtime-harness/openapi.json");
    let error = SpecDocument::load(missing).unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("/nonexistent/realtime-harness/openapi.json: cannot read"),
        "{text}"
    );
    let cases = [
        ("garbage.json", "{ not json", "not a JSON or YAML document"),
        ("array.json", "[1, 2]", "the document is not an object"),
        (
            "nocomponents.json",
            "{\"openapi\": \"3.1.0\"}",
            "no `components.schemas`",
        ),
        (
            "badschemas.yaml",
            "components:\n  schemas: [1]\n",
            "`components.schemas` is not an object",
        ),
        (
            "badcomponents.yml",
            "components: 3\n",
            "`components` is not an object",
        ),
        (
            "tabs.yaml",
            "components:\n\t- x: [\n",
            "not a JSON or YAML document",
        ),
        ("neither.txt", "{ : : ", "as JSON: "),
    ];
    for (name, contents, expected) in cases {
        let file = ScratchFile::new(name, contents);
        let text = SpecDocument::load(file.path()).unwrap_err().to_string();
        assert!(
            text.starts_with(&file.path().display().to_string()),
            "{text}"
        );
        assert!(text.contains(expected), "{name}: {text}");
        assert!(!text.contains('\n'), "{name}: {text}");
    }
    let placeholder = ScratchFile::new("placeholder", "");
    let directory = placeholder.path().parent().unwrap();
    assert!(SpecDocument::load(directory)
        .unwrap_err()
        .to_string()
        .contains("cannot read"));
}

#[test]
fn documents_without_the_realtime_schemas_are_refused() {
    let no_union =
        SpecDocument::from_value(json!({"components": {"schemas": {"A": {}}}}), "no-union")
            .unwrap();
    let text = SchemaOracle::new(&no_union).unwrap_err().to_string();
    assert!(
        text.starts_with("no-union: ") && text.contains("RealtimeClientEvent"),
        "{text}"
    );
    assert!(schema_members(&no_union).is_err());

    let dangling = SpecDocument::from_value(
        json!({"components": {"schemas": {"RealtimeClientEvent": {"anyOf": [{"$ref": "#/components/schemas/Gone"}]}}}}),
        "dangling",
    )
    .unwrap();
    let text = SchemaOracle::new(&dangling).unwrap_err().to_string();
    assert!(text.contains("#/components/schemas/Gone"), "{text}");
}

#[test]
fn a_small_document_compiles_with_its_fixes_recursion_and_no_format_checks() {
    let doc = SpecDocument::from_value(tiny_document(), "tiny").unwrap();
    let oracle = SchemaOracle::new(&doc).unwrap();
    let ids: Vec<&str> = oracle.fixes().iter().map(|f| f.id).collect();
    // `Unrelated` (an invalid pattern) is not reachable from a client event, so never compiled.
    assert_eq!(ids, ["openapi-discriminator", "nullable"]);
    assert_eq!(
        oracle.validate_ga(&json!({"type": "ping", "note": null})),
        Ok(())
    );
    assert_eq!(
        oracle.validate_ga(&json!({"type": "ping", "stamp": "not a date"})),
        Ok(())
    );
    let deep = json!({"type": "ping", "node": {"next": {"next": {"value": 5}}}});
    let violations = oracle.validate_ga(&deep).unwrap_err();
    assert_eq!(pointers(&violations), ["/node/next/next/value"]);
    assert!(!SchemaOracle::unfixed(&doc)
        .unwrap()
        .is_valid_ga(&json!({"type": "ping", "note": null})));

    let members = schema_members(&doc).unwrap();
    let keys: Vec<&str> = members.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ping/node",
            "ping/node.next",
            "ping/node.value",
            "ping/note",
            "ping/stamp",
            "ping/type"
        ]
    );
    assert!(members["ping/note"].nullable);
    assert!(members["ping/node.next"].schemas.contains("Node"));
}

#[test]
fn yaml_and_extensionless_documents_load_like_json() {
    let value = tiny_document();
    let yaml = serde_yaml_ng::to_string(&value).unwrap();
    let from_yaml = SpecDocument::load(ScratchFile::new("tiny.yaml", &yaml).path()).unwrap();
    assert_eq!(from_yaml.as_value(), &value);
    let guessed_yaml = SpecDocument::load(ScratchFile::new("tiny-spec", &yaml).path()).unwrap();
    assert_eq!(guessed_yaml.as_value(), &value);
    let guessed_json =
        SpecDocument::load(ScratchFile::new("tiny-json", &value.to_string()).path()).unwrap();
    assert_eq!(guessed_json.as_value(), &value);
    assert_eq!(guessed_json.openapi_version(), Some("3.1.0"));
}

#[test]
fn the_official_document_reads_the_same_as_yaml_and_inside_a_larger_document() {
    let official = document();
    let yaml = serde_yaml_ng::to_string(official.as_value()).unwrap();
    let from_yaml = SpecDocument::load(ScratchFile::new("openapi.yaml", &yaml).path()).unwrap();
    assert_eq!(from_yaml.as_value(), official.as_value());

    // A full download carries many more schemas and paths; they must not matter.
    let mut larger = official.as_value().clone();
    let schemas = larger["components"]["schemas"].as_object_mut().unwrap();
    schemas.insert(
        "CreateChatCompletionRequest".into(),
        json!({"type": "object", "properties": {"n": {"type": "integer", "nullable": true}}}),
    );
    schemas.insert(
        "BrokenElsewhere".into(),
        json!({"type": "string", "pattern": "(?<bad"}),
    );
    larger["paths"] =
        json!({"/chat/completions": {"post": {"responses": {"200": {"description": "ok"}}}}});
    let larger = SpecDocument::from_value(larger, "openapi.json (full)").unwrap();
    let oracle = SchemaOracle::new(&larger).unwrap();
    assert_eq!(oracle.fixes(), self::oracle().fixes());
    let frame = json!({"type": "session.update", "session": {"type": "realtime", "tracing": null}});
    assert_eq!(oracle.validate_ga(&frame), Ok(()));
    assert_eq!(
        schema_members(&larger).unwrap(),
        schema_members(official).unwrap()
    );
}

// ---- The embedded extract (spec/realtime.schema.json). ----

/// Keywords that hold text for people, never structure.
const PROSE: &[&str] = &["description", "title", "example", "examples", "$comment"];

/// Every schema position below `schema` (member names of `properties` are not keywords).
fn schema_keywords(schema: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    let Value::Object(object) = schema else {
        return;
    };
    for (keyword, value) in object {
        let here = format!("{pointer}/{keyword}");
        out.push((here.clone(), keyword.clone()));
        match (keyword.as_str(), value) {
            ("properties" | "patternProperties" | "$defs", Value::Object(children)) => {
                for (name, child) in children {
                    schema_keywords(child, &format!("{here}/{name}"), out);
                }
            }
            ("anyOf" | "oneOf" | "allOf" | "prefixItems" | "items", Value::Array(children)) => {
                for (i, child) in children.iter().enumerate() {
                    schema_keywords(child, &format!("{here}/{i}"), out);
                }
            }
            ("items" | "additionalProperties" | "not" | "contains" | "propertyNames", child) => {
                schema_keywords(child, &here, out)
            }
            _ => {}
        }
    }
}

#[test]
fn the_embedded_extract_has_structure_and_no_prose() {
    let doc = SpecDocument::embedded();
    assert!(doc.is_embedded());
    let mut keywords = Vec::new();
    for (name, schema) in doc.schemas() {
        schema_keywords(schema, name, &mut keywords);
    }
    let prose: Vec<&String> = keywords
        .iter()
        .filter(|(_, k)| {
            PROSE.contains(&k.as_str()) || (k.starts_with("x-") && k != "x-description-allows-null")
        })
        .map(|(at, _)| at)
        .collect();
    assert!(
        prose.is_empty(),
        "documentation text in the extract: {prose:?}"
    );
    let used: BTreeSet<&str> = keywords.iter().map(|(_, k)| k.as_str()).collect();
    for structural in [
        "type",
        "properties",
        "required",
        "enum",
        "const",
        "minimum",
        "maximum",
        "maxLength",
        "format",
        "nullable",
        "anyOf",
        "oneOf",
        "allOf",
        "$ref",
        "additionalProperties",
        "items",
        "default",
        "x-description-allows-null",
    ] {
        assert!(
            used.contains(structural),
            "no `{structural}` anywhere in the extract"
        );
    }
    // Every root the extract promises is there, and every `$ref` lands.
    let schemas = doc.schemas();
    for name in [
        "RealtimeClientEvent",
        "RealtimeServerEvent",
        "RealtimeClientEventTranscriptionSessionUpdate",
        "RealtimeBetaClientEventSessionUpdate",
        "RealtimeBetaServerEventSessionCreated",
    ] {
        assert!(schemas.contains_key(name), "{name} missing");
    }
    let text = realtime_harness::spec_files::EMBEDDED_SPEC;
    for reference in text.split("\"$ref\": \"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(schemas.contains_key(name), "dangling $ref to {name}");
    }
    // Schema names and members are in sorted order: the bytes do not depend on the source.
    let names: Vec<&String> = schemas.keys().collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn the_embedded_extract_records_its_source_license_and_command() {
    let doc = SpecDocument::embedded();
    let header = &doc.as_value()[realtime_harness::schema::EXTRACT_HEADER];
    assert_eq!(header["source"]["repository"], "openai/openai-openapi");
    assert_eq!(header["source"]["file"], "openapi.json");
    let commit = "f85dbe223d40e1a31cba812ab2d755c7e98a92a3";
    assert_eq!(header["source"]["commit"], commit);
    assert_eq!(header["license"], "MIT");
    assert_eq!(header["copyright"], "(c) OpenAI");
    assert_eq!(
        header["regenerate"],
        realtime_harness::schema::REGENERATE_COMMAND
    );
    assert_eq!(doc.openapi_version(), Some("3.1.0"));
    // spec/README.md says the same, for a person reading the repository.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/README.md"))
            .unwrap();
    for fact in [
        commit,
        "MIT, (c) OpenAI",
        "openai/openai-openapi",
        "`openapi.json`",
        realtime_harness::schema::REGENERATE_COMMAND,
    ] {
        assert!(readme.contains(fact), "spec/README.md does not say {fact}");
    }
}

/// Extracting is deterministic and the extract is its own extract: the committed file, read
/// as JSON or as YAML, extracts back to the same bytes. (The comparison with the full
/// document is the drift test's.)
#[test]
fn the_embedded_extract_extracts_to_itself_from_json_and_yaml() {
    use realtime_harness::schema::{extract, ExtractSource};
    let text = realtime_harness::spec_files::EMBEDDED_SPEC;
    let doc = SpecDocument::embedded();
    assert_eq!(extract(&doc, &ExtractSource::of(&doc)).unwrap(), text);
    let yaml = serde_yaml_ng::to_string(doc.as_value()).unwrap();
    let from_yaml = SpecDocument::load(ScratchFile::new("extract.yaml", &yaml).path()).unwrap();
    assert_eq!(
        extract(&from_yaml, &ExtractSource::of(&from_yaml)).unwrap(),
        text
    );
}

/// The oracle built from the extract applies every defect fix: the ones that read
/// descriptions in the full document read the extract's marker instead.
#[test]
fn the_embedded_extract_gets_every_defect_fix() {
    let oracle = SchemaOracle::new(&SpecDocument::embedded()).unwrap();
    let ids: Vec<&str> = oracle.fixes().iter().map(|f| f.id).collect();
    assert_eq!(ids, known_fix_ids().collect::<Vec<_>>());
    let described = oracle
        .fixes()
        .iter()
        .find(|f| f.id == "described-null")
        .unwrap();
    assert_eq!(described.locations.len(), 5, "{described}");
}
