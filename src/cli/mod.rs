//! The `realtime-harness` command: `check` captured or generated traffic,
//! `gen`erate valid frames, and validate frames against the official
//! `schema` with a drift report. The binary is a shim over [`main`].
//!
//! Exit status: 0 when every frame conforms (warnings allowed), 1 when a
//! frame does not, 2 for a usage error or an input that could not be read,
//! 130 when `check` was interrupted (SIGINT, SIGTERM), 141 when the output
//! was closed before the run was done (`check ... | head -1`).

pub mod check;
pub use crate::schema::drift;
pub mod gen;
pub mod input;
mod interrupt;
mod judging;
#[cfg(feature = "serve")]
mod live;
#[cfg(feature = "probe")]
pub mod probe;
pub mod progress;
#[cfg(feature = "proxy")]
pub mod proxy;
pub mod read_ahead;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
mod stateful;
mod tally;

/// The generator's PRNG under its first path; it now serves the whole crate.
pub use crate::rng as prng;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The default `--max-frame-bytes`: the largest frame the spec allows is an
/// `input_audio_buffer.append` with 15 MiB of audio, 20 MiB as base64, plus
/// its envelope; 21 MiB leaves room for that and nothing much larger.
pub const DEFAULT_MAX_FRAME_BYTES: usize = 21 * 1024 * 1024;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every frame conforms.
    Success,
    /// Some frame does not conform.
    Nonconformance,
    /// The command was misused, or an input could not be read.
    Usage,
    /// Stopped by SIGINT or SIGTERM; the output is complete up to there.
    Interrupted,
    /// The output was closed before the run was done (a reader such as
    /// `head` had seen enough): not a verdict, and not a usage error.
    OutputClosed,
}

impl Status {
    /// The process exit code: 0, 1, 2, 130 (128 + SIGINT, as a shell
    /// reports an interrupted command) or 141 (128 + SIGPIPE, as a shell
    /// reports a command whose pipe closed).
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::Nonconformance => 1,
            Status::Usage => 2,
            Status::Interrupted => 130,
            Status::OutputClosed => 141,
        }
    }
}

/// Output format of `check` and `schema`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people, then a summary table.
    Human,
    /// One JSON document: `frames` (one record per frame), `input_errors`,
    /// `summary`, `conforms`.
    Json,
}

/// Conformance tooling for OpenAI Realtime API client events.
#[derive(Debug, Parser)]
#[command(name = "realtime-harness", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check frames against the GA spec: files (.json: one frame; .jsonl or
    /// anything else: one frame per line), directories (recursively), `-`
    /// for stdin (one frame per line).
    ///
    /// Prints each finding (at most --max-findings per frame, then a count of
    /// the rest), then a table by event type: `frames`, `conform` (frames with
    /// no error), `warned` (frames with at least one warning, failing ones
    /// included) and `fail`. Directories are walked once each, however many
    /// symlinks lead to them (a loop gets one note on stderr), and each file
    /// is read once; FIFOs, sockets and devices are refused unless named with
    /// --stream. Frames are judged on --jobs threads; the output is the same
    /// for any number.
    ///
    /// Exit status: 0 every frame conforms (warnings allowed); 1 a frame does
    /// not; 2 usage error, an input that cannot be read (one line on stderr
    /// each), or no frame read at all (empty input); 130 interrupted by
    /// SIGINT or SIGTERM (the batch at hand is finished and the output closed
    /// properly: the summary so far, `"interrupted": true` in JSON; a second
    /// signal ends the process at once); 141 the output was closed early
    /// (`check ... | head -1`).
    ///
    /// A JSON Lines input whose first line is a capture line (`proxy
    /// --record`: `{"direction": "client"|"server", "frame": …}`) is read as a
    /// two-direction capture: each frame judged in its direction's family,
    /// and each connection's conversation by the stateful rules (one active
    /// response, `response.done` after `response.created`, ids announced
    /// first, truncates within the audio sent, errors naming the client's
    /// `event_id`, audio in the session's format); their errors fail the run.
    Check(CheckArgs),
    /// Write arbitrary spec-valid frames as JSON Lines; the same seed gives
    /// the same bytes.
    ///
    /// By default the frames carry what a robust receiver must tolerate: now
    /// and then unknown `x-harness-*` members, at any depth (most schemas
    /// leave `additionalProperties` open, so a server or proxy must accept
    /// them, and a proxy must forward them), and arbitrary strings wherever
    /// the spec allows any, ids included (empty, one character, any Unicode).
    /// With `--plain` the frames are fit to send to a real server instead:
    /// no unknown members, and ids shaped like the API's own (`evt_…`,
    /// `item_…`, `resp_…`, `call_…`).
    Gen(gen::GenOptions),
    /// Validate frames against the official OpenAPI schema (GA and
    /// beta-era event schemas) and report drift between schema and model;
    /// `schema extract` makes the structure-only extract the crate embeds.
    Schema(SchemaArgs),
    /// Run the reference Realtime server on a WebSocket (first line:
    /// `listening on ws://HOST:PORT/v1/realtime`); Ctrl-C stops it.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Run the numbered conformance cases against a Realtime server (or,
    /// with no URL, against the embedded `serve` on 127.0.0.1).
    ///
    /// Each case gets a grade: OK, NON-STRICT (works, deviates in a
    /// tolerated way), INFORMATIONAL, UNIMPLEMENTED or FAILED. Prints a line
    /// per case and a table by section; `--report DIR` also writes
    /// index.json, index.html and junit.xml. Exit 0 when no case FAILED, 1
    /// when one did, 2 for a usage error.
    #[cfg(feature = "probe")]
    Probe(ProbeArgs),
    /// A transparent WebSocket proxy between a Realtime client and server
    /// (first line: `listening on ws://HOST:PORT`): forwards every message
    /// both ways unchanged, prints each finding as it passes (connection,
    /// frame, direction, type, rule, pointer), and with --record writes a
    /// capture that `check` reads. Auth headers are forwarded, never printed
    /// or recorded. Ctrl-C stops it; exit 1 when a finding was an error.
    #[cfg(feature = "proxy")]
    Proxy(ProxyArgs),
}

#[cfg(feature = "proxy")]
#[derive(Debug, Args)]
struct ProxyArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8081")]
    listen: std::net::SocketAddr,
    /// The server: `ws://HOST:PORT[/PATH]` or `wss://HOST[:PORT][/PATH]` (the
    /// client's path and query go upstream; a PATH in the URL replaces the
    /// client's).
    #[arg(long, value_name = "URL")]
    upstream: String,
    /// Also trust the certificates in this PEM file for a `wss://` upstream
    /// (a private certificate authority, such as a test server's), besides
    /// the webpki roots.
    #[arg(long, value_name = "FILE")]
    upstream_ca: Option<PathBuf>,
    /// Write a capture (JSON Lines: time, connection, direction, frame) to FILE.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// The largest message either side may send.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FRAME_BYTES)]
    max_frame_bytes: usize,
}

#[cfg(feature = "probe")]
#[derive(Debug, Args)]
struct ProbeArgs {
    /// The server: ws://HOST/PATH or wss://HOST/PATH [default: the embedded server]
    #[arg(value_name = "URL")]
    url: Option<String>,
    /// Sent as `Authorization: Bearer KEY` [default: $OPENAI_API_KEY for a URL]; never printed.
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,
    /// Added to the URL as `?model=M`.
    #[arg(long, value_name = "M")]
    model: Option<String>,
    /// Also trust the certificates in this PEM file for a `wss://` URL (a
    /// private certificate authority, such as a test server's), besides the
    /// webpki roots.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// Only these cases: ids (`5.9`), sections (`2` or `2.`), or words of a title,
    /// comma-separated.
    #[arg(long, value_name = "PATTERN", value_delimiter = ',')]
    cases: Vec<String>,
    /// Write index.json, index.html and junit.xml into DIR.
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = probe::ProbeFormat::Text)]
    format: probe::ProbeFormat,
    /// Print the sections and cases, and exit.
    #[arg(long, exclusive = true)]
    list: bool,
    /// How many generated and mutated frames the robustness cases (8.x) send.
    #[arg(long, value_name = "N", default_value_t = crate::probe::DEFAULT_FUZZ)]
    fuzz: usize,
    /// Seed of the generated frames.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The longest wait for any one answer, in seconds [default: 2 for the embedded server, 15 for a URL].
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// A spec violation for the embedded server (the tests' mutants).
    #[arg(long = "flaw", value_name = "NAME", hide = true)]
    flaws: Vec<crate::serve::Flaw>,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: std::net::SocketAddr,
    /// Demand `Authorization: Bearer KEY` (HTTP 401 otherwise).
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,
    /// Stream responses N times faster than real time.
    #[arg(long, value_name = "N", default_value_t = 1.0)]
    speed: f64,
    /// A scripted fault for every connection (repeatable; see --list-faults).
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<crate::serve::Fault>,
    /// Write each client finding as a JSON line to FILE.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Answer text frames larger than this with an `error`, unparsed.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FRAME_BYTES)]
    max_frame_bytes: usize,
    /// Describe every fault and exit.
    #[arg(long, exclusive = true)]
    list_faults: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    options: check::CheckOptions,
    /// Print every rule (id, severity, direction, what it requires) and exit.
    #[arg(long, exclusive = true)]
    list_rules: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct SchemaArgs {
    #[command(subcommand)]
    action: Option<SchemaAction>,
    /// The OpenAPI document (JSON or YAML), e.g. a newer openapi.json/.yaml download
    /// [default: $REALTIME_HARNESS_SPEC, else the extract embedded in this binary,
    /// spec/realtime.schema.json]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// More frames to validate: files, directories, or `-` for stdin (a file named
    /// `extract`: write `./extract`).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// How many generated frames to validate.
    #[arg(long, value_name = "N", default_value_t = 200)]
    generate: u64,
    /// Seed for the generated frames.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The corpus directory, whose `valid/` and `invalid/` are validated
    /// [default: `corpus` when it exists]
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also list each generated frame (corpus and given frames are always listed).
    #[arg(short, long)]
    verbose: bool,
    /// Reject frames larger than this many bytes without parsing them.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FRAME_BYTES)]
    max_frame_bytes: usize,
}

#[derive(Debug, Subcommand)]
enum SchemaAction {
    /// Print the structure-only extract of an OpenAPI document, as spec/realtime.schema.json
    /// holds it.
    ///
    /// Every schema reachable from the Realtime client, server and beta-era events, with no
    /// description, title or example text, keys sorted. Regenerate the committed extract with
    /// `realtime-harness schema extract --spec OPENAPI_FILE > spec/realtime.schema.json`.
    Extract(ExtractArgs),
}

#[derive(Debug, Args)]
struct ExtractArgs {
    /// The full OpenAPI document (JSON or YAML).
    #[arg(long, value_name = "OPENAPI_FILE")]
    spec: PathBuf,
    /// The openai/openai-openapi commit the document was taken at, recorded in the header
    /// [default: what the document records, else unknown]
    #[arg(long, value_name = "SHA")]
    source_commit: Option<String>,
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    ExitCode::from(run(cli).code())
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Status {
    // The server prints from its connection tasks, so it must not run
    // under the stdout lock the other commands hold.
    #[cfg(feature = "serve")]
    let cli = match cli.command {
        Command::Serve(args) if !args.list_faults => {
            return serve::run(serve::ServeOptions {
                listen: args.listen,
                api_key: args.api_key,
                speed: args.speed,
                faults: args.faults,
                report: args.report,
                max_frame_bytes: args.max_frame_bytes,
            })
        }
        #[cfg(feature = "probe")]
        Command::Probe(args) if !args.list => {
            let timeout = args
                .timeout
                .unwrap_or(if args.url.is_some() { 15.0 } else { 2.0 });
            return probe::run(probe::ProbeOptions {
                url: args.url,
                api_key: args.api_key,
                model: args.model,
                ca: args.ca,
                cases: args.cases,
                report: args.report,
                format: args.format,
                fuzz: args.fuzz,
                seed: args.seed,
                timeout,
                flaws: args.flaws,
            });
        }
        #[cfg(feature = "proxy")]
        Command::Proxy(args) => {
            return proxy::run(proxy::ProxyOptions {
                config: crate::proxy::Config {
                    listen: args.listen,
                    upstream: args.upstream,
                    upstream_ca: args.upstream_ca,
                    record: None,
                    on_note: None,
                    max_message_bytes: args.max_frame_bytes,
                },
                record: args.record,
            })
        }
        command => Cli { command },
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match cli.command {
        Command::Check(args) if args.list_rules => match list_rules(&mut out) {
            Ok(()) => Status::Success,
            Err(err) => output_failed(&err),
        },
        Command::Check(CheckArgs { options, .. }) => {
            if options.paths.is_empty() && io::stdin().is_terminal() {
                return usage_error(
                    "no input: give files or directories, or pipe frames to stdin (`-`)",
                );
            }
            let stop = match interrupt::on_signals() {
                Ok(stop) => stop,
                Err(err) => {
                    return usage_error(format_args!(
                        "cannot watch for SIGINT and SIGTERM: {}",
                        input::io_message(&err)
                    ));
                }
            };
            match check::run_until(&options, &mut out, stop) {
                Ok(status) => status,
                Err(err) => output_failed(&err),
            }
        }
        Command::Gen(options) => {
            if options.direction != gen::GenDirection::Client
                && (!options.types.is_empty() || options.audio_bytes.is_some())
            {
                return usage_error(
                    "--type and --audio-bytes shape client events; they need --direction client",
                );
            }
            match gen::run(&options, &mut out) {
                Ok(()) => Status::Success,
                // `gen | head` is normal use: stop quietly.
                Err(gen::GenRunError::Write(err)) if err.kind() == io::ErrorKind::BrokenPipe => {
                    Status::Success
                }
                Err(gen::GenRunError::Write(err)) => output_failed(&err),
                Err(gen::GenRunError::Generate(err)) => {
                    eprintln!("realtime-harness: error: {err}");
                    Status::Nonconformance
                }
            }
        }
        Command::Schema(SchemaArgs {
            action: Some(SchemaAction::Extract(args)),
            ..
        }) => {
            let options = schema::ExtractOptions {
                spec: args.spec,
                source_commit: args.source_commit,
            };
            match schema::run_extract(&options, &mut out) {
                Ok(status) => status,
                Err(err) => output_failed(&err),
            }
        }
        Command::Schema(args) => {
            let options = schema::SchemaOptions {
                spec: args.spec,
                paths: args.paths,
                generate: args.generate,
                seed: args.seed,
                corpus: args.corpus,
                format: args.format,
                verbose: args.verbose,
                max_frame_bytes: args.max_frame_bytes,
            };
            match schema::run(&options, &mut out) {
                Ok(status) => status,
                Err(err) => output_failed(&err),
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) if args.list_faults => match serve::list_faults(&mut out) {
            Ok(()) => Status::Success,
            Err(err) => output_failed(&err),
        },
        #[cfg(feature = "serve")]
        Command::Serve(_) => unreachable!("served above"),
        #[cfg(feature = "probe")]
        Command::Probe(_) => match probe::list(&mut out) {
            Ok(()) => Status::Success,
            Err(err) => output_failed(&err),
        },
        #[cfg(feature = "proxy")]
        Command::Proxy(_) => unreachable!("proxied above"),
    }
}

fn list_rules(out: &mut dyn Write) -> io::Result<()> {
    use crate::check::Rule;
    let width = Rule::ALL.iter().map(|r| r.id().len()).max().unwrap_or(0);
    for rule in Rule::ALL {
        writeln!(
            out,
            "{:<width$}  {:<7}  {:<6}  {}",
            rule.id(),
            rule.severity().as_str(),
            rule.direction().as_str(),
            rule.summary()
        )?;
    }
    out.flush()
}

/// The status of a run whose output failed: a closed pipe (`... | head -1`
/// has read what it wanted) ends it quietly, anything else is said.
/// Says what the user must change, and gives the usage status.
pub(super) fn usage_error(message: impl std::fmt::Display) -> Status {
    eprintln!("realtime-harness: error: {message}");
    Status::Usage
}

fn output_failed(err: &io::Error) -> Status {
    if err.kind() == io::ErrorKind::BrokenPipe {
        return Status::OutputClosed;
    }
    let _ = writeln!(
        io::stderr(),
        "realtime-harness: error: writing the output failed: {}",
        input::io_message(err)
    );
    Status::Usage
}
