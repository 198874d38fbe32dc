//! A safe wrapper over rav1e's C API, used from Rust on purpose.
//!
//! Why not rav1e's Rust API: it is generic over the pixel type, so
//! `Context<u8>` would be monomorphised, and compiled, in *our* crate, at our
//! crate's opt-level. In a dev build that made encoding ~60 s per second of
//! video. The C API's functions are concrete, so all encoder code is compiled
//! inside the rav1e crate, which the profile overrides build at opt-level 3.

use std::ffi::CString;
use std::ptr::NonNull;

use rav1e::capi::{self, EncoderStatus};
use rav1e::prelude::{
    ChromaSamplePosition, ChromaSampling, ColorPrimaries, FrameType, MatrixCoefficients,
    PixelRange, Rational, TransferCharacteristics,
};

use crate::media::FormatError;

/// Encoder settings for one 8-bit 4:2:0 BT.709 limited-range stream.
#[derive(Debug, Clone, Copy)]
pub struct Av1Settings {
    /// Frame width in pixels (even).
    pub width: u32,
    /// Frame height in pixels (even).
    pub height: u32,
    /// Frames per second.
    pub fps: u32,
    /// rav1e speed preset, 0 (slowest) ..= 10 (fastest).
    pub speed: u8,
    /// Constant quantizer, 0..=255.
    pub quantizer: u32,
    /// Longest run of frames between key frames.
    pub max_key_interval: u32,
}

/// One encoded frame: AV1 OBUs and whether it is a key frame.
pub struct Av1Packet {
    /// The frame's OBUs (low-overhead format, as rav1e emits them).
    pub data: Vec<u8>,
    /// Whether the frame is a key frame.
    pub keyframe: bool,
}

/// An owned rav1e encoder context. Not `Send`: it lives on the thread that encodes.
pub struct Av1Encoder {
    ctx: NonNull<capi::Context>,
    width: usize,
    height: usize,
}

fn fail(msg: impl Into<String>) -> FormatError {
    FormatError::Encode(msg.into())
}

impl Av1Encoder {
    /// Configures an encoder; fails when rav1e rejects the settings.
    pub fn new(s: &Av1Settings) -> Result<Self, FormatError> {
        let options = [
            ("width", s.width.to_string()),
            ("height", s.height.to_string()),
            ("speed", s.speed.to_string()),
            ("quantizer", s.quantizer.to_string()),
            ("low_latency", "true".to_owned()),
            ("min_key_frame_interval", "12".to_owned()),
            ("key_frame_interval", s.max_key_interval.to_string()),
            // One thread: the host has 2 shared cores, and measured 2-thread
            // or tiled encodes were no faster there.
            ("threads", "1".to_owned()),
            // Cuts and key frames are ours to place; per-frame scene analysis is wasted time.
            ("no_scene_detection", "true".to_owned()),
        ];
        // SAFETY: `cfg` comes from rav1e_config_default, is only used while
        // alive, every string passed is a valid NUL-terminated CString that
        // outlives the call, and the config is freed exactly once below.
        unsafe {
            let cfg = capi::rav1e_config_default();
            if cfg.is_null() {
                return Err(fail("rav1e: no config"));
            }
            let mut result = Ok(());
            for (key, value) in options {
                let (k, v) = (
                    CString::new(key).unwrap_or_default(),
                    CString::new(value).unwrap_or_default(),
                );
                if capi::rav1e_config_parse(cfg, k.as_ptr(), v.as_ptr()) != 0 {
                    result = Err(fail(format!("rav1e rejected {key}")));
                }
            }
            capi::rav1e_config_set_time_base(cfg, Rational::new(1, u64::from(s.fps)));
            if capi::rav1e_config_set_pixel_format(
                cfg,
                8,
                ChromaSampling::Cs420,
                ChromaSamplePosition::Unknown,
                PixelRange::Limited,
            ) != 0
                || capi::rav1e_config_set_color_description(
                    cfg,
                    MatrixCoefficients::BT709,
                    ColorPrimaries::BT709,
                    TransferCharacteristics::BT709,
                ) != 0
            {
                result = Err(fail("rav1e rejected the pixel format"));
            }
            let ctx = if result.is_ok() {
                capi::rav1e_context_new(cfg)
            } else {
                std::ptr::null_mut()
            };
            capi::rav1e_config_unref(cfg);
            result?;
            let ctx = NonNull::new(ctx)
                .ok_or_else(|| fail("rav1e could not create an encoder for these settings"))?;
            Ok(Self {
                ctx,
                width: s.width as usize,
                height: s.height as usize,
            })
        }
    }

    /// Queues one frame of Y (width x height) and U, V (half each way) planes.
    pub fn send(&mut self, y: &[u8], u: &[u8], v: &[u8]) -> Result<(), FormatError> {
        let (w, h) = (self.width, self.height);
        if y.len() != w * h || u.len() != w * h / 4 || v.len() != w * h / 4 {
            return Err(fail("plane sizes do not match the encoder"));
        }
        // SAFETY: the frame comes from our live context and is freed once;
        // each plane slice is valid for the length and stride passed.
        unsafe {
            let frame = capi::rav1e_frame_new(self.ctx.as_ptr());
            if frame.is_null() {
                return Err(fail("rav1e: no frame"));
            }
            capi::rav1e_frame_fill_plane(frame, 0, y.as_ptr(), y.len(), w as isize, 1);
            capi::rav1e_frame_fill_plane(frame, 1, u.as_ptr(), u.len(), (w / 2) as isize, 1);
            capi::rav1e_frame_fill_plane(frame, 2, v.as_ptr(), v.len(), (w / 2) as isize, 1);
            let status = capi::rav1e_send_frame(self.ctx.as_ptr(), frame);
            capi::rav1e_frame_unref(frame);
            match status {
                EncoderStatus::Success => Ok(()),
                other => Err(fail(format!("rav1e send: {other:?}"))),
            }
        }
    }

    /// Signals the end of input, so the remaining frames come out.
    pub fn flush(&mut self) {
        // SAFETY: a null frame is rav1e's documented flush signal.
        unsafe {
            capi::rav1e_send_frame(self.ctx.as_ptr(), std::ptr::null_mut());
        }
    }

    /// The next finished packet, or `None` when rav1e needs more input (or is done).
    pub fn receive(&mut self) -> Result<Option<Av1Packet>, FormatError> {
        loop {
            let mut pkt: *mut capi::Packet = std::ptr::null_mut();
            // SAFETY: rav1e fills `pkt` only on Success; we copy its data
            // (valid for `len` bytes) and free it exactly once.
            let status = unsafe { capi::rav1e_receive_packet(self.ctx.as_ptr(), &mut pkt) };
            match status {
                EncoderStatus::Success if !pkt.is_null() => unsafe {
                    let p = &*pkt;
                    let data = std::slice::from_raw_parts(p.data, p.len).to_vec();
                    let keyframe = p.frame_type == FrameType::KEY;
                    capi::rav1e_packet_unref(pkt);
                    return Ok(Some(Av1Packet { data, keyframe }));
                },
                EncoderStatus::Encoded => continue,
                EncoderStatus::NeedMoreData | EncoderStatus::LimitReached => return Ok(None),
                other => return Err(fail(format!("rav1e receive: {other:?}"))),
            }
        }
    }

    /// The 4-byte `av1C` header (ISOBMFF/Matroska codec configuration), without config OBUs.
    pub fn av1c_header(&self) -> Vec<u8> {
        // SAFETY: rav1e returns an owned Data we copy and then free once.
        unsafe {
            let data = capi::rav1e_container_sequence_header(self.ctx.as_ptr());
            if data.is_null() {
                return Vec::new();
            }
            let bytes = std::slice::from_raw_parts((*data).data, (*data).len).to_vec();
            capi::rav1e_data_unref(data);
            bytes
        }
    }
}

impl Drop for Av1Encoder {
    fn drop(&mut self) {
        // SAFETY: the context was created by rav1e_context_new and is freed only here.
        unsafe { capi::rav1e_context_unref(self.ctx.as_ptr()) }
    }
}
