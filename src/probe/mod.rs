//! `realtime-harness probe`: numbered conformance cases against a Realtime
//! server, in the manner of Autobahn|Testsuite. Each case ([`cases`]) opens
//! its own connections, sends its frames, judges what comes back and gets
//! a [`Grade`]; every received frame is also judged on its own (the model,
//! the checker, the official schema: [`conn::Judged`]). The run makes a
//! [`ProbeReport`] (`index.json`, `index.html`, JUnit XML).
//!
//! With no URL the probe starts the embedded [`serve`](crate::serve) on
//! 127.0.0.1 with a random key ([`Embedded`]), so it needs no network.

pub mod cases;
pub mod conn;
pub mod report;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::serve::{Config, Faults, Flaws, Server};
use crate::tls::Tls;
pub use cases::{Case, CASES};
use conn::{Auth, Conn, Transcript, TranscriptLog};
pub use report::SECTIONS;
pub use report::{About, CaseResult, Grade, ProbeReport};

/// The server a probe talks to.
#[derive(Clone)]
pub struct Target {
    /// `ws://` or `wss://` URL (with `?model=` when one was asked for).
    pub url: String,
    /// Sent as `Authorization: Bearer`; never printed.
    pub api_key: Option<String>,
    /// The longest wait for any one answer.
    pub timeout: Duration,
    /// What the report calls the target.
    pub name: String,
    /// What a `wss://` URL trusts.
    pub tls: Tls,
}

crate::serve::debug_hiding_key!(Target { url, [api_key], timeout } finish);

impl Target {
    /// `url` (with `model` added as `?model=` when given), waiting at most
    /// `timeout` for any answer.
    pub fn new(url: &str, api_key: Option<String>, model: Option<&str>, timeout: Duration) -> Self {
        let mut url = url.to_owned();
        if let Some(model) = model {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("model=");
            url.push_str(model);
        }
        Target {
            name: url.clone(),
            url,
            api_key,
            timeout,
            tls: Tls::webpki(),
        }
    }

    /// The same target, trusting the certificates of the PEM file `ca`
    /// too (`--ca`); `Err` says what is wrong with the file.
    pub fn with_ca(mut self, ca: &std::path::Path) -> Result<Self, String> {
        self.tls = Tls::new(Some(ca))?;
        Ok(self)
    }
}

/// A source of generated client frames for the robustness cases
/// (`--fuzz N`); the command line hands in the `gen` generator.
pub type FrameSource = Box<dyn FnMut() -> Option<Vec<u8>> + Send>;

/// What to run.
pub struct Options {
    /// Only cases whose id or title contains one of these (comma-separated
    /// in `--cases`; `2.` selects a section); all when empty.
    pub cases: Vec<String>,
    /// How many generated and mutated frames the robustness cases send.
    pub fuzz: usize,
    /// Generated frames for them; seed frames of the case table only when
    /// `None`.
    pub frames: Option<FrameSource>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cases: Vec::new(),
            fuzz: DEFAULT_FUZZ,
            frames: None,
        }
    }
}

/// The robustness cases' frame count without `--fuzz`.
pub const DEFAULT_FUZZ: usize = 40;

impl Options {
    /// Whether `case` is selected: a pattern of digits and dots is an id
    /// or a section (`5`, `5.`, `5.9`), anything else words of a title.
    pub fn selects(&self, case: &Case) -> bool {
        self.cases.is_empty()
            || self.cases.iter().any(|p| {
                let p = p.trim();
                if p.chars().all(|c| c.is_ascii_digit() || c == '.') {
                    let section = p.trim_end_matches('.');
                    case.id == section || case.id.starts_with(&format!("{section}."))
                } else {
                    case.title.to_lowercase().contains(&p.to_lowercase())
                }
            })
    }
}

/// The grade and what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The grade.
    pub grade: Grade,
    /// What happened, in a sentence or two.
    pub happened: String,
}

/// A case's step: `Err` ends the case with that outcome.
pub type Step<T> = Result<T, Outcome>;

/// `OK`.
pub fn ok(happened: impl Into<String>) -> Outcome {
    Outcome {
        grade: Grade::Ok,
        happened: happened.into(),
    }
}

/// `FAILED`.
pub fn failed(happened: impl Into<String>) -> Outcome {
    Outcome {
        grade: Grade::Failed,
        happened: happened.into(),
    }
}

/// `NON-STRICT`.
pub fn non_strict(happened: impl Into<String>) -> Outcome {
    Outcome {
        grade: Grade::NonStrict,
        happened: happened.into(),
    }
}

/// `INFORMATIONAL`.
pub fn info(happened: impl Into<String>) -> Outcome {
    Outcome {
        grade: Grade::Informational,
        happened: happened.into(),
    }
}

/// `UNIMPLEMENTED`.
pub fn unimplemented(happened: impl Into<String>) -> Outcome {
    Outcome {
        grade: Grade::Unimplemented,
        happened: happened.into(),
    }
}

/// What a case runs with: the target, its transcript, its connections.
pub struct Ctx {
    /// The server.
    pub target: Target,
    /// The case's id.
    pub id: &'static str,
    transcript: Transcript,
    connections: u32,
    /// `--fuzz N`.
    pub fuzz: usize,
    /// Generated frames, when the caller has a generator.
    pub frames: Option<FrameSource>,
}

impl Ctx {
    /// A connection with `auth` (on `path` when given); `Err` is the
    /// refusal.
    pub async fn connect(&mut self, auth: Auth, path: Option<&str>) -> Result<Conn, conn::Refusal> {
        self.connections += 1;
        conn::open(
            &self.target,
            auth,
            path,
            &self.transcript,
            self.connections,
            self.id,
        )
        .await
    }

    /// An authorized connection and the first event it got.
    pub async fn first_event(&mut self) -> Step<(Conn, conn::Judged)> {
        let mut conn = self
            .connect(Auth::Key, None)
            .await
            .map_err(|r| failed(format!("could not connect: {}", r.message)))?;
        match conn.next_event().await {
            Some(first) => Ok((conn, first)),
            None => Err(failed("no event arrived after the handshake")),
        }
    }

    /// An authorized connection, past its `session.created`.
    pub async fn session(&mut self) -> Step<Conn> {
        match self.first_event().await? {
            (conn, first) if first.kind == "session.created" => Ok(conn),
            (_, first) => Err(failed(format!(
                "the first event is `{}`, not `session.created`",
                first.kind
            ))),
        }
    }
}

/// A case's body.
pub type Body = for<'a> fn(&'a mut Ctx) -> Pin<Box<dyn Future<Output = Step<Outcome>> + Send + 'a>>;

/// Runs the selected cases in id order against `target`, calling
/// `progress` after each.
pub async fn run(
    target: &Target,
    mut options: Options,
    mut progress: impl FnMut(&CaseResult, usize, usize),
) -> ProbeReport {
    let selected: Vec<&Case> = CASES.iter().filter(|c| options.selects(c)).collect();
    let total = selected.len();
    let mut results = Vec::with_capacity(total);
    for (n, case) in selected.into_iter().enumerate() {
        let transcript = TranscriptLog::new();
        let mut cx = Ctx {
            target: target.clone(),
            id: case.id,
            transcript: Arc::clone(&transcript),
            connections: 0,
            fuzz: options.fuzz,
            frames: options.frames.take(),
        };
        let started = Instant::now();
        // A case never takes longer than a generous multiple of the wait.
        let limit =
            target.timeout * 20 + Duration::from_secs(5) + target.timeout * (cx.fuzz as u32 / 10);
        let outcome = match tokio::time::timeout(limit, case.run(&mut cx)).await {
            Ok(Ok(outcome)) | Ok(Err(outcome)) => outcome,
            Err(_) => failed(format!(
                "the case did not finish within {} s",
                limit.as_secs()
            )),
        };
        options.frames = cx.frames.take();
        let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        let exchanges = std::mem::take(
            &mut transcript
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .exchanges,
        );
        let result = CaseResult {
            about: &case.about,
            grade: outcome.grade,
            happened: outcome.happened,
            duration_ms,
            transcript: exchanges,
        };
        progress(&result, n + 1, total);
        results.push(result);
    }
    ProbeReport::new(target.name.clone(), results)
}

/// The embedded `serve`, on 127.0.0.1 with a random key, until dropped or
/// [`stopped`](Embedded::stop).
pub struct Embedded {
    /// A target for it.
    pub target: Target,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// How much faster than real time the embedded server streams: fast
/// enough for the whole probe to take seconds, slow enough that a
/// response is still streaming when a case cancels or interrupts it.
pub const EMBEDDED_SPEED: f64 = 40.0;

impl Embedded {
    /// Starts `serve` with `faults` and `flaws` (both empty for the real
    /// thing); `timeout` bounds each wait of the cases.
    pub async fn start(faults: Faults, flaws: Flaws, timeout: Duration) -> std::io::Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut rng = crate::rng::SplitMix64::new(nanos ^ u64::from(std::process::id()));
        let key = format!("sk-probe-{:016x}{:016x}", rng.next_u64(), rng.next_u64());
        let server = Server::bind(Config {
            listen: "127.0.0.1:0".parse().expect("an address"),
            api_key: Some(key.clone()),
            speed: EMBEDDED_SPEED,
            faults,
            flaws,
            ..Config::default()
        })
        .await?;
        let url = server.url()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = server
                .run(async {
                    let _ = stopped.await;
                })
                .await;
        });
        let mut target = Target::new(&url, Some(key), None, timeout);
        target.name = format!("embedded serve ({url})");
        Ok(Embedded {
            target,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Embedded {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
