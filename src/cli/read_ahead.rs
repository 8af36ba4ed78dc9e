//! Reading ahead: a thread resolves the command line's paths and reads their
//! frames into batches, handed over a bounded channel to the thread that
//! judges them, so reading overlaps judging and memory stays bounded: at most
//! [`IN_FLIGHT`] batches wait, each of at most [`BATCH_BYTES`] (or one frame,
//! when a frame is larger) and [`BATCH_FRAMES`] frames.
//!
//! Everything the reader meets goes into the batches in the order it was met
//! (sources, frames, unreadable inputs, directories not walked again), so the
//! output keeps that order whatever the judging does.

use std::io;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;

use super::input::{self, Frame, FrameAt, InputError, Walker};

/// Most bytes of frames in one batch (a larger frame makes a batch alone).
pub const BATCH_BYTES: usize = 4 << 20;
/// Most frames in one batch: enough to share among the threads, few enough
/// that the first findings show early.
pub const BATCH_FRAMES: usize = 2048;
/// Batches read and waiting to be judged.
pub const IN_FLIGHT: usize = 2;

/// What the reader met, in order.
#[derive(Debug)]
pub enum Entry {
    /// A source was opened for reading (its display name).
    Source(String),
    /// A frame, its bytes in the batch's buffer.
    Frame(HeldFrame),
    /// An input that cannot be read.
    InputError(InputError),
    /// A directory met again in a walk and not walked again.
    NotFollowed(InputError),
    /// Files in directories that were not read (not `.json`, `.jsonl`, `.ndjson`).
    Skipped(u64),
}

/// A frame as read, with where it is.
#[derive(Debug)]
pub struct HeldFrame {
    /// The source's display name.
    pub source: Arc<str>,
    /// 1-based line where the frame starts.
    pub line: u64,
    /// Bytes of input consumed for this frame (for progress).
    pub input_bytes: u64,
    held: Held,
}

#[derive(Debug)]
enum Held {
    Bytes(Range<usize>),
    Oversized(u64),
    Empty,
}

/// Frames and what else the reader met, in order; the frames' bytes share
/// one buffer.
#[derive(Debug, Default)]
pub struct Batch {
    data: Vec<u8>,
    /// What was met, in order.
    pub entries: Vec<Entry>,
    frames: usize,
    /// The reader is done: no batch follows. A channel that closes without
    /// one means the reader died.
    pub last: bool,
}

impl Batch {
    /// The frame's bytes (or why there are none).
    pub fn frame(&self, held: &HeldFrame) -> Frame<'_> {
        match &held.held {
            Held::Bytes(range) => Frame::Bytes(&self.data[range.clone()]),
            Held::Oversized(len) => Frame::Oversized(*len),
            Held::Empty => Frame::Empty,
        }
    }

    fn push_frame(&mut self, source: &Arc<str>, at: &FrameAt<'_>) {
        let held = match at.frame {
            Frame::Bytes(bytes) => {
                let start = self.data.len();
                self.data.extend_from_slice(bytes);
                Held::Bytes(start..self.data.len())
            }
            Frame::Oversized(len) => Held::Oversized(len),
            Frame::Empty => Held::Empty,
        };
        self.frames += 1;
        self.entries.push(Entry::Frame(HeldFrame {
            source: Arc::clone(source),
            line: at.line,
            input_bytes: at.input_bytes,
            held,
        }));
    }

    fn is_full(&self) -> bool {
        self.data.len() >= BATCH_BYTES || self.frames >= BATCH_FRAMES
    }
}

/// What to read and how.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The command line's paths, in order (`-`: stdin).
    pub paths: Vec<PathBuf>,
    /// Largest frame (or line) kept, in bytes.
    pub max_frame_bytes: usize,
    /// Read FIFOs, sockets and devices named on the command line as streams.
    pub stream: bool,
}

/// Why the reader stopped early.
enum Halt {
    /// `stop` was set.
    Stopped,
    /// The judging side hung up.
    Closed,
}

/// Starts the reader thread; it stops between two frames once `stop` is
/// set, and when the receiver is dropped. It is not joined: a reader
/// blocked on a silent stream must not hold up an interrupted run.
pub fn spawn(options: ReadOptions, stop: Arc<AtomicBool>) -> io::Result<Receiver<Batch>> {
    let (tx, rx) = mpsc::sync_channel(IN_FLIGHT);
    std::thread::Builder::new()
        .name("check-reader".to_owned())
        .spawn(move || {
            let mut reader = Reader {
                tx,
                batch: Batch::default(),
                stop,
            };
            if reader.read(&options).is_ok() {
                reader.batch.last = true;
                let batch = std::mem::take(&mut reader.batch);
                let _ = reader.tx.send(batch);
            }
        })?;
    Ok(rx)
}

struct Reader {
    tx: SyncSender<Batch>,
    batch: Batch,
    stop: Arc<AtomicBool>,
}

impl Reader {
    fn read(&mut self, options: &ReadOptions) -> Result<(), Halt> {
        let mut walker = Walker::new(options.stream);
        let default = [PathBuf::from("-")];
        let paths = if options.paths.is_empty() {
            &default[..]
        } else {
            &options.paths[..]
        };
        for path in paths {
            self.check_stop()?;
            let resolved = match walker.resolve(path) {
                Ok(resolved) => resolved,
                Err(err) => {
                    self.batch.entries.push(Entry::InputError(err));
                    continue;
                }
            };
            let entries = &mut self.batch.entries;
            if resolved.skipped > 0 {
                entries.push(Entry::Skipped(resolved.skipped));
            }
            entries.extend(resolved.not_followed.into_iter().map(Entry::NotFollowed));
            entries.extend(resolved.errors.into_iter().map(Entry::InputError));
            for source in &resolved.sources {
                let name: Arc<str> = source.display_name().into();
                self.batch.entries.push(Entry::Source(name.to_string()));
                let mut errors = Vec::new();
                input::each_frame(
                    source,
                    options.max_frame_bytes,
                    &mut |e| errors.push(e),
                    &mut |at| {
                        self.check_stop()?;
                        self.batch.push_frame(&name, &at);
                        if self.batch.is_full() || at.may_wait {
                            self.send()?;
                        }
                        Ok(())
                    },
                )?;
                self.batch
                    .entries
                    .extend(errors.into_iter().map(Entry::InputError));
            }
        }
        Ok(())
    }

    fn check_stop(&self) -> Result<(), Halt> {
        if self.stop.load(Ordering::Relaxed) {
            Err(Halt::Stopped)
        } else {
            Ok(())
        }
    }

    fn send(&mut self) -> Result<(), Halt> {
        let batch = std::mem::take(&mut self.batch);
        self.tx.send(batch).map_err(|_| Halt::Closed)
    }
}
