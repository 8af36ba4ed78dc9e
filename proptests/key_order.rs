//! Property 6, key order: any order of the members of every object, at every
//! depth, union tags last included, parses to the same event.

use proptest::prelude::*;
use realtime_harness::fuzzing::FrameEvent;
use realtime_harness::ClientEvent;
use serde_json::Value;

/// `frame`, written as text, parses to `event` of its family.
pub fn parses_back<E: FrameEvent>(frame: &Value, event: &E) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(frame).expect("a Value serializes");
    let parsed = E::from_slice(text.as_bytes());
    prop_assert_eq!(parsed.as_ref(), Ok(event), "frame: {}", text);
    Ok(())
}

/// The member order properties of the family `$event`, with failures kept
/// in the `$suite` regressions file.
macro_rules! member_order_properties {
    ($suite:literal, $event:ty) => {
        proptest! {
            #![proptest_config(suite_config!($suite))]

            #[test]
            fn any_member_order_parses_to_the_same_event(
                event in $crate::bridge::arbitrary::<$event>(),
                seed in any::<u64>(),
            ) {
                let mut frame = $crate::fidelity::frame_of(&event);
                $crate::mutation::permute_members(&mut frame, &mut realtime_harness::rng::SplitMix64::new(seed));
                $crate::key_order::parses_back(&frame, &event)?;
            }

            #[test]
            fn tags_last_at_every_depth_parse_to_the_same_event(
                event in $crate::bridge::arbitrary::<$event>(),
            ) {
                let mut frame = $crate::fidelity::frame_of(&event);
                $crate::mutation::tags_last(&mut frame);
                $crate::key_order::parses_back(&frame, &event)?;
            }
        }
    };
}
pub(crate) use member_order_properties;

member_order_properties!("key_order", ClientEvent);
