//! Image-to-video: a slow "Ken Burns" zoom and pan over the start frame,
//! cross-fading into the end frame (which settles into its full framing) when
//! one is given, encoded as AV1 by rav1e and muxed into WebM. Deterministic:
//! rav1e runs single-threaded at a fixed speed and quantizer.

use super::av1::{Av1Encoder, Av1Settings};
use super::seed::{Rng, hash64};
use crate::media::FormatError;
use crate::media::RgbImage;
use crate::media::webm::{EncodedFrame, mux_av1};

/// The MIME type of what [`encode_clip`] returns.
pub const CLIP_CONTENT_TYPE: &str = "video/webm";

/// How far the camera zooms in over a clip (the source is laid out this much
/// larger than the output, so zooming never upsamples past the prepared canvas).
const MAX_ZOOM: f32 = 1.15;

/// rav1e's fastest preset: the clips are previews, and encode time is what users wait for.
const SPEED_PRESET: u8 = 10;
/// Constant quantizer (0..=255). ~100 keeps gradients clean at these sizes.
const QUANTIZER: u32 = 100;

/// Encodes a clip of `duration_secs` at `fps` and `width`x`height` (both even,
/// 16..=1920) from `start`, fading to `end` when given. `progress` gets a
/// non-decreasing fraction as frames are encoded, ending at 1.0.
/// Returns the file bytes and their content type.
pub fn encode_clip(
    start: &RgbImage,
    end: Option<&RgbImage>,
    duration_secs: f32,
    width: u32,
    height: u32,
    fps: u32,
    progress: &dyn Fn(f32),
) -> Result<(Vec<u8>, &'static str), FormatError> {
    let invalid = |m: String| Err(FormatError::InvalidInput(m));
    if !(16..=1920).contains(&width)
        || !(16..=1920).contains(&height)
        || width % 2 + height % 2 != 0
    {
        return invalid(format!(
            "video size {width}x{height} must be even and 16..=1920"
        ));
    }
    if !(1..=60).contains(&fps) {
        return invalid(format!("fps {fps} must be 1..=60"));
    }
    if !(duration_secs.is_finite() && (0.1..=60.0).contains(&duration_secs)) {
        return invalid(format!("duration {duration_secs}s must be 0.1..=60"));
    }
    for (name, img) in [("start", Some(start)), ("end", end)] {
        if let Some(img) = img
            && (img.width() == 0 || img.height() == 0)
        {
            return invalid(format!("the {name} frame is empty"));
        }
    }
    let total = ((duration_secs * fps as f32).round() as usize).max(1);
    let (w, h) = (width as usize, height as usize);

    let cw = ((width as f32 * MAX_ZOOM).ceil() as usize).max(2);
    let ch = ((height as f32 * MAX_ZOOM).ceil() as usize).max(2);
    let start_canvas = YuvCanvas::cover(start, cw, ch);
    let end_canvas = end.map(|e| YuvCanvas::cover(e, cw, ch));
    // The pan direction comes from the picture, so different stills move differently.
    let mut rng = Rng::from_seed(hash64(&[&start.as_raw()[..start.as_raw().len().min(4096)]]));
    let pan = (rng.range(-1.0, 1.0), rng.range(-1.0, 1.0));

    let mut encoder = Av1Encoder::new(&Av1Settings {
        width,
        height,
        fps,
        speed: SPEED_PRESET,
        quantizer: QUANTIZER,
        max_key_interval: fps * 4,
    })?;

    let mut frames: Vec<EncodedFrame> = Vec::with_capacity(total);
    let mut seq_header: Option<Vec<u8>> = None;
    let (mut y, mut u, mut v) = (vec![0u8; w * h], vec![0u8; w * h / 4], vec![0u8; w * h / 4]);
    let mut blend = (vec![0u8; w * h], vec![0u8; w * h / 4], vec![0u8; w * h / 4]);
    for i in 0..=total {
        if i < total {
            let t = if total > 1 {
                i as f32 / (total - 1) as f32
            } else {
                0.0
            };
            let e = t * t * (3.0 - 2.0 * t);
            let fade = if end_canvas.is_some() {
                smoothstep(0.3, 1.0, t)
            } else {
                0.0
            };
            let a = (fade * 256.0) as u32;
            if a < 256 {
                // Start frame: zoom in from the full canvas, drifting along `pan`.
                start_canvas.sample(
                    1.0 + (MAX_ZOOM - 1.0) * e,
                    (pan.0 * e, pan.1 * e),
                    w,
                    h,
                    (&mut y, &mut u, &mut v),
                );
            }
            if let Some(end_canvas) = &end_canvas
                && a > 0
            {
                // End frame: the mirror move, settling at its full framing on the last frame.
                let r = 1.0 - e;
                end_canvas.sample(
                    1.0 + (MAX_ZOOM - 1.0) * r,
                    (-pan.0 * r, -pan.1 * r),
                    w,
                    h,
                    (&mut blend.0, &mut blend.1, &mut blend.2),
                );
                mix_into(&mut y, &blend.0, a);
                mix_into(&mut u, &blend.1, a);
                mix_into(&mut v, &blend.2, a);
            }
            encoder.send(&y, &u, &v)?;
        } else {
            encoder.flush();
        }
        while let Some(packet) = encoder.receive()? {
            let data = strip_temporal_delimiters(&packet.data, &mut seq_header);
            frames.push(EncodedFrame {
                data,
                keyframe: packet.keyframe,
            });
            progress(frames.len() as f32 / total as f32 * 0.99);
        }
    }
    if frames.len() != total {
        return Err(FormatError::Encode(format!(
            "rav1e produced {} of {total} frames",
            frames.len()
        )));
    }
    // av1C: rav1e's 4-byte header, then the sequence header OBU (configOBUs).
    let mut av1c = encoder.av1c_header();
    av1c.extend(seq_header.unwrap_or_default());
    let out = mux_av1(width, height, fps, &av1c, &frames);
    progress(1.0);
    Ok((out, CLIP_CONTENT_TYPE))
}

fn smoothstep(lo: f32, hi: f32, x: f32) -> f32 {
    let t = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// `dst = dst * (1 - a) + src * a`, `a` in 256ths.
fn mix_into(dst: &mut [u8], src: &[u8], a: u32) {
    let keep = 256 - a.min(256);
    for (d, s) in dst.iter_mut().zip(src) {
        *d = ((u32::from(*d) * keep + u32::from(*s) * a + 128) >> 8) as u8;
    }
}

/// Splits low-overhead-format OBUs, drops temporal delimiters (Matroska's
/// AV1 mapping forbids them in blocks) and remembers the first sequence
/// header for the `av1C` CodecPrivate.
fn strip_temporal_delimiters(data: &[u8], seq_header: &mut Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut pos = 0;
    while pos < data.len() {
        let header = data[pos];
        let obu_type = (header >> 3) & 0x0F;
        let header_len = if header & 0x04 != 0 { 2 } else { 1 };
        let (payload_len, leb_len) = if header & 0x02 != 0 {
            read_leb128(&data[(pos + header_len).min(data.len())..])
        } else {
            (data.len() - pos - header_len, 0)
        };
        let end = (pos + header_len + leb_len + payload_len).min(data.len());
        let obu = &data[pos..end];
        if obu_type == 1 && seq_header.is_none() {
            *seq_header = Some(obu.to_vec());
        }
        if obu_type != 2 {
            out.extend_from_slice(obu);
        }
        pos = end.max(pos + 1);
    }
    out
}

fn read_leb128(buf: &[u8]) -> (usize, usize) {
    let mut value = 0usize;
    for (i, &b) in buf.iter().take(8).enumerate() {
        value |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return (value, i + 1);
        }
    }
    (value, buf.len().min(8))
}

/// The source laid out to cover a `MAX_ZOOM`-enlarged output, as full
/// resolution Y, U, V planes (BT.709, limited range). Prepared once per clip
/// so each frame is only a bilinear crop.
struct YuvCanvas {
    w: usize,
    h: usize,
    planes: [Vec<u8>; 3],
}

impl YuvCanvas {
    fn cover(src: &RgbImage, w: usize, h: usize) -> Self {
        let (sw, sh) = (src.width() as usize, src.height() as usize);
        // Box-average large sources first, so the bilinear step does not alias.
        let k = ((sw / w).min(sh / h)).max(1);
        let (bw, bh) = (sw / k, sh / k);
        let mut boxed = vec![[0u8; 3]; bw * bh];
        let raw = src.as_raw();
        for by in 0..bh {
            for bx in 0..bw {
                let mut acc = [0u32; 3];
                for yy in by * k..by * k + k {
                    let row = (yy * sw + bx * k) * 3;
                    for px in raw[row..row + k * 3].chunks_exact(3) {
                        acc[0] += u32::from(px[0]);
                        acc[1] += u32::from(px[1]);
                        acc[2] += u32::from(px[2]);
                    }
                }
                let n = (k * k) as u32;
                boxed[by * bw + bx] = acc.map(|a| (a / n) as u8);
            }
        }
        // Cover: scale so the source fills the canvas, centred, cropping the excess.
        let scale = (bw as f32 / w as f32).min(bh as f32 / h as f32);
        let (ox, oy) = (
            (bw as f32 - w as f32 * scale) / 2.0,
            (bh as f32 - h as f32 * scale) / 2.0,
        );
        let mut planes = [vec![0u8; w * h], vec![0u8; w * h], vec![0u8; w * h]];
        for y in 0..h {
            let sy = (oy + (y as f32 + 0.5) * scale - 0.5).clamp(0.0, (bh - 1) as f32);
            let (y0, fy) = (sy as usize, sy.fract());
            let y1 = (y0 + 1).min(bh - 1);
            for x in 0..w {
                let sx = (ox + (x as f32 + 0.5) * scale - 0.5).clamp(0.0, (bw - 1) as f32);
                let (x0, fx) = (sx as usize, sx.fract());
                let x1 = (x0 + 1).min(bw - 1);
                let mut rgb = [0f32; 3];
                for (c, out) in rgb.iter_mut().enumerate() {
                    let top = f32::from(boxed[y0 * bw + x0][c]) * (1.0 - fx)
                        + f32::from(boxed[y0 * bw + x1][c]) * fx;
                    let bot = f32::from(boxed[y1 * bw + x0][c]) * (1.0 - fx)
                        + f32::from(boxed[y1 * bw + x1][c]) * fx;
                    *out = top * (1.0 - fy) + bot * fy;
                }
                let [r, g, b] = rgb;
                let i = y * w + x;
                planes[0][i] = (16.0 + 0.1826 * r + 0.6142 * g + 0.0620 * b)
                    .round()
                    .clamp(0.0, 255.0) as u8;
                planes[1][i] = (128.0 - 0.1006 * r - 0.3386 * g + 0.4392 * b)
                    .round()
                    .clamp(0.0, 255.0) as u8;
                planes[2][i] = (128.0 + 0.4392 * r - 0.3989 * g - 0.0403 * b)
                    .round()
                    .clamp(0.0, 255.0) as u8;
            }
        }
        Self { w, h, planes }
    }

    /// Crops a window `1/zoom` of the canvas, offset by `pan` (-1..1 of the
    /// free margin), and scales it to `out_w`x`out_h` Y and half-size U, V.
    fn sample(
        &self,
        zoom: f32,
        pan: (f32, f32),
        out_w: usize,
        out_h: usize,
        out: (&mut [u8], &mut [u8], &mut [u8]),
    ) {
        let (ww, wh) = (self.w as f32 / zoom, self.h as f32 / zoom);
        let cx = self.w as f32 / 2.0 + pan.0 * (self.w as f32 - ww) / 2.0;
        let cy = self.h as f32 / 2.0 + pan.1 * (self.h as f32 - wh) / 2.0;
        let (x0, y0) = (cx - ww / 2.0, cy - wh / 2.0);
        self.sample_plane(0, x0, y0, ww, wh, out_w, out_h, out.0);
        self.sample_plane(1, x0, y0, ww, wh, out_w / 2, out_h / 2, out.1);
        self.sample_plane(2, x0, y0, ww, wh, out_w / 2, out_h / 2, out.2);
    }

    /// Bilinear resampling with per-column and per-row tables in 8-bit fixed
    /// point, so the per-pixel work is integer multiply-adds.
    #[allow(clippy::too_many_arguments)]
    fn sample_plane(
        &self,
        p: usize,
        x0: f32,
        y0: f32,
        ww: f32,
        wh: f32,
        ow: usize,
        oh: usize,
        out: &mut [u8],
    ) {
        let src = &self.planes[p];
        let taps = |n: usize, origin: f32, span: f32, limit: usize| -> Vec<(usize, usize, u32)> {
            (0..n)
                .map(|i| {
                    let s = (origin + (i as f32 + 0.5) * span / n as f32 - 0.5)
                        .clamp(0.0, (limit - 1) as f32);
                    let a = s as usize;
                    (a, (a + 1).min(limit - 1), (s.fract() * 256.0) as u32)
                })
                .collect()
        };
        let cols = taps(ow, x0, ww, self.w);
        let rows = taps(oh, y0, wh, self.h);
        for (row_out, &(ya, yb, fy)) in out.chunks_exact_mut(ow).zip(&rows) {
            let ra = &src[ya * self.w..(ya + 1) * self.w];
            let rb = &src[yb * self.w..(yb + 1) * self.w];
            for (o, &(xa, xb, fx)) in row_out.iter_mut().zip(&cols) {
                let top = u32::from(ra[xa]) * (256 - fx) + u32::from(ra[xb]) * fx;
                let bot = u32::from(rb[xa]) * (256 - fx) + u32::from(rb[xb]) * fx;
                *o = ((top * (256 - fy) + bot * fy + 32768) >> 16) as u8;
            }
        }
    }
}
