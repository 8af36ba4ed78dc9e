//! What the command-line tests share: the `realtime-harness` binary run from
//! the repository root, and the checks every run's output gets.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// The binary, run from the repository root (where `corpus/` and `spec/`
/// are).
pub fn harness() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_realtime-harness"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Runs the binary with `args` to the end.
pub fn run(args: &[&str]) -> Output {
    harness().args(args).output().expect("the binary runs")
}

/// Starts the binary with `args` and `stdin`, its output piped.
pub fn spawn(args: &[&str], stdin: Stdio) -> Child {
    harness()
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

/// Runs the binary with `args` to the end, `input` written to its standard
/// input (from another thread, so that a large input cannot block on a full
/// output pipe).
pub fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = spawn(args, Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    output
}

/// Asserts the run ended with exit code `code`, showing its output when not.
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The one JSON document the run printed, after it ended with `code`.
pub fn json_document(out: &Output, code: i32) -> Value {
    assert_exit(out, code);
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}
