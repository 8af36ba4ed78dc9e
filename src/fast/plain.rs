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
//! this crate free of `unsafe`: the one `unsafe` call that a run-time
//! feature dispatch needs lives there.

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
            if !all_plain_inline(&block[..BLOCK]) {
                let end = end_in(block)?;
                out.push_str(plain_str(&block[..end])?);
                return Some(offset + end);
            }
            out.push_str(plain_str(block)?);
            offset += BLOCK;
        }
        let end = end_in(blocks.remainder())?;
        out.push_str(plain_str(&blocks.remainder()[..end])?);
        Some(offset + end)
    }
}

/// Plain bytes as a `&str`. They are ASCII, so this cannot fail; the check
/// is the safe way to say so, and on a block that was just checked it runs
/// from the L1 cache (`simdutf8`'s vector pass: an ASCII block is one OR
/// per 64 bytes).
#[inline(always)]
fn plain_str(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
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
