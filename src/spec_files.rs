//! Where the official spec files are found: the OpenAPI document and the
//! cleaned official examples beside it. Reference data kept outside the
//! repository (CI lays it out as `../shared/spec/`), so every reader finds
//! it the same way.

use std::path::PathBuf;

/// The environment variable naming the OpenAPI document to read instead of the default.
pub const SPEC_PATH_ENV: &str = "REALTIME_HARNESS_SPEC";

/// Where the OpenAPI document is read from when the caller names none.
///
/// `$REALTIME_HARNESS_SPEC` when set (a user's own `openapi.json` or `openapi.yaml` download
/// works: only `components.schemas` is read); otherwise the Realtime extract in the `shared/spec/`
/// folder beside this crate's checkout, as CI lays it out.
pub fn default_spec_path() -> PathBuf {
    match std::env::var_os(SPEC_PATH_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("shared")
            .join("spec")
            .join("openai-realtime.openapi.json"),
    }
}

/// The cleaned official examples (one frame per `.json` file): the
/// `examples/` folder beside the document of [`default_spec_path`], else
/// `shared/spec/examples` beside this crate's checkout; `None` when neither
/// exists.
pub fn default_examples_dir() -> Option<PathBuf> {
    let beside = default_spec_path().parent().map(|p| p.join("examples"));
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples");
    beside.into_iter().chain([shared]).find(|dir| dir.is_dir())
}

/// The official example frames (`*.json` in [`default_examples_dir`]), in
/// name order; `None` when the folder is absent.
pub fn official_example_files() -> Option<Vec<PathBuf>> {
    let dir = default_examples_dir()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Some(files)
}
