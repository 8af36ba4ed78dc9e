//! Property 6, key order: any order of the members of every object, at every
//! depth, union tags last included, parses to the same event.

use proptest::prelude::*;
use realtime_harness::rng::SplitMix64;
use realtime_harness::ClientEvent;

use crate::bridge::arbitrary;
use crate::fidelity::frame_of;
use crate::mutation::{permute_members, tags_last};

proptest! {
    #![proptest_config(suite_config!("key_order"))]

    #[test]
    fn any_member_order_parses_to_the_same_event(
        event in arbitrary::<ClientEvent>(),
        seed in any::<u64>(),
    ) {
        let mut frame = frame_of(&event);
        permute_members(&mut frame, &mut SplitMix64::new(seed));
        let text = serde_json::to_string(&frame).expect("a Value serializes");
        prop_assert_eq!(ClientEvent::from_slice(text.as_bytes()), Ok(event), "frame: {}", text);
    }

    #[test]
    fn tags_last_at_every_depth_parse_to_the_same_event(event in arbitrary::<ClientEvent>()) {
        let mut frame = frame_of(&event);
        tags_last(&mut frame);
        let text = serde_json::to_string(&frame).expect("a Value serializes");
        prop_assert_eq!(ClientEvent::from_slice(text.as_bytes()), Ok(event), "frame: {}", text);
    }
}
