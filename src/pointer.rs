//! JSON Pointer reference tokens (RFC 6901): how findings, round-trip
//! changes and schema locations name a member.
//!
//! A token escapes `~` as `~0` and `/` as `~1` (RFC 6901 section 3);
//! unescaping turns `~1` into `/` before `~0` into `~`, so that `~01`
//! reads as `~1` (section 4).

/// Appends `/` and the escaped `token` to `pointer`.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    push_escaped(pointer, token);
}

/// `pointer` with `token` appended.
pub fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    push_token(&mut out, token);
    out
}

/// One reference token, escaped.
pub fn escape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

fn push_escaped(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// One reference token, unescaped.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Splits `/a/b~1c` into the parent pointer `/a` and the unescaped last
/// token `b/c`; `None` for a pointer without a `/` (the whole document).
pub fn split_last(pointer: &str) -> Option<(&str, String)> {
    let (parent, token) = pointer.rsplit_once('/')?;
    Some((parent, unescape(token)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_escape_and_unescape_as_the_rfc_says() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        // Section 4: `~01` is `~1`, not `/`.
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(escape("~1"), "~01");
        for token in ["", "plain", "~", "/", "~0", "~1", "//~~", "é/\u{0}"] {
            assert_eq!(unescape(&escape(token)), token);
        }
    }

    #[test]
    fn pointers_grow_and_split_by_token() {
        let mut pointer = String::new();
        push_token(&mut pointer, "session");
        push_token(&mut pointer, "a/b");
        push_token(&mut pointer, "0");
        assert_eq!(pointer, "/session/a~1b/0");
        assert_eq!(child("/session", "~x"), "/session/~0x");
        assert_eq!(split_last("/a/b~1c"), Some(("/a", "b/c".to_owned())));
        assert_eq!(split_last("/a"), Some(("", "a".to_owned())));
        assert_eq!(split_last(""), None);
    }
}
