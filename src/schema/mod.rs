//! The official-schema oracle: OpenAI's OpenAPI document, read as JSON Schema, judging frames.
//!
//! The model in this crate is written from the spec by hand; this module is the independent
//! second opinion. It reads the structure-only extract of the document that the crate embeds
//! ([`SpecDocument::embedded`], `spec/realtime.schema.json`), or an OpenAPI document the user
//! names (the `components.schemas` of OpenAI's `openapi.json`/`openapi.yaml`), repairs the
//! document's known defects ([`DefectFix`]) the same way in both, and compiles JSON Schema
//! 2020-12 validators for:
//!
//! - `RealtimeClientEvent`, the GA union of the eleven client events ([`SchemaOracle::validate_ga`]);
//! - each `RealtimeClientEvent*` event schema, including the legacy
//!   `RealtimeClientEventTranscriptionSessionUpdate` that the union leaves out;
//! - each beta-era `RealtimeBetaClientEvent*` schema ([`SchemaOracle::matching_schemas`]).
//!
//! [`schema_members`] lists, for a drift report, every member path of every GA client event
//! and the enum values the schema gives it.
//!
//! [`extract`] makes the extract from a full document (`realtime-harness schema extract`).
//! The extract keeps no description, title or example text; the full document's examples
//! ([`SpecDocument::examples`]) are read only where a user supplies it.

mod defects;
mod document;
pub mod drift;
mod extract;
mod members;
mod oracle;
mod refine;
mod walk;

use std::fmt;

pub use defects::{known_fix_ids, DefectFix};
pub use document::SpecDocument;
pub use drift::{compare_family, Drift};
pub use extract::{
    extract, extract_value, ExtractSource, EXTRACT_HEADER, NULL_BY_DESCRIPTION, REGENERATE_COMMAND,
    ROOT_PREFIXES,
};
pub use members::{members_of_schema, schema_members, schema_members_of, SchemaMember};
pub use oracle::{EventSchema, SchemaFamily, SchemaOracle};
pub use refine::SchemaViolation;

pub use crate::spec_files::{spec_override, EMBEDDED_SPEC_PATH, SPEC_PATH_ENV};

/// Why the OpenAPI document could not be used: one line that names the document and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    source: String,
    problem: SpecProblem,
}

/// What went wrong with the document; the [`SpecError`] says which document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpecProblem {
    /// The file could not be read (missing, a directory, no permission).
    Unreadable(String),
    /// The text is neither JSON nor YAML, or not the one its extension says.
    Syntax(String),
    /// The document (or `components`, or `components.schemas`) is not a JSON object.
    NotAnObject(&'static str),
    /// The document has no `components.schemas`, so it is no OpenAPI document we can read.
    MissingComponents,
    /// A schema the oracle needs is absent, or a `$ref` names a schema the document lacks.
    MissingSchema(String),
    /// A schema is not valid JSON Schema 2020-12 even after the defect fixes.
    Compile {
        /// The `components.schemas` name that failed.
        schema: String,
        /// What the JSON Schema compiler said.
        message: String,
    },
}

impl SpecError {
    pub(crate) fn new(source: impl Into<String>, problem: SpecProblem) -> Self {
        Self {
            source: source.into(),
            problem,
        }
    }

    /// The document the error is about: its path, or a label for a document built in memory.
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// What went wrong.
    pub fn problem(&self) -> &SpecProblem {
        &self.problem
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.source)?;
        match &self.problem {
            SpecProblem::Unreadable(why) => write!(f, "cannot read the OpenAPI document: {why}"),
            SpecProblem::Syntax(why) => write!(f, "not a JSON or YAML document: {why}"),
            SpecProblem::NotAnObject(what) => write!(f, "{what} is not an object"),
            SpecProblem::MissingComponents => f.write_str(
                "no `components.schemas`: expected OpenAI's OpenAPI document or a Realtime extract of it",
            ),
            SpecProblem::MissingSchema(what) => write!(f, "{what}"),
            SpecProblem::Compile { schema, message } => write!(
                f,
                "schema `{schema}` does not compile as JSON Schema 2020-12: {}",
                one_line(message)
            ),
        }
    }
}

impl std::error::Error for SpecError {}

/// Errors from parsers can span lines; ours are one line a user can act on.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
