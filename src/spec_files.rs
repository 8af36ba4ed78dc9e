//! Where the official schema comes from: the structure-only extract committed in
//! `spec/realtime.schema.json` and embedded in the crate, so that every reader works with no
//! file at all, or an OpenAPI document the user names (`--spec`, `REALTIME_HARNESS_SPEC`).

use std::path::PathBuf;

/// The environment variable naming an OpenAPI document to read instead of the embedded
/// extract: a newer `openapi.json`/`openapi.yaml` download, or the full reference document.
pub const SPEC_PATH_ENV: &str = "REALTIME_HARNESS_SPEC";

/// Where the extract lives in the repository (and the label it carries in messages).
pub const EMBEDDED_SPEC_PATH: &str = "spec/realtime.schema.json";

/// The structure-only extract of OpenAI's OpenAPI document (`spec/realtime.schema.json`),
/// made by `realtime-harness schema extract`; see `spec/README.md` for its source and license.
pub const EMBEDDED_SPEC: &str = include_str!("../spec/realtime.schema.json");

/// Where CI lays out the full reference document, relative to the crate's root.
pub const FULL_DOCUMENT_BESIDE: &str = "../shared/spec/openai-realtime.openapi.json";

/// The document `$REALTIME_HARNESS_SPEC` names, when it is set and not empty.
pub fn spec_override() -> Option<PathBuf> {
    std::env::var_os(SPEC_PATH_ENV)
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

/// The full OpenAPI document to compare the extract with: `$REALTIME_HARNESS_SPEC` when set,
/// else the reference copy beside this crate's checkout ([`FULL_DOCUMENT_BESIDE`]) when it
/// exists. `None` on a bare clone: only the drift test reads this.
pub fn full_document_path() -> Option<PathBuf> {
    spec_override().or_else(|| {
        let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(FULL_DOCUMENT_BESIDE);
        beside.is_file().then_some(beside)
    })
}
