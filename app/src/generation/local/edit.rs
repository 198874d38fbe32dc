//! Procedural image editing: the source keeps its composition and size, and
//! the prompt picks a colour grade (contrast curve plus split toning), a
//! vignette and a scatter of light overlays. Deterministic per (source, prompt).

use super::seed::{Rng, hsv};
use crate::media::FormatError;
use crate::media::RgbImage;
use crate::media::decode_image;

/// Decodes `source` (PNG, JPEG or WebP), applies the prompt's edit and returns a PNG
/// of the same dimensions.
pub fn edit_image(source: &[u8], prompt: &str) -> Result<Vec<u8>, FormatError> {
    let mut img = decode_image(source)?;
    apply_edit(&mut img, prompt);
    img.to_png()
}

/// Applies the prompt's grade, vignette and overlays in place.
pub fn apply_edit(img: &mut RgbImage, prompt: &str) {
    let mut rng = Rng::from_text("local-edit", prompt);
    grade(img, &mut rng);
    vignette(img, rng.range(0.35, 0.7));
    overlays(img, &mut rng);
}

/// Contrast S-curve per channel, then shadows and highlights pulled towards
/// two prompt-chosen hues. All maths goes into 256-entry tables first, so the
/// per-pixel work is a few lookups even in an unoptimised build.
fn grade(img: &mut RgbImage, rng: &mut Rng) {
    let contrast = rng.range(0.15, 0.45);
    let gains = [
        rng.range(0.9, 1.1),
        rng.range(0.9, 1.1),
        rng.range(0.9, 1.1),
    ];
    let mut curve = [[0u8; 256]; 3];
    for (ch, table) in curve.iter_mut().enumerate() {
        for (i, v) in table.iter_mut().enumerate() {
            let x = i as f32 / 255.0;
            let s = x * x * (3.0 - 2.0 * x);
            let y = (x + (s - x) * contrast * 2.0) * gains[ch];
            *v = (y * 255.0).round().clamp(0.0, 255.0) as u8;
        }
    }
    let hue = rng.unit();
    let shadow = hsv(hue, 0.7, 0.35);
    let highlight = hsv(hue + rng.range(0.35, 0.6), 0.35, 1.0);
    let mut tint = [[0u8; 3]; 256];
    for (l, t) in tint.iter_mut().enumerate() {
        let u = l as f32 / 255.0;
        for c in 0..3 {
            let target = f32::from(shadow[c]) * (1.0 - u) + f32::from(highlight[c]) * u;
            // Keep the luminance structure: the tint follows the pixel's brightness.
            t[c] = (target * (0.35 + 0.65 * u)).clamp(0.0, 255.0) as u8;
        }
    }
    let amount = (rng.range(0.22, 0.4) * 256.0) as u32;
    let keep = 256 - amount;
    for px in img.as_raw_mut().chunks_exact_mut(3) {
        let l = ((u32::from(px[0]) * 77 + u32::from(px[1]) * 150 + u32::from(px[2]) * 29) >> 8)
            as usize;
        let t = tint[l];
        px[0] =
            ((u32::from(curve[0][px[0] as usize]) * keep + u32::from(t[0]) * amount) >> 8) as u8;
        px[1] =
            ((u32::from(curve[1][px[1] as usize]) * keep + u32::from(t[1]) * amount) >> 8) as u8;
        px[2] =
            ((u32::from(curve[2][px[2] as usize]) * keep + u32::from(t[2]) * amount) >> 8) as u8;
    }
}

/// Darkens towards the corners: factor = 1 - strength * r², with r² split
/// into per-column and per-row parts so no square roots run per pixel.
fn vignette(img: &mut RgbImage, strength: f32) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w == 0 || h == 0 {
        return;
    }
    let norm = |i: usize, n: usize| {
        let d = (i as f32 + 0.5) / n as f32 * 2.0 - 1.0;
        (d * d * 0.5 * strength * 256.0) as u32
    };
    let cols: Vec<u32> = (0..w).map(|x| norm(x, w)).collect();
    for (y, row) in img.as_raw_mut().chunks_exact_mut(w * 3).enumerate() {
        let fy = norm(y, h);
        for (px, fx) in row.chunks_exact_mut(3).zip(&cols) {
            let f = 256u32.saturating_sub(fx + fy);
            px[0] = ((u32::from(px[0]) * f) >> 8) as u8;
            px[1] = ((u32::from(px[1]) * f) >> 8) as u8;
            px[2] = ((u32::from(px[2]) * f) >> 8) as u8;
        }
    }
}

/// Soft bokeh discs and a diagonal light leak: visibly "edited", but
/// translucent enough that the source still reads through.
fn overlays(img: &mut RgbImage, rng: &mut Rng) {
    let (wf, hf) = (img.width() as f32, img.height() as f32);
    let unit = wf.min(hf);
    let hue = rng.unit();
    for _ in 0..6 + rng.below(10) {
        let color = hsv(hue + rng.range(-0.08, 0.08), 0.4, 1.0);
        let r = rng.range(0.01, 0.06) * unit;
        img.disc(
            rng.range(0.0, wf),
            rng.range(0.0, hf),
            r,
            r * 0.8,
            color,
            rng.range(40.0, 90.0) as u8,
        );
    }
    // Light leak: a band from one edge, fading across its width.
    let leak = hsv(hue + 0.05, 0.6, 1.0);
    let band = rng.range(0.15, 0.35) * wf;
    let slope = rng.range(-0.5, 0.5);
    let from_left = rng.unit() < 0.5;
    for y in 0..img.height() {
        let offset = slope * y as f32;
        for step in 0..8 {
            let a = (45 - step * 5) as u8;
            let x0 = offset + band * step as f32 / 8.0;
            let x1 = offset + band * (step + 1) as f32 / 8.0;
            let (x0, x1) = if from_left {
                (x0, x1)
            } else {
                (wf - x1, wf - x0)
            };
            img.blend_span(i64::from(y), x0 as i64, x1 as i64, leak, a);
        }
    }
}
