//! `realtime-harness schema`: the official OpenAPI schema as a second
//! opinion on the corpus, on generated frames and on the user's frames,
//! with the GA and beta-era schemas each frame satisfies, and the drift
//! between the schema and the model.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{json, Value};

mod drift_report;

use drift_report::{drift_json, drift_report};

use super::gen::Generator;
use super::input::{self, Frame, InputError, Source};
use super::{Format, Status};
use crate::check::verdict::Verdict;
use crate::check::Rule;
use crate::events::Family;
use crate::schema::drift::{compare_family, Drift};
use crate::schema::{
    extract, schema_members_of, ExtractSource, SchemaFamily, SchemaOracle, SpecDocument,
};

/// Options of `schema`.
pub struct SchemaOptions {
    /// The OpenAPI document; `None`: the one `REALTIME_HARNESS_SPEC` names, else the
    /// embedded extract.
    pub spec: Option<PathBuf>,
    /// More frames to validate.
    pub paths: Vec<PathBuf>,
    /// How many generated frames to validate.
    pub generate: u64,
    /// Seed of the generated frames.
    pub seed: u64,
    /// The corpus directory; `None`: `corpus` when it exists.
    pub corpus: Option<PathBuf>,
    /// Output format.
    pub format: Format,
    /// Also list each generated frame (human format).
    pub verbose: bool,
    /// Largest frame parsed.
    pub max_frame_bytes: usize,
}

/// Options of `schema extract`.
pub struct ExtractOptions {
    /// The full OpenAPI document (JSON or YAML).
    pub spec: PathBuf,
    /// The upstream commit the document was taken at, for the header; `None`: what the
    /// document itself records, if anything.
    pub source_commit: Option<String>,
}

/// Runs `schema extract`: writes the structure-only extract of the document.
pub fn run_extract(options: &ExtractOptions, out: &mut dyn Write) -> io::Result<Status> {
    let text = SpecDocument::load(&options.spec).and_then(|doc| {
        let mut source = ExtractSource::of(&doc);
        if let Some(commit) = &options.source_commit {
            source.commit = Some(commit.clone());
        }
        extract(&doc, &source)
    });
    match text {
        Ok(text) => {
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(Status::Success)
        }
        Err(err) => {
            eprintln!("realtime-harness: error: {err}");
            Ok(Status::Usage)
        }
    }
}

/// What a group of frames is expected to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Valid per some client event schema of the document (GA, legacy or
    /// beta-era) and conforming per the checker: `corpus/valid`.
    SomeSchema,
    /// Valid per the GA union and conforming: generated frames and the
    /// user's frames.
    Ga,
    /// Rejected by the checker: `corpus/invalid`.
    Rejected,
}

/// The schema's and the checker's verdicts on one frame.
struct Judged {
    /// Why the frame could not be read as a JSON value (so the schema cannot judge it).
    not_json: Option<String>,
    /// `None` when the frame is not JSON.
    schema: Option<SchemaVerdict>,
    checker: Verdict,
}

struct SchemaVerdict {
    ga_valid: bool,
    /// The frame fails the GA schema only because of explicit `null`s on
    /// non-nullable members (the checker's `null-member` warnings): with
    /// them dropped, as the model reads the frame, it is GA-valid.
    ga_without_nulls: bool,
    /// The first few GA violations, one line each.
    violations: Vec<String>,
    ga: Vec<String>,
    legacy: Vec<String>,
    beta: Vec<String>,
}

/// How many GA violations a frame's record keeps.
const MAX_VIOLATIONS: usize = 3;

#[derive(Clone, Copy, Debug, Default, Serialize)]
struct GroupTally {
    frames: u64,
    not_json: u64,
    ga: u64,
    ga_without_nulls: u64,
    legacy: u64,
    beta: u64,
    no_schema: u64,
    checker_conforms: u64,
    schema_only_rejects: u64,
    checker_only_rejects: u64,
    unexpected: u64,
}

struct Run<'w> {
    out: &'w mut dyn Write,
    oracle: &'w SchemaOracle,
    options: &'w SchemaOptions,
    groups: Vec<(String, GroupTally)>,
    unexpected: Vec<String>,
    input_errors: Vec<InputError>,
    first_record: bool,
}

/// Runs `schema`.
pub fn run(options: &SchemaOptions, out: &mut dyn Write) -> io::Result<Status> {
    let document = match &options.spec {
        Some(path) => SpecDocument::load(path),
        None => SpecDocument::load_default(),
    };
    let loaded = document.and_then(|doc| {
        let oracle = SchemaOracle::new(&doc)?;
        let members = [
            schema_members_of(&doc, Family::Client)?,
            schema_members_of(&doc, Family::Server)?,
        ];
        Ok((doc, oracle, members))
    });
    let (doc, oracle, members) = match loaded {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("realtime-harness: error: {err}");
            return Ok(Status::Usage);
        }
    };
    let corpus = match &options.corpus {
        Some(dir) if !dir.is_dir() => {
            eprintln!(
                "realtime-harness: error: {}: no such corpus directory",
                dir.display()
            );
            return Ok(Status::Usage);
        }
        Some(dir) => Some(dir.clone()),
        None => Some(PathBuf::from("corpus")).filter(|d| d.is_dir()),
    };
    let [client, server] = &members;
    let drift = [
        compare_family(client, server, Family::Client),
        compare_family(server, client, Family::Server),
    ];

    let mut run = Run {
        out,
        oracle: &oracle,
        options,
        groups: Vec::new(),
        unexpected: Vec::new(),
        input_errors: Vec::new(),
        first_record: true,
    };
    run.header(&doc)?;

    if let Some(corpus) = &corpus {
        for (sub, expect) in [("valid", Expect::SomeSchema), ("invalid", Expect::Rejected)] {
            let dir = corpus.join(sub);
            if dir.is_dir() {
                run.paths(
                    &dir.display().to_string(),
                    std::slice::from_ref(&dir),
                    expect,
                )?;
            }
        }
    } else if options.format == Format::Human {
        writeln!(run.out, "(no corpus directory here; pass --corpus DIR)")?;
    }
    run.generated()?;
    if !options.paths.is_empty() {
        run.paths("given", &options.paths, Expect::Ga)?;
    }
    run.finish(&drift)
}

impl Run<'_> {
    fn header(&mut self, doc: &SpecDocument) -> io::Result<()> {
        let version = doc.openapi_version().unwrap_or("unknown version");
        let origin = ExtractSource::of(doc);
        match self.options.format {
            Format::Human => {
                writeln!(self.out, "spec: {} (OpenAPI {version})", doc.source())?;
                if let Some(commit) = &origin.commit {
                    writeln!(
                        self.out,
                        "from: {} {} at commit {commit}",
                        origin.repository, origin.file
                    )?;
                }
                let fixes = self.oracle.fixes();
                writeln!(self.out, "defect fixes applied ({}):", fixes.len())?;
                for fix in fixes {
                    writeln!(self.out, "  {fix}")?;
                }
                writeln!(self.out)?;
            }
            Format::Json => {
                let fixes: Vec<Value> = self
                    .oracle
                    .fixes()
                    .iter()
                    .map(|f| json!({"id": f.id, "description": f.description, "locations": f.locations}))
                    .collect();
                write!(
                    self.out,
                    "{{\"spec\":{},\"fixes\":{},\"frames\":[",
                    json!({"source": doc.source(), "openapi": version,
                           "embedded": doc.is_embedded(),
                           "from": {"repository": origin.repository, "file": origin.file,
                                    "commit": origin.commit}}),
                    Value::Array(fixes)
                )?;
            }
        }
        Ok(())
    }

    fn paths(&mut self, group: &str, paths: &[PathBuf], expect: Expect) -> io::Result<()> {
        let max = self.options.max_frame_bytes;
        self.groups.push((group.to_owned(), GroupTally::default()));
        for path in paths {
            let resolved = match input::resolve(path) {
                Ok(resolved) => resolved,
                Err(err) => {
                    self.input_error(err);
                    continue;
                }
            };
            for note in &resolved.not_followed {
                eprintln!("realtime-harness: note: {note}");
            }
            for err in resolved.errors {
                self.input_error(err);
            }
            for source in &resolved.sources {
                if *source == Source::Stdin && group != "given" {
                    continue;
                }
                let mut errors = Vec::new();
                input::each_frame(source, max, &mut |e| errors.push(e), &mut |at| {
                    let judged = self.judge(&at.frame);
                    self.record(group, at.source, at.line, expect, &judged, true)
                })?;
                for err in errors {
                    self.input_error(err);
                }
            }
        }
        Ok(())
    }

    fn generated(&mut self) -> io::Result<()> {
        if self.options.generate == 0 {
            return Ok(());
        }
        let group = format!("generated (seed {})", self.options.seed);
        self.groups.push((group.clone(), GroupTally::default()));
        let mut generator = Generator::new(self.options.seed, Vec::new(), None);
        for n in 1..=self.options.generate {
            let event = match generator.next_valid() {
                Ok(event) => event,
                Err(err) => {
                    self.input_error(InputError {
                        name: group.clone(),
                        message: err.to_string(),
                    });
                    break;
                }
            };
            let bytes = event.to_vec();
            let judged = self.judge(&Frame::Bytes(&bytes));
            let show = self.options.verbose;
            self.record(&group, &group, n, Expect::Ga, &judged, show)?;
        }
        Ok(())
    }

    fn input_error(&mut self, err: InputError) {
        eprintln!("realtime-harness: error: {err}");
        self.input_errors.push(err);
    }

    fn judge(&self, frame: &Frame<'_>) -> Judged {
        // The oracle below validates against the client union, so the checker judges the
        // same family; every finding is kept, since the `null-member` ones are
        // removed from the frame to compare it again.
        let checker = frame.verdict(
            self.options.max_frame_bytes,
            Some(Family::Client),
            usize::MAX,
        );
        let (value, not_json) = match frame {
            Frame::Bytes(bytes) => match serde_json::from_slice::<Value>(bytes) {
                Ok(value) => (Some(value), None),
                Err(err) => (None, Some(err.to_string())),
            },
            Frame::Oversized(len) => (None, Some(format!("{len} bytes, not read"))),
            Frame::Empty => (None, Some("empty".to_owned())),
        };
        let schema = value.map(|value| {
            let (ga_valid, violations) = match self.oracle.validate_ga(&value) {
                Ok(()) => (true, Vec::new()),
                Err(violations) => (
                    false,
                    violations
                        .iter()
                        .take(MAX_VIOLATIONS)
                        .map(ToString::to_string)
                        .collect(),
                ),
            };
            let ga_without_nulls = !ga_valid && self.valid_without_nulls(&value, &checker);
            let mut verdict = SchemaVerdict {
                ga_valid,
                ga_without_nulls,
                violations,
                ga: Vec::new(),
                legacy: Vec::new(),
                beta: Vec::new(),
            };
            for schema in self.oracle.matching_schemas(&value) {
                let list = match schema.family {
                    SchemaFamily::Ga => &mut verdict.ga,
                    SchemaFamily::Legacy => &mut verdict.legacy,
                    SchemaFamily::Beta => &mut verdict.beta,
                };
                list.push(schema.name.clone());
            }
            verdict
        });
        Judged {
            not_json,
            schema,
            checker,
        }
    }

    /// Whether `frame` satisfies the GA union once the members the checker
    /// reported as `null-member` are removed.
    fn valid_without_nulls(&self, frame: &Value, checker: &Verdict) -> bool {
        let nulls: Vec<&str> = checker
            .report
            .findings
            .iter()
            .filter(|f| f.rule == Rule::NullMember)
            .map(|f| f.pointer.as_str())
            .collect();
        if nulls.is_empty() {
            return false;
        }
        let mut cleaned = frame.clone();
        for pointer in nulls {
            let Some((parent, member)) = pointer.rsplit_once('/') else {
                continue;
            };
            let member = member.replace("~1", "/").replace("~0", "~");
            if let Some(Value::Object(object)) = cleaned.pointer_mut(parent) {
                object.remove(&member);
            }
        }
        self.oracle.is_valid_ga(&cleaned)
    }

    fn record(
        &mut self,
        group: &str,
        source: &str,
        line: u64,
        expect: Expect,
        judged: &Judged,
        show: bool,
    ) -> io::Result<()> {
        let conforms = judged.checker.outcome.conforms();
        let schema = judged.schema.as_ref();
        let ga = schema.is_some_and(|s| s.ga_valid);
        let tolerated = schema.is_some_and(|s| s.ga_without_nulls);
        let any_schema = schema
            .is_some_and(|s| ga || !s.ga.is_empty() || !s.legacy.is_empty() || !s.beta.is_empty());
        let expected = match expect {
            Expect::SomeSchema => (any_schema || tolerated) && conforms,
            Expect::Ga => (ga || tolerated) && conforms,
            Expect::Rejected => !conforms,
        };
        {
            let tally = &mut self
                .groups
                .last_mut()
                .expect("a group is open while recording")
                .1;
            tally.frames += 1;
            match schema {
                None => tally.not_json += 1,
                Some(s) => {
                    tally.ga += u64::from(ga);
                    tally.ga_without_nulls += u64::from(tolerated);
                    tally.legacy += u64::from(!s.legacy.is_empty());
                    tally.beta += u64::from(!s.beta.is_empty());
                    tally.no_schema += u64::from(!any_schema && !tolerated);
                    // Beta-era frames the checker tolerates are labelled, not counted.
                    let legacy = !s.legacy.is_empty();
                    tally.schema_only_rejects +=
                        u64::from(!ga && !tolerated && !legacy && conforms);
                    tally.checker_only_rejects += u64::from(ga && !conforms);
                }
            }
            tally.checker_conforms += u64::from(conforms);
            tally.unexpected += u64::from(!expected);
        }
        let place = if source == group {
            format!("{group} #{line}")
        } else {
            format!("{source}:{line}")
        };
        if !expected {
            let why = match expect {
                Expect::SomeSchema if !any_schema && !tolerated => {
                    "satisfies no client event schema"
                }
                Expect::Ga if !ga && !tolerated => "fails the GA schema",
                Expect::Rejected => "the checker accepts a frame of corpus/invalid",
                _ => "the checker rejects it",
            };
            self.unexpected.push(format!("{place}: {why}"));
        }
        match self.options.format {
            Format::Human if show || !expected => {
                let line = human_line(&place, judged);
                writeln!(self.out, "{line}")
            }
            Format::Human => Ok(()),
            Format::Json => {
                let mut record = json!({
                    "group": group,
                    "source": source,
                    "line": line,
                    "type": judged.checker.event_type,
                    "json": schema.is_some(),
                    "checker": {"outcome": judged.checker.outcome, "conforms": conforms},
                    "expected": expected,
                });
                if let Some(s) = schema {
                    record["ga_valid"] = json!(s.ga_valid);
                    record["ga_valid_without_nulls"] = json!(s.ga_without_nulls);
                    record["schemas"] = json!({"ga": s.ga, "legacy": s.legacy, "beta": s.beta});
                    if !s.violations.is_empty() {
                        record["ga_violations"] = json!(s.violations);
                    }
                }
                let sep = if self.first_record { "\n" } else { ",\n" };
                self.first_record = false;
                write!(self.out, "{sep}{record}")
            }
        }
    }

    /// `drift`: the client family's, then the server family's.
    fn finish(self, drift: &[Drift; 2]) -> io::Result<Status> {
        let status = if !self.input_errors.is_empty() {
            Status::Usage
        } else if self.unexpected.is_empty() {
            Status::Success
        } else {
            Status::Nonconformance
        };
        match self.options.format {
            Format::Human => {
                group_table(self.out, &self.groups)?;
                for (family, drift) in Family::ALL.into_iter().zip(drift) {
                    drift_report(self.out, drift, family)?;
                }
                if self.unexpected.is_empty() {
                    writeln!(self.out, "every frame is as expected")?;
                } else {
                    let n = self.unexpected.len() as u64;
                    let verb = if n == 1 { "is" } else { "are" };
                    writeln!(self.out, "{} {verb} not as expected:", frames(n))?;
                    for line in &self.unexpected {
                        writeln!(self.out, "  {line}")?;
                    }
                }
            }
            Format::Json => {
                let end = if self.first_record { "" } else { "\n" };
                let groups: BTreeMap<&str, &GroupTally> =
                    self.groups.iter().map(|(n, t)| (n.as_str(), t)).collect();
                let tail = json!({
                    "groups": groups,
                    "drift": drift_json(&drift[0]),
                    "server_drift": drift_json(&drift[1]),
                    "unexpected": self.unexpected,
                    "input_errors": self.input_errors.iter()
                        .map(|e| json!({"source": e.name, "message": e.message}))
                        .collect::<Vec<_>>(),
                    "as_expected": status == Status::Success,
                });
                write!(self.out, "{end}]")?;
                if let Value::Object(tail) = tail {
                    for (key, value) in tail {
                        write!(self.out, ",{}:{}", Value::String(key), value)?;
                    }
                }
                writeln!(self.out, "}}")?;
            }
        }
        self.out.flush()?;
        Ok(status)
    }
}

fn human_line(place: &str, judged: &Judged) -> String {
    let ty = &judged.checker.event_type;
    let checker = judged.checker.outcome.as_str();
    let Some(s) = &judged.schema else {
        let why = judged.not_json.as_deref().unwrap_or("unreadable");
        return format!("{place}: {ty}: not JSON ({why}); checker {checker}");
    };
    let list = |names: &[String]| {
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    let mut line = format!("{place}: {ty}: GA {}", list(&s.ga));
    if s.ga_without_nulls {
        line.push_str(" (GA-valid once the explicit nulls the checker warns about are dropped)");
    }
    if !s.legacy.is_empty() {
        line.push_str(&format!("; legacy {}", list(&s.legacy)));
    }
    line.push_str(&format!("; beta-era {}; checker {checker}", list(&s.beta)));
    if let Some(first) = s.violations.first().filter(|_| !s.ga_without_nulls) {
        line.push_str(&format!(" (GA schema: {first})"));
    }
    line
}

fn group_table(out: &mut dyn Write, groups: &[(String, GroupTally)]) -> io::Result<()> {
    let width = groups
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .max("frames of".len());
    writeln!(out)?;
    writeln!(
        out,
        "{:<width$}  {:>6}  {:>6}  {:>8}  {:>6}  {:>8}  {:>6}  {:>8}  {:>10}  {:>10}",
        "frames of",
        "frames",
        "GA",
        "GA-nulls",
        "legacy",
        "beta-era",
        "none",
        "not JSON",
        "checker ok",
        "unexpected"
    )?;
    for (name, t) in groups {
        writeln!(
            out,
            "{name:<width$}  {:>6}  {:>6}  {:>8}  {:>6}  {:>8}  {:>6}  {:>8}  {:>10}  {:>10}",
            t.frames,
            t.ga,
            t.ga_without_nulls,
            t.legacy,
            t.beta,
            t.no_schema,
            t.not_json,
            t.checker_conforms,
            t.unexpected
        )?;
    }
    writeln!(out)?;
    for (name, t) in groups {
        if t.schema_only_rejects + t.checker_only_rejects > 0 {
            writeln!(
                out,
                "{name}: the GA schema rejects {} the checker accepts, and accepts {} the checker rejects",
                frames(t.schema_only_rejects),
                frames(t.checker_only_rejects)
            )?;
        }
    }
    Ok(())
}

fn frames(n: u64) -> String {
    if n == 1 {
        "1 frame".to_owned()
    } else {
        format!("{n} frames")
    }
}
