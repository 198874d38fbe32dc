//! The few facts read from a video's or sound's container headers (duration,
//! picture size, codec) without decoding any media: MP4/MOV boxes and WebM's EBML.

/// What a video's or sound's container says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerInfo {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
    /// The picture's codec (the sound's when there is no picture), by its
    /// common name: `H.264`, `AV1`, `AAC`, …
    pub codec: Option<String>,
}

/// The common name of a codec from its MP4 sample entry type (`avc1`) or its
/// Matroska/WebM codec id (`V_AV1`); an unknown one as it is written.
pub fn codec_name(id: &str) -> String {
    let name = match id.trim_end_matches('\0').trim() {
        "avc1" | "avc3" | "V_MPEG4/ISO/AVC" => "H.264",
        "hvc1" | "hev1" | "V_MPEGH/ISO/HEVC" => "H.265 (HEVC)",
        "av01" | "V_AV1" => "AV1",
        "vp09" | "V_VP9" => "VP9",
        "vp08" | "V_VP8" => "VP8",
        "mp4v" => "MPEG-4 Part 2",
        "apch" | "apcn" | "apcs" | "apco" | "ap4h" | "ap4x" => "ProRes",
        "mp4a" | "A_AAC" => "AAC",
        "Opus" | "A_OPUS" => "Opus",
        "A_VORBIS" => "Vorbis",
        "fLaC" | "A_FLAC" => "FLAC",
        "ac-3" | "A_AC3" => "AC-3",
        "ec-3" | "A_EAC3" => "E-AC-3",
        ".mp3" | "A_MPEG/L3" => "MP3",
        "alac" => "ALAC",
        other => return other.to_string(),
    };
    name.to_string()
}

/// The codec of a file whose format says it all (images, MP3, AAC, WAV),
/// by its content type.
pub fn codec_of_content_type(content_type: &str) -> Option<&'static str> {
    Some(match content_type {
        "image/png" => "PNG",
        "image/jpeg" => "JPEG",
        "image/webp" => "WebP",
        "image/gif" => "GIF",
        "audio/mpeg" => "MP3",
        "audio/aac" => "AAC",
        "audio/wav" | "audio/x-wav" | "audio/wave" => "PCM (WAV)",
        _ => return None,
    })
}

/// Reads a whole file held in memory (a generation's result): MP4/MOV by
/// its `moov` box, WebM by its head. `None` for other formats or when the
/// container cannot be read.
pub fn inspect(content_type: &str, bytes: &[u8]) -> Option<ContainerInfo> {
    match content_type {
        "video/mp4" | "video/quicktime" | "audio/mp4" => boxes(bytes)
            .find(|(kind, _)| kind == b"moov")
            .and_then(|(_, moov)| mp4_moov_info(moov).ok()),
        "video/webm" | "audio/webm" => webm_info(bytes).ok(),
        _ => None,
    }
}

/// Why a container could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ContainerError(pub &'static str);

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// A box header of an ISO base media file (MP4, MOV, M4A): its type, where
/// its payload starts (relative to the header) and its whole size (`None`
/// when it runs to the end of the file).
pub fn mp4_box_header(header: &[u8]) -> Option<([u8; 4], u64, Option<u64>)> {
    let size = be32(header, 0)?;
    let kind: [u8; 4] = header.get(4..8)?.try_into().ok()?;
    match size {
        0 => Some((kind, 8, None)),
        1 => {
            let large = be64(header, 8)?;
            (large >= 16).then_some((kind, 16, Some(large)))
        }
        n if n >= 8 => Some((kind, 8, Some(u64::from(n)))),
        _ => None,
    }
}

/// The type of a track (`vide`, `soun`, …) and its first sample entry's
/// type (the codec, e.g. `avc1`), from a `trak` payload.
fn mp4_track_codec(trak: &[u8]) -> (Option<[u8; 4]>, Option<[u8; 4]>) {
    fn child<'a>(payload: &'a [u8], name: &[u8; 4]) -> Option<&'a [u8]> {
        boxes(payload).find(|(k, _)| k == name).map(|(_, p)| p)
    }
    let Some(mdia) = child(trak, b"mdia") else {
        return (None, None);
    };
    // hdlr: version/flags (4), pre_defined (4), handler_type (4).
    let handler = child(mdia, b"hdlr").and_then(|h| h.get(8..12)?.try_into().ok());
    let codec = child(mdia, b"minf")
        .and_then(|minf| child(minf, b"stbl"))
        .and_then(|stbl| child(stbl, b"stsd"))
        // stsd: version/flags (4), entry count (4), then the sample entries as boxes.
        .and_then(|stsd| {
            let entries = stsd.get(8..)?;
            boxes(entries).next().map(|(kind, _)| kind)
        });
    (handler, codec)
}

/// Reads duration, picture size and codec from a whole `moov` box payload.
pub fn mp4_moov_info(moov: &[u8]) -> Result<ContainerInfo, ContainerError> {
    let mut info = ContainerInfo::default();
    let mut saw_mvhd = false;
    let (mut video_codec, mut sound_codec) = (None, None);
    for (kind, payload) in boxes(moov) {
        match &kind {
            b"mvhd" => {
                let version = *payload.first().ok_or(ContainerError("short mvhd"))?;
                let (timescale, duration) = if version == 1 {
                    (be32(payload, 20), be64(payload, 24))
                } else {
                    (be32(payload, 12), be32(payload, 16).map(u64::from))
                };
                let (timescale, duration) = timescale
                    .zip(duration)
                    .ok_or(ContainerError("short mvhd"))?;
                if timescale > 0 && duration != u64::from(u32::MAX) && duration != u64::MAX {
                    info.duration_ms = Some(duration.saturating_mul(1000) / u64::from(timescale));
                }
                saw_mvhd = true;
            }
            b"trak" => {
                match mp4_track_codec(payload) {
                    (Some(ref h), Some(codec)) if h == b"vide" => {
                        video_codec.get_or_insert(codec);
                    }
                    (Some(ref h), Some(codec)) if h == b"soun" => {
                        sound_codec.get_or_insert(codec);
                    }
                    _ => {}
                }
                if info.width.is_some() {
                    continue;
                }
                if let Some(tkhd) = boxes(payload).find(|(k, _)| k == b"tkhd").map(|(_, p)| p) {
                    let at = if tkhd.first() == Some(&1) { 88 } else { 76 };
                    let (w, h) = (be32(tkhd, at), be32(tkhd, at + 4));
                    if let (Some(w), Some(h)) = (w, h)
                        && w >> 16 > 0
                        && h >> 16 > 0
                    {
                        info.width = Some(w >> 16);
                        info.height = Some(h >> 16);
                    }
                }
            }
            _ => {}
        }
    }
    info.codec = video_codec
        .or(sound_codec)
        .map(|c| codec_name(&String::from_utf8_lossy(&c)));
    if saw_mvhd {
        Ok(info)
    } else {
        Err(ContainerError("the movie header (mvhd) is missing"))
    }
}

/// The child boxes of a box payload, as (type, payload); stops at the first malformed one.
fn boxes(mut data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    std::iter::from_fn(move || {
        let (kind, start, size) = mp4_box_header(data)?;
        let start = usize::try_from(start).ok()?;
        let end = size.map_or(Some(data.len()), |s| usize::try_from(s).ok())?;
        if end < start || end > data.len() {
            return None;
        }
        let payload = &data[start..end];
        data = &data[end..];
        Some((kind, payload))
    })
}

/// EBML ids of the WebM elements read here.
mod ebml {
    pub const HEADER: u64 = 0x1A45_DFA3;
    pub const SEGMENT: u64 = 0x1853_8067;
    pub const INFO: u64 = 0x1549_A966;
    pub const TIMECODE_SCALE: u64 = 0x2A_D7B1;
    pub const DURATION: u64 = 0x4489;
    pub const TRACKS: u64 = 0x1654_AE6B;
    pub const TRACK_ENTRY: u64 = 0xAE;
    pub const CODEC_ID: u64 = 0x86;
    pub const VIDEO: u64 = 0xE0;
    pub const PIXEL_WIDTH: u64 = 0xB0;
    pub const PIXEL_HEIGHT: u64 = 0xBA;
    pub const CLUSTER: u64 = 0x1F43_B675;
}

/// A variable-length EBML integer at `pos`: (value, length). Ids keep their
/// marker bit; sizes drop it, and all ones means "unknown" (`None`).
fn ebml_vint(buf: &[u8], pos: usize, id: bool) -> Option<(Option<u64>, usize)> {
    let first = *buf.get(pos)?;
    let width = first.leading_zeros() as usize + 1;
    if width > 8 {
        return None;
    }
    let bytes = buf.get(pos..pos + width)?;
    let raw = bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if id {
        return Some((Some(raw), width));
    }
    let mask = (1u64 << (7 * width)) - 1;
    let value = raw & mask;
    Some(((value != mask).then_some(value), width))
}

/// The elements in `buf`: (id, payload). An element of unknown size runs to
/// the end of `buf`; one cut off by the end of `buf` is given as far as it goes.
fn elements(buf: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let (id, id_len) = ebml_vint(buf, pos, true)?;
        let (size, size_len) = ebml_vint(buf, pos + id_len, false)?;
        let start = pos + id_len + size_len;
        if start > buf.len() {
            return None;
        }
        let end = size
            .and_then(|s| usize::try_from(s).ok())
            .and_then(|s| start.checked_add(s))
            .map_or(buf.len(), |end| end.min(buf.len()));
        pos = end;
        Some((id?, &buf[start..end]))
    })
}

fn ebml_uint(payload: &[u8]) -> Option<u64> {
    (payload.len() <= 8).then(|| {
        payload
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
    })
}

fn ebml_float(payload: &[u8]) -> Option<f64> {
    match payload.len() {
        4 => Some(f64::from(f32::from_be_bytes(payload.try_into().ok()?))),
        8 => Some(f64::from_be_bytes(payload.try_into().ok()?)),
        _ => None,
    }
}

/// Reads duration and picture size from the start of a WebM file (the
/// header, `Info` and `Tracks` come before the first cluster). A recording
/// from a browser's MediaRecorder has no duration; that is not an error.
pub fn webm_info(head: &[u8]) -> Result<ContainerInfo, ContainerError> {
    let mut top = elements(head);
    match top.next() {
        Some((ebml::HEADER, _)) => {}
        _ => return Err(ContainerError("the EBML header is missing")),
    }
    let segment = top
        .find(|(id, _)| *id == ebml::SEGMENT)
        .map(|(_, payload)| payload)
        .ok_or(ContainerError("the WebM segment is missing"))?;
    let mut info = ContainerInfo::default();
    let (mut scale, mut duration) = (1_000_000u64, None::<f64>);
    for (id, payload) in elements(segment) {
        match id {
            ebml::INFO => {
                for (id, value) in elements(payload) {
                    match id {
                        ebml::TIMECODE_SCALE => scale = ebml_uint(value).unwrap_or(scale),
                        ebml::DURATION => duration = ebml_float(value),
                        _ => {}
                    }
                }
            }
            ebml::TRACKS => {
                let entries = || elements(payload).filter(|(id, _)| *id == ebml::TRACK_ENTRY);
                let has_video = |entry: &[u8]| elements(entry).any(|(id, _)| id == ebml::VIDEO);
                let codec_of = |entry: &[u8]| {
                    elements(entry)
                        .find(|(id, _)| *id == ebml::CODEC_ID)
                        .map(|(_, id)| codec_name(&String::from_utf8_lossy(id)))
                };
                // The picture's codec, else the first sound's.
                info.codec = entries()
                    .find(|(_, entry)| has_video(entry))
                    .or_else(|| entries().next())
                    .and_then(|(_, entry)| codec_of(entry));
                let video = entries()
                    .flat_map(|(_, entry)| elements(entry))
                    .find(|(id, _)| *id == ebml::VIDEO);
                if let Some((_, video)) = video {
                    for (id, value) in elements(video) {
                        let value = ebml_uint(value).and_then(|v| u32::try_from(v).ok());
                        match id {
                            ebml::PIXEL_WIDTH => info.width = value,
                            ebml::PIXEL_HEIGHT => info.height = value,
                            _ => {}
                        }
                    }
                }
            }
            ebml::CLUSTER => break,
            _ => {}
        }
    }
    info.duration_ms = duration
        .filter(|d| d.is_finite() && *d > 0.0)
        .map(|d| (d * scale as f64 / 1_000_000.0).round() as u64);
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A box with a payload.
    fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut out = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(payload);
        out
    }

    /// A minimal `moov`: 2.5 s at timescale 1000, one 640×360 video track.
    pub fn sample_moov() -> Vec<u8> {
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&2500u32.to_be_bytes());
        let mut tkhd = vec![0u8; 84];
        tkhd[76..80].copy_from_slice(&(640u32 << 16).to_be_bytes());
        tkhd[80..84].copy_from_slice(&(360u32 << 16).to_be_bytes());
        let trak = mp4_box(b"trak", &mp4_box(b"tkhd", &tkhd));
        let mut moov = mp4_box(b"mvhd", &mvhd);
        moov.extend(trak);
        moov
    }

    #[test]
    fn reads_mp4_duration_and_size() {
        let info = mp4_moov_info(&sample_moov()).unwrap();
        assert_eq!(
            info,
            ContainerInfo {
                width: Some(640),
                height: Some(360),
                duration_ms: Some(2500),
                codec: None,
            }
        );
        assert!(mp4_moov_info(&mp4_box(b"free", b"")).is_err());
        let (kind, start, size) = mp4_box_header(&mp4_box(b"moov", &[0; 4])).unwrap();
        assert_eq!((&kind, start, size), (b"moov", 8, Some(12)));
        assert!(mp4_box_header(&[0, 0, 0, 3, b'm', b'o', b'o', b'v']).is_none());
    }

    /// A track with a handler and one sample entry.
    fn track(handler: &[u8; 4], entry: &[u8; 4], size: Option<(u32, u32)>) -> Vec<u8> {
        let mut tkhd = vec![0u8; 84];
        if let Some((w, h)) = size {
            tkhd[76..80].copy_from_slice(&(w << 16).to_be_bytes());
            tkhd[80..84].copy_from_slice(&(h << 16).to_be_bytes());
        }
        let mut hdlr = vec![0u8; 24];
        hdlr[8..12].copy_from_slice(handler);
        let mut stsd = vec![0, 0, 0, 0, 0, 0, 0, 1];
        stsd.extend(mp4_box(entry, &[0u8; 16]));
        let stbl = mp4_box(b"stbl", &mp4_box(b"stsd", &stsd));
        let mut mdia = mp4_box(b"hdlr", &hdlr);
        mdia.extend(mp4_box(b"minf", &stbl));
        let mut trak = mp4_box(b"tkhd", &tkhd);
        trak.extend(mp4_box(b"mdia", &mdia));
        mp4_box(b"trak", &trak)
    }

    #[test]
    fn reads_the_codec_of_the_picture_before_the_sound() {
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&4000u32.to_be_bytes());
        let mut moov = mp4_box(b"mvhd", &mvhd);
        moov.extend(track(b"soun", b"mp4a", None));
        moov.extend(track(b"vide", b"avc1", Some((1280, 720))));
        let mut file = mp4_box(b"ftyp", b"isom\0\0\0\0");
        file.extend(mp4_box(b"moov", &moov));
        let info = inspect("video/mp4", &file).unwrap();
        assert_eq!(info.codec.as_deref(), Some("H.264"));
        assert_eq!(
            (info.width, info.height, info.duration_ms),
            (Some(1280), Some(720), Some(4000))
        );

        let mut sound_only = mp4_box(b"mvhd", &mvhd);
        sound_only.extend(track(b"soun", b"mp4a", None));
        assert_eq!(
            mp4_moov_info(&sound_only).unwrap().codec.as_deref(),
            Some("AAC")
        );
        assert_eq!(codec_name("hvc1"), "H.265 (HEVC)");
        assert_eq!(codec_name("xyz1"), "xyz1");
        assert_eq!(codec_of_content_type("image/webp"), Some("WebP"));
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn reads_webm_from_our_writer_and_tolerates_unknown_sizes() {
        // Eight frames at 8 fps from the WebM writer: one second of 256×144.
        let frames = vec![
            crate::media::webm::EncodedFrame {
                data: vec![0x12, 0x00],
                keyframe: true,
            };
            8
        ];
        let clip = crate::media::webm::mux_av1(256, 144, 8, &[0x81, 0x00, 0x0c, 0x00], &frames);
        let info = webm_info(&clip).unwrap();
        assert_eq!((info.width, info.height), (Some(256), Some(144)));
        assert_eq!(info.duration_ms, Some(1000));
        assert_eq!(info.codec.as_deref(), Some("AV1"));
        assert_eq!(inspect("video/webm", &clip), Some(info));

        // A recording in progress: the segment's size is "unknown" (all ones).
        let mut live = vec![0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x82, 0x81, 0x00];
        live.extend([
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ]);
        live.extend([0x16, 0x54, 0xAE, 0x6B, 0x8B, 0xAE, 0x89, 0xE0, 0x87]);
        live.extend([0xB0, 0x82, 0x02, 0x80, 0xBA, 0x81, 0x78]);
        let info = webm_info(&live).unwrap();
        assert_eq!(
            info,
            ContainerInfo {
                width: Some(640),
                height: Some(120),
                duration_ms: None,
                codec: None,
            }
        );
        assert!(webm_info(b"not a webm file").is_err());
    }
}
