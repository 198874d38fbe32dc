//! What a file really is: the accepted types, their aliases and the magic
//! bytes that prove them.

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
}
