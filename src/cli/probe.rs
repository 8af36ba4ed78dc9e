//! `realtime-harness probe`: runs the conformance cases ([`crate::probe`])
//! against a URL or the embedded server, prints a line per case and a
//! table by section (or the JSON or JUnit report), and writes the reports
//! with `--report DIR`. Exit 0 when no case FAILED, 1 when one did, 2 for
//! a usage error.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use super::gen::Generator;
use super::progress::Progress;
use super::Status;
use crate::probe::{self, Embedded, Grade, Options, ProbeReport, Target, CASES, SECTIONS};
use crate::serve::{Faults, Flaw, Flaws};

/// What the report on stdout looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ProbeFormat {
    /// A line per case, then a table by section.
    Text,
    /// `index.json`.
    Json,
    /// JUnit XML.
    Junit,
}

/// What `probe` was asked for.
pub struct ProbeOptions {
    /// The server; the embedded one when `None`.
    pub url: Option<String>,
    /// `--api-key` (else `OPENAI_API_KEY` for a URL).
    pub api_key: Option<String>,
    /// `--model`.
    pub model: Option<String>,
    /// `--ca`: a PEM file a `wss://` URL's certificate may chain to.
    pub ca: Option<PathBuf>,
    /// `--cases`, split at commas.
    pub cases: Vec<String>,
    /// `--report DIR`.
    pub report: Option<PathBuf>,
    /// `--format`.
    pub format: ProbeFormat,
    /// `--fuzz N`.
    pub fuzz: usize,
    /// `--seed` of the generated frames.
    pub seed: u64,
    /// `--timeout` in seconds.
    pub timeout: f64,
    /// Hidden `--flaw`: the embedded server's spec violations (mutants).
    pub flaws: Vec<Flaw>,
}

crate::serve::debug_hiding_key!(ProbeOptions {
    url, [api_key], model, ca, cases, report, format, fuzz, seed, timeout, flaws
} finish);

/// `--list`: the sections and their cases.
pub fn list(out: &mut dyn Write) -> io::Result<()> {
    for (section, name) in SECTIONS {
        writeln!(out, "{section}. {name}")?;
        for case in CASES
            .iter()
            .filter(|c| c.id.split('.').next() == Some(section))
        {
            writeln!(out, "  {:<5} {}", case.id, case.title)?;
        }
    }
    out.flush()
}

/// The text report: a line per case, then grades by section.
pub fn render_text(report: &ProbeReport, out: &mut dyn Write) -> io::Result<()> {
    for case in &report.cases {
        writeln!(
            out,
            "{:<5} {:<13} {}  ({})",
            case.id, case.grade, case.title, case.happened
        )?;
    }
    writeln!(out)?;
    write!(out, "{:<32} {:>5}", "section", "cases")?;
    for grade in Grade::ALL {
        write!(out, " {:>13}", grade.as_str())?;
    }
    writeln!(out)?;
    let mut rows: Vec<(String, Vec<&probe::CaseResult>)> = report
        .sections()
        .map(|(section, name, cases)| (format!("{section}. {name}"), cases))
        .collect();
    rows.push(("all".to_owned(), report.cases.iter().collect()));
    for (name, cases) in rows {
        write!(out, "{name:<32} {:>5}", cases.len())?;
        for grade in Grade::ALL {
            write!(
                out,
                " {:>13}",
                cases.iter().filter(|c| c.grade == grade).count()
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "target: {}", report.target)?;
    out.flush()
}

/// Runs the probe.
pub fn run(options: ProbeOptions) -> Status {
    if !(options.timeout.is_finite() && options.timeout > 0.0) {
        eprintln!("realtime-harness: error: --timeout must be a positive number of seconds");
        return Status::Usage;
    }
    if let Some(url) = &options.url {
        if !(url.starts_with("ws://") || url.starts_with("wss://")) {
            eprintln!("realtime-harness: error: the URL must start with ws:// or wss://");
            return Status::Usage;
        }
        if !options.flaws.is_empty() {
            eprintln!("realtime-harness: error: --flaw applies to the embedded server only");
            return Status::Usage;
        }
    } else if options.ca.is_some() {
        eprintln!("realtime-harness: error: --ca applies to a wss:// URL, not the embedded server");
        return Status::Usage;
    }
    let timeout = Duration::from_secs_f64(options.timeout);
    let target = match &options.url {
        Some(url) => {
            let key = options
                .api_key
                .clone()
                .or_else(|| std::env::var("OPENAI_API_KEY").ok());
            let target = Target::new(url, key, options.model.as_deref(), timeout);
            match &options.ca {
                Some(ca) => match target.with_ca(ca) {
                    Ok(target) => Some(target),
                    Err(err) => {
                        eprintln!("realtime-harness: error: --ca: {err}");
                        return Status::Usage;
                    }
                },
                None => Some(target),
            }
        }
        None => None,
    };
    let runtime = match super::live::runtime() {
        Ok(runtime) => runtime,
        Err(status) => return status,
    };
    let mut generator = Generator::new(options.seed, Vec::new(), None).plain();
    let probe_options = Options {
        cases: options.cases.clone(),
        fuzz: options.fuzz,
        frames: Some(Box::new(move || generator.next_frame().ok())),
    };
    let report = runtime.block_on(async {
        let (target, embedded) = match target {
            Some(target) => (target, None),
            None => {
                let flaws: Flaws = options.flaws.iter().copied().collect();
                match Embedded::start(Faults::NONE, flaws, timeout).await {
                    Ok(embedded) => (embedded.target.clone(), Some(embedded)),
                    Err(err) => return Err(format!("cannot start the embedded server: {err}")),
                }
            }
        };
        let mut progress = Progress::on_stderr();
        let report = probe::run(&target, probe_options, |case, n, total| {
            progress.show(|| format!("case {n}/{total}: {} {}", case.id, case.grade));
        })
        .await;
        progress.finish();
        if let Some(embedded) = embedded {
            embedded.stop().await;
        }
        Ok(report)
    });
    let report = match report {
        Ok(report) => report,
        Err(err) => {
            eprintln!("realtime-harness: error: {err}");
            return Status::Usage;
        }
    };
    if report.cases.is_empty() {
        eprintln!("realtime-harness: error: --cases selects no case (see --list)");
        return Status::Usage;
    }
    if let Some(dir) = &options.report {
        if let Err(err) = report.write_dir(dir) {
            eprintln!(
                "realtime-harness: error: cannot write the report into {}: {}",
                dir.display(),
                super::input::io_message(&err)
            );
            return Status::Usage;
        }
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let written = match options.format {
        ProbeFormat::Text => render_text(&report, &mut out),
        ProbeFormat::Json => writeln!(out, "{}", report.to_json()),
        ProbeFormat::Junit => write!(out, "{}", report.to_junit()),
    };
    if let Err(err) = written {
        if err.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("realtime-harness: error: writing the output failed: {err}");
            return Status::Usage;
        }
    }
    if report.passed() {
        Status::Success
    } else {
        Status::Nonconformance
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let options = ProbeOptions {
            url: Some("ws://127.0.0.1:1".into()),
            api_key: Some("sk-secret".into()),
            model: None,
            ca: None,
            cases: vec![],
            report: None,
            format: ProbeFormat::Text,
            fuzz: 0,
            seed: 1,
            timeout: 5.0,
            flaws: vec![],
        };
        let shown = format!("{options:?}");
        assert!(shown.contains(r#"api_key: Some("<set>")"#), "{shown}");
        assert!(!shown.contains("sk-secret"), "{shown}");
    }
}
