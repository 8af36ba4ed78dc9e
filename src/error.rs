//! Parse errors that say where and what: the JSON path of the member that
//! failed, what was expected there, and the line and column in the input.

use std::fmt;

use crate::wire::locate;
use crate::wire::object::{join_path, split_nested};

/// Why a frame did not parse.
///
/// Displayed on one line, for example
/// `session.audio.input.format.rate: invalid type: string "x", expected u32 at line 1 column 83`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    path: String,
    message: String,
    line: usize,
    column: usize,
    category: ErrorCategory,
    /// The member was buffered before a late union tag, so serde_json's
    /// position is where the tag was read, not where the member is.
    buffered: bool,
}

/// The broad class of a [`ParseError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCategory {
    /// Not well-formed JSON (including trailing characters).
    Syntax,
    /// The input ended in the middle of a value.
    Eof,
    /// Well-formed JSON that is not a valid client event.
    Data,
    /// Reading the input failed.
    Io,
}

impl ParseError {
    /// The JSON path of the failing member (`session.tools[0].name`); empty
    /// for the frame itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What went wrong, without path or position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// 1-based line of the error in the input; 0 when unknown.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Column of the error in its line, as serde_json counts it: the number
    /// of bytes of the line read when the error was found (0 at the start of
    /// a line).
    pub fn column(&self) -> usize {
        self.column
    }

    /// The class of the error.
    pub fn category(&self) -> ErrorCategory {
        self.category
    }

    /// Nesting past serde_json's limit inside free-form JSON, which is kept
    /// as text and so not counted by serde_json: the same message, at the
    /// container one level too deep.
    pub(crate) fn too_deep(input: &[u8], path: &str, offset: usize) -> Self {
        let (line, column) = locate::line_column(input, offset);
        ParseError {
            path: bounded(path),
            message: crate::wire::raw::DEPTH_MESSAGE.to_owned(),
            line,
            column,
            category: ErrorCategory::Syntax,
            buffered: false,
        }
    }

    pub(crate) fn from_tracked(err: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let outer = err.path().to_string();
        Self::from_json(&outer, err.into_inner())
    }

    /// Builds the error from serde_json's, joining the path tracked outside
    /// with any path carried inside the message by buffered members.
    pub(crate) fn from_json(outer: &str, err: serde_json::Error) -> Self {
        let category = match err.classify() {
            serde_json::error::Category::Syntax => ErrorCategory::Syntax,
            serde_json::error::Category::Eof => ErrorCategory::Eof,
            serde_json::error::Category::Data => ErrorCategory::Data,
            serde_json::error::Category::Io => ErrorCategory::Io,
        };
        let (line, column) = (err.line(), err.column());
        let full = err.to_string();
        // serde_json appends the position to the message; it is kept apart here.
        let suffix = format!(" at line {line} column {column}");
        let bare = if line > 0 {
            full.strip_suffix(&suffix).unwrap_or(&full)
        } else {
            &full
        };
        let (inner, message) = split_nested(bare);
        let mut path = String::new();
        join_path(&mut path, outer);
        join_path(&mut path, inner);
        ParseError {
            path: bounded(&path),
            message: bounded(message),
            line,
            column: one_based_column(message, line, column),
            category,
            buffered: !inner.is_empty(),
        }
    }

    /// Points an error in a buffered member at that member's value in
    /// `input` (found again by its path) instead of at the late tag.
    pub(crate) fn relocated(mut self, input: &[u8]) -> Self {
        if self.buffered {
            if let Some(offset) = locate::value_offset(input, &self.path) {
                (self.line, self.column) = locate::line_column(input, offset);
            }
        }
        self
    }
}

/// serde_json counts the characters of the line it has consumed, so a column is the 1-based
/// column of the last character read. Two errors are raised before reading the character they
/// are about, and would point one to the left of it, at column 0 on a line's first character:
/// an array or object where something else was expected (serde_json only peeked at its `[` or
/// `{`), and input that ends at the start of a line. Both are moved onto the character (or,
/// at the end, the empty place) they are about, so that a column is always 1-based.
fn one_based_column(message: &str, line: usize, column: usize) -> usize {
    let peeked =
        message.starts_with("invalid type: sequence") || message.starts_with("invalid type: map");
    if line > 0 && (peeked || column == 0) {
        column + 1
    } else {
        column
    }
}

/// The most bytes of a path or message kept whole.
const MAX_TEXT: usize = 512;

/// serde quotes the offending value whole ("unknown variant `…`", "invalid
/// type: string \"…\""), so a megabyte in the wrong place would make a
/// megabyte error that a proxy then logs. Long texts keep their start and
/// end (where "expected …" stands) and say how much was left out.
///
/// serde also quotes member names and variants raw, so control characters
/// (a `\n` inside a member name is legal JSON) are escaped to keep the
/// error on one line.
fn bounded(text: &str) -> String {
    let text = escape_controls(text);
    if text.len() <= MAX_TEXT {
        return text.into_owned();
    }
    let head_end = floor_char_boundary(&text, MAX_TEXT / 2);
    let tail_start = ceil_char_boundary(&text, text.len() - MAX_TEXT / 2);
    format!(
        "{}… [{} bytes omitted] …{}",
        &text[..head_end],
        tail_start - head_end,
        &text[tail_start..]
    )
}

fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if self.line > 0 {
            write!(f, " at line {} column {}", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}
