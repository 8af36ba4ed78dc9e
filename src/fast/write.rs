//! Writing `input_audio_buffer.append` frames without escaping the audio.

use crate::wire::ExtraMembers;

use super::plain;

/// The JSON serde_json writes for an append event, written directly when
/// the audio is plain (so serde_json would copy it unescaped) and there are
/// no unknown members; `None` otherwise. The bytes are serde_json's: the
/// same member order (`type`, `event_id`, `audio`) and compact form.
pub(crate) fn append_frame(
    event_id: Option<&str>,
    audio: &[u8],
    extra: &ExtraMembers,
) -> Option<Vec<u8>> {
    if !extra.is_empty() || !plain::all_plain(audio) {
        return None;
    }
    const HEAD: &[u8] = br#"{"type":"input_audio_buffer.append""#;
    let id_room = event_id.map_or(0, |id| id.len() + 16);
    let mut out = Vec::with_capacity(HEAD.len() + id_room + audio.len() + 16);
    out.extend_from_slice(HEAD);
    if let Some(id) = event_id {
        out.extend_from_slice(br#","event_id":"#);
        serde_json::to_writer(&mut out, id).ok()?;
    }
    out.extend_from_slice(br#","audio":""#);
    out.extend_from_slice(audio);
    out.extend_from_slice(br#""}"#);
    Some(out)
}
