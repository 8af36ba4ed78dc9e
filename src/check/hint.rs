//! Hints for a `type` that is no GA event of the family a frame was judged
//! in: the other family, or the nearest GA name of either family.

use crate::events::{Family, RealtimeClientEvent, RealtimeServerEvent};

/// What to add to "`x` is not a GA <family> event type" for a frame judged in `judged_as`:
/// the other family, when `typed` is one of its GA types (a frame sent the wrong way, or a
/// forced `--direction`), else the nearest GA type of either family ([`nearest_event_type`]),
/// naming its family when it is the other one. Empty when nothing is near.
pub(super) fn type_hint(typed: &str, judged_as: Family) -> String {
    if let Some(other) = Family::of_type(typed).filter(|f| *f != judged_as) {
        return format!(
            "; it is a GA {} event type, and the frame was judged as a {} event",
            other.as_str(),
            judged_as.as_str()
        );
    }
    match nearest_event_type(typed) {
        Some((near, family)) if family != judged_as => {
            format!("; did you mean `{near}` (a {} event)?", family.as_str())
        }
        Some((near, _)) => format!("; did you mean `{near}`?"),
        None => String::new(),
    }
}

/// The GA event type a mistyped `type` most likely meant, with its family: the nearest wire
/// name of either family by edit distance (a server's type in a proxy log is as likely a slip
/// as a client's), when it is a slip of a few characters (at most 3, and less than a third of
/// the name) rather than another word; on a tie the first in the list, client names first.
pub(crate) fn nearest_event_type(typed: &str) -> Option<(&'static str, Family)> {
    let client = RealtimeClientEvent::WIRE_NAMES
        .iter()
        .map(|name| (*name, Family::Client));
    let server = RealtimeServerEvent::WIRE_NAMES
        .iter()
        .map(|name| (*name, Family::Server));
    let (distance, name, family) = client
        .chain(server)
        .map(|(name, family)| (edit_distance(typed, name), name, family))
        .min_by_key(|(d, _, _)| *d)?;
    (distance > 0 && distance <= 3 && distance * 3 < name.len()).then_some((name, family))
}

/// Levenshtein distance over characters (insert, delete, substitute, each 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_get_a_suggestion_and_other_words_do_not() {
        let client = |name| Some((name, Family::Client));
        assert_eq!(
            nearest_event_type("response.creat"),
            client("response.create")
        );
        assert_eq!(
            nearest_event_type("Response.Create"),
            client("response.create")
        );
        assert_eq!(
            nearest_event_type("session_update"),
            client("session.update")
        );
        assert_eq!(
            nearest_event_type("input_audio_buffer.apend"),
            client("input_audio_buffer.append")
        );
        assert_eq!(
            nearest_event_type("response.create"),
            None,
            "exact: no hint"
        );
        assert_eq!(nearest_event_type("nonsense.event"), None);
        assert_eq!(nearest_event_type("x"), None);
        assert_eq!(nearest_event_type("transcription_session.update"), None);
        assert_eq!(
            nearest_event_type("response.output_text.delt"),
            Some(("response.output_text.delta", Family::Server))
        );
    }

    #[test]
    fn hints_name_the_other_family() {
        let cases = [
            (
                "response.done",
                Family::Client,
                "; it is a GA server event type, and the frame was judged as a client event",
            ),
            (
                "session.update",
                Family::Server,
                "; it is a GA client event type, and the frame was judged as a server event",
            ),
            (
                "response.output_text.delt",
                Family::Client,
                "; did you mean `response.output_text.delta` (a server event)?",
            ),
            (
                "response.output_text.delt",
                Family::Server,
                "; did you mean `response.output_text.delta`?",
            ),
            ("nonsense.event", Family::Server, ""),
        ];
        for (typed, judged_as, hint) in cases {
            assert_eq!(
                type_hint(typed, judged_as),
                hint,
                "{typed} as {judged_as:?}"
            );
        }
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("response.creat", "response.create"), 1);
        assert_eq!(edit_distance("ü", "u"), 1);
    }
}
