//! Finding a member's value in the raw input by its JSON path, for errors
//! whose position serde_json could not know (see `ParseError::relocated`),
//! and naming a byte offset by line and column.

use super::raw::{element_start, member_start, skip_ws};

/// One step of a path as `serde_path_to_error` writes it.
#[derive(Debug, PartialEq)]
enum Step<'p> {
    Member(&'p str),
    Index(usize),
}

/// Splits `a.b[2].c` into steps; `None` when the path cannot be read back
/// unambiguously.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Step::Member(name));
        }
        while let Some(rest) = indices.strip_prefix('[') {
            let end = rest.find(']')?;
            out.push(Step::Index(rest[..end].parse().ok()?));
            indices = &rest[end + 1..];
        }
        if !indices.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// Byte offset in `input` of the value at `path`, if it is there.
pub(crate) fn value_offset(input: &[u8], path: &str) -> Option<usize> {
    let text = std::str::from_utf8(input).ok()?;
    let mut at = skip_ws(text, 0);
    for step in steps(path)? {
        at = match step {
            Step::Member(name) => member_start(text, at, name)?,
            Step::Index(index) => element_start(text, at, index)?,
        };
    }
    Some(at)
}

/// 1-based line and column of byte `offset` in `input`, the column counted
/// in bytes as serde_json counts it.
pub(crate) fn line_column(input: &[u8], offset: usize) -> (usize, usize) {
    let before = &input[..offset];
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_steps() {
        assert_eq!(
            steps("session.tools[1].parameters").unwrap(),
            [
                Step::Member("session"),
                Step::Member("tools"),
                Step::Index(1),
                Step::Member("parameters")
            ]
        );
        assert_eq!(
            steps("a[0][2]").unwrap(),
            [Step::Member("a"), Step::Index(0), Step::Index(2)]
        );
        assert!(steps("a[x]").is_none());
    }

    #[test]
    fn values_are_found_where_they_stand() {
        let input = br#"{"a": {"b": [10, {"c": "here"}]}, "d": 1}"#;
        let offset = value_offset(input, "a.b[1].c").unwrap();
        assert!(input[offset..].starts_with(b"\"here\""));
        assert!(value_offset(input, "a.b[5]").is_none());
        assert!(value_offset(input, "zz").is_none());
    }

    #[test]
    fn offsets_are_named_by_one_based_line_and_column() {
        assert_eq!(line_column(b"ab\ncd", 0), (1, 1));
        assert_eq!(line_column(b"ab\ncd", 2), (1, 3));
        assert_eq!(line_column(b"ab\ncd", 3), (2, 1));
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_column(b"ab\ncd", 5), (2, 3));
    }
}
