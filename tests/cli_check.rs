//! End to end: `realtime-harness check` on the corpus, on bad input, on
//! oversized frames; exit codes and the JSON output; both directions: the
//! direction told by each frame's `type`, `--direction`, per-direction
//! reports, the server corpus, and generated server frames piped in.

#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod cli_support;
use cli_support::{harness, json_document, run, run_with_stdin};

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// The counts of the summary table's row `name` (an event type, a direction, `total`).
fn summary_row(stdout: &str, name: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no row {name}: {stdout}"));
    line.split_whitespace().skip(1).map(str::to_owned).collect()
}

/// A scratch directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rh-cli-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.display().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn the_valid_corpus_conforms() {
    let out = run(&["check", "corpus/valid"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(stdout.contains("every frame conforms"), "{stdout}");
    let frames = json_files(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/valid"
    )))
    .len();
    let total = stdout
        .lines()
        .find(|l| l.starts_with("total "))
        .expect("a total row");
    let counts: Vec<&str> = total.split_whitespace().collect();
    assert_eq!(counts[1], frames.to_string(), "{total}");
    assert_eq!(counts[4], "0", "no failing frame: {total}");
}

#[test]
fn the_invalid_corpus_reports_every_frame_with_its_reason() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/invalid"));
    let out = run(&["check", "corpus/invalid"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for path in json_files(dir) {
        let name = format!(
            "corpus/invalid/{}",
            Path::new(&path).file_name().unwrap().to_string_lossy()
        );
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name}:")))
            .unwrap_or_else(|| panic!("{name} not reported:\n{stdout}"));
        // `file:line:column: type: parse error: path: expectation`, or a finding.
        assert!(
            line.contains("parse error: ") || line.contains("error["),
            "{line}"
        );
        // The reason is the model's own message, as in the `.expected` file.
        let expected = dir.join(
            Path::new(&path)
                .with_extension("expected")
                .file_name()
                .unwrap(),
        );
        if let Ok(expected) = std::fs::read_to_string(&expected) {
            let message = expected
                .trim()
                .rsplit_once(" at line ")
                .map_or(expected.trim(), |(m, _)| m);
            assert!(
                line.contains(message),
                "{line}\nexpected to contain: {message}"
            );
        }
    }
    assert!(stdout.contains("do not conform"), "{stdout}");
}

#[test]
fn json_output_is_one_parseable_document() {
    let out = run(&[
        "check",
        "--format",
        "json",
        "corpus/valid",
        "corpus/invalid",
    ]);
    let doc = json_document(&out, 1);
    let frames = doc["frames"].as_array().unwrap();
    let valid = json_files(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/valid"
    )))
    .len();
    let invalid = json_files(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/invalid"
    )))
    .len();
    assert_eq!(frames.len(), valid + invalid);
    assert_eq!(doc["summary"]["total"]["frames"], (valid + invalid) as u64);
    assert_eq!(doc["summary"]["total"]["failing"], invalid as u64);
    assert_eq!(doc["conforms"], false);
    let bad = frames
        .iter()
        .find(|f| f["source"] == "corpus/invalid/approve-string.json")
        .unwrap();
    assert_eq!(bad["outcome"], "parse-error");
    assert_eq!(bad["error"]["path"], "item.approve");
    assert_eq!(bad["error"]["line"], 7);
    assert_eq!(bad["error"]["column"], 20);
    // Skipped non-frame files (README, .expected, .txt) are counted, not read.
    assert!(doc["skipped_files"].as_u64().unwrap() > 0);
}

#[test]
fn findings_carry_rule_pointer_and_schema_in_json() {
    let frames = concat!(
        r#"{"type": "input_audio_buffer.append", "audio": "not base64!"}"#,
        "\n",
        r#"{"type": "input_audio_buffer.clear", "event_id": null}"#,
        "\n"
    );
    let out = run_with_stdin(&["check", "--format", "json", "-"], frames.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &doc["frames"][0];
    assert_eq!(first["source"], "<stdin>");
    assert_eq!(first["outcome"], "invalid");
    assert_eq!(first["findings"][0]["rule"], "audio-base64");
    assert_eq!(first["findings"][0]["pointer"], "/audio");
    assert_eq!(first["findings"][0]["severity"], "error");
    assert_eq!(
        first["findings"][0]["schema"],
        "RealtimeClientEventInputAudioBufferAppend"
    );
    let second = &doc["frames"][1];
    assert_eq!(second["line"], 2);
    assert_eq!(second["outcome"], "warnings");
    assert_eq!(second["conforms"], true);
    assert_eq!(second["findings"][0]["rule"], "null-member");
}

#[test]
fn warnings_alone_exit_0() {
    let out = run_with_stdin(
        &["check", "-"],
        b"{\"type\": \"input_audio_buffer.commit\", \"event_id\": null, \"x\": 1}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("<stdin>:1: input_audio_buffer.commit: warning[null-member] /event_id"));
    assert!(stdout.contains("warning[unknown-member] /x"));
    // `--quiet` keeps errors only.
    let out = run_with_stdin(
        &["check", "-q", "-"],
        b"{\"type\": \"input_audio_buffer.commit\", \"event_id\": null}\n",
    );
    assert!(!text(&out.stdout).contains("warning["));
}

#[test]
fn bad_lines_are_reported_by_line_and_the_rest_is_checked() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"type\": \"input_audio_buffer.clear\"}\n");
    input.extend_from_slice(b"{\"type\": \"response.cancel\", \"response_id\": \"\xff\"}\n");
    input.extend_from_slice(b"not json at all\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"type\": \"conversation.item.delete\"}\r\n");
    input.extend_from_slice(b"{\"type\": \"nonsense.event\"}\n");
    input.extend_from_slice(b"{\"type\": \"input_audio_buffer.commit\"}");
    let out = run_with_stdin(&["check", "-v", "-"], &input);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "<stdin>:1: input_audio_buffer.clear: ok");
    assert_eq!(
        lines[1],
        "<stdin>:2:45: (no type): not UTF-8: invalid UTF-8 at byte 44"
    );
    assert!(
        lines[2].starts_with("<stdin>:3:2: (no type): parse error: expected ident"),
        "{}",
        lines[2]
    );
    // Line 4 is blank: skipped, not a frame.
    assert!(
        lines[3].starts_with(
            "<stdin>:5:36: conversation.item.delete: parse error: missing field `item_id`"
        ),
        "{}",
        lines[3]
    );
    assert_eq!(
        lines[4],
        "<stdin>:6: nonsense.event: error[unknown-event-type] /type: `nonsense.event` is not a GA \
         client event type (RealtimeClientEvent)"
    );
    assert_eq!(lines[5], "<stdin>:7: input_audio_buffer.commit: ok");
    assert!(stdout.contains("4 frames do not conform"), "{stdout}");
}

#[test]
fn an_oversized_line_is_rejected_unparsed_and_reading_goes_on() {
    let dir = scratch("oversized");
    let path = dir.join("capture.jsonl");
    let big = format!(
        "{{\"type\": \"input_audio_buffer.append\", \"audio\": \"{}\"}}\n",
        "A".repeat(4000)
    );
    let small = "{\"type\": \"input_audio_buffer.commit\"}\n";
    std::fs::write(&path, format!("{small}{big}{small}")).unwrap();
    let path = path.display().to_string();
    let out = run(&["check", "--max-frame-bytes", "1000", "-v", &path]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(&format!("{path}:1: input_audio_buffer.commit: ok")));
    assert!(
        stdout.contains(&format!(
            "{path}:2: (no type): oversized frame: {} bytes, more than --max-frame-bytes 1000; not parsed",
            big.len() - 1
        )),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("{path}:3: input_audio_buffer.commit: ok")));

    // A `.json` file over the limit is not read at all.
    let one = dir.join("one.json");
    std::fs::write(&one, &big).unwrap();
    let out = run(&[
        "check",
        "--max-frame-bytes",
        "1000",
        &one.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("oversized frame"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_default_limit_admits_the_largest_frame_the_spec_allows() {
    // 15 MiB of audio: 20 MiB of base64 on one line.
    let gen = harness()
        .args([
            "gen",
            "--count",
            "1",
            "--type",
            "input_audio_buffer.append",
            "--audio-bytes",
            "15728640",
        ])
        .output()
        .unwrap();
    assert_eq!(gen.status.code(), Some(0));
    assert!(gen.stdout.len() > 20 * 1024 * 1024);
    let out = run_with_stdin(&["check", "-"], &gen.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["check", "--format", "xml", "corpus/valid"],
        vec!["check", "--max-frame-bytes", "lots", "corpus/valid"],
        vec!["gen", "--type", "session.create"],
        vec!["gen", "--audio-bytes", "9..3"],
        vec!["frobnicate"],
        vec![],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).is_empty(), "{args:?}");
    }
    let out = run(&["gen", "--type", "session.create"]);
    assert!(text(&out.stderr).contains("not a GA client event type"));
}

#[test]
fn unreadable_inputs_are_one_line_errors_and_the_rest_is_checked() {
    let dir = scratch("inputs");
    let empty_dir = dir.join("no-frames");
    std::fs::create_dir_all(&empty_dir).unwrap();
    std::fs::write(empty_dir.join("README.md"), "no frames here\n").unwrap();
    let missing = dir.join("missing.json").display().to_string();
    let empty = empty_dir.display().to_string();
    let out = run(&["check", &missing, &empty, "corpus/valid"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let errors: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        errors,
        [
            format!("realtime-harness: error: {missing}: no such file or directory"),
            format!(
                "realtime-harness: error: {empty}: directory holds no .json, .jsonl or .ndjson files"
            ),
        ]
    );
    // The readable input was still checked.
    let stdout = text(&out.stdout);
    assert!(stdout.contains("total "), "{stdout}");
    assert!(stdout.contains("2 inputs could not be read"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_pretty_printed_json_file_reports_positions_in_the_file() {
    let dir = scratch("pretty");
    let path = dir.join("frame.json");
    std::fs::write(
        &path,
        "{\n  \"type\": \"conversation.item.truncate\",\n  \"item_id\": \"item_1\",\n  \"content_index\": \"0\",\n  \"audio_end_ms\": 10\n}\n",
    )
    .unwrap();
    let path = path.display().to_string();
    let out = run(&["check", &path]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "{path}:4:22: conversation.item.truncate: parse error: content_index: invalid type: string \"0\", expected i64"
        )),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_rule_is_listed_once() {
    let out = run(&["check", "--list-rules"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let rules = realtime_harness::check::Rule::ALL;
    assert_eq!(stdout.lines().count(), rules.len());
    for rule in rules {
        assert_eq!(
            stdout
                .lines()
                .filter(|l| l.split_whitespace().next() == Some(rule.id()))
                .count(),
            1,
            "{}",
            rule.id()
        );
    }
}

#[test]
fn reading_no_frame_is_no_pass() {
    for input in [&b""[..], b"\n\n  \n"] {
        let out = run_with_stdin(&["check", "-"], input);
        assert_eq!(out.status.code(), Some(2), "{:?}", text(&out.stdout));
        assert_eq!(out.stdout, b"", "no table, no verdict");
        assert_eq!(
            text(&out.stderr),
            "realtime-harness: error: no frame read from <stdin>: it is empty or holds only blank lines\n"
        );
        let out = run_with_stdin(&["check", "--format", "json", "-"], input);
        assert_eq!(out.status.code(), Some(2));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["conforms"], false);
        assert_eq!(doc["summary"]["total"]["frames"], 0);
    }
}

#[test]
fn when_no_input_can_be_read_each_gets_one_line_and_nothing_else_is_said() {
    let dir = scratch("unreadable");
    let missing = dir.join("missing.jsonl").display().to_string();
    let also = dir.join("also-missing.json").display().to_string();
    let out = run(&["check", &missing, &also]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        out.stdout,
        b"",
        "no empty summary, no verdict: {}",
        text(&out.stdout)
    );
    assert_eq!(
        text(&out.stderr).lines().collect::<Vec<_>>(),
        [
            format!("realtime-harness: error: {missing}: no such file or directory"),
            format!("realtime-harness: error: {also}: no such file or directory"),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_summary_counts_warned_frames_failing_or_not_and_says_frame_or_frames() {
    let out = run_with_stdin(
        &["check", "-"],
        b"{\"type\": \"input_audio_buffer.append\", \"audio\": \"x\", \"event_id\": null}\n\
          {\"type\": \"input_audio_buffer.commit\", \"event_id\": null}\n\
          {\"type\": \"input_audio_buffer.commit\"}\n",
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let row = |name: &str| summary_row(&stdout, name);
    // frames, conform, warned, fail: the failing append has a warning too.
    assert_eq!(row("input_audio_buffer.append"), ["1", "0", "1", "1"]);
    assert_eq!(row("input_audio_buffer.commit"), ["2", "2", "1", "0"]);
    assert_eq!(row("total"), ["3", "2", "2", "1"]);
    assert!(
        stdout.ends_with("\n1 frame does not conform (1 invalid)\n"),
        "{stdout}"
    );
}

#[test]
fn a_near_miss_event_type_gets_a_suggestion() {
    let out = run_with_stdin(&["check", "-"], b"{\"type\": \"response.creat\"}\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout).lines().next().unwrap(),
        "<stdin>:1: response.creat: error[unknown-event-type] /type: `response.creat` is not a GA \
         client event type; did you mean `response.create`? (RealtimeClientEvent)"
    );
}

#[test]
fn a_json_array_file_is_reported_at_its_bracket() {
    let dir = scratch("array");
    let path = dir.join("frames.json");
    std::fs::write(&path, "\n  [{\"type\": \"input_audio_buffer.clear\"}]\n").unwrap();
    let path = path.display().to_string();
    let out = run(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout).lines().next().unwrap(),
        format!(
            "{path}:2:3: (no type): parse error: invalid type: sequence, expected a client \
             event object"
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn json_output(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

/// The `.json` frames of a corpus folder, sorted, each as one JSON Lines line.
fn corpus_lines(dir: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let frame: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
            serde_json::to_vec(&frame).unwrap()
        })
        .collect()
}

fn gen(args: &[&str]) -> Vec<u8> {
    let out = harness().arg("gen").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out.stdout
}

#[test]
fn generated_server_frames_conform() {
    let frames = gen(&["--direction", "server", "--count", "2000", "--seed", "1"]);
    assert_eq!(
        frames
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count(),
        2000
    );
    let out = run_with_stdin(&["check", "--format", "json", "-"], &frames);
    let doc = json_output(&out);
    assert_eq!(out.status.code(), Some(0), "{}", doc["summary"]);
    assert_eq!(doc["summary"]["by_direction"]["server"]["frames"], 2000);
    assert_eq!(doc["summary"]["by_direction"]["server"]["conforming"], 2000);
    assert_eq!(doc["summary"]["by_direction"]["client"]["frames"], 0);
}

#[test]
fn both_directions_interleave_and_plain_server_frames_carry_no_unknown_member() {
    let both = [
        "--direction",
        "both",
        "--count",
        "300",
        "--seed",
        "4",
        "--plain",
    ];
    let frames = gen(&both);
    assert!(!text(&frames).contains("x-harness-"));
    let out = run_with_stdin(&["check", "--format", "json", "-"], &frames);
    let doc = json_output(&out);
    assert_eq!(out.status.code(), Some(0), "{}", doc["summary"]);
    let client = doc["summary"]["by_direction"]["client"]["frames"]
        .as_u64()
        .unwrap();
    let server = doc["summary"]["by_direction"]["server"]["frames"]
        .as_u64()
        .unwrap();
    assert_eq!(client + server, 300);
    assert!(
        client > 100 && server > 100,
        "{client} client, {server} server"
    );
    assert_eq!(gen(&both), frames, "the same seed gives the same bytes");
    let server_only = gen(&["--direction", "server", "--count", "300", "--seed", "4"]);
    assert!(
        text(&server_only).contains("x-harness-"),
        "without --plain unknown members appear"
    );
}

#[test]
fn the_default_direction_is_client_and_type_or_audio_need_it() {
    assert_eq!(
        gen(&["--count", "20", "--seed", "9"]),
        gen(&["--count", "20", "--seed", "9", "--direction", "client"])
    );
    let out = run(&["gen", "--direction", "server", "--type", "session.update"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--direction client"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_mixed_capture_is_reported_per_direction() {
    let client = corpus_lines("corpus/valid");
    let server = corpus_lines("corpus/server/valid");
    let mut capture = Vec::new();
    for line in client.iter().zip(&server).flat_map(|(c, s)| [c, s]) {
        capture.extend_from_slice(line);
        capture.push(b'\n');
    }
    let pairs = client.len().min(server.len()) as u64;

    let out = run_with_stdin(&["check", "--format", "json", "-"], &capture);
    let doc = json_output(&out);
    assert_eq!(out.status.code(), Some(0), "{}", doc["summary"]);
    let summary = &doc["summary"];
    assert_eq!(summary["total"]["frames"], 2 * pairs);
    for family in ["client", "server"] {
        assert_eq!(summary["by_direction"][family]["frames"], pairs, "{family}");
        assert_eq!(summary["by_direction"][family]["failing"], 0, "{family}");
    }
    let directions: Vec<&str> = doc["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["direction"].as_str().unwrap())
        .collect();
    assert_eq!(&directions[..4], ["client", "server", "client", "server"]);

    let out = run_with_stdin(&["check", "-"], &capture);
    let stdout = text(&out.stdout);
    let row = |name: &str| summary_row(&stdout, name);
    let all = pairs.to_string();
    assert_eq!(row("client")[..2], [all.clone(), all.clone()]);
    assert_eq!(row("server")[..2], [all.clone(), all]);
}

#[test]
fn a_client_frame_forced_to_server_fails_naming_its_direction() {
    let frame = b"{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\"}}\n";
    let out = run_with_stdin(&["check", "-"], frame);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    let out = run_with_stdin(&["check", "--direction", "server", "-"], frame);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout).lines().next().unwrap(),
        "<stdin>:1: server session.update: error[unknown-server-event-type] /type: \
         `session.update` is not a GA server event type; it is a GA client event type, and \
         the frame was judged as a server event (RealtimeServerEvent)"
    );
    let out = run_with_stdin(
        &["check", "--direction", "client", "-"],
        b"{\"type\": \"response.done\"}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout)
            .contains("it is a GA server event type, and the frame was judged as a client event"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn the_server_corpus_conforms_and_its_invalid_frames_all_fail() {
    let out = run(&["check", "--format", "json", "corpus/server/valid"]);
    let doc = json_output(&out);
    assert_eq!(out.status.code(), Some(0), "{}", doc["summary"]);
    let frames = corpus_lines("corpus/server/valid").len() as u64;
    assert_eq!(doc["summary"]["by_direction"]["server"]["frames"], frames);

    let out = run(&["check", "--format", "json", "corpus/server/invalid"]);
    let doc = json_output(&out);
    assert_eq!(out.status.code(), Some(1));
    let records = doc["frames"].as_array().unwrap();
    assert_eq!(records.len(), corpus_lines("corpus/server/invalid").len());
    for record in records {
        assert_eq!(record["conforms"], false, "{record}");
    }
    assert_eq!(
        doc["summary"]["total"]["failing"].as_u64(),
        Some(records.len() as u64)
    );
}

#[test]
fn the_rule_list_names_each_rule_direction() {
    let out = run(&["check", "--list-rules"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    for rule in realtime_harness::check::Rule::ALL {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(rule.id()))
            .unwrap_or_else(|| panic!("{} not listed", rule.id()));
        let columns: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(columns[2], rule.direction().as_str(), "{line}");
    }
}
