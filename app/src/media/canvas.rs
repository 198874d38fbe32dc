//! An 8-bit RGB pixel buffer with the few drawing primitives the procedural
//! renderer and the editor need, plus PNG encoding. Drawing clips to the
//! canvas, so callers never index out of bounds.

use super::FormatError;

/// A packed RGB8 image (`width * height * 3` bytes, rows top to bottom).
/// This is the in-memory frame every local operation reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbImage {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl RgbImage {
    /// A black image. Zero-sized images are allowed but useless.
    pub fn new(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            data: vec![0; width as usize * height as usize * 3],
        }
    }

    /// Wraps existing RGB8 bytes; `None` when the length does not match.
    pub fn from_raw(width: u32, height: u32, data: Vec<u8>) -> Option<Self> {
        (data.len() == width as usize * height as usize * 3).then_some(Self {
            width,
            height,
            data,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The packed RGB8 bytes.
    pub fn as_raw(&self) -> &[u8] {
        &self.data
    }

    /// The packed RGB8 bytes, writable.
    pub fn as_raw_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    /// The colour at (x, y); black outside the image.
    pub fn get(&self, x: u32, y: u32) -> [u8; 3] {
        if x >= self.width || y >= self.height {
            return [0; 3];
        }
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }

    /// Paints one whole row with a colour (fast path for gradients).
    pub fn fill_row(&mut self, y: u32, color: [u8; 3]) {
        if y >= self.height {
            return;
        }
        let w = self.width as usize;
        let row = &mut self.data[y as usize * w * 3..(y as usize + 1) * w * 3];
        for px in row.chunks_exact_mut(3) {
            px.copy_from_slice(&color);
        }
    }

    /// Blends a horizontal span `[x0, x1)` on row `y` towards `color` by `alpha` (0..=255).
    pub fn blend_span(&mut self, y: i64, x0: i64, x1: i64, color: [u8; 3], alpha: u8) {
        if y < 0 || y >= i64::from(self.height) || alpha == 0 {
            return;
        }
        let x0 = x0.clamp(0, i64::from(self.width)) as usize;
        let x1 = x1.clamp(0, i64::from(self.width)) as usize;
        if x0 >= x1 {
            return;
        }
        let w = self.width as usize;
        let start = (y as usize * w + x0) * 3;
        let end = (y as usize * w + x1) * 3;
        let row = &mut self.data[start..end];
        if alpha == 255 {
            for px in row.chunks_exact_mut(3) {
                px.copy_from_slice(&color);
            }
            return;
        }
        let a = u32::from(alpha);
        let inv = 255 - a;
        // Premultiply once per span: the inner loop is then one mul-add per channel.
        let pre = color.map(|c| u32::from(c) * a + 127);
        for px in row.chunks_exact_mut(3) {
            px[0] = ((u32::from(px[0]) * inv + pre[0]) / 255) as u8;
            px[1] = ((u32::from(px[1]) * inv + pre[1]) / 255) as u8;
            px[2] = ((u32::from(px[2]) * inv + pre[2]) / 255) as u8;
        }
    }

    /// Blends a vertical span `[y0, y1)` in column `x` towards `color`.
    pub fn blend_vspan(&mut self, x: i64, y0: i64, y1: i64, color: [u8; 3], alpha: u8) {
        if x < 0 || x >= i64::from(self.width) || alpha == 0 {
            return;
        }
        let y0 = y0.clamp(0, i64::from(self.height)) as usize;
        let y1 = y1.clamp(0, i64::from(self.height)) as usize;
        let w = self.width as usize;
        let a = u32::from(alpha);
        let inv = 255 - a;
        let pre = color.map(|c| u32::from(c) * a + 127);
        for y in y0..y1 {
            let i = (y * w + x as usize) * 3;
            let px = &mut self.data[i..i + 3];
            px[0] = ((u32::from(px[0]) * inv + pre[0]) / 255) as u8;
            px[1] = ((u32::from(px[1]) * inv + pre[1]) / 255) as u8;
            px[2] = ((u32::from(px[2]) * inv + pre[2]) / 255) as u8;
        }
    }

    /// Blends an axis-aligned rectangle towards `color`.
    pub fn blend_rect(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, color: [u8; 3], alpha: u8) {
        let y0 = y0.max(0);
        let y1 = y1.min(i64::from(self.height));
        for y in y0..y1 {
            self.blend_span(y, x0, x1, color, alpha);
        }
    }

    /// A filled disc with a soft glow: full `alpha` inside `r`, fading to zero at `r + glow`.
    /// Rings are drawn as spans so the cost stays proportional to the area.
    pub fn disc(&mut self, cx: f32, cy: f32, r: f32, glow: f32, color: [u8; 3], alpha: u8) {
        let outer = r + glow.max(0.0);
        let y0 = (cy - outer).floor().max(0.0) as i64;
        let y1 = ((cy + outer).ceil() as i64).min(i64::from(self.height));
        for y in y0..y1 {
            let dy = y as f32 + 0.5 - cy;
            // Concentric bands: the core, then a few glow steps of decreasing alpha.
            let steps = if glow > 0.0 { 6 } else { 0 };
            for k in (0..=steps).rev() {
                let rad = r + glow * k as f32 / steps.max(1) as f32;
                if dy.abs() >= rad {
                    continue;
                }
                let half = (rad * rad - dy * dy).sqrt();
                let a = if k == 0 {
                    alpha
                } else {
                    (f32::from(alpha) * 0.18 * (1.0 - k as f32 / (steps + 1) as f32)) as u8
                };
                self.blend_span(y, (cx - half) as i64, (cx + half) as i64, color, a);
            }
        }
    }

    /// A filled triangle with a horizontal base (peak at `(px, py)`, base at `base_y`).
    pub fn triangle(
        &mut self,
        px: f32,
        py: f32,
        half_base: f32,
        base_y: f32,
        color: [u8; 3],
        alpha: u8,
    ) {
        let height = base_y - py;
        if height <= 0.0 {
            return;
        }
        for y in py.max(0.0) as i64..(base_y as i64).min(i64::from(self.height)) {
            let t = (y as f32 - py) / height;
            let half = half_base * t;
            self.blend_span(y, (px - half) as i64, (px + half) as i64, color, alpha);
        }
    }

    /// Encodes as PNG. Fast compression: these images are previews, and
    /// encode time matters more than a few percent of size.
    pub fn to_png(&self) -> Result<Vec<u8>, FormatError> {
        let mut out = Vec::with_capacity(self.data.len() / 4);
        {
            let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_compression(png::Compression::Fast);
            let mut writer = encoder
                .write_header()
                .map_err(|e| FormatError::Encode(format!("png header: {e}")))?;
            writer
                .write_image_data(&self.data)
                .map_err(|e| FormatError::Encode(format!("png data: {e}")))?;
            writer
                .finish()
                .map_err(|e| FormatError::Encode(format!("png finish: {e}")))?;
        }
        Ok(out)
    }
}
