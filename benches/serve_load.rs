//! Load on `realtime-harness serve`: many concurrent sessions, each
//! streaming 20 ms audio chunks at real-time pace and asking for a
//! response every 2 s (commit, then `response.create`), on loopback only,
//! for a bounded time.
//!
//! The server runs as its own process (the `realtime-harness` binary, at
//! real-time speed), so its peak resident memory (`VmHWM`) is its own. The
//! figures: sessions held to the end, frames per second both ways, the
//! time from sending `response.create` to the first
//! `response.output_audio.delta` (p50, p99, max), errors, peak RSS of
//! server and load generator.
//!
//! ```text
//! cargo bench --bench serve_load                      # 200 sessions, 20 s, PCM16
//! cargo bench --bench serve_load -- --sessions 50 --seconds 10 --format pcmu
//! ```
//!
//! It prints a Markdown table for the `## serve` section of BENCHMARKS.md
//! and writes it to `target/bench-report/serve_load.md`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use realtime_harness::Base64Audio;
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;

/// One audio chunk.
const CHUNK_MS: u64 = 20;
/// Chunks between two responses asked for (2 s).
const CHUNKS_PER_TURN: u64 = 100;

struct Settings {
    sessions: usize,
    seconds: u64,
    format: &'static str,
}

impl Settings {
    fn from_args() -> Settings {
        let mut settings = Settings {
            sessions: 200,
            seconds: 20,
            format: "pcm16",
        };
        let args: Vec<String> = std::env::args().collect();
        let mut i = 1;
        while i < args.len() {
            let value = args.get(i + 1).cloned().unwrap_or_default();
            match args[i].as_str() {
                "--sessions" => settings.sessions = value.parse().expect("--sessions N"),
                "--seconds" => settings.seconds = value.parse().expect("--seconds N"),
                "--format" => {
                    settings.format = match value.as_str() {
                        "pcmu" => "pcmu",
                        "pcm16" => "pcm16",
                        other => panic!("--format pcm16|pcmu, not {other}"),
                    }
                }
                // `cargo bench` passes `--bench`; other flags are not ours.
                _ => {
                    i += 1;
                    continue;
                }
            }
            i += 2;
        }
        settings
    }

    fn bytes_per_ms(&self) -> usize {
        if self.format == "pcmu" {
            8
        } else {
            48
        }
    }
}

#[derive(Default)]
struct Counters {
    sent: AtomicU64,
    received: AtomicU64,
    errors: AtomicU64,
    held: AtomicU64,
    failed: AtomicU64,
}

/// The server process; killed when dropped, so no run leaves it behind.
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `VmHWM` of a process, in KiB.
fn peak_rss_kib(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The `type` of a frame our server wrote (`type` is always first).
fn frame_type(text: &str) -> &str {
    text.strip_prefix(r#"{"type":""#)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
}

async fn session(
    url: String,
    settings: Arc<Settings>,
    counters: Arc<Counters>,
    latencies: Arc<Mutex<Vec<Duration>>>,
    end: Instant,
    chunk: Arc<String>,
) {
    let Ok((ws, _)) = tokio_tungstenite::connect_async(&url).await else {
        counters.failed.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let (mut sink, mut stream) = ws.split();
    let format = if settings.format == "pcmu" {
        r#"{"type":"audio/pcmu"}"#
    } else {
        r#"{"type":"audio/pcm","rate":24000}"#
    };
    let update = format!(
        r#"{{"type":"session.update","session":{{"type":"realtime","audio":{{"input":{{"format":{format},"turn_detection":null}},"output":{{"format":{format}}}}}}}}}"#
    );
    if sink.send(Message::text(update)).await.is_err() {
        counters.failed.fetch_add(1, Ordering::Relaxed);
        return;
    }
    let append = format!(
        r#"{{"type":"input_audio_buffer.append","audio":"{}"}}"#,
        chunk.as_str()
    );
    let mut ticks = tokio::time::interval(Duration::from_millis(CHUNK_MS));
    // Real-time pace: a late tick is made up, as a real audio source would.
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut n = 0u64;
    let mut asked: Option<Instant> = None;
    let mut alive = true;
    while Instant::now() < end {
        tokio::select! {
            _ = ticks.tick() => {
                n += 1;
                let mut frames = vec![append.clone()];
                if n.is_multiple_of(CHUNKS_PER_TURN) {
                    frames.push(r#"{"type":"input_audio_buffer.commit"}"#.to_owned());
                    frames.push(r#"{"type":"response.create"}"#.to_owned());
                }
                for frame in frames {
                    let create = frame.contains("response.create");
                    if sink.send(Message::text(frame)).await.is_err() {
                        alive = false;
                        break;
                    }
                    counters.sent.fetch_add(1, Ordering::Relaxed);
                    if create {
                        asked = Some(Instant::now());
                    }
                }
                if !alive {
                    break;
                }
            }
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    counters.received.fetch_add(1, Ordering::Relaxed);
                    match frame_type(&text) {
                        "response.output_audio.delta" => {
                            if let Some(at) = asked.take() {
                                latencies.lock().await.push(at.elapsed());
                            }
                        }
                        "error" => {
                            counters.errors.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {}
                    }
                }
                Some(Ok(_)) => {}
                _ => {
                    alive = false;
                    break;
                }
            }
        }
    }
    if alive {
        counters.held.fetch_add(1, Ordering::Relaxed);
        let _ = sink.send(Message::Close(None)).await;
    } else {
        counters.failed.fetch_add(1, Ordering::Relaxed);
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn main() {
    let settings = Arc::new(Settings::from_args());
    let child = Command::new(env!("CARGO_BIN_EXE_realtime-harness"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start realtime-harness serve");
    let mut server = ServerProcess(child);
    let pid = server.0.id().to_string();
    let mut first = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut first)
        .expect("the first line");
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .expect("listening on ws://…")
        .to_owned();
    assert!(url.starts_with("ws://127.0.0.1:"), "loopback only: {url}");

    // A 20 ms chunk of speech-level tone in the session's format.
    let ms = CHUNK_MS as usize;
    let raw: Vec<u8> = if settings.format == "pcmu" {
        (0..ms * 8)
            .map(|i| if i % 2 == 0 { 0x20 } else { 0xa0 })
            .collect()
    } else {
        (0..ms * 24)
            .flat_map(|i| {
                let t = i as f64 / 24_000.0;
                ((0.2 * 32767.0 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()) as i16)
                    .to_le_bytes()
            })
            .collect()
    };
    assert_eq!(raw.len(), ms * settings.bytes_per_ms());
    let chunk = Arc::new(Base64Audio::encode(&raw).into_string());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let counters = Arc::new(Counters::default());
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let end = started + Duration::from_secs(settings.seconds);
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..settings.sessions {
            tasks.spawn(session(
                url.clone(),
                Arc::clone(&settings),
                Arc::clone(&counters),
                Arc::clone(&latencies),
                end,
                Arc::clone(&chunk),
            ));
            // Connections arrive over the first second, not in one burst.
            if i % 20 == 19 {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        // Bounded: whatever has not finished a few seconds after the end is abandoned.
        let _ = tokio::time::timeout_at((end + Duration::from_secs(10)).into(), async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
    });
    let elapsed = started.elapsed().as_secs_f64();
    let server_peak = peak_rss_kib(&pid);
    let client_peak = peak_rss_kib("self");
    drop(server);

    let mut latencies = runtime.block_on(async { latencies.lock().await.clone() });
    latencies.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let sent = counters.sent.load(Ordering::Relaxed);
    let received = counters.received.load(Ordering::Relaxed);
    let table = format!(
        "| figure | value |\n| --- | ---: |\n\
         | sessions held to the end | {} of {} |\n\
         | client frames/s (appends, commits, response.create) | {:.0} |\n\
         | server frames/s | {:.0} |\n\
         | responses measured | {} |\n\
         | response.create → first audio delta, p50 | {} |\n\
         | response.create → first audio delta, p99 | {} |\n\
         | response.create → first audio delta, max | {} |\n\
         | `error` events | {} |\n\
         | failed sessions | {} |\n\
         | server peak RSS | {:.1} MiB |\n\
         | load generator peak RSS | {:.1} MiB |\n",
        counters.held.load(Ordering::Relaxed),
        settings.sessions,
        sent as f64 / elapsed,
        received as f64 / elapsed,
        latencies.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        counters.errors.load(Ordering::Relaxed),
        counters.failed.load(Ordering::Relaxed),
        server_peak as f64 / 1024.0,
        client_peak as f64 / 1024.0,
    );
    let heading = format!(
        "{} sessions, {} s, {} input and output, {} ms chunks, a response every {} s\n\n",
        settings.sessions,
        settings.seconds,
        if settings.format == "pcmu" {
            "G.711 μ-law"
        } else {
            "PCM16 24 kHz"
        },
        CHUNK_MS,
        CHUNK_MS * CHUNKS_PER_TURN / 1000
    );
    print!("{heading}{table}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-report");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(
        dir.join(format!("serve_load_{}.md", settings.format)),
        heading + &table,
    );
}
