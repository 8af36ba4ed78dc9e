//! Property 6, key order: any order of the members of every object, at every
//! depth, union tags last included, parses to the same event.

use proptest::prelude::*;
use realtime_harness::fuzzing::FrameEvent;
use realtime_harness::rng::SplitMix64;
use realtime_harness::ClientEvent;
use serde_json::Value;

use crate::bridge::arbitrary;
use crate::fidelity::frame_of;
use crate::mutation::{permute_members, tags_last};

/// `frame`, written as text, parses to `event` of its family.
pub fn parses_back<E: FrameEvent>(frame: &Value, event: &E) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(frame).expect("a Value serializes");
    let parsed = E::from_slice(text.as_bytes());
    prop_assert_eq!(parsed.as_ref(), Ok(event), "frame: {}", text);
    Ok(())
}

proptest! {
    #![proptest_config(suite_config!("key_order"))]

    #[test]
    fn any_member_order_parses_to_the_same_event(
        event in arbitrary::<ClientEvent>(),
        seed in any::<u64>(),
    ) {
        let mut frame = frame_of(&event);
        permute_members(&mut frame, &mut SplitMix64::new(seed));
        parses_back(&frame, &event)?;
    }

    #[test]
    fn tags_last_at_every_depth_parse_to_the_same_event(event in arbitrary::<ClientEvent>()) {
        let mut frame = frame_of(&event);
        tags_last(&mut frame);
        parses_back(&frame, &event)?;
    }
}
