//! The audio codec (`base64-simd` underneath) agrees with the scalar decoder
//! of the `base64` crate (`STANDARD`), the definition of standard padded
//! base64 this crate used before and the conformance checker judges by.
//!
//! Encoding gives the same text; decoding accepts exactly the same texts
//! (padding only at the end and only to a multiple of four, zero trailing
//! bits, nothing outside `A-Z a-z 0-9 + /`), with the same bytes or the same
//! error, through every entry point ([`Base64Audio::decode`],
//! [`Base64Audio::decode_into`], [`AudioRef::decode`],
//! [`AudioRef::decode_into`], [`AudioRef::decode_to_slice`]) and in the
//! checker's [`check_base64`]. The vector decoder alone is held to the same
//! accept set: the entry points fall back to the scalar decoder only to
//! describe an error, and must never need it to accept.
//!
//! ```text
//! cargo test --test base64_codec
//! PROPTEST_CASES=20000 cargo test --release --test base64_codec
//! ```
//!
//! Deterministic: the seed is fixed unless `PROPTEST_RNG_SEED` names one;
//! failures are kept in `proptest-regressions/base64_codec.txt`.

use base64::engine::general_purpose::STANDARD;
use base64::{DecodeSliceError, Engine as _};
use proptest::prelude::*;
use proptest::test_runner::Config;
use realtime_harness::check::check_base64;
use realtime_harness::fast::AudioRef;
use realtime_harness::Base64Audio;

#[macro_use]
mod proptest_support;

/// The seed used when `PROPTEST_RNG_SEED` is unset.
const RNG_SEED: u64 = 0xba5e_64c0_dec0_0014;

fn config() -> Config {
    file_config!(RNG_SEED, "base64_codec")
}

/// Every decoding entry point agrees with the scalar decoder on `text`.
fn decoders_agree(text: &str) {
    let expected = STANDARD.decode(text);
    let shown = || format!("{:?}", &text[..text.len().min(80)]);

    // The vector decoder on its own accepts exactly the same texts.
    let simd = base64_simd::STANDARD.decode_to_vec(text);
    assert_eq!(
        simd.is_ok(),
        expected.is_ok(),
        "base64-simd alone on {}",
        shown()
    );

    let audio = Base64Audio::new(text);
    assert_eq!(
        audio.decode(),
        expected,
        "Base64Audio::decode on {}",
        shown()
    );
    let audio_ref = AudioRef::borrowed(text);
    assert_eq!(
        audio_ref.decode(),
        expected,
        "AudioRef::decode on {}",
        shown()
    );

    // Appending: after what the buffer held, and nothing added on error.
    let mut out = b"kept".to_vec();
    let result = audio_ref.decode_into(&mut out);
    assert_eq!(result, expected.as_ref().map(|_| ()).map_err(Clone::clone));
    match &expected {
        Ok(bytes) => assert_eq!(&out[4..], &bytes[..], "decode_into on {}", shown()),
        Err(_) => assert_eq!(out, b"kept", "decode_into on {}", shown()),
    }
    let mut out = b"kept".to_vec();
    assert_eq!(audio.decode_into(&mut out).is_ok(), expected.is_ok());

    // Into a caller's buffer of the size the docs promise is enough.
    let mut buf = vec![0u8; text.len() / 4 * 3];
    let mut reference = buf.clone();
    let got = audio_ref.decode_to_slice(&mut buf);
    let want = STANDARD.decode_slice(text, &mut reference);
    assert_eq!(got, want, "decode_to_slice on {}", shown());
    // After an error the buffer's content is unspecified (both decoders may
    // have written part of it).
    if want.is_ok() {
        assert_eq!(buf, reference, "decode_to_slice on {}", shown());
    }

    // The checker judges by the same rules and gives the decoded length.
    assert_eq!(
        check_base64(text).ok(),
        expected.as_ref().ok().map(Vec::len),
        "check_base64 on {}: {:?}",
        shown(),
        check_base64(text)
    );
}

/// Characters that decide padding and trailing-bit cases: `A` (0), `Q`,
/// `g`, `w` (the four values whose low bits are zero or not), the two
/// symbols, padding, and bytes outside the alphabet.
const EDGE_CHARS: &[u8] = b"AQgwB/+=-_ \n";

/// Text near the decoder's edges: valid encodings (lengths around vector
/// widths), then one change: a character replaced (often by padding or a
/// byte outside the alphabet), one cut off, one added, or none.
fn text_near_valid() -> impl Strategy<Value = String> {
    let len = prop_oneof![0usize..40, 40usize..300, Just(1024), 4000usize..4200];
    (
        len.prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n)),
        0u8..4,
        any::<prop::sample::Index>(),
        prop::sample::select(EDGE_CHARS.to_vec()),
    )
        .prop_map(|(bytes, change, at, byte)| {
            let mut text = STANDARD.encode(&bytes).into_bytes();
            if !text.is_empty() {
                let i = at.index(text.len());
                match change {
                    0 => text[i] = byte,
                    1 => {
                        text.remove(i);
                    }
                    2 => text.insert(i, byte),
                    _ => {}
                }
            }
            String::from_utf8(text).expect("ASCII")
        })
}

/// Short text drawn from the edge characters and the whole alphabet.
fn short_text() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        3 => prop::sample::select(EDGE_CHARS.to_vec()),
        3 => prop::sample::select(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".to_vec()
        ),
        1 => Just(b'='),
    ];
    proptest::collection::vec(chars, 0..24).prop_map(|text| String::from_utf8(text).expect("ASCII"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn encoding_gives_the_scalar_encoders_text(bytes in proptest::collection::vec(any::<u8>(), 0..5000)) {
        let audio = Base64Audio::encode(&bytes);
        prop_assert_eq!(audio.as_str(), STANDARD.encode(&bytes));
        prop_assert_eq!(audio.decode(), Ok(bytes));
    }

    #[test]
    fn decoding_text_near_valid_agrees(text in text_near_valid()) {
        decoders_agree(&text);
    }

    #[test]
    fn decoding_short_text_agrees(text in short_text()) {
        decoders_agree(&text);
    }
}

/// Every text of four characters from [`EDGE_CHARS`], alone and after a
/// valid quantum: every padding and trailing-bit case of a final quantum.
#[test]
fn every_final_quantum_agrees() {
    let n = EDGE_CHARS.len();
    for code in 0..n.pow(4) {
        let quantum: String = (0..4)
            .map(|k| char::from(EDGE_CHARS[code / n.pow(k) % n]))
            .collect();
        decoders_agree(&quantum);
        decoders_agree(&format!("QUJD{quantum}"));
    }
}

#[test]
fn the_final_quantum_cases_include_both_verdicts() {
    // The exhaustive test above is only worth something if both verdicts
    // occur, including the padded and the non-canonical forms.
    for (text, ok) in [
        ("QQ==", true),
        ("QUI=", true),
        ("QR==", false),
        ("QUJ=", false),
        ("Q===", false),
        ("QQ=A", false),
        ("=QQQ", false),
        ("QQ-_", false),
        ("QUJDQQ", false),
    ] {
        assert_eq!(STANDARD.decode(text).is_ok(), ok, "{text}");
        decoders_agree(text);
    }
}

#[test]
fn a_short_buffer_is_reported_not_a_panic() {
    let text = STANDARD.encode([7u8; 100]);
    let mut buf = [0u8; 99];
    assert_eq!(
        AudioRef::borrowed(&text).decode_to_slice(&mut buf),
        Err(DecodeSliceError::OutputSliceTooSmall)
    );
    let mut buf = [0u8; 100];
    assert_eq!(AudioRef::borrowed(&text).decode_to_slice(&mut buf), Ok(100));
    assert_eq!(buf, [7u8; 100]);
}
