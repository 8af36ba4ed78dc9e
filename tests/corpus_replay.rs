//! Replays the seed corpus in `corpus/` (see `corpus/README.md`):
//!
//! - every frame in `corpus/valid/` parses, and serializes back to the same
//!   JSON value except for explicit `null`s on members the spec does not make
//!   nullable, which are dropped exactly there and nowhere else;
//! - where `type` stands in an object does not change what a frame parses to;
//! - every frame in `corpus/invalid/` fails with exactly the error text in the
//!   `.expected` file beside it;
//! - every file in `corpus/regressions/` (crash regressions from fuzzing)
//!   parses or fails without a panic, with its `.expected` text if it has one;
//! - the GA frames of `corpus/valid/` satisfy the official schema (feature
//!   `schema`: the extract the crate embeds, or `REALTIME_HARNESS_SPEC`).

use std::collections::BTreeSet;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use realtime_harness::fidelity::{changes, ChangeKind};
use realtime_harness::pointer::push_token;
use realtime_harness::shape::{self, Shape};
use realtime_harness::{ClientEvent, RealtimeClientEvent};
use serde_json::{Map, Value};

const MIN_VALID: usize = 60;
const MIN_INVALID: usize = 25;

/// Members whose explicit `null` the spec gives a meaning, so the model must
/// keep it: each entry is the end of a member's path as
/// [`Shape::walk`] spells it (`.member`, `[tag=value]`, `[]`, `{}`). Written
/// from the spec (`anyOf [.., null]`, `nullable: true`, and the "set to null
/// to turn off" members of defect 6 of the spec notes), not from the model,
/// so that [`nullable_list_matches_the_model`] checks one against the other.
const NULLABLE: &[&str] = &[
    // RealtimeSessionCreateRequestGA / ...TranscriptionSessionCreateRequestGA audio.input
    ".audio.input.transcription",
    ".audio.input.noise_reduction",
    ".audio.input.turn_detection",
    // RealtimeTurnDetection (server VAD)
    "[type=server_vad].idle_timeout_ms",
    // RealtimeSessionCreateRequestGA
    "[type=realtime].tracing",
    "[type=realtime].prompt",
    // RealtimeResponseCreateParams
    ".response.prompt",
    ".response.metadata",
    // Prompt
    ".prompt.version",
    ".prompt.variables",
    // MCPTool
    "[type=mcp].headers",
    "[type=mcp].allowed_tools",
    "[type=mcp].allowed_callers",
    "[type=mcp].require_approval",
    // RealtimeMCPApprovalResponse
    "[type=mcp_approval_response].reason",
    // RealtimeMCPToolCall
    "[type=mcp_call].approval_request_id",
    "[type=mcp_call].output",
    "[type=mcp_call].error",
    // MCPListToolsTool
    "[type=mcp_list_tools].tools[].description",
    "[type=mcp_list_tools].tools[].annotations",
    // InputImageContent, InputFileContent (prompt variables)
    "[type=input_image].image_url",
    "[type=input_image].file_id",
    "[type=input_file].file_id",
    // ToolChoiceMCP
    ".tool_choice[type=mcp].name",
];

fn is_nullable(path: &str) -> bool {
    NULLABLE.iter().any(|suffix| path.ends_with(suffix))
}

fn corpus_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(sub)
}

/// The files of a corpus directory with one of `extensions`, sorted by name;
/// an absent directory has none.
fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    out.sort();
    out
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// A valid frame: its file name, raw bytes and JSON value.
struct Frame {
    name: String,
    bytes: Vec<u8>,
    value: Value,
}

fn valid_frames() -> Vec<Frame> {
    let dir = corpus_dir("valid");
    let paths = files(&dir, &["json"]);
    assert!(!paths.is_empty(), "no frames in {}", dir.display());
    paths
        .iter()
        .map(|path| {
            let bytes = fs::read(path).unwrap();
            let value = serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
            Frame {
                name: file_name(path),
                bytes,
                value,
            }
        })
        .collect()
}

/// Whether a value of this JSON kind can be this shape (how the model tells
/// the branches of a "string or object" member apart).
fn fits(shape: &Shape, value: &Value) -> bool {
    match (shape, value) {
        (
            Shape::Object(_) | Shape::Union(_) | Shape::Map(_) | Shape::AnyObject,
            Value::Object(_),
        ) => true,
        (Shape::Array(_), Value::Array(_)) => true,
        (
            Shape::Enum(_) | Shape::OpenString(_) | Shape::String | Shape::Base64,
            Value::String(_),
        ) => true,
        (Shape::Integer | Shape::Number, Value::Number(_)) => true,
        (Shape::Bool, Value::Bool(_)) => true,
        (Shape::OneOf(shapes), v) => shapes.iter().any(|s| fits(s, v)),
        _ => false,
    }
}

/// A walk of a frame along the model's shape.
///
/// Collects the pointers of explicit `null`s on model members that
/// [`NULLABLE`] does not list (exactly where the round trip may drop a
/// `null`), the [`NULLABLE`] entries seen with a `null`, and which enum
/// values, union branches and "string or object" branches the frame uses.
/// Unknown members, free-form JSON (`parameters`, trace metadata,
/// `input_schema`, ...) and unknown event types are kept verbatim, `null`s
/// and all, so the walk does not enter them.
#[derive(Default)]
struct Walk {
    path: String,
    pointer: String,
    drops: BTreeSet<String>,
    nulls_kept: BTreeSet<&'static str>,
    used: BTreeSet<String>,
}

/// Coverage keys: one per enum value, union branch and one-of branch of the
/// model, the same whether built from a frame or from the whole shape.
fn enum_key(values: &[&str], value: &str) -> String {
    format!("enum {values:?} value {value:?}")
}

fn union_key(union: &realtime_harness::shape::UnionShape, tag: &str) -> String {
    format!("{} with {} {tag:?}", union.name, union.tag)
}

fn one_of_key(shapes: &[Shape], index: usize) -> String {
    format!("branch {index} of {:.160}", format!("{shapes:?}"))
}

impl Walk {
    fn frame(shape: &Shape, value: &Value) -> Walk {
        let mut walk = Walk::default();
        walk.visit(shape, value);
        walk
    }

    fn visit(&mut self, shape: &Shape, value: &Value) {
        match shape {
            Shape::Object(object) => {
                let Value::Object(members) = value else {
                    return;
                };
                for (key, member_value) in members {
                    let Some(member) = object.members.iter().find(|m| m.name == key) else {
                        continue;
                    };
                    let (path_len, pointer_len) = (self.path.len(), self.pointer.len());
                    self.path.push('.');
                    self.path.push_str(key);
                    push_token(&mut self.pointer, key);
                    if member_value.is_null() {
                        match NULLABLE.iter().find(|suffix| self.path.ends_with(*suffix)) {
                            Some(suffix) => {
                                self.nulls_kept.insert(suffix);
                            }
                            None => {
                                self.drops.insert(self.pointer.clone());
                            }
                        }
                    } else {
                        self.visit(&member.shape, member_value);
                    }
                    self.path.truncate(path_len);
                    self.pointer.truncate(pointer_len);
                }
            }
            Shape::Union(union) => {
                let Value::Object(members) = value else {
                    return;
                };
                let tag = match members.get(union.tag) {
                    Some(Value::String(tag)) => tag.as_str(),
                    None => match union.absent {
                        Some(tag) => {
                            self.used
                                .insert(format!("{} without {}", union.name, union.tag));
                            tag
                        }
                        None => return,
                    },
                    Some(_) => return,
                };
                let Some((_, variant)) = union.variants.iter().find(|(v, _)| *v == tag) else {
                    return;
                };
                self.used.insert(union_key(union, tag));
                let len = self.path.len();
                self.path.push_str(&format!("[{}={}]", union.tag, tag));
                self.visit(variant, value);
                self.path.truncate(len);
            }
            Shape::OneOf(shapes) => {
                if let Some(index) = shapes.iter().position(|s| fits(s, value)) {
                    self.used.insert(one_of_key(shapes, index));
                    self.visit(&shapes[index], value);
                }
            }
            Shape::Enum(values) => {
                if let Value::String(v) = value {
                    self.used.insert(enum_key(values, v));
                }
            }
            Shape::Array(inner) => {
                let Value::Array(items) = value else { return };
                for (i, item) in items.iter().enumerate() {
                    let (path_len, pointer_len) = (self.path.len(), self.pointer.len());
                    self.path.push_str("[]");
                    push_token(&mut self.pointer, &i.to_string());
                    self.visit(inner, item);
                    self.path.truncate(path_len);
                    self.pointer.truncate(pointer_len);
                }
            }
            Shape::Map(inner) => {
                let Value::Object(entries) = value else {
                    return;
                };
                for (key, entry) in entries {
                    let (path_len, pointer_len) = (self.path.len(), self.pointer.len());
                    self.path.push_str("{}");
                    push_token(&mut self.pointer, key);
                    self.visit(inner, entry);
                    self.path.truncate(path_len);
                    self.pointer.truncate(pointer_len);
                }
            }
            _ => {}
        }
    }
}

/// Every coverage key of the model: each enum value, union branch (and
/// tag-less default branch) and one-of branch its shape declares.
fn every_coverage_key() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    shape::client_event().walk(&mut |_, shape| match shape {
        Shape::Enum(values) => keys.extend(values.iter().map(|v| enum_key(values, v))),
        Shape::Union(union) => {
            keys.extend(union.variants.iter().map(|(tag, _)| union_key(union, tag)));
            if union.absent.is_some() {
                keys.insert(format!("{} without {}", union.name, union.tag));
            }
        }
        Shape::OneOf(shapes) => keys.extend((0..shapes.len()).map(|i| one_of_key(shapes, i))),
        _ => {}
    });
    keys
}

/// The event type a corpus file name claims: everything before the first `-`.
fn named_type(name: &str) -> &str {
    name.split_once('-').map_or(name, |(t, _)| t)
}

#[test]
fn valid_frames_parse_and_round_trip() {
    let frames = valid_frames();
    let event_shape = shape::client_event();
    let mut failures = Vec::new();
    let mut seen_types = BTreeSet::new();
    let mut nulls_dropped = 0;
    let mut nulls_kept = 0;
    let mut nullable_kept = BTreeSet::new();
    let mut used = BTreeSet::new();
    for frame in &frames {
        let event = match ClientEvent::from_slice(&frame.bytes) {
            Ok(event) => event,
            Err(e) => {
                failures.push(format!("{}: does not parse: {e}", frame.name));
                continue;
            }
        };
        if event.wire_type() != named_type(&frame.name) {
            failures.push(format!(
                "{}: parsed as `{}`, but the file name says `{}`",
                frame.name,
                event.wire_type(),
                named_type(&frame.name)
            ));
        }
        match event.to_event_type() {
            Some(t) => {
                seen_types.insert(t);
            }
            None if event.event_type() != "unknown" => {
                failures.push(format!("{}: no GA type but not `unknown`", frame.name));
            }
            None => {}
        }
        let again = serde_json::to_value(&event).unwrap();
        let mut dropped = BTreeSet::new();
        for change in changes(&frame.value, &again) {
            if change.kind == ChangeKind::NullDropped {
                dropped.insert(change.pointer);
            } else {
                failures.push(format!(
                    "{}: round trip changed {}: {:?}",
                    frame.name, change.pointer, change.kind
                ));
            }
        }
        let walk = Walk::frame(&event_shape, &frame.value);
        let expected = &walk.drops;
        nullable_kept.extend(walk.nulls_kept.iter().copied());
        used.extend(walk.used);
        for pointer in dropped.difference(expected) {
            failures.push(format!(
                "{}: the null at {pointer} was dropped, but the spec makes it meaningful",
                frame.name
            ));
        }
        for pointer in expected.difference(&dropped) {
            failures.push(format!(
                "{}: the null at {pointer} was kept, but the member is not nullable",
                frame.name
            ));
        }
        nulls_dropped += dropped.len();
        nulls_kept += count_nulls(&frame.value) - dropped.len();
        // The bytes the model writes parse back to the same event.
        let reparsed = ClientEvent::from_slice(&event.to_vec());
        if reparsed.as_ref() != Ok(&event) {
            failures.push(format!(
                "{}: re-serialized frame parses differently",
                frame.name
            ));
        }
    }
    assert_corpus("corpus/valid", &failures, frames.len(), MIN_VALID);
    let missing: Vec<&str> = RealtimeClientEvent::ALL
        .iter()
        .filter(|t| !seen_types.contains(t))
        .map(|t| t.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "no frame in corpus/valid for {missing:?}"
    );
    // The corpus exercises both sides of the null rule, and the keep side
    // for every nullable member.
    assert!(nulls_dropped > 0 && nulls_kept > 0);
    let never_null: Vec<&&str> = NULLABLE
        .iter()
        .filter(|s| !nullable_kept.contains(*s))
        .collect();
    assert!(
        never_null.is_empty(),
        "no frame in corpus/valid sends null on {never_null:?}"
    );
    let unused: Vec<String> = every_coverage_key().difference(&used).cloned().collect();
    assert!(
        unused.is_empty(),
        "corpus/valid never uses {} enum value(s) or branch(es) of the model:\n{}",
        unused.len(),
        unused.join("\n")
    );
    eprintln!(
        "corpus/valid: {} frames, all {} GA event types, all {} enum values and branches of \
         the model; {nulls_dropped} explicit nulls dropped (not nullable), {nulls_kept} kept",
        frames.len(),
        RealtimeClientEvent::ALL.len(),
        used.len()
    );
}

fn count_nulls(value: &Value) -> usize {
    match value {
        Value::Null => 1,
        Value::Array(items) => items.iter().map(count_nulls).sum(),
        Value::Object(members) => members.values().map(count_nulls).sum(),
        _ => 0,
    }
}

/// The same value with every object's `type` member moved first (`last ==
/// false`) or last, at every depth.
fn move_type(value: &Value, last: bool) -> Value {
    match value {
        Value::Object(members) => {
            let mut out = Map::new();
            let tag = members.get("type").map(|t| move_type(t, last));
            if let (Some(tag), false) = (&tag, last) {
                out.insert("type".to_owned(), tag.clone());
            }
            for (key, member) in members {
                if key != "type" {
                    out.insert(key.clone(), move_type(member, last));
                }
            }
            if let (Some(tag), true) = (tag, last) {
                out.insert("type".to_owned(), tag);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| move_type(v, last)).collect()),
        other => other.clone(),
    }
}

/// Whether some object in the value has `type` after another member.
fn has_late_type(value: &Value) -> bool {
    match value {
        Value::Object(members) => {
            members
                .keys()
                .position(|k| k == "type")
                .is_some_and(|i| i > 0)
                || members.values().any(has_late_type)
        }
        Value::Array(items) => items.iter().any(has_late_type),
        _ => false,
    }
}

#[test]
fn type_position_does_not_change_the_parse() {
    let frames = valid_frames();
    let mut late = 0;
    let mut failures = Vec::new();
    for frame in &frames {
        late += usize::from(has_late_type(&frame.value));
        let Ok(event) = ClientEvent::from_slice(&frame.bytes) else {
            continue; // reported by valid_frames_parse_and_round_trip
        };
        for last in [false, true] {
            let moved = serde_json::to_vec_pretty(&move_type(&frame.value, last)).unwrap();
            match ClientEvent::from_slice(&moved) {
                Ok(other) if other == event => {}
                Ok(other) => failures.push(format!(
                    "{} (type {}): parses to a different event: {other:?}",
                    frame.name,
                    if last { "last" } else { "first" }
                )),
                Err(e) => failures.push(format!(
                    "{} (type {}): {e}",
                    frame.name,
                    if last { "last" } else { "first" }
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        late >= 10,
        "only {late} frames in corpus/valid put `type` after another member"
    );
}

/// Every member the model reads as nullable is in [`NULLABLE`], and every
/// entry of [`NULLABLE`] names at least one member the model reads as
/// nullable.
#[test]
fn nullable_list_matches_the_model() {
    let mut model_nullable = Vec::new();
    let mut model_plain = Vec::new();
    shape::client_event().walk(&mut |path, shape| {
        let Shape::Object(object) = shape else { return };
        let mut at = String::new();
        for segment in path {
            if !segment.starts_with('[') && !segment.starts_with('{') {
                at.push('.');
            }
            at.push_str(segment);
        }
        for member in &object.members {
            let member_path = format!("{at}.{}", member.name);
            if member.nullable {
                model_nullable.push(member_path);
            } else {
                model_plain.push(member_path);
            }
        }
    });
    let unlisted: Vec<&String> = model_nullable.iter().filter(|p| !is_nullable(p)).collect();
    assert!(
        unlisted.is_empty(),
        "the model keeps null on members this test does not list: {unlisted:#?}"
    );
    let wrongly_listed: Vec<&String> = model_plain.iter().filter(|p| is_nullable(p)).collect();
    assert!(
        wrongly_listed.is_empty(),
        "the model drops null on members this test lists as nullable: {wrongly_listed:#?}"
    );
    for suffix in NULLABLE {
        assert!(
            model_nullable.iter().any(|p| p.ends_with(suffix)),
            "NULLABLE entry {suffix} matches no member of the model"
        );
    }
}

#[test]
fn invalid_frames_fail_with_their_expected_message() {
    let dir = corpus_dir("invalid");
    let inputs = files(&dir, &["json", "txt"]);
    let mut failures = Vec::new();
    for path in &inputs {
        let name = file_name(path);
        let bytes = fs::read(path).unwrap();
        let actual = match ClientEvent::from_slice(&bytes) {
            Ok(event) => {
                failures.push(format!("{name}: parsed, but must fail: {event:?}"));
                continue;
            }
            Err(e) => e.to_string(),
        };
        let expected_path = path.with_extension("expected");
        match fs::read_to_string(&expected_path) {
            Ok(expected) if expected.trim_end_matches('\n') == actual => {}
            Ok(expected) => failures.push(format!(
                "{name}:\n  expected: {}\n  actual:   {actual}",
                expected.trim_end()
            )),
            Err(_) => failures.push(format!(
                "{name}: no .expected file; the error is:\n{actual}"
            )),
        }
    }
    for expected in files(&dir, &["expected"]) {
        if !["json", "txt"]
            .iter()
            .any(|e| expected.with_extension(e).exists())
        {
            failures.push(format!("{}: no frame beside it", file_name(&expected)));
        }
    }
    assert_corpus("corpus/invalid", &failures, inputs.len(), MIN_INVALID);
    eprintln!("corpus/invalid: {} frames fail as expected", inputs.len());
}

/// Crash regressions found by fuzzing: each must parse or fail without a
/// panic, and fail with its `.expected` text when it has one.
#[test]
fn regressions_do_not_panic() {
    let dir = corpus_dir("regressions");
    let inputs = files(&dir, &["json", "bin"]);
    if inputs.is_empty() {
        eprintln!(
            "corpus/regressions: no regression files in {} (none found by fuzzing yet)",
            dir.display()
        );
        return;
    }
    let mut failures = Vec::new();
    for path in &inputs {
        let name = file_name(path);
        let bytes = fs::read(path).unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            ClientEvent::from_slice(&bytes).map(|event| {
                // A frame that parses must also serialize and parse back.
                let again = ClientEvent::from_slice(&event.to_vec());
                (event, again)
            })
        }));
        let result = match outcome {
            Ok(result) => result,
            Err(_) => {
                failures.push(format!("{name}: panicked"));
                continue;
            }
        };
        if let Ok((event, again)) = &result {
            if again.as_ref() != Ok(event) {
                failures.push(format!(
                    "{name}: parses, but its re-serialization does not parse back the same"
                ));
            }
        }
        if let Ok(expected) = fs::read_to_string(path.with_extension("expected")) {
            let expected = expected.trim_end_matches('\n');
            match &result {
                Err(e) if e.to_string() == expected => {}
                Err(e) => {
                    failures.push(format!("{name}:\n  expected: {expected}\n  actual:   {e}"))
                }
                Ok(_) => failures.push(format!("{name}: parsed, but must fail with: {expected}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "corpus/regressions: {} files replayed without a panic",
        inputs.len()
    );
}

/// The frames of `corpus/valid` are spec-valid: the GA ones satisfy the
/// official `RealtimeClientEvent` union (with the oracle's defect fixes),
/// judged after the documented normalization (explicit `null`s on members
/// that are not nullable removed, which `valid_frames_parse_and_round_trip`
/// proves is all the round trip changes); the beta-era
/// `transcription_session.update` satisfies its own legacy schema.
#[cfg(feature = "schema")]
#[test]
fn valid_frames_satisfy_the_official_schema() {
    use realtime_harness::schema::SchemaOracle;

    let oracle = SchemaOracle::shared().unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let (mut ga, mut legacy) = (0, 0);
    for frame in valid_frames() {
        let Ok(event) = ClientEvent::from_slice(&frame.bytes) else {
            continue; // reported by valid_frames_parse_and_round_trip
        };
        let normalized = serde_json::to_value(&event).unwrap();
        if event.to_event_type().is_some() {
            ga += 1;
            if let Err(violations) = oracle.validate_ga(&normalized) {
                for v in violations {
                    failures.push(format!("{}: {v}", frame.name));
                }
            }
        } else {
            legacy += 1;
            if oracle.is_valid_ga(&normalized) {
                failures.push(format!(
                    "{}: a catch-all frame the GA union accepts",
                    frame.name
                ));
            }
            let schema = oracle
                .event_schemas()
                .find(|s| s.event_type.as_deref() == Some(event.wire_type()))
                .map(|s| s.name.clone());
            match schema.and_then(|s| oracle.validate_schema(&s, &normalized)) {
                Some(Ok(())) => {}
                Some(Err(violations)) => {
                    for v in violations {
                        failures.push(format!("{}: {v}", frame.name));
                    }
                }
                None => failures.push(format!(
                    "{}: the document has no schema for `{}`",
                    frame.name,
                    event.wire_type()
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} schema violation(s) in corpus/valid:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "corpus/valid: {ga} GA frames satisfy RealtimeClientEvent, {legacy} catch-all frames \
         satisfy their legacy schema"
    );
}

/// Invalid frames that are JSON but that the official schema accepts: the
/// model is stricter than the schema on purpose here, and says why.
#[cfg(feature = "schema")]
const SCHEMA_ACCEPTS: &[(&str, &str)] = &[
    (
        "content-index-above-i64-max.json",
        "the schema puts no bound on integers; the model stores them as i64",
    ),
    // JSON Schema judges the parsed value, in which a duplicate key has
    // already collapsed to its last occurrence; a proxy must not pick one.
    (
        "duplicate-nested-key.json",
        "duplicate keys are invisible to JSON Schema",
    ),
    (
        "duplicate-top-level-key.json",
        "duplicate keys are invisible to JSON Schema",
    ),
    (
        "duplicate-type.json",
        "duplicate keys are invisible to JSON Schema",
    ),
];

/// The model's rejections agree with the official schema: every frame of
/// `corpus/invalid/` that is well-formed JSON is rejected by the GA union
/// too, except the few listed in [`SCHEMA_ACCEPTS`].
#[cfg(feature = "schema")]
#[test]
fn invalid_frames_are_rejected_by_the_official_schema() {
    use realtime_harness::schema::SchemaOracle;

    let oracle = SchemaOracle::shared().unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut judged = 0;
    for path in files(&corpus_dir("invalid"), &["json"]) {
        let name = file_name(&path);
        let Ok(value) = serde_json::from_slice::<Value>(&fs::read(&path).unwrap()) else {
            continue; // not JSON (recursion limit): nothing for the schema to judge
        };
        judged += 1;
        let listed = SCHEMA_ACCEPTS.iter().any(|(n, _)| *n == name);
        match (oracle.is_valid_ga(&value), listed) {
            (false, false) | (true, true) => {}
            (true, false) => failures.push(format!(
                "{name}: the official schema accepts it; list it in SCHEMA_ACCEPTS with the reason"
            )),
            (false, true) => failures.push(format!(
                "{name}: listed in SCHEMA_ACCEPTS, but the official schema rejects it"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("corpus/invalid: the official schema agrees on {judged} JSON frames");
}

/// A corpus folder replayed without `failures` and holding at least `min`
/// frames.
fn assert_corpus(dir: &str, failures: &[String], frames: usize, min: usize) {
    assert!(
        failures.is_empty(),
        "{} problem(s) in {dir}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        frames >= min,
        "{dir} holds {frames} frames, fewer than {min}"
    );
}
