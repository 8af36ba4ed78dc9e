//! Where frames come from: files (`.json`: one frame; anything else: one
//! frame per line), directories (recursively, their `.json` and `.jsonl`
//! files), and stdin (one frame per line). Lines are read one at a time,
//! and a line longer than the frame limit is skipped without being held in
//! memory, so a capture of any size streams through in bounded memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
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
}

impl Source {
    /// The name used in messages: the path, or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_owned(),
            Source::JsonFile(p) | Source::JsonLinesFile(p) => p.display().to_string(),
        }
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
}

/// Resolves one command-line path into sources, or says why it cannot.
pub fn resolve(arg: &Path) -> Result<Resolved, InputError> {
    if arg == Path::new("-") {
        return Ok(Resolved {
            sources: vec![Source::Stdin],
            skipped: 0,
        });
    }
    let name = arg.display().to_string();
    let meta = std::fs::metadata(arg).map_err(|e| InputError {
        name: name.clone(),
        message: io_message(&e),
    })?;
    let mut resolved = Resolved::default();
    if meta.is_dir() {
        walk_dir(arg, &mut resolved)?;
        if resolved.sources.is_empty() {
            return Err(InputError {
                name,
                message: "directory holds no .json, .jsonl or .ndjson files".to_owned(),
            });
        }
    } else if is_json(arg) {
        resolved.sources.push(Source::JsonFile(arg.to_owned()));
    } else {
        resolved.sources.push(Source::JsonLinesFile(arg.to_owned()));
    }
    Ok(resolved)
}

fn walk_dir(dir: &Path, found: &mut Resolved) -> Result<(), InputError> {
    let error = |e: io::Error| InputError {
        name: dir.display().to_string(),
        message: io_message(&e),
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(error)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(error)?;
    entries.sort();
    for path in entries {
        // Follows symlinks, as a user listing the directory would expect.
        if path.is_dir() {
            walk_dir(&path, found)?;
        } else if is_json(&path) {
            found.sources.push(Source::JsonFile(path));
        } else if path
            .extension()
            .is_some_and(|e| e == "jsonl" || e == "ndjson")
        {
            found.sources.push(Source::JsonLinesFile(path));
        } else {
            found.skipped += 1;
        }
    }
    Ok(())
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
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

/// Opens a source for reading lines.
pub fn open(source: &Source) -> io::Result<Box<dyn BufRead>> {
    const CAPACITY: usize = 1 << 20;
    Ok(match source {
        Source::Stdin => Box::new(BufReader::with_capacity(CAPACITY, io::stdin())),
        Source::JsonFile(p) | Source::JsonLinesFile(p) => {
            Box::new(BufReader::with_capacity(CAPACITY, File::open(p)?))
        }
    })
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
            return Ok(Some(Line::Oversized {
                number: self.number,
                len,
            }));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Some(Line::Frame {
            number: self.number,
            bytes: &self.buf,
        }))
    }
}

/// Reads a whole `.json` file of at most `max` bytes; `Ok(Err(len))` when
/// it is larger (nothing beyond the limit is read).
pub fn read_json_file(path: &Path, max: usize) -> io::Result<Result<Vec<u8>, u64>> {
    let file = File::open(path)?;
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
            })?,
        },
        Source::Stdin | Source::JsonLinesFile(_) => {
            let reader = match open(source) {
                Ok(r) => r,
                Err(e) => {
                    on_error(fail(io_message(&e)));
                    return Ok(());
                }
            };
            let mut lines = Lines::new(reader, max);
            loop {
                let line = match lines.next_line() {
                    Ok(Some(line)) => line,
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
                on_frame(FrameAt {
                    source: &name,
                    line: number,
                    frame,
                    input_bytes,
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
