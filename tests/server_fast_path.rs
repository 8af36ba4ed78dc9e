//! The server fast path agrees with the serde path.
//!
//! [`ServerEvent::from_slice`] and [`ServerEventRef::from_slice`] read
//! `response.output_audio.delta` frames of the common shape with the
//! scanner and leave everything else to serde; [`check_agreement`] states
//! that both give exactly what [`ServerEvent::from_slice_serde`] gives,
//! event or error, and that the fast writers give serde_json's bytes. Here
//! it runs on generated frames near the scanner's edges: member order and
//! whitespace, each member missing, `null` or of another JSON type, integers
//! in every spelling serde_json reads or refuses, escapes, unknown and
//! repeated members, and every truncation.
//!
//! Deterministic: the seed is fixed unless `PROPTEST_RNG_SEED` names one;
//! failures are kept in `proptest-regressions/server_fast_path.txt`.

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
use realtime_harness::events::server_ref::check_agreement;
use realtime_harness::{ServerEvent, ServerEventRef};

const RNG_SEED: u64 = 0x5e4e_0a7d_10f0_0011;

fn config() -> Config {
    let mut config = Config::default();
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(RNG_SEED);
    }
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 2048;
    }
    if config.failure_persistence.is_some() {
        config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/server_fast_path.txt"
        ))));
    }
    config
}

fn agree(frame: &[u8]) {
    if let Err(why) = check_agreement(frame) {
        panic!("{why}\nframe: {:?}", String::from_utf8_lossy(frame));
    }
}

const PLAIN: &str = r#"{"type":"response.output_audio.delta","event_id":"event_1","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"UklGRg=="}"#;

#[test]
fn the_common_shape_is_borrowed_and_written_back_byte_for_byte() {
    agree(PLAIN.as_bytes());
    let event = ServerEventRef::from_slice(PLAIN.as_bytes()).unwrap();
    let audio = event.audio().expect("an audio delta");
    let borrowed = audio.as_bytes().as_ptr();
    let inside = PLAIN.as_bytes().as_ptr_range();
    assert!(inside.contains(&borrowed), "the audio was copied");
    assert_eq!(event.to_vec(), PLAIN.as_bytes());
    assert_eq!(
        ServerEvent::from_slice(PLAIN.as_bytes()).unwrap().to_vec(),
        PLAIN.as_bytes()
    );
}

#[test]
fn every_truncation_agrees() {
    for end in 0..=PLAIN.len() {
        agree(&PLAIN.as_bytes()[..end]);
    }
}

/// One member's value in some spelling, valid or not.
fn value_for(name: &'static str) -> impl Strategy<Value = String> {
    let ints = prop_oneof![
        Just("0".to_owned()),
        Just("7".to_owned()),
        Just("01".to_owned()),
        Just("-1".to_owned()),
        Just("-0".to_owned()),
        Just("1.0".to_owned()),
        Just("1e2".to_owned()),
        Just("9223372036854775807".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("123456789012345678".to_owned()),
        Just("\"3\"".to_owned()),
        Just("null".to_owned()),
    ];
    let strings = prop_oneof![
        Just("\"event_1\"".to_owned()),
        Just("\"a\\\"b\\u00e9\"".to_owned()),
        Just("\"\\ud800\"".to_owned()),
        Just("null".to_owned()),
        Just("5".to_owned()),
        Just("\"\"".to_owned()),
    ];
    let audio = prop_oneof![
        Just("\"UklGRg==\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("\"Ukl\\/Rg==\"".to_owned()),
        Just("\"Ukl Rg==\"".to_owned()),
        Just("\"not base64!\"".to_owned()),
        Just("\"é\"".to_owned()),
        Just("null".to_owned()),
        Just("[1]".to_owned()),
    ];
    match name {
        "output_index" | "content_index" => ints.boxed(),
        "delta" => audio.boxed(),
        _ => strings.boxed(),
    }
}

const MEMBERS: [&str; 7] = [
    "type",
    "event_id",
    "response_id",
    "item_id",
    "output_index",
    "content_index",
    "delta",
];

fn frame() -> impl Strategy<Value = String> {
    let members = MEMBERS.map(|name| {
        let value: BoxedStrategy<String> = if name == "type" {
            prop_oneof![
                4 => Just("\"response.output_audio.delta\"".to_owned()),
                1 => Just("\"response.output_text.delta\"".to_owned()),
            ]
            .boxed()
        } else {
            value_for(name).boxed()
        };
        // Present (mostly), absent, or present twice.
        (value, 0..10u8).prop_map(move |(v, n)| match n {
            0 => Vec::new(),
            1 => vec![(name, v.clone()), (name, v)],
            _ => vec![(name, v)],
        })
    });
    (
        members,
        any::<u64>(),
        prop::bool::weighted(0.1),
        prop::collection::vec(prop_oneof![Just(""), Just(" "), Just("\n\t")], 16),
    )
        .prop_map(|(members, order, unknown, spaces)| {
            let mut all: Vec<(&str, String)> = members.into_iter().flatten().collect();
            if unknown {
                all.push(("obfuscation", "\"x\"".to_owned()));
            }
            // A fixed permutation from the seed, so that shrinking keeps it.
            let n = all.len();
            for i in (1..n).rev() {
                let j = (order.rotate_left(i as u32) % (i as u64 + 1)) as usize;
                all.swap(i, j);
            }
            let mut out = String::from("{");
            for (i, (name, value)) in all.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(spaces[i % spaces.len()]);
                out.push_str(&format!(
                    "\"{name}\":{}{value}",
                    spaces[(i + 3) % spaces.len()]
                ));
            }
            out.push('}');
            out
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_frames_agree(frame in frame()) {
        agree(frame.as_bytes());
    }
}
