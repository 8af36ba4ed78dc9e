//! End to end: `check` and `gen` in both directions: the direction told by
//! each frame's `type`, `--direction` forcing one, per-direction reports, the
//! server corpus, and generated server frames piped into `check`.

#![cfg(feature = "cli")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn harness() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_realtime-harness"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

fn run(args: &[&str]) -> Output {
    harness().args(args).output().expect("the binary runs")
}

fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = harness()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
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
    let frames = gen(&[
        "--direction",
        "both",
        "--count",
        "300",
        "--seed",
        "4",
        "--plain",
    ]);
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
    assert_eq!(
        gen(&[
            "--direction",
            "both",
            "--count",
            "300",
            "--seed",
            "4",
            "--plain"
        ]),
        frames,
        "the same seed gives the same bytes"
    );
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
    let row = |name: &str| -> Vec<String> {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row {name}: {stdout}"));
        line.split_whitespace().skip(1).map(str::to_owned).collect()
    };
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
