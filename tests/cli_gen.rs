//! End to end: `realtime-harness gen`, alone and piped into `check`.

#![cfg(feature = "cli")]

use std::process::Stdio;

use base64::Engine as _;
use serde_json::Value;

mod cli_support;
use cli_support::{harness, run_with_stdin, spawn};

fn gen(args: &[&str]) -> Vec<u8> {
    let out = harness().arg("gen").args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn frames(output: &[u8]) -> Vec<Value> {
    output
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("each line is one JSON frame"))
        .collect()
}

#[test]
fn ten_thousand_generated_frames_conform() {
    let mut gen = harness()
        .args(["gen", "--count", "10000", "--seed", "1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let check = harness()
        .args(["check", "-q", "-"])
        .stdin(gen.stdout.take().unwrap())
        .output()
        .unwrap();
    let gen_status = gen.wait().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(gen_status.code(), Some(0));
    assert_eq!(check.status.code(), Some(0), "{stdout}");
    let total = stdout.lines().find(|l| l.starts_with("total ")).unwrap();
    let counts: Vec<&str> = total.split_whitespace().collect();
    assert_eq!(counts[1..3], ["10000", "10000"], "{total}");
    // Every GA event type is generated.
    for ty in realtime_harness::RealtimeClientEvent::WIRE_NAMES {
        assert!(
            stdout.lines().any(|l| l.starts_with(&format!("{ty} "))),
            "{ty} missing:\n{stdout}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let a = gen(&["--count", "300", "--seed", "1"]);
    let b = gen(&["--count", "300", "--seed", "1"]);
    let c = gen(&["--count", "300", "--seed", "2"]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(frames(&a).len(), 300);
    // A longer run starts with the shorter one.
    let longer = gen(&["--count", "301", "--seed", "1"]);
    assert!(longer.starts_with(&a));
}

#[test]
fn types_can_be_restricted() {
    let out = gen(&[
        "--count",
        "60",
        "--seed",
        "5",
        "--type",
        "response.cancel",
        "--type",
        "conversation.item.truncate",
    ]);
    let frames = frames(&out);
    assert_eq!(frames.len(), 60);
    let mut seen = std::collections::BTreeSet::new();
    for frame in &frames {
        let ty = frame["type"].as_str().unwrap();
        assert!(
            ty == "response.cancel" || ty == "conversation.item.truncate",
            "{ty}"
        );
        seen.insert(ty.to_owned());
    }
    assert_eq!(seen.len(), 2);
}

#[test]
fn audio_payloads_have_the_requested_sizes() {
    let out = gen(&[
        "--count",
        "20",
        "--type",
        "input_audio_buffer.append",
        "--audio-bytes",
        "1000..1003",
    ]);
    for frame in frames(&out) {
        let audio = frame["audio"].as_str().unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(audio)
            .unwrap();
        assert!((1000..1003).contains(&bytes.len()), "{}", bytes.len());
    }
}

#[test]
fn a_closed_pipe_ends_gen_quietly() {
    let mut gen = spawn(&["gen", "--count", "100000"], Stdio::null());
    let mut stdout = gen.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = gen.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every string at an id member outside free-form JSON, with its member name.
fn ids(value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(members) => {
            for (name, child) in members {
                if ["parameters", "input_schema", "metadata", "annotations"]
                    .contains(&name.as_str())
                {
                    continue;
                }
                let is_id = name == "id"
                    || (name.ends_with("_id")
                        && !["connector_id", "tunnel_id", "group_id"].contains(&name.as_str()));
                match child {
                    Value::String(id) if is_id => out.push((name.clone(), id.clone())),
                    _ => ids(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| ids(item, out)),
        _ => {}
    }
}

fn unknown_members(value: &Value) -> usize {
    match value {
        Value::Object(members) => members
            .iter()
            .map(|(k, v)| usize::from(k.starts_with("x-harness-")) + unknown_members(v))
            .sum(),
        Value::Array(items) => items.iter().map(unknown_members).sum(),
        _ => 0,
    }
}

#[test]
fn plain_frames_have_no_unknown_members_and_realistic_ids() {
    let default = frames(&gen(&["--count", "2000", "--seed", "5"]));
    let plain_bytes = gen(&["--plain", "--count", "2000", "--seed", "5"]);
    assert_eq!(
        plain_bytes,
        gen(&["--plain", "--count", "2000", "--seed", "5"])
    );
    let plain = frames(&plain_bytes);
    // What the default adds, and --plain leaves out.
    assert!(default.iter().map(unknown_members).sum::<usize>() > 100);
    let mut default_ids = Vec::new();
    default.iter().for_each(|f| ids(f, &mut default_ids));
    assert!(default_ids.iter().any(|(_, id)| id.is_empty()));

    assert_eq!(plain.iter().map(unknown_members).sum::<usize>(), 0);
    let mut plain_ids = Vec::new();
    plain.iter().for_each(|f| ids(f, &mut plain_ids));
    assert!(plain_ids.len() > 1000, "{}", plain_ids.len());
    for (member, id) in &plain_ids {
        let prefix = match member.as_str() {
            "event_id" => "evt_",
            "response_id" => "resp_",
            "call_id" => "call_",
            "file_id" => "file-",
            "id" => ["item_", "voice_", "pmpt_"]
                .into_iter()
                .find(|p| id.starts_with(p))
                .unwrap_or("item_"),
            _ => "item_",
        };
        let rest = id
            .strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{member}: {id}"));
        assert!(
            rest.len() == 16 && rest.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{member}: {id}"
        );
    }
    // Still valid frames, every one.
    let out = run_with_stdin(&["check", "-q", "-"], &plain_bytes);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn gen_help_says_what_the_default_adds_and_what_plain_does() {
    let out = harness().args(["gen", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for said in [
        "x-harness-",
        "additionalProperties",
        "--plain",
        "evt_",
        "real server",
    ] {
        assert!(
            help.contains(said),
            "gen --help does not mention {said}:\n{help}"
        );
    }
}
