//! A minimal WebM (Matroska/EBML) muxer for one AV1 video track, enough for
//! browsers' `<video>`: EBML header, Segment with Info (timestamp scale 1 ms
//! and the real Duration), Tracks (V_AV1 with its `av1C` CodecPrivate), Cues
//! placed before the Clusters (so demuxers find them without a SeekHead), and
//! Clusters of SimpleBlocks. Everything is built in memory, so every size is known.

/// One encoded frame, in display order (the encoder runs without reordering).
#[derive(Debug, Clone)]
pub struct EncodedFrame {
    /// AV1 OBUs in low-overhead format, temporal delimiters already removed.
    pub data: Vec<u8>,
    /// Whether the frame is a key frame (a random access point).
    pub keyframe: bool,
}

/// Matroska element ids used here (the spec's names).
mod id {
    pub const EBML: u32 = 0x1A45_DFA3;
    pub const EBML_VERSION: u32 = 0x4286;
    pub const EBML_READ_VERSION: u32 = 0x42F7;
    pub const EBML_MAX_ID_LENGTH: u32 = 0x42F2;
    pub const EBML_MAX_SIZE_LENGTH: u32 = 0x42F3;
    pub const DOC_TYPE: u32 = 0x4282;
    pub const DOC_TYPE_VERSION: u32 = 0x4287;
    pub const DOC_TYPE_READ_VERSION: u32 = 0x4285;
    pub const SEGMENT: u32 = 0x1853_8067;
    pub const INFO: u32 = 0x1549_A966;
    pub const TIMESTAMP_SCALE: u32 = 0x2A_D7B1;
    pub const DURATION: u32 = 0x4489;
    pub const MUXING_APP: u32 = 0x4D80;
    pub const WRITING_APP: u32 = 0x5741;
    pub const TRACKS: u32 = 0x1654_AE6B;
    pub const TRACK_ENTRY: u32 = 0xAE;
    pub const TRACK_NUMBER: u32 = 0xD7;
    pub const TRACK_UID: u32 = 0x73C5;
    pub const TRACK_TYPE: u32 = 0x83;
    pub const FLAG_LACING: u32 = 0x9C;
    pub const CODEC_ID: u32 = 0x86;
    pub const CODEC_PRIVATE: u32 = 0x63A2;
    pub const DEFAULT_DURATION: u32 = 0x23_E383;
    pub const VIDEO: u32 = 0xE0;
    pub const PIXEL_WIDTH: u32 = 0xB0;
    pub const PIXEL_HEIGHT: u32 = 0xBA;
    pub const CUES: u32 = 0x1C53_BB6B;
    pub const CUE_POINT: u32 = 0xBB;
    pub const CUE_TIME: u32 = 0xB3;
    pub const CUE_TRACK_POSITIONS: u32 = 0xB7;
    pub const CUE_TRACK: u32 = 0xF7;
    pub const CUE_CLUSTER_POSITION: u32 = 0xF1;
    pub const CLUSTER: u32 = 0x1F43_B675;
    pub const TIMESTAMP: u32 = 0xE7;
    pub const SIMPLE_BLOCK: u32 = 0xA3;
}

/// Public ids the tests' parser needs.
pub use id::{CLUSTER, DURATION, INFO, SEGMENT, SIMPLE_BLOCK, TRACKS};

/// A new cluster starts at every key frame, and at least this often, because
/// a SimpleBlock's timestamp is a 16-bit offset from its cluster's.
const MAX_CLUSTER_MS: u64 = 5_000;

/// Muxes AV1 frames at a constant `fps` into a WebM file whose Duration is
/// `duration_ms` (the frames' span: frame count / fps).
pub fn mux_av1(width: u32, height: u32, fps: u32, av1c: &[u8], frames: &[EncodedFrame]) -> Vec<u8> {
    let fps = u64::from(fps.max(1));
    let time_ms = |i: usize| i as u64 * 1000 / fps;
    let duration_ms = frames.len() as f64 * 1000.0 / fps as f64;

    let header = element(
        id::EBML,
        &[
            uint(id::EBML_VERSION, 1),
            uint(id::EBML_READ_VERSION, 1),
            uint(id::EBML_MAX_ID_LENGTH, 4),
            uint(id::EBML_MAX_SIZE_LENGTH, 8),
            element(id::DOC_TYPE, b"webm"),
            uint(id::DOC_TYPE_VERSION, 4),
            uint(id::DOC_TYPE_READ_VERSION, 2),
        ]
        .concat(),
    );
    let info = element(
        id::INFO,
        &[
            uint(id::TIMESTAMP_SCALE, 1_000_000),
            element(id::DURATION, &duration_ms.to_be_bytes()),
            element(id::MUXING_APP, b"framewright-local"),
            element(id::WRITING_APP, b"framewright-local"),
        ]
        .concat(),
    );
    let video = element(
        id::VIDEO,
        &[
            uint(id::PIXEL_WIDTH, u64::from(width)),
            uint(id::PIXEL_HEIGHT, u64::from(height)),
        ]
        .concat(),
    );
    let track = element(
        id::TRACK_ENTRY,
        &[
            uint(id::TRACK_NUMBER, 1),
            uint(id::TRACK_UID, 1),
            uint(id::TRACK_TYPE, 1),
            uint(id::FLAG_LACING, 0),
            element(id::CODEC_ID, b"V_AV1"),
            element(id::CODEC_PRIVATE, av1c),
            uint(id::DEFAULT_DURATION, 1_000_000_000 / fps),
            video,
        ]
        .concat(),
    );
    let tracks = element(id::TRACKS, &track);

    // Group frames into clusters: (start index, end index).
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (i, frame) in frames.iter().enumerate() {
        let split = match groups.last() {
            None => true,
            Some(&(start, _)) => frame.keyframe || time_ms(i) - time_ms(start) >= MAX_CLUSTER_MS,
        };
        if split {
            groups.push((i, i + 1));
        } else if let Some(last) = groups.last_mut() {
            last.1 = i + 1;
        }
    }
    let clusters: Vec<Vec<u8>> = groups
        .iter()
        .map(|&(start, end)| {
            let base = time_ms(start);
            let mut body = uint(id::TIMESTAMP, base);
            for (i, frame) in frames.iter().enumerate().take(end).skip(start) {
                let rel = (time_ms(i) - base) as i16;
                let mut block = vec![0x81]; // track 1 as a 1-byte vint
                block.extend_from_slice(&rel.to_be_bytes());
                block.push(if frame.keyframe { 0x80 } else { 0x00 });
                block.extend_from_slice(&frame.data);
                body.extend(element(id::SIMPLE_BLOCK, &block));
            }
            element(id::CLUSTER, &body)
        })
        .collect();

    // Cues point at clusters that start with a key frame. Positions are
    // written as fixed 8-byte integers so the Cues' size does not depend on
    // them, which lets the offsets be computed in one pass.
    let keyed: Vec<usize> = (0..groups.len())
        .filter(|&g| frames[groups[g].0].keyframe)
        .collect();
    let cues_with = |positions: &[u64]| {
        let points: Vec<u8> = keyed
            .iter()
            .zip(positions)
            .flat_map(|(&g, &pos)| {
                let track_pos = element(
                    id::CUE_TRACK_POSITIONS,
                    &[
                        uint(id::CUE_TRACK, 1),
                        element(id::CUE_CLUSTER_POSITION, &pos.to_be_bytes()),
                    ]
                    .concat(),
                );
                element(
                    id::CUE_POINT,
                    &[uint(id::CUE_TIME, time_ms(groups[g].0)), track_pos].concat(),
                )
            })
            .collect();
        element(id::CUES, &points)
    };
    let cues_len = cues_with(&vec![0; keyed.len()]).len();
    let first_cluster = (info.len() + tracks.len() + cues_len) as u64;
    let mut offsets = Vec::with_capacity(clusters.len());
    let mut pos = first_cluster;
    for c in &clusters {
        offsets.push(pos);
        pos += c.len() as u64;
    }
    let positions: Vec<u64> = keyed.iter().map(|&g| offsets[g]).collect();
    let cues = if keyed.is_empty() {
        Vec::new()
    } else {
        cues_with(&positions)
    };

    let mut segment_body = Vec::with_capacity(pos as usize + cues.len());
    segment_body.extend(info);
    segment_body.extend(tracks);
    segment_body.extend(cues);
    for c in clusters {
        segment_body.extend(c);
    }
    let mut out = header;
    out.extend(element(id::SEGMENT, &segment_body));
    out
}

/// An element: id bytes, size as a minimal vint, payload.
fn element(id: u32, payload: &[u8]) -> Vec<u8> {
    let id_bytes = id.to_be_bytes();
    let skip = id_bytes.iter().take_while(|&&b| b == 0).count();
    let mut out = id_bytes[skip..].to_vec();
    out.extend(size_vint(payload.len() as u64));
    out.extend_from_slice(payload);
    out
}

/// An unsigned-integer element in the fewest bytes (at least one).
fn uint(id: u32, value: u64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(7);
    element(id, &bytes[skip..])
}

/// An EBML variable-size integer: a length marker bit, then the value. The
/// all-ones value of each width means "unknown size", so it moves up a width.
fn size_vint(value: u64) -> Vec<u8> {
    let mut width = 1;
    while width < 8 && value >= (1u64 << (7 * width)) - 1 {
        width += 1;
    }
    let marked = value | (1u64 << (7 * width));
    marked.to_be_bytes()[8 - width..].to_vec()
}

/// Reads one element header at `pos`: (id, payload start, payload length).
/// Used by tests and kept here so the reader mirrors the writer.
pub fn read_element(buf: &[u8], pos: usize) -> Option<(u32, usize, usize)> {
    let (id, id_len) = read_vint(buf, pos, true)?;
    let (size, size_len) = read_vint(buf, pos + id_len, false)?;
    let start = pos + id_len + size_len;
    let len = usize::try_from(size).ok()?;
    (start.checked_add(len)? <= buf.len()).then_some((id as u32, start, len))
}

fn read_vint(buf: &[u8], pos: usize, keep_marker: bool) -> Option<(u64, usize)> {
    let first = *buf.get(pos)?;
    let width = first.leading_zeros() as usize + 1;
    if width > 8 {
        return None;
    }
    let bytes = buf.get(pos..pos + width)?;
    let mut value = bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if !keep_marker {
        value &= (1u64 << (7 * width)) - 1;
    }
    Some((value, width))
}
