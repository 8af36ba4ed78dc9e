//! `realtime-harness schema`: the official OpenAPI schema as a second
//! opinion, and the drift between it and the model.

use std::io::{self, Write};
use std::path::PathBuf;

use super::{Format, Status};

/// Options of `schema`.
pub struct SchemaOptions {
    /// The OpenAPI document.
    pub spec: PathBuf,
    /// More frames to validate.
    pub paths: Vec<PathBuf>,
    /// How many generated frames to validate.
    pub generate: u64,
    /// Seed of the generated frames.
    pub seed: u64,
    /// The corpus directory.
    pub corpus: PathBuf,
    /// Output format.
    pub format: Format,
    /// List every frame.
    pub verbose: bool,
    /// Largest frame parsed.
    pub max_frame_bytes: usize,
}

/// Runs `schema`.
pub fn run(_options: &SchemaOptions, _out: &mut dyn Write) -> io::Result<Status> {
    eprintln!("realtime-harness: error: `schema` is not implemented yet");
    Ok(Status::Usage)
}
