//! Where frames come from: files (`.json`: one frame; anything else: one
//! frame per line), directories (recursively, their `.json` and `.jsonl`
//! files), and stdin (one frame per line). Lines are read one at a time,
//! and a line longer than the frame limit is skipped without being held in
//! memory, so a capture of any size streams through in bounded memory.
//!
//! Walks end and never block: a directory is walked once however many
//! symlinks lead to it (a symlink back to a directory being walked is a loop,
//! reported once by its path), a file is read once however many names it
//! has, and FIFOs, sockets and devices are refused rather than opened unless
//! the user asks for a stream (`-`, `--stream`).

use crate::check::verdict::{family_of, judge_keeping, Outcome, Verdict};
use crate::events::Family;
use std::collections::HashSet;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// One input the user named, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input, one frame per line.
    Stdin,
    /// A `.json` file: one frame (which may span lines).
    JsonFile(PathBuf),
    /// Any other file: one frame per line.
    JsonLinesFile(PathBuf),
    /// A FIFO, socket or device named on the command line with `--stream`:
    /// one frame per line, read as stdin is, waiting for a writer if need be.
    Stream(PathBuf),
}

impl Source {
    /// The name used in messages: the path, or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_owned(),
            Source::JsonFile(p) | Source::JsonLinesFile(p) | Source::Stream(p) => {
                p.display().to_string()
            }
        }
    }

    /// True when reading may wait on another process (a pipe, a terminal).
    fn is_stream(&self) -> bool {
        matches!(self, Source::Stdin | Source::Stream(_))
    }
}

/// A problem with an input itself (not with a frame in it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The path as the user gave it (or as found in a directory).
    pub name: String,
    /// What is wrong, in one line.
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// The sources one command-line path names.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The sources, in a stable order (directory entries sorted by name).
    pub sources: Vec<Source>,
    /// Files in directories that were not read: neither `.json`, `.jsonl`
    /// nor `.ndjson`.
    pub skipped: u64,
    /// Directories met again in the walk and not walked again: symlink
    /// loops, and other names of a directory already walked.
    pub not_followed: Vec<InputError>,
    /// Inputs found in the walk that cannot be read (FIFOs, devices and
    /// sockets named like frames, entries that vanished); the walk goes on.
    pub errors: Vec<InputError>,
}

/// Resolves one command-line path into sources, or says why it cannot
/// ([`Walker::resolve`], with no stream allowed and nothing seen before).
pub fn resolve(arg: &Path) -> Result<Resolved, InputError> {
    Walker::new(false).resolve(arg)
}

/// A file's identity: device and inode.
type FileId = (u64, u64);

fn file_id(meta: &Metadata) -> FileId {
    (meta.dev(), meta.ino())
}

/// Resolves the command line's paths, each directory and file once across
/// all of them.
#[derive(Debug, Default)]
pub struct Walker {
    /// Read FIFOs, sockets and devices named on the command line as streams.
    stream: bool,
    dirs: HashSet<FileId>,
    files: HashSet<FileId>,
}

impl Walker {
    /// A walker; with `stream`, non-regular files named on the command line
    /// are read as streams instead of refused (never ones met in a walk).
    pub fn new(stream: bool) -> Walker {
        Walker {
            stream,
            ..Walker::default()
        }
    }

    /// Resolves one command-line path into sources, or says why it cannot.
    pub fn resolve(&mut self, arg: &Path) -> Result<Resolved, InputError> {
        let mut resolved = Resolved::default();
        if arg == Path::new("-") {
            resolved.sources.push(Source::Stdin);
            return Ok(resolved);
        }
        let name = arg.display().to_string();
        let fail = |message: String| InputError {
            name: name.clone(),
            message,
        };
        let meta = std::fs::metadata(arg).map_err(|e| fail(io_message(&e)))?;
        if meta.is_dir() {
            if !self.dirs.insert(file_id(&meta)) {
                resolved.not_followed.push(fail(
                    "the same directory as one already walked; not walked again".to_owned(),
                ));
                return Ok(resolved);
            }
            let mut ancestors = Vec::new();
            self.walk(arg, file_id(&meta), &mut ancestors, &mut resolved);
            if resolved.sources.is_empty()
                && resolved.errors.is_empty()
                && resolved.not_followed.is_empty()
            {
                return Err(fail(
                    "directory holds no .json, .jsonl or .ndjson files".to_owned(),
                ));
            }
        } else if meta.is_file() {
            if self.files.insert(file_id(&meta)) {
                resolved.sources.push(file_source(arg));
            }
        } else if self.stream {
            resolved.sources.push(Source::Stream(arg.to_owned()));
        } else {
            return Err(fail(format!(
                "{}; not read (`--stream` reads it one frame per line, as stdin)",
                not_regular(&meta)
            )));
        }
        Ok(resolved)
    }

    /// Walks `dir` (identity `id`), whose ancestors in this walk are
    /// `ancestors`, in name order.
    fn walk(
        &mut self,
        dir: &Path,
        id: FileId,
        ancestors: &mut Vec<(FileId, PathBuf)>,
        found: &mut Resolved,
    ) {
        let error = |e: io::Error| InputError {
            name: dir.display().to_string(),
            message: io_message(&e),
        };
        let entries: io::Result<Vec<PathBuf>> = std::fs::read_dir(dir)
            .and_then(|entries| entries.map(|entry| entry.map(|e| e.path())).collect());
        let mut entries = match entries {
            Ok(entries) => entries,
            Err(e) => return found.errors.push(error(e)),
        };
        entries.sort();
        ancestors.push((id, dir.to_owned()));
        for path in entries {
            let named_as_frames = is_json(&path) || is_json_lines(&path);
            // Follows symlinks, as a user listing the directory would expect.
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(e) if named_as_frames => {
                    found.errors.push(InputError {
                        name: path.display().to_string(),
                        message: io_message(&e),
                    });
                    continue;
                }
                Err(_) => {
                    found.skipped += 1;
                    continue;
                }
            };
            let name = || path.display().to_string();
            if meta.is_dir() {
                let child = file_id(&meta);
                if let Some((_, ancestor)) = ancestors.iter().find(|(a, _)| *a == child) {
                    found.not_followed.push(InputError {
                        name: name(),
                        message: format!(
                            "a symlink loop back to {}; not followed",
                            ancestor.display()
                        ),
                    });
                } else if !self.dirs.insert(child) {
                    found.not_followed.push(InputError {
                        name: name(),
                        message: "the same directory as one already walked; not walked again"
                            .to_owned(),
                    });
                } else {
                    self.walk(&path, child, ancestors, found);
                }
            } else if !named_as_frames {
                found.skipped += 1;
            } else if !meta.is_file() {
                found.errors.push(InputError {
                    name: name(),
                    message: format!("{}; not read", not_regular(&meta)),
                });
            } else if self.files.insert(file_id(&meta)) {
                found.sources.push(file_source(&path));
            }
        }
        ancestors.pop();
    }
}

/// A regular file as a source: `.json` one frame, anything else one per line.
fn file_source(path: &Path) -> Source {
    if is_json(path) {
        Source::JsonFile(path.to_owned())
    } else {
        Source::JsonLinesFile(path.to_owned())
    }
}

/// What a file that is neither a regular file nor a directory is, in words.
fn not_regular(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_fifo() {
        "a FIFO (named pipe), not a regular file"
    } else if kind.is_socket() {
        "a socket, not a regular file"
    } else if kind.is_char_device() {
        "a character device, not a regular file"
    } else if kind.is_block_device() {
        "a block device, not a regular file"
    } else {
        "not a regular file"
    }
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

fn is_json_lines(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "jsonl" || e == "ndjson")
}

/// An I/O error as one lowercase line without the OS error number.
pub fn io_message(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_owned(),
                None => text,
            }
        }
    }
}

/// Opens a regular file without waiting: a FIFO or device put in its place
/// since it was resolved is refused, not waited on.
fn open_regular(path: &Path) -> io::Result<File> {
    // O_NONBLOCK makes opening a FIFO with no writer return at once; reads
    // from a regular file ignore it.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(not_regular(&meta)));
    }
    Ok(file)
}

/// Opens a source for reading lines.
pub fn open(source: &Source) -> io::Result<BufReader<Box<dyn Read>>> {
    const CAPACITY: usize = 1 << 20;
    let reader: Box<dyn Read> = match source {
        Source::Stdin => Box::new(io::stdin()),
        Source::Stream(p) => Box::new(File::open(p)?),
        Source::JsonFile(p) | Source::JsonLinesFile(p) => Box::new(open_regular(p)?),
    };
    Ok(BufReader::with_capacity(CAPACITY, reader))
}

/// One line of a JSON Lines input.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A line within the limit, without its line terminator.
    Frame {
        /// 1-based line number.
        number: u64,
        /// The line's bytes.
        bytes: &'a [u8],
    },
    /// A line over the limit; its bytes were skipped, not kept.
    Oversized {
        /// 1-based line number.
        number: u64,
        /// The line's length in bytes.
        len: u64,
    },
}

/// Reads lines of at most `max` bytes each from a `BufRead`.
pub struct Lines<R> {
    reader: R,
    max: usize,
    number: u64,
    buf: Vec<u8>,
    bytes_read: u64,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `reader`, each at most `max` bytes (terminator excluded).
    pub fn new(reader: R, max: usize) -> Self {
        Lines {
            reader,
            max,
            number: 0,
            buf: Vec::new(),
            bytes_read: 0,
        }
    }

    /// The number of the last line returned (0 before the first).
    pub fn line_number(&self) -> u64 {
        self.number
    }

    /// Total bytes consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The next line, `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        Ok(self.advance()?.map(|read| self.line(read)))
    }

    /// Reads the next line into `buf` (unless oversized): `None` at the end,
    /// else the line's length when it is oversized.
    fn advance(&mut self) -> io::Result<Option<Option<u64>>> {
        self.buf.clear();
        let mut len: u64 = 0;
        let mut oversized = false;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (i, true),
                None => (available.len(), false),
            };
            len += take as u64;
            if !oversized && len > self.max as u64 {
                oversized = true;
                self.buf = Vec::new();
            }
            if !oversized {
                self.buf.extend_from_slice(&available[..take]);
            }
            let consumed = if done { take + 1 } else { take };
            self.reader.consume(consumed);
            self.bytes_read += consumed as u64;
            if done {
                break;
            }
        }
        self.number += 1;
        if oversized {
            return Ok(Some(Some(len)));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Some(None))
    }

    /// The line [`Lines::advance`] read.
    fn line(&self, oversized: Option<u64>) -> Line<'_> {
        match oversized {
            Some(len) => Line::Oversized {
                number: self.number,
                len,
            },
            None => Line::Frame {
                number: self.number,
                bytes: &self.buf,
            },
        }
    }
}

impl<R: Read> Lines<BufReader<R>> {
    /// The next line, and whether reading the one after needs a read from
    /// the source (nothing more is buffered).
    pub fn next_line_drained(&mut self) -> io::Result<Option<(Line<'_>, bool)>> {
        let Some(read) = self.advance()? else {
            return Ok(None);
        };
        let drained = self.reader.buffer().is_empty();
        Ok(Some((self.line(read), drained)))
    }
}

/// Reads a whole `.json` file of at most `max` bytes; `Ok(Err(len))` when
/// it is larger (nothing beyond the limit is read).
pub fn read_json_file(path: &Path, max: usize) -> io::Result<Result<Vec<u8>, u64>> {
    let file = open_regular(path)?;
    let len = file.metadata()?.len();
    if len > max as u64 {
        return Ok(Err(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // The file may grow between the size check and the read.
    file.take(max as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > max {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

/// One frame as read, before any parsing.
#[derive(Debug)]
pub enum Frame<'a> {
    /// The frame's bytes (a whole `.json` file, or one line).
    Bytes(&'a [u8]),
    /// Larger than the limit; skipped unread.
    Oversized(u64),
    /// A `.json` file with nothing but whitespace in it.
    Empty,
}

impl Frame<'_> {
    /// The verdict on the frame as read, in the `forced` family when given,
    /// else in its own, keeping the first `keep` findings of each severity.
    pub(super) fn verdict(&self, max: usize, forced: Option<Family>, keep: usize) -> Verdict {
        // A frame left unread has no `type` to tell its family by: the default one judges it.
        let family = family_of(None, forced);
        match self {
            Frame::Bytes(bytes) => judge_keeping(bytes, forced, keep),
            Frame::Oversized(len) => Verdict::unread(
                family,
                Outcome::Oversized,
                format!("{len} bytes, more than --max-frame-bytes {max}; not parsed"),
            ),
            Frame::Empty => Verdict::unread(
                family,
                Outcome::ParseError,
                "the file holds no frame".to_owned(),
            ),
        }
    }
}

/// A frame and where it is.
#[derive(Debug)]
pub struct FrameAt<'a> {
    /// The source's display name.
    pub source: &'a str,
    /// 1-based line where the frame starts.
    pub line: u64,
    /// The frame.
    pub frame: Frame<'a>,
    /// Bytes of input consumed for this frame (for progress).
    pub input_bytes: u64,
    /// The source is a stream with nothing more buffered: the next frame
    /// may be long in coming, so what was read should be judged now.
    pub may_wait: bool,
}

/// Reads every frame of one source in order, calling `on_frame` for each
/// and `on_error` for a source that cannot be read. Blank lines of JSON
/// Lines inputs are skipped. Stops early when `on_frame` fails.
pub fn each_frame<E>(
    source: &Source,
    max: usize,
    on_error: &mut dyn FnMut(InputError),
    on_frame: &mut dyn FnMut(FrameAt<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let name = source.display_name();
    let fail = |message: String| InputError {
        name: name.clone(),
        message,
    };
    match source {
        Source::JsonFile(path) => match read_json_file(path, max) {
            Err(e) => on_error(fail(io_message(&e))),
            Ok(Err(len)) => on_frame(FrameAt {
                source: &name,
                line: 1,
                frame: Frame::Oversized(len),
                input_bytes: len,
                may_wait: false,
            })?,
            Ok(Ok(bytes)) => on_frame(FrameAt {
                source: &name,
                line: 1,
                frame: if bytes.iter().all(u8::is_ascii_whitespace) {
                    Frame::Empty
                } else {
                    Frame::Bytes(&bytes)
                },
                input_bytes: bytes.len() as u64,
                may_wait: false,
            })?,
        },
        Source::Stdin | Source::JsonLinesFile(_) | Source::Stream(_) => {
            let reader = match open(source) {
                Ok(r) => r,
                Err(e) => {
                    on_error(fail(io_message(&e)));
                    return Ok(());
                }
            };
            let mut lines = Lines::new(reader, max);
            loop {
                let (line, drained) = match lines.next_line_drained() {
                    Ok(Some(read)) => read,
                    Ok(None) => break,
                    Err(e) => {
                        let message = format!(
                            "read failed after line {}: {}",
                            lines.line_number(),
                            io_message(&e)
                        );
                        on_error(fail(message));
                        break;
                    }
                };
                // Progress counts each line and its newline.
                let (number, frame, input_bytes) = match line {
                    Line::Frame { bytes, .. } if bytes.iter().all(u8::is_ascii_whitespace) => {
                        continue
                    }
                    Line::Frame { number, bytes } => {
                        (number, Frame::Bytes(bytes), bytes.len() as u64 + 1)
                    }
                    Line::Oversized { number, len } => (number, Frame::Oversized(len), len + 1),
                };
                let may_wait = source.is_stream() && drained;
                on_frame(FrameAt {
                    source: &name,
                    line: number,
                    frame,
                    input_bytes,
                    may_wait,
                })?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], max: usize, capacity: usize) -> Vec<String> {
        let reader = BufReader::with_capacity(capacity, input);
        let mut lines = Lines::new(reader, max);
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            out.push(match line {
                Line::Frame { number, bytes } => {
                    format!("{number}:{}", String::from_utf8_lossy(bytes))
                }
                Line::Oversized { number, len } => format!("{number}:oversized {len}"),
            });
        }
        assert_eq!(lines.bytes_read(), input.len() as u64);
        out
    }

    #[test]
    fn lines_split_strip_cr_and_number_from_one() {
        for capacity in [1, 2, 3, 64] {
            assert_eq!(collect(b"ab\r\n\ncd", 10, capacity), ["1:ab", "2:", "3:cd"]);
            assert_eq!(collect(b"ab\n", 10, capacity), ["1:ab"]);
            assert!(collect(b"", 10, capacity).is_empty());
        }
    }

    #[test]
    fn long_lines_are_skipped_whole_and_reading_goes_on() {
        for capacity in [1, 4, 64] {
            assert_eq!(
                collect(b"abcdef\nxy\n0123456789abc", 5, capacity),
                ["1:oversized 6", "2:xy", "3:oversized 13"]
            );
            assert_eq!(collect(b"abcde\n", 5, capacity), ["1:abcde"]);
        }
    }
}
