//! Generators for server event members where a derived value would not be
//! valid on the wire: server-style ids, time offsets, and the session as
//! the server reports it.

use arbitrary::{Result, Unstructured};

use crate::model::audio::Voice;
use crate::model::session::{RealtimeSessionObject, SessionConfig};

/// A server-style event id, `event_...`.
pub(crate) fn event_id(u: &mut Unstructured) -> Result<String> {
    prefixed(u, "event_")
}

/// An id with a prefix and up to 24 alphanumerics.
fn prefixed(u: &mut Unstructured, prefix: &str) -> Result<String> {
    let tail: String = u
        .arbitrary::<String>()?
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(24)
        .collect();
    Ok(format!("{prefix}{tail}"))
}

/// A response id, `resp_...`.
pub(crate) fn response_id(u: &mut Unstructured) -> Result<String> {
    prefixed(u, "resp_")
}

/// An item id, `item_...`.
pub(crate) fn item_id(u: &mut Unstructured) -> Result<String> {
    prefixed(u, "item_")
}

/// A function call id, `call_...`.
pub(crate) fn call_id(u: &mut Unstructured) -> Result<String> {
    prefixed(u, "call_")
}

/// A time offset in seconds: finite and realistic.
pub(crate) fn seconds(u: &mut Unstructured) -> Result<f64> {
    crate::wire::arb::finite(u, 0.0, 3600.0)
}

/// A session as the server reports it: the members the client may send,
/// plus the `id` and `object` the response schemas require and an
/// `expires_at`.
pub(crate) fn session(u: &mut Unstructured) -> Result<Box<SessionConfig>> {
    let mut session: SessionConfig = u.arbitrary()?;
    let id = format!("sess_{}", u.int_in_range(0..=u32::MAX)?);
    let expires_at = Some(i64::from(u.int_in_range(1_700_000_000..=1_900_000_000u32)?));
    match &mut session {
        SessionConfig::Realtime(config) => {
            // The server's session gives its voice as a name (`VoiceIdsShared`).
            if let Some(output) = config.audio.as_mut().and_then(|a| a.output.as_mut()) {
                output.voice = output.voice.take().map(Voice::into_named);
            }
            config.object = Some(RealtimeSessionObject::RealtimeSession);
            config.id = Some(id);
            config.expires_at = expires_at;
        }
        SessionConfig::Transcription(config) => {
            config.object = Some("realtime.transcription_session".to_owned());
            config.id = Some(id);
            config.expires_at = expires_at;
        }
    }
    Ok(Box::new(session))
}
