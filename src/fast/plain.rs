//! Plain JSON string content, found and checked in one vectorizable pass.
//!
//! A byte is *plain* when it lies in `#`..=`~` (0x23..=0x7E) and is not a
//! backslash. A JSON string whose bytes are all plain has no escape, no
//! control character and no non-ASCII byte, so its value is its bytes, and
//! its end is the first byte that is not plain, which must be the closing
//! quote (0x22, just below the range). The base64 alphabet (`A-Z a-z 0-9 +
//! / =`) is plain, so audio as clients send it is found in one pass.
//!
//! The pass is plain Rust that the compiler vectorizes: per vector one
//! subtract and one unsigned max (the range) and one xor and one unsigned
//! min (the backslash), accumulated over a block and tested once per block.
//! A block that fails is searched again to tell the closing quote from a
//! byte that is not plain. `pulp` compiles the pass once more for AVX2 and
//! picks that copy at run time where the CPU has it. Baseline x86-64 only
//! guarantees SSE2, whose 16-byte vectors ran the pass at about 0.35× the
//! speed of a `memchr` pass on the development machine, against about 0.6×
//! for AVX2 (64 KiB and 1 MiB of audio). Dispatching through `pulp` keeps
//! the `unsafe` call that a run-time feature dispatch needs in that crate.
//!
//! The owned parse checks and copies block by block ([`plain_string_copy`]),
//! so each block is copied from the L1 cache right after its check, and
//! turns the checked bytes into `&str` without a second pass: the crate's
//! one audited `unsafe`, in `plain_str`.

/// The lowest plain byte, `#`: the quote (0x22) and everything below fail.
const LOW: u8 = b'#';
/// The highest plain byte, `~`: DEL and every non-ASCII byte fail.
const HIGH: u8 = b'~';
/// Bytes tested per block. Large blocks amortize the per-block test: the
/// compiler keeps several vector accumulators in a loop over the block.
/// Measured on the development machine (AVX2, best of 25 runs of 64 KiB and
/// 1 MiB strings), blocks of 256 bytes ran at 0.60× and 0.63× a `memchr`
/// pass, 2 KiB at 0.75× and 0.72×, 8 KiB at 0.87× and 0.77×. Only the block
/// holding the closing quote is read twice.
const BLOCK: usize = 8192;

/// True when every byte of `bytes` is plain.
pub(crate) fn all_plain(bytes: &[u8]) -> bool {
    pulp::Arch::new().dispatch(AllPlain(bytes))
}

/// The length of the plain string content at the start of `rest` (the
/// bytes after an opening quote): the index of the closing quote, when every
/// byte before it is plain. `None` when a byte that is not plain comes
/// first or there is no closing quote.
pub(crate) fn plain_string_len(rest: &[u8]) -> Option<usize> {
    pulp::Arch::new().dispatch(PlainStringLen(rest))
}

/// [`plain_string_len`] that also appends the content to `out`: the owned
/// parse's one copy of the audio. Each block is checked and then copied
/// while it is still in the L1 cache, so the frame is read from memory once,
/// as a `memcpy` reads it. On `None`, `out` holds an unspecified prefix.
pub(crate) fn plain_string_copy(rest: &[u8], out: &mut String) -> Option<usize> {
    pulp::Arch::new().dispatch(PlainStringCopy(rest, out))
}

/// [`all_plain`] as an operation `pulp` compiles for each instruction set.
struct AllPlain<'a>(&'a [u8]);

impl pulp::WithSimd for AllPlain<'_> {
    type Output = bool;

    // Inlined into pulp's per-instruction-set functions, so the compiler
    // vectorizes the loops with that instruction set.
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> bool {
        all_plain_inline(self.0)
    }
}

/// [`plain_string_len`] as an operation `pulp` compiles for each
/// instruction set.
struct PlainStringLen<'a>(&'a [u8]);

impl pulp::WithSimd for PlainStringLen<'_> {
    type Output = Option<usize>;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> Option<usize> {
        plain_string_len_inline(self.0)
    }
}

/// [`plain_string_copy`] as an operation `pulp` compiles for each
/// instruction set.
struct PlainStringCopy<'a, 'o>(&'a [u8], &'o mut String);

impl pulp::WithSimd for PlainStringCopy<'_, '_> {
    type Output = Option<usize>;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> Option<usize> {
        let PlainStringCopy(rest, out) = self;
        out.reserve(rest.len());
        let mut blocks = rest.chunks_exact(BLOCK);
        let mut offset = 0;
        for block in &mut blocks {
            // The fixed length lets the compiler unroll the check.
            let Some(text) = plain_str(&block[..BLOCK]) else {
                let end = memchr::memchr(b'"', block)?;
                out.push_str(plain_str(&block[..end])?);
                return Some(offset + end);
            };
            out.push_str(text);
            offset += BLOCK;
        }
        let block = blocks.remainder();
        let end = memchr::memchr(b'"', block)?;
        out.push_str(plain_str(&block[..end])?);
        Some(offset + end)
    }
}

/// `bytes` as a `&str` when every byte is plain, `None` otherwise: the
/// check and the conversion in one place.
///
/// The crate's one `unsafe` (see `src/lib.rs`), audited here. Plain bytes
/// lie in 0x23..=0x7E, so they are ASCII and any run of them is UTF-8; the
/// `unsafe` only skips a second pass that would say so again. Measured side
/// by side on the development machine (owned parse of an append frame,
/// best of many interleaved bursts, against a copy of the frame; two runs):
/// with this conversion the parse ran at 0.74-0.79× the copy at 64 KiB of
/// audio and 0.83-0.85× at 1 MiB, against 0.56-0.59× and 0.62-0.64× with
/// `simdutf8`'s vector check (the fastest safe one; `std::str::from_utf8`
/// was slower still) in its place. At 15 MiB memory bandwidth decides and
/// the two were within 10% of each other.
/// Soundness rests on [`all_plain_inline`] alone, which the tests below
/// hold to its byte-at-a-time definition for every byte value at every
/// position of a block.
#[inline(always)]
#[allow(unsafe_code)]
fn plain_str(bytes: &[u8]) -> Option<&str> {
    if !all_plain_inline(bytes) {
        return None;
    }
    debug_assert!(bytes.is_ascii());
    // SAFETY: every byte is plain (checked just above), so in 0x23..=0x7E:
    // ASCII, and a sequence of ASCII bytes is valid UTF-8.
    Some(unsafe { std::str::from_utf8_unchecked(bytes) })
}

#[inline(always)]
fn all_plain_inline(bytes: &[u8]) -> bool {
    // `b - LOW` wraps every byte below LOW above HIGH - LOW, so one unsigned
    // max tests both ends of the range; `b ^ '\\'` is zero only for a
    // backslash, so one unsigned min finds it.
    let mut over = 0u8;
    let mut backslash = u8::MAX;
    for &b in bytes {
        over = over.max(b.wrapping_sub(LOW));
        backslash = backslash.min(b ^ b'\\');
    }
    // Both tests without a branch between them: one branch per block.
    (over <= HIGH - LOW) & (backslash != 0)
}

#[inline(always)]
fn plain_string_len_inline(rest: &[u8]) -> Option<usize> {
    let mut blocks = rest.chunks_exact(BLOCK);
    let mut offset = 0;
    for block in &mut blocks {
        // The fixed length lets the compiler unroll the block completely.
        if !all_plain_inline(&block[..BLOCK]) {
            return end_in(block).map(|i| offset + i);
        }
        offset += BLOCK;
    }
    end_in(blocks.remainder()).map(|i| offset + i)
}

/// The closing quote in a block that holds a byte that is not plain (or the
/// last, short block), if every byte before it is plain.
#[inline(always)]
fn end_in(block: &[u8]) -> Option<usize> {
    let quote = memchr::memchr(b'"', block)?;
    all_plain_inline(&block[..quote]).then_some(quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition of a plain byte.
    fn is_plain_byte(b: u8) -> bool {
        (LOW..=HIGH).contains(&b) && b != b'\\'
    }

    /// The byte-at-a-time definition the vectorized pass must agree with.
    fn reference_len(rest: &[u8]) -> Option<usize> {
        let end = rest.iter().position(|&b| !is_plain_byte(b))?;
        (rest[end] == b'"').then_some(end)
    }

    #[test]
    fn plain_bytes_are_exactly_the_printable_ascii_but_quote_space_bang_backslash() {
        let plain: Vec<u8> = (0..=255u8).filter(|&b| is_plain_byte(b)).collect();
        let expected: Vec<u8> = (0x23..=0x7Eu8).filter(|&b| b != b'\\').collect();
        assert_eq!(plain, expected);
        for b in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=" {
            assert!(is_plain_byte(*b), "{}", *b as char);
        }
    }

    #[test]
    fn every_byte_value_at_every_block_position_agrees_with_the_reference() {
        // Lengths around block boundaries, each byte value planted at the
        // start, middle and end of the content, before the closing quote.
        for len in [
            0,
            1,
            15,
            16,
            17,
            255,
            256,
            257,
            BLOCK - 1,
            BLOCK,
            BLOCK + 1,
            2 * BLOCK + 31,
        ] {
            let base: Vec<u8> = (0..len).map(|i| b"AZaz09+/="[i % 9]).collect();
            let mut positions = vec![0, len / 2, len.saturating_sub(1)];
            positions.dedup();
            for pos in positions {
                for value in 0..=255u8 {
                    let mut rest = base.clone();
                    if pos < len {
                        rest[pos] = value;
                    }
                    rest.extend_from_slice(b"\"}");
                    let expected = reference_len(&rest);
                    let at = format!("len {len} pos {pos} byte {value:#04x}");
                    // The dispatched copy (AVX2 where the CPU has it) and
                    // the baseline copy.
                    assert_eq!(plain_string_len(&rest), expected, "{at}");
                    assert_eq!(plain_string_len_inline(&rest), expected, "{at}");
                    // The copying scan finds the same end and copies
                    // exactly the content.
                    let mut copy = String::new();
                    assert_eq!(plain_string_copy(&rest, &mut copy), expected, "{at}");
                    if let Some(end) = expected {
                        assert_eq!(copy.as_bytes(), &rest[..end], "{at}");
                    }
                    let content = &rest[..rest.len() - 2];
                    let all = content.iter().all(|&b| is_plain_byte(b));
                    assert_eq!(all_plain(content), all, "{at}");
                    assert_eq!(all_plain_inline(content), all, "{at}");
                }
            }
        }
    }

    /// The crate allows `unsafe` in one place only (`plain_str`, above);
    /// a second use must be argued for and measured like that one, and
    /// then listed here.
    #[test]
    fn unsafe_appears_only_in_plain_str() {
        // Built from pieces so that this test does not find itself.
        let patterns = [
            ("block", ["unsafe", " {"].concat()),
            ("fn", ["unsafe", " fn"].concat()),
            ("impl", ["unsafe", " impl"].concat()),
            ("allow", ["allow(", "unsafe_code)"].concat()),
        ];
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        let mut dirs = vec![root.join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("a source file");
                    let file = path.strip_prefix(&root).unwrap().display().to_string();
                    for line in text.lines() {
                        for (what, pattern) in &patterns {
                            if line.contains(pattern.as_str()) {
                                found.push(format!("{file}: {what}"));
                            }
                        }
                    }
                }
            }
        }
        found.sort();
        assert_eq!(
            found,
            ["src/fast/plain.rs: allow", "src/fast/plain.rs: block"],
            "unsafe outside its one audited place"
        );
    }

    #[test]
    fn no_closing_quote_is_none() {
        assert_eq!(plain_string_len(b""), None);
        assert_eq!(plain_string_len(&[b'A'; 700]), None);
        assert_eq!(plain_string_len(&vec![b'A'; BLOCK * 2]), None);
    }

    #[test]
    fn first_quote_ends_the_string() {
        for len in [300, BLOCK + 300] {
            let mut rest = vec![b'Q'; len];
            rest.extend_from_slice(b"\"AAAA\"");
            assert_eq!(plain_string_len(&rest), Some(len));
            let mut copy = String::new();
            assert_eq!(plain_string_copy(&rest, &mut copy), Some(len));
            assert_eq!(copy.as_bytes(), &rest[..len]);
        }
    }
}
