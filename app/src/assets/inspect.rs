//! What a file really is. The accepted types, their aliases, the magic bytes
//! that prove them, and the few facts read from a container's headers
//! (duration, picture size) without decoding any media.

/// Image, video or sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
}

impl MediaKind {
    /// The stored item kind.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
        }
    }

    /// The kind of a content type (`image/…`, `video/…`, `audio/…`).
    pub fn of_content_type(content_type: &str) -> Option<Self> {
        let top = content_type.split('/').next().unwrap_or_default();
        match top {
            "image" => Some(MediaKind::Image),
            "video" => Some(MediaKind::Video),
            "audio" => Some(MediaKind::Audio),
            _ => None,
        }
    }
}

/// An accepted file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaType {
    pub mime: &'static str,
    pub kind: MediaKind,
    pub extension: &'static str,
    /// Other names browsers and tools use for it.
    aliases: &'static [&'static str],
}

/// Every type the library accepts.
pub const ACCEPTED: [MediaType; 11] = [
    MediaType {
        mime: "image/png",
        kind: MediaKind::Image,
        extension: "png",
        aliases: &[],
    },
    MediaType {
        mime: "image/jpeg",
        kind: MediaKind::Image,
        extension: "jpg",
        aliases: &["image/jpg", "image/pjpeg"],
    },
    MediaType {
        mime: "image/webp",
        kind: MediaKind::Image,
        extension: "webp",
        aliases: &[],
    },
    MediaType {
        mime: "image/gif",
        kind: MediaKind::Image,
        extension: "gif",
        aliases: &[],
    },
    MediaType {
        mime: "video/mp4",
        kind: MediaKind::Video,
        extension: "mp4",
        aliases: &["video/x-m4v"],
    },
    MediaType {
        mime: "video/quicktime",
        kind: MediaKind::Video,
        extension: "mov",
        aliases: &[],
    },
    MediaType {
        mime: "video/webm",
        kind: MediaKind::Video,
        extension: "webm",
        aliases: &[],
    },
    MediaType {
        mime: "audio/mpeg",
        kind: MediaKind::Audio,
        extension: "mp3",
        aliases: &["audio/mp3", "audio/mpeg3", "audio/x-mpeg", "audio/x-mp3"],
    },
    MediaType {
        mime: "audio/aac",
        kind: MediaKind::Audio,
        extension: "aac",
        aliases: &["audio/x-aac", "audio/aacp"],
    },
    MediaType {
        mime: "audio/mp4",
        kind: MediaKind::Audio,
        extension: "m4a",
        aliases: &["audio/x-m4a", "audio/m4a"],
    },
    MediaType {
        mime: "audio/wav",
        kind: MediaKind::Audio,
        extension: "wav",
        aliases: &["audio/x-wav", "audio/wave", "audio/vnd.wave"],
    },
];

/// The accepted type a declared `Content-Type` names (parameters and case
/// ignored, aliases resolved); `None` for anything else (SVG, HTML, …).
pub fn declared_type(content_type: &str) -> Option<&'static MediaType> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    ACCEPTED
        .iter()
        .find(|t| t.mime == mime || t.aliases.contains(&mime.as_str()))
}

/// The accepted type by its MIME name.
pub fn by_mime(mime: &str) -> Option<&'static MediaType> {
    ACCEPTED.iter().find(|t| t.mime == mime)
}

/// The file extension for a content type (`bin` when unknown).
pub fn extension(content_type: &str) -> &'static str {
    declared_type(content_type).map_or("bin", |t| t.extension)
}

/// The type the first bytes of a file prove, whatever its name or headers claim.
pub fn sniff(head: &[u8]) -> Option<&'static MediaType> {
    let mime = if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        "image/gif"
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        "image/webp"
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WAVE" {
        "audio/wav"
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        match &head[8..12] {
            b"qt  " => "video/quicktime",
            b"M4A " | b"M4B " => "audio/mp4",
            _ => "video/mp4",
        }
    } else if head.len() >= 8 && matches!(&head[4..8], b"moov" | b"wide" | b"mdat") {
        // QuickTime files written before `ftyp` existed.
        "video/quicktime"
    } else if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        // Matroska's EBML header; only its WebM profile is accepted.
        let header = &head[..head.len().min(64)];
        if header.windows(4).any(|w| w == b"webm") {
            "video/webm"
        } else {
            return None;
        }
    } else if head.starts_with(b"ID3") {
        "audio/mpeg"
    } else if head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0 {
        // An MPEG audio frame: layer bits 00 are AAC in ADTS, 01 MPEG layer III.
        match (head[1] >> 1) & 0b11 {
            0b00 if head[1] & 0xF0 == 0xF0 => "audio/aac",
            0b01 => "audio/mpeg",
            _ => return None,
        }
    } else {
        return None;
    };
    by_mime(mime)
}

/// Width and height from a GIF's logical screen descriptor.
pub fn gif_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 10 || !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return None;
    }
    let le16 = |i: usize| u32::from(u16::from_le_bytes([bytes[i], bytes[i + 1]]));
    Some((le16(6), le16(8)))
}

/// What a video's or sound's container says about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContainerInfo {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
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

/// Reads duration and picture size from a whole `moov` box payload.
pub fn mp4_moov_info(moov: &[u8]) -> Result<ContainerInfo, ContainerError> {
    let mut info = ContainerInfo::default();
    let mut saw_mvhd = false;
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
            b"trak" if info.width.is_none() => {
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
                let video = elements(payload)
                    .filter(|(id, _)| *id == ebml::TRACK_ENTRY)
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

    #[test]
    fn declared_types_resolve_aliases_and_refuse_the_rest() {
        assert_eq!(declared_type("image/JPG").unwrap().mime, "image/jpeg");
        assert_eq!(
            declared_type("audio/x-wav; codecs=1").unwrap().mime,
            "audio/wav"
        );
        assert_eq!(declared_type("video/quicktime").unwrap().extension, "mov");
        for refused in ["image/svg+xml", "text/html", "application/octet-stream", ""] {
            assert!(declared_type(refused).is_none(), "{refused}");
        }
    }

    #[test]
    fn magic_bytes_name_the_type() {
        let cases: [(&[u8], Option<&str>); 14] = [
            (b"\x89PNG\r\n\x1a\n....", Some("image/png")),
            (&[0xFF, 0xD8, 0xFF, 0xE0], Some("image/jpeg")),
            (b"GIF89a\x01\x00\x01\x00", Some("image/gif")),
            (b"RIFF\0\0\0\0WEBPVP8 ", Some("image/webp")),
            (b"RIFF\0\0\0\0WAVEfmt ", Some("audio/wav")),
            (b"\0\0\0\x18ftypisom\0\0\0\0", Some("video/mp4")),
            (b"\0\0\0\x14ftypqt  \0\0\0\0", Some("video/quicktime")),
            (b"\0\0\0\x18ftypM4A \0\0\0\0", Some("audio/mp4")),
            (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm", Some("video/webm")),
            (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska", None),
            (b"ID3\x04\0\0\0\0\0\0", Some("audio/mpeg")),
            (&[0xFF, 0xFB, 0x90, 0x64], Some("audio/mpeg")),
            (&[0xFF, 0xF1, 0x50, 0x80], Some("audio/aac")),
            (b"<svg xmlns='http://www.w3.org/2000/svg'><script/>", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff(bytes).map(|t| t.mime), expected, "{bytes:?}");
        }
        assert!(sniff(b"").is_none());
    }

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
                duration_ms: Some(2500)
            }
        );
        assert!(mp4_moov_info(&mp4_box(b"free", b"")).is_err());
        let (kind, start, size) = mp4_box_header(&mp4_box(b"moov", &[0; 4])).unwrap();
        assert_eq!((&kind, start, size), (b"moov", 8, Some(12)));
        assert!(mp4_box_header(&[0, 0, 0, 3, b'm', b'o', b'o', b'v']).is_none());
    }

    #[test]
    fn reads_webm_from_the_local_encoder_and_tolerates_unknown_sizes() {
        let frame = crate::generation::local::render_image(
            "a lighthouse",
            "16:9",
            crate::generation::local::SizeClass::Small,
        )
        .unwrap();
        let (clip, _) = crate::generation::local::encode_clip(
            &crate::generation::local::decode_image(&frame).unwrap(),
            None,
            1.0,
            256,
            144,
            8,
            &|_| {},
        )
        .unwrap();
        let info = webm_info(&clip).unwrap();
        assert_eq!((info.width, info.height), (Some(256), Some(144)));
        assert_eq!(info.duration_ms, Some(1000));

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
                duration_ms: None
            }
        );
        assert!(webm_info(b"not a webm file").is_err());
    }
}
