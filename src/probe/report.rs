//! What a probe run found, and its three renderings: `index.json` for
//! machines, a self-contained `index.html` for people (no script, no
//! network resource; each case's transcript behind a `<details>`), and
//! JUnit XML for CI systems.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::Serialize;

/// The sections of the cases, in order: number and name (a case id
/// starts with its section's number; the report groups by section).
pub const SECTIONS: &[(&str, &str)] = &[
    ("1", "Connection and authentication"),
    ("2", "Session"),
    ("3", "Input audio"),
    ("4", "Conversation items"),
    ("5", "Responses"),
    ("6", "Errors"),
    ("7", "Server events"),
    ("8", "Robustness"),
];

/// A case's grade, as Autobahn|Testsuite and h2spec grade theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Grade {
    /// The server does what the spec says.
    #[serde(rename = "OK")]
    Ok,
    /// It works, but deviates from the spec in a way clients tolerate.
    #[serde(rename = "NON-STRICT")]
    NonStrict,
    /// Reported, not judged.
    #[serde(rename = "INFORMATIONAL")]
    Informational,
    /// The server does not support the feature.
    #[serde(rename = "UNIMPLEMENTED")]
    Unimplemented,
    /// The server breaks the spec.
    #[serde(rename = "FAILED")]
    Failed,
}

impl Grade {
    /// Every grade, best first.
    pub const ALL: [Grade; 5] = [
        Grade::Ok,
        Grade::NonStrict,
        Grade::Informational,
        Grade::Unimplemented,
        Grade::Failed,
    ];

    /// `OK`, `NON-STRICT`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Ok => "OK",
            Grade::NonStrict => "NON-STRICT",
            Grade::Informational => "INFORMATIONAL",
            Grade::Unimplemented => "UNIMPLEMENTED",
            Grade::Failed => "FAILED",
        }
    }

    /// The CSS class of the grade in `index.html`.
    fn css(self) -> &'static str {
        match self {
            Grade::Ok => "ok",
            Grade::NonStrict => "nonstrict",
            Grade::Informational => "info",
            Grade::Unimplemented => "unimpl",
            Grade::Failed => "failed",
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way a transcript line went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Client to server.
    Sent,
    /// Server to client.
    Received,
    /// What the probe observed (handshakes, closes).
    Note,
}

/// One line of a transcript.
#[derive(Clone, Debug, Serialize)]
pub struct Exchange {
    /// Which of the case's connections (1 for the first).
    pub connection: u32,
    /// Which way.
    pub direction: Direction,
    /// Milliseconds since the case started.
    pub at_ms: f64,
    /// The frame, audio elided (`<N base64 chars>`).
    pub frame: String,
    /// What is wrong with a received frame (model, checker, schema).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
}

/// What a case is about: the columns of the case table, and of every
/// result.
#[derive(Clone, Debug, Serialize)]
pub struct About {
    /// Stable id, `section.number`.
    pub id: &'static str,
    /// One line.
    pub title: &'static str,
    /// What the spec requires, in our words.
    pub requirement: &'static str,
    /// The spec schema or event it comes from.
    pub spec: &'static str,
    /// The frames the case sends.
    pub sends: &'static str,
    /// What the case expects.
    pub expectation: &'static str,
}

/// One case's result.
#[derive(Clone, Debug, Serialize)]
pub struct CaseResult {
    /// The case.
    #[serde(flatten)]
    pub about: &'static About,
    /// The grade.
    pub grade: Grade,
    /// What happened.
    pub happened: String,
    /// How long the case took, in milliseconds.
    pub duration_ms: f64,
    /// The frames exchanged.
    pub transcript: Vec<Exchange>,
}

impl std::ops::Deref for CaseResult {
    type Target = About;
    fn deref(&self) -> &About {
        self.about
    }
}

/// A whole run.
#[derive(Clone, Debug, Serialize)]
pub struct ProbeReport {
    /// The server probed (`embedded serve` or its URL).
    pub target: String,
    /// Grades counted, in [`Grade::ALL`] order.
    pub summary: Vec<(Grade, usize)>,
    /// Every case run, in id order.
    pub cases: Vec<CaseResult>,
}

impl ProbeReport {
    /// A report of `cases` against `target`.
    pub fn new(target: String, cases: Vec<CaseResult>) -> Self {
        let summary = Grade::ALL
            .iter()
            .map(|g| (*g, cases.iter().filter(|c| c.grade == *g).count()))
            .collect();
        ProbeReport {
            target,
            summary,
            cases,
        }
    }

    /// True when no case FAILED (the exit status is 0).
    pub fn passed(&self) -> bool {
        self.cases.iter().all(|c| c.grade != Grade::Failed)
    }

    /// How many cases got `grade`.
    pub fn count(&self, grade: Grade) -> usize {
        self.cases.iter().filter(|c| c.grade == grade).count()
    }

    /// `index.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the report serializes")
    }

    /// Writes `index.json`, `index.html` and `junit.xml` into `dir`.
    pub fn write_dir(&self, dir: &Path) -> io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("index.json"), self.to_json())?;
        std::fs::write(dir.join("index.html"), self.to_html())?;
        std::fs::write(dir.join("junit.xml"), self.to_junit())
    }

    /// JUnit XML: one `testsuite` per section, one `testcase` per case;
    /// FAILED is a `failure`, UNIMPLEMENTED is `skipped`.
    pub fn to_junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let failures = self.count(Grade::Failed);
        let total: f64 = self.cases.iter().map(|c| c.duration_ms).sum::<f64>() / 1000.0;
        let _ = writeln!(
            out,
            "<testsuites name=\"realtime-harness probe\" tests=\"{}\" failures=\"{failures}\" time=\"{total:.3}\">",
            self.cases.len()
        );
        for (section, name, cases) in self.sections() {
            let _ = writeln!(
                out,
                "  <testsuite name=\"{section} {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
                xml(name),
                cases.len(),
                cases.iter().filter(|c| c.grade == Grade::Failed).count(),
                cases
                    .iter()
                    .filter(|c| c.grade == Grade::Unimplemented)
                    .count(),
            );
            for case in cases {
                let _ = write!(
                    out,
                    "    <testcase classname=\"probe.{section}\" name=\"{} {}\" time=\"{:.3}\">",
                    case.id,
                    xml(case.title),
                    case.duration_ms / 1000.0
                );
                match case.grade {
                    Grade::Failed => {
                        let _ = write!(
                            out,
                            "<failure message=\"{}\">{}</failure>",
                            xml(&case.happened),
                            xml(case.expectation)
                        );
                    }
                    Grade::Unimplemented => {
                        let _ = write!(out, "<skipped message=\"{}\"/>", xml(&case.happened));
                    }
                    grade => {
                        let _ = write!(
                            out,
                            "<system-out>{}: {}</system-out>",
                            grade,
                            xml(&case.happened)
                        );
                    }
                }
                out.push_str("</testcase>\n");
            }
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
        out
    }

    /// The sections that have cases: number, name, cases.
    pub fn sections(&self) -> impl Iterator<Item = (&'static str, &'static str, Vec<&CaseResult>)> {
        SECTIONS.iter().filter_map(|&(section, name)| {
            let cases: Vec<_> = self
                .cases
                .iter()
                .filter(|c| c.id.split('.').next() == Some(section))
                .collect();
            (!cases.is_empty()).then_some((section, name, cases))
        })
    }

    /// A self-contained page: a summary table by section (a column per
    /// grade), then each case, expandable to its transcript.
    pub fn to_html(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
             <title>realtime-harness probe report</title>\n<style>\n",
        );
        out.push_str(STYLE);
        out.push_str("</style></head><body>\n");
        let _ = writeln!(
            out,
            "<h1>realtime-harness probe</h1>\n<p class=\"target\">Target: <code>{}</code> &middot; {} cases &middot; <span class=\"verdict {}\">{}</span></p>",
            xml(&self.target),
            self.cases.len(),
            if self.passed() { "ok" } else { "failed" },
            if self.passed() { "no case FAILED" } else { "some cases FAILED" },
        );
        out.push_str("<table id=\"summary\"><thead><tr><th>section</th><th>cases</th>");
        for grade in Grade::ALL {
            let _ = write!(out, "<th class=\"{}\">{}</th>", grade.css(), grade);
        }
        out.push_str("</tr></thead><tbody>\n");
        for (section, name, cases) in self.sections() {
            let _ = write!(
                out,
                "<tr><td><a href=\"#s{section}\">{section}. {}</a></td><td>{}</td>",
                xml(name),
                cases.len()
            );
            for grade in Grade::ALL {
                let n = cases.iter().filter(|c| c.grade == grade).count();
                let class = if n > 0 { grade.css() } else { "zero" };
                let _ = write!(out, "<td class=\"{class}\">{n}</td>");
            }
            out.push_str("</tr>\n");
        }
        let _ = write!(
            out,
            "<tr class=\"total\"><td>all</td><td>{}</td>",
            self.cases.len()
        );
        for grade in Grade::ALL {
            let n = self.count(grade);
            let class = if n > 0 { grade.css() } else { "zero" };
            let _ = write!(
                out,
                "<td class=\"{class}\" id=\"total-{}\">{n}</td>",
                grade.css()
            );
        }
        out.push_str("</tr>\n</tbody></table>\n");
        for (section, name, cases) in self.sections() {
            let _ = writeln!(out, "<h2 id=\"s{section}\">{section}. {}</h2>", xml(name));
            for case in cases {
                case_html(&mut out, case);
            }
        }
        out.push_str("</body></html>\n");
        out
    }
}

fn case_html(out: &mut String, case: &CaseResult) {
    let _ = writeln!(
        out,
        "<details class=\"case\" id=\"c{}\"{}><summary><span class=\"grade {}\">{}</span> <b>{}</b> {} <span class=\"ms\">{:.0} ms</span></summary>",
        case.id,
        // A failure is what a reader came for: shown open.
        if case.grade == Grade::Failed { " open" } else { "" },
        case.grade.css(),
        case.grade,
        case.id,
        inline(case.title),
        case.duration_ms
    );
    let _ = writeln!(
        out,
        "<dl><dt>Requirement</dt><dd>{}</dd><dt>Spec</dt><dd><code>{}</code></dd><dt>Sends</dt><dd>{}</dd><dt>Expectation</dt><dd>{}</dd><dt>What happened</dt><dd>{}</dd></dl>",
        inline(case.requirement),
        xml(case.spec),
        inline(case.sends),
        inline(case.expectation),
        inline(&case.happened)
    );
    out.push_str(
        "<table class=\"transcript\"><tr><th>ms</th><th>conn</th><th></th><th>frame</th></tr>\n",
    );
    for exchange in &case.transcript {
        let arrow = match exchange.direction {
            Direction::Sent => "&rarr;",
            Direction::Received => "&larr;",
            Direction::Note => "&middot;",
        };
        let _ = write!(
            out,
            "<tr class=\"{:?}\"><td>{:.1}</td><td>{}</td><td>{arrow}</td><td><code>{}</code>",
            exchange.direction,
            exchange.at_ms,
            exchange.connection,
            xml(&exchange.frame)
        );
        for remark in &exchange.remarks {
            let _ = write!(out, "<div class=\"remark\">{}</div>", xml(remark));
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table></details>\n");
}

/// Escapes text for HTML, with `code` spans for the backquoted parts.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (n, part) in xml(text).split('`').enumerate() {
        if n % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    if text.matches('`').count() % 2 == 1 {
        // An unpaired backquote: plain text, as written.
        return xml(text);
    }
    out
}

/// Escapes text for HTML and XML content and attributes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\n\
table{border-collapse:collapse}\n\
#summary td,#summary th{border:1px solid #ccc;padding:4px 10px;text-align:right}\n\
#summary td:first-child,#summary th:first-child{text-align:left}\n\
#summary tr.total{font-weight:bold}\n\
.ok{background:#c8efc8}.nonstrict{background:#fff1b3}.info{background:#d6e6fb}\n\
.unimpl{background:#e4d4f4}.failed{background:#f7b9b9}.zero{color:#aaa}\n\
.grade{display:inline-block;min-width:9em;padding:1px 6px;border-radius:3px;font-size:12px;text-align:center}\n\
.verdict{padding:1px 6px;border-radius:3px}\n\
details.case{margin:2px 0;border-bottom:1px solid #eee}\n\
details.case dl{margin:6px 2em}details.case dt{font-weight:bold}\n\
.ms{color:#888;font-size:12px}\n\
table.transcript{margin:0 2em 1em;font-size:12px}\n\
table.transcript td{border-top:1px solid #eee;padding:1px 6px;vertical-align:top}\n\
table.transcript code{white-space:pre-wrap;word-break:break-all}\n\
tr.Sent td{background:#f4f8ff}tr.Note td{color:#777}\n\
.remark{color:#a00}\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            xml("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(xml("\u{1}"), "&#1;");
        assert_eq!(inline("a `<b>` c"), "a <code>&lt;b&gt;</code> c");
        assert_eq!(inline("odd ` one"), "odd ` one");
    }
}
