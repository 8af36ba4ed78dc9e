//! `realtime-harness check` under hostile file systems and process faults:
//! symlink loops, FIFOs, sockets and devices, SIGINT and SIGTERM mid-run, a
//! reader that closes the pipe, a frame with a thousand findings, and the
//! same output on one thread as on several.

#![cfg(all(feature = "cli", unix))]

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn harness() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_realtime-harness"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Starts `check` with `args` and `stdin`, its output piped back.
fn spawn_check<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: Stdio) -> Child {
    let mut command = harness();
    command.arg("check").args(args).stdin(stdin);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command.spawn().expect("the binary runs")
}

/// Runs `check` with `args`, killing it and failing after `limit`: a hang
/// is the bug these tests look for, so it must end the test, not the CI job.
fn check_within(args: &[&str], limit: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let output = wait_within(spawn_check(args, Stdio::null()), limit);
    (output, started.elapsed())
}

/// Waits for `child`, reading its piped output meanwhile (a full pipe
/// would stall it), and kills it and fails after `limit`.
fn wait_within(mut child: Child, limit: Duration) -> Output {
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                pipe.read_to_end(&mut bytes).unwrap();
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "check still running after {limit:?}; stderr so far:\n{}",
                text(&stderr.join().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// A scratch directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rh-check-faults-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn json_output(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{}", text(&out.stdout)))
}

const CLEAR: &str = r#"{"type":"input_audio_buffer.clear"}"#;

#[test]
fn a_directory_with_two_symlink_loops_and_a_fifo_ends_with_one_line_each() {
    let dir = scratch("loops");
    std::fs::write(dir.join("a.json"), CLEAR).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/b.jsonl"), format!("{CLEAR}\n{CLEAR}\n")).unwrap();
    symlink(".", dir.join("l1")).unwrap();
    symlink(".", dir.join("l2")).unwrap();
    // A loop one level down, and a second name for a file and for a directory.
    symlink("..", dir.join("sub/up")).unwrap();
    symlink("a.json", dir.join("same.json")).unwrap();
    symlink("sub", dir.join("zz-sub-again")).unwrap();
    mkfifo(&dir.join("f.json"));
    let arg = dir.display().to_string();

    let (out, took) = check_within(&[&arg, "--format", "json"], Duration::from_secs(30));
    println!("two symlink loops, a FIFO and repeated names: check took {took:?}");
    let stderr = text(&out.stderr);
    let report = json_output(&out);

    // Every file once: a.json (not again as same.json) and b.jsonl's two lines
    // (not again through l1, l2, sub/up or zz-sub-again).
    assert_eq!(report["summary"]["total"]["frames"], 3, "{report}");
    let sources = report["frames"].as_array().unwrap().iter();
    let sources: Vec<&str> = sources.map(|f| f["source"].as_str().unwrap()).collect();
    let a = format!("{arg}/a.json");
    let b = format!("{arg}/sub/b.jsonl");
    assert_eq!(sources, [a.as_str(), &b, &b]);

    // Each loop and the repeated directory once, by path; the FIFO refused.
    let notes: Vec<&str> = stderr.lines().filter(|l| l.contains(": note: ")).collect();
    let expected_notes = [
        format!("{arg}/l1: a symlink loop back to {arg}; not followed"),
        format!("{arg}/l2: a symlink loop back to {arg}; not followed"),
        format!("{arg}/sub/up: a symlink loop back to {arg}; not followed"),
        format!("{arg}/zz-sub-again: the same directory as one already walked; not walked again"),
    ];
    assert_eq!(notes.len(), expected_notes.len(), "{stderr}");
    for (note, expected) in notes.iter().zip(&expected_notes) {
        assert!(note.ends_with(expected.as_str()), "{note} vs {expected}");
    }
    assert_eq!(report["not_followed"].as_array().unwrap().len(), 4);
    let fifo_line = format!("{arg}/f.json: a FIFO (named pipe), not a regular file; not read");
    assert!(stderr.contains(&fifo_line), "{stderr}");
    assert_eq!(
        report["input_errors"][0]["source"],
        format!("{arg}/f.json"),
        "{report}"
    );
    // An input left unread is an input error.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fifos_sockets_and_devices_are_refused_unless_asked_for_as_a_stream() {
    let dir = scratch("special");
    let fifo = dir.join("f.json");
    mkfifo(&fifo);
    let socket = dir.join("s.jsonl");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let cases = [
        (fifo.display().to_string(), "a FIFO (named pipe)"),
        (socket.display().to_string(), "a socket"),
        ("/dev/zero".to_owned(), "a character device"),
    ];
    for (path, kind) in &cases {
        // No writer on the FIFO: opening it for reading would wait forever.
        let (out, took) = check_within(&[path], Duration::from_secs(20));
        println!("{kind}: refused in {took:?}");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{path}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "realtime-harness: error: {path}: {kind}, not a regular file; not read \
                 (`--stream` reads it one frame per line, as stdin)"
            )
        );
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    }

    // With --stream the FIFO is read as stdin is, once a writer comes.
    let fifo_arg = fifo.display().to_string();
    let child = spawn_check(&["--stream", "--format", "json", &fifo_arg], Stdio::null());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut w = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            writeln!(w, "{CLEAR}\n{CLEAR}").unwrap();
        })
    };
    let out = wait_within(child, Duration::from_secs(30));
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(json_output(&out)["summary"]["total"]["frames"], 2);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts `check` on a stdin that stays open, writes `frames` lines, waits
/// for them to be judged, sends `signal`, and returns the output.
fn interrupt_mid_run(
    format: &str,
    signal: libc::c_int,
    frames: usize,
) -> (ExitStatus, Vec<u8>, String) {
    let mut child = spawn_check(&["--format", format, "-"], Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    let lines = format!("{CLEAR}\n").repeat(frames);
    stdin.write_all(lines.as_bytes()).unwrap();
    stdin.flush().unwrap();
    // The reader hands over what it has whenever the pipe runs dry, so the
    // frames are judged while the run waits for more; the output is buffered
    // until the end, so nothing shows how far it got: give it time.
    std::thread::sleep(Duration::from_millis(1500));
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) has no memory effects; the pid is our child's, not yet
    // waited for, so it cannot name another process.
    let sent = unsafe { libc::kill(pid, signal) };
    assert_eq!(sent, 0, "kill failed");
    let started = Instant::now();
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = wait_within(child, Duration::from_secs(20)).status;
    println!(
        "{signal} with stdin still open: exited {status} in {:?}",
        started.elapsed()
    );
    // Stdin is still open: only the signal ended the run.
    drop(stdin);
    (status, stdout, stderr)
}

#[test]
fn sigint_and_sigterm_mid_run_close_a_complete_json_document_and_exit_130() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let (status, stdout, stderr) = interrupt_mid_run("json", signal, 300);
        assert_eq!(status.code(), Some(130), "{signal}: {stderr}");
        let report: Value = serde_json::from_slice(&stdout)
            .unwrap_or_else(|e| panic!("{signal}: not one JSON document ({e}): {}", text(&stdout)));
        assert_eq!(report["interrupted"], true);
        assert_eq!(report["frames"].as_array().unwrap().len(), 300, "{signal}");
        assert_eq!(report["summary"]["total"]["frames"], 300);
        assert_eq!(report["conforms"], true);
    }
}

#[test]
fn an_interrupted_human_report_says_so_under_its_summary() {
    let (status, stdout, stderr) = interrupt_mid_run("human", libc::SIGINT, 5);
    assert_eq!(status.code(), Some(130), "{stderr}");
    let stdout = text(&stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("total ") && l.contains(" 5 ")),
        "{stdout}"
    );
    assert_eq!(
        &lines[lines.len() - 2..],
        [
            "(interrupted: reading stopped at a signal; the counts cover the frames read before it)",
            "every frame conforms",
        ],
        "{stdout}"
    );
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_run_quietly_with_141() {
    let dir = scratch("pipe");
    // One warning per frame, far more output than a pipe holds.
    let capture = dir.join("warned.jsonl");
    let line = r#"{"type":"input_audio_buffer.clear","x":1}"#;
    std::fs::write(&capture, format!("{line}\n").repeat(50_000)).unwrap();
    for format in ["human", "json"] {
        let capture = capture.display().to_string();
        let mut child = spawn_check(&["--format", format, &capture], Stdio::null());
        // `| head -1`: read one line, then close the pipe.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        let out = wait_within(child, Duration::from_secs(60));
        assert_eq!(
            out.status.code(),
            Some(141),
            "{format}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stderr), "", "{format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_frame_of_a_thousand_unknown_members_shows_the_first_hundred_findings_and_counts_the_rest() {
    let dir = scratch("cap");
    let members: Vec<String> = (0..1000).map(|i| format!(r#""u{i}":{i}"#)).collect();
    // A too-long `event_id` is the 1,001st finding, past the cap: the count names it.
    let frame = format!(
        r#"{{"type":"input_audio_buffer.clear",{},"event_id":"{}"}}"#,
        members.join(","),
        "e".repeat(513)
    );
    let file = dir.join("wide.json");
    std::fs::write(&file, &frame).unwrap();
    let path = file.display().to_string();

    let (out, _) = check_within(&[&path], Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with(&format!("{path}:1:")))
        .collect();
    assert_eq!(lines.len(), 101, "{stdout}");
    assert!(
        lines[0].ends_with("/u0: unknown member `u0` (RealtimeClientEventInputAudioBufferClear)")
    );
    assert!(lines[99].contains("/u99: unknown member `u99`"));
    assert_eq!(
        lines[100],
        format!(
            "{path}:1: input_audio_buffer.clear: 901 more findings not shown \
             (1 error, 900 warnings); --max-findings 0 shows all"
        )
    );

    let (out, _) = check_within(&[&path, "--format", "json"], Duration::from_secs(60));
    let report = json_output(&out);
    let record = &report["frames"][0];
    let findings = record["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 100);
    assert_eq!(findings[99]["pointer"], "/u99");
    assert_eq!(
        record["findings_not_shown"],
        serde_json::json!({"count": 901, "errors": 1, "warnings": 900})
    );

    let shown = |args: &[&str]| {
        let (out, _) = check_within(args, Duration::from_secs(60));
        text(&out.stdout)
            .lines()
            .filter(|l| l.starts_with(&format!("{path}:1:")))
            .count()
    };
    assert_eq!(shown(&[&path, "--max-findings", "0"]), 1001);
    assert_eq!(shown(&[&path, "--max-findings", "7"]), 8);
    // Quiet shows the one error; nothing is left to count.
    assert_eq!(shown(&[&path, "--quiet"]), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_thread_and_several_give_the_same_output() {
    let dir = scratch("jobs");
    let generated = harness()
        .args([
            "gen",
            "--count",
            "3000",
            "--seed",
            "7",
            "--direction",
            "both",
        ])
        .output()
        .unwrap();
    assert!(generated.status.success());
    // Generated frames, then every invalid corpus frame, a blank line, a line
    // over the limit and one that is not JSON: every kind of record.
    let mut capture = generated.stdout;
    let mut invalid: Vec<PathBuf> = std::fs::read_dir("corpus/invalid")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    invalid.sort();
    for path in invalid {
        // One line each: some are not JSON, so they are not re-serialized.
        let frame = std::fs::read(path).unwrap();
        capture.extend(frame.iter().map(|&b| if b == b'\n' { b' ' } else { b }));
        capture.push(b'\n');
    }
    capture.extend_from_slice(b"\n");
    capture.extend_from_slice(format!("{{\"pad\":\"{}\"}}\n", "x".repeat(70_000)).as_bytes());
    capture.extend_from_slice(b"not json\n");
    let file = dir.join("capture.jsonl");
    std::fs::write(&file, &capture).unwrap();
    let path = file.display().to_string();

    for format in ["human", "json"] {
        let run = |jobs: &str| {
            let args = [
                &path,
                "--format",
                format,
                "--jobs",
                jobs,
                "--max-frame-bytes",
                "65536",
            ];
            check_within(&args, Duration::from_secs(120)).0
        };
        let one = run("1");
        assert_eq!(one.status.code(), Some(1), "{}", text(&one.stderr));
        assert!(
            one.stdout.len() > 100_000,
            "{format}: the output is substantial"
        );
        for jobs in ["2", "3"] {
            let many = run(jobs);
            assert_eq!(many.status.code(), one.status.code());
            assert!(
                many.stdout == one.stdout,
                "{format}: --jobs {jobs} differs from --jobs 1"
            );
            assert_eq!(many.stderr, one.stderr);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
