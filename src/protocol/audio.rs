//! Audio as the protocol sees it: the sizes and durations of the session
//! formats (`RealtimeAudioFormats`: `audio/pcm` 24 kHz 16-bit mono, and the
//! 8 kHz G.711 `audio/pcmu` and `audio/pcma`), G.711 coding, the energy of
//! a window of samples for voice activity detection, and the synthetic
//! voice of responses.

use std::sync::OnceLock;

use crate::model::audio::{AudioFormat, AudioFormatType};

/// One of the three audio encodings the GA API speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `audio/pcm`: 16-bit little-endian PCM, 24 kHz, mono.
    Pcm16,
    /// `audio/pcmu`: G.711 μ-law, 8 kHz.
    Pcmu,
    /// `audio/pcma`: G.711 A-law, 8 kHz.
    Pcma,
}

impl Encoding {
    /// The encoding of a session format; a format without `type` is PCM
    /// (the spec's default).
    pub fn of(format: Option<&AudioFormat>) -> Encoding {
        match format.and_then(|f| f.r#type) {
            Some(AudioFormatType::Pcmu) => Encoding::Pcmu,
            Some(AudioFormatType::Pcma) => Encoding::Pcma,
            Some(AudioFormatType::Pcm) | None => Encoding::Pcm16,
        }
    }

    /// The wire format object for this encoding.
    pub fn format(self) -> AudioFormat {
        match self {
            Encoding::Pcm16 => AudioFormat::pcm(),
            Encoding::Pcmu => AudioFormat::pcmu(),
            Encoding::Pcma => AudioFormat::pcma(),
        }
    }

    /// The `type` string, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Pcm16 => "audio/pcm",
            Encoding::Pcmu => "audio/pcmu",
            Encoding::Pcma => "audio/pcma",
        }
    }

    /// Bytes per millisecond: 24 000 samples/s × 2 bytes = 48; G.711 8 000 × 1 = 8.
    pub const fn bytes_per_ms(self) -> usize {
        match self {
            Encoding::Pcm16 => 48,
            Encoding::Pcmu | Encoding::Pcma => 8,
        }
    }

    /// Bytes per sample.
    const fn sample_bytes(self) -> usize {
        match self {
            Encoding::Pcm16 => 2,
            Encoding::Pcmu | Encoding::Pcma => 1,
        }
    }

    /// The duration of `bytes` of this encoding, in whole milliseconds.
    pub fn duration_ms(self, bytes: usize) -> u64 {
        (bytes / self.bytes_per_ms()) as u64
    }

    /// The byte length of `ms` milliseconds.
    pub fn bytes_for_ms(self, ms: u64) -> usize {
        ms as usize * self.bytes_per_ms()
    }

    /// The RMS of a window, as a fraction of full scale (0.0 to 1.0).
    pub fn rms(self, window: &[u8]) -> f64 {
        let mut sum = 0.0f64;
        let mut n = 0usize;
        for sample in self.samples(window) {
            let x = f64::from(sample) / 32768.0;
            sum += x * x;
            n += 1;
        }
        if n == 0 {
            0.0
        } else {
            (sum / n as f64).sqrt()
        }
    }

    /// The linear samples of `bytes` (a trailing odd byte of PCM is ignored).
    pub fn samples(self, bytes: &[u8]) -> impl Iterator<Item = i16> + '_ {
        bytes
            .chunks_exact(self.sample_bytes())
            .map(move |chunk| match self {
                Encoding::Pcm16 => i16::from_le_bytes([chunk[0], chunk[1]]),
                Encoding::Pcmu => ulaw_decode(chunk[0]),
                Encoding::Pcma => alaw_decode(chunk[0]),
            })
    }

    /// Whether `bytes`, declared to be this encoding, look like another
    /// one. PCM16 must have an even length; G.711 audio that reads as
    /// quiet little-endian PCM16 (almost every odd byte `0x00` or `0xff`)
    /// is PCM16 sent to a G.711 session: real G.711 puts those values only
    /// at the extremes of the scale, so speech or silence never does this.
    pub fn mismatch(self, bytes: &[u8]) -> Option<&'static str> {
        match self {
            Encoding::Pcm16 if bytes.len() % 2 == 1 => {
                Some("an odd number of bytes cannot be 16-bit PCM")
            }
            Encoding::Pcm16 => None,
            Encoding::Pcmu | Encoding::Pcma => {
                if bytes.len() < 160 || bytes.len() % 2 == 1 {
                    return None;
                }
                let high = bytes.iter().skip(1).step_by(2);
                let quiet = high.filter(|&&b| b == 0x00 || b == 0xff).count();
                // G.711 silence is made of the codes next to zero, which
                // PCM16 low bytes almost never are.
                let silence_codes: &[u8] = if self == Encoding::Pcmu {
                    &[0xff, 0x7f]
                } else {
                    &[0xd5, 0x55]
                };
                let silence = bytes.iter().filter(|b| silence_codes.contains(b)).count();
                (quiet * 10 >= bytes.len() / 2 * 9 && silence * 2 < bytes.len())
                    .then_some("the bytes read as 16-bit PCM, not 8-bit G.711")
            }
        }
    }

    /// `ms` milliseconds of the synthetic voice, starting `offset_ms` into
    /// the response: a 220 Hz tone with a 4 Hz syllable envelope, so that
    /// it has the energy of speech and is audibly not silence. Both repeat
    /// every 250 ms (55 and 1 cycles), so one period is computed once and
    /// copied: responses stream hundreds of deltas a second under load.
    pub fn synthesize(self, offset_ms: u64, ms: u64) -> Vec<u8> {
        let period = self.voice_period();
        let start = self.bytes_for_ms(offset_ms % VOICE_PERIOD_MS);
        let len = self.bytes_for_ms(ms);
        let mut out = Vec::with_capacity(len);
        let mut at = start;
        while out.len() < len {
            let take = (len - out.len()).min(period.len() - at);
            out.extend_from_slice(&period[at..at + take]);
            at = 0;
        }
        out
    }

    /// One period of the synthetic voice in this encoding.
    fn voice_period(self) -> &'static [u8] {
        static PERIODS: [OnceLock<Vec<u8>>; 3] =
            [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = match self {
            Encoding::Pcm16 => 0,
            Encoding::Pcmu => 1,
            Encoding::Pcma => 2,
        };
        PERIODS[slot].get_or_init(|| {
            let rate: u64 = match self {
                Encoding::Pcm16 => 24_000,
                Encoding::Pcmu | Encoding::Pcma => 8_000,
            };
            let count = VOICE_PERIOD_MS * rate / 1000;
            let mut out = Vec::with_capacity(count as usize * self.sample_bytes());
            for i in 0..count {
                let t = i as f64 / rate as f64;
                let envelope = 0.55 + 0.45 * (2.0 * std::f64::consts::PI * 4.0 * t).sin();
                let sample =
                    (0.3 * envelope * (2.0 * std::f64::consts::PI * 220.0 * t).sin() * 32767.0)
                        as i16;
                match self {
                    Encoding::Pcm16 => out.extend_from_slice(&sample.to_le_bytes()),
                    Encoding::Pcmu => out.push(ulaw_encode(sample)),
                    Encoding::Pcma => out.push(alaw_encode(sample)),
                }
            }
            out
        })
    }
}

/// The period of the synthetic voice.
const VOICE_PERIOD_MS: u64 = 250;

/// G.711 μ-law to linear (ITU-T G.711, the bias-132 form).
pub fn ulaw_decode(byte: u8) -> i16 {
    let u = !byte;
    let t = ((i32::from(u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
    (if u & 0x80 != 0 { 0x84 - t } else { t - 0x84 }) as i16
}

/// Linear to G.711 μ-law.
pub fn ulaw_encode(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    const CLIP: i32 = 32_635;
    let mut x = i32::from(sample);
    let sign = if x < 0 {
        x = -x;
        0x80
    } else {
        0
    };
    x = x.min(CLIP) + BIAS;
    // The position of the highest set bit of `x >> 7` (0 to 7).
    let exponent = 7 - (x >> 7).leading_zeros().saturating_sub(24).min(7) as i32;
    let mantissa = (x >> (exponent + 3)) & 0x0f;
    !(sign | (exponent << 4) as u8 | mantissa as u8)
}

/// G.711 A-law to linear.
pub fn alaw_decode(byte: u8) -> i16 {
    let a = byte ^ 0x55;
    let mut t = i32::from(a & 0x0f) << 4;
    let segment = (a & 0x70) >> 4;
    match segment {
        0 => t += 8,
        1 => t += 0x108,
        _ => {
            t += 0x108;
            t <<= segment - 1;
        }
    }
    (if a & 0x80 != 0 { t } else { -t }) as i16
}

/// Linear to G.711 A-law (the segment search of the ITU-T reference coder).
pub fn alaw_encode(sample: i16) -> u8 {
    const SEGMENT_ENDS: [i32; 8] = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
    let mut x = i32::from(sample) >> 3;
    let mask = if x >= 0 {
        0xd5
    } else {
        x = -x - 1;
        0x55
    };
    let Some(segment) = SEGMENT_ENDS.iter().position(|&end| x <= end) else {
        return 0x7f ^ mask;
    };
    let shift = if segment < 2 { 1 } else { segment };
    let byte = ((segment as i32) << 4) | ((x >> shift) & 0x0f);
    byte as u8 ^ mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_the_format() {
        assert_eq!(Encoding::Pcm16.duration_ms(48_000), 1000);
        assert_eq!(Encoding::Pcmu.duration_ms(8_000), 1000);
        assert_eq!(Encoding::Pcma.bytes_for_ms(20), 160);
        assert_eq!(Encoding::of(None), Encoding::Pcm16);
        assert_eq!(Encoding::of(Some(&AudioFormat::pcmu())), Encoding::Pcmu);
    }

    #[test]
    fn g711_round_trips_within_its_quantization() {
        for sample in (-32_000i32..32_000).step_by(97) {
            let s = sample as i16;
            let u = ulaw_decode(ulaw_encode(s));
            let a = alaw_decode(alaw_encode(s));
            // G.711 keeps about 4 significant bits: the error grows with the magnitude.
            let tolerance = (i32::from(s).abs() / 16).max(16);
            assert!(
                (i32::from(u) - sample).abs() <= tolerance,
                "μ-law {s} -> {u}"
            );
            assert!(
                (i32::from(a) - sample).abs() <= tolerance,
                "A-law {s} -> {a}"
            );
        }
        assert_eq!(ulaw_decode(0xff), 0);
        assert_eq!(ulaw_encode(0), 0xff);
    }

    #[test]
    fn synthetic_voice_has_speech_energy_in_every_format() {
        for encoding in [Encoding::Pcm16, Encoding::Pcmu, Encoding::Pcma] {
            let audio = encoding.synthesize(0, 100);
            assert_eq!(audio.len(), encoding.bytes_for_ms(100));
            let rms = encoding.rms(&audio);
            assert!(rms > 0.05 && rms < 0.5, "{encoding:?}: {rms}");
        }
        assert_eq!(Encoding::Pcm16.rms(&[0; 480]), 0.0);
        // Continuous across calls and across the cached period.
        let whole = Encoding::Pcm16.synthesize(0, 700);
        let mut pieces = Encoding::Pcm16.synthesize(0, 230);
        pieces.extend(Encoding::Pcm16.synthesize(230, 470));
        assert_eq!(whole, pieces);
    }

    #[test]
    fn mismatch_spots_pcm_sent_as_g711() {
        let pcm = Encoding::Pcm16.synthesize(0, 40);
        assert!(Encoding::Pcmu.mismatch(&vec![0u8; 960]).is_some());
        assert!(Encoding::Pcmu
            .mismatch(&Encoding::Pcmu.synthesize(0, 40))
            .is_none());
        assert!(
            Encoding::Pcmu.mismatch(&[0xff; 320]).is_none(),
            "μ-law silence"
        );
        assert!(
            Encoding::Pcma.mismatch(&[0xd5; 320]).is_none(),
            "A-law silence"
        );
        assert!(Encoding::Pcm16.mismatch(&pcm).is_none());
        assert!(Encoding::Pcm16.mismatch(&pcm[1..]).is_some());
    }
}
