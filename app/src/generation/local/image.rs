//! Procedural text-to-image: a landscape whose palette, horizon, sky body,
//! ridges and foreground silhouettes are all drawn from a hash of the prompt
//! (and nudged by a few keywords), so each prompt gets its own recognisable
//! picture and the same prompt always gets the same PNG bytes.

use super::seed::{Rng, hash64, hsv, mix};
use crate::media::FormatError;
use crate::media::RgbImage;

/// How big a generated image is: its long side is 512, 1024 or 1536 pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeClass {
    /// Long side 512 px.
    Small,
    /// Long side 1024 px.
    Medium,
    /// Long side 1536 px.
    Large,
}

impl SizeClass {
    /// Parses `small` / `medium` / `large` (as the `size` parameter spells them).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "small" => Some(Self::Small),
            "medium" => Some(Self::Medium),
            "large" => Some(Self::Large),
            _ => None,
        }
    }

    /// The long side in pixels.
    pub fn long_side(self) -> u32 {
        match self {
            Self::Small => 512,
            Self::Medium => 1024,
            Self::Large => 1536,
        }
    }
}

/// The aspect ratios `local-image` accepts, as `(width, height)` units.
pub const ASPECT_RATIOS: [(&str, u32, u32); 6] = [
    ("1:1", 1, 1),
    ("16:9", 16, 9),
    ("9:16", 9, 16),
    ("4:3", 4, 3),
    ("3:4", 3, 4),
    ("21:9", 21, 9),
];

/// Pixel size for an aspect ratio and size class: the long side is the class's,
/// the short side is rounded to a multiple of 8 (friendly to encoders and tiles).
pub fn image_dimensions(aspect_ratio: &str, size: SizeClass) -> Result<(u32, u32), FormatError> {
    let (_, a, b) = ASPECT_RATIOS
        .iter()
        .find(|(name, _, _)| *name == aspect_ratio)
        .ok_or_else(|| {
            FormatError::InvalidInput(format!(
                "unsupported aspect_ratio {aspect_ratio:?} (use 1:1, 16:9, 9:16, 4:3, 3:4 or 21:9)"
            ))
        })?;
    let long = size.long_side();
    let short = |num: u32, den: u32| ((long * num + den * 4) / (den * 8)).max(1) * 8;
    Ok(if a >= b {
        (long, short(*b, *a))
    } else {
        (short(*a, *b), long)
    })
}

/// Renders the prompt as a PNG of the given aspect ratio and size class.
pub fn render_image(
    prompt: &str,
    aspect_ratio: &str,
    size: SizeClass,
) -> Result<Vec<u8>, FormatError> {
    let (w, h) = image_dimensions(aspect_ratio, size)?;
    render_scene(prompt, w, h).to_png()
}

/// Words that steer the scene, so prompts read as intended where it is cheap to.
struct Cues {
    night: bool,
    water: bool,
    warm: bool,
}

fn cues(prompt: &str, rng: &mut Rng) -> Cues {
    let p = prompt.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| p.contains(w));
    let night = has(&["night", "moon", "star", "dark", "midnight"])
        || (!has(&["sun", "day"]) && rng.unit() < 0.25);
    let water = has(&["sea", "ocean", "lake", "water", "river", "beach"]) || rng.unit() < 0.3;
    let warm = has(&[
        "sunset", "dusk", "dawn", "fire", "desert", "autumn", "golden",
    ]);
    Cues { night, water, warm }
}

/// Draws the scene into a fresh canvas (exposed so the video path can reuse it in tests).
pub fn render_scene(prompt: &str, w: u32, h: u32) -> RgbImage {
    let mut rng = Rng::from_text("local-image", prompt);
    let cue = cues(prompt, &mut rng);
    let mut img = RgbImage::new(w, h);
    let (wf, hf) = (w as f32, h as f32);
    let unit = wf.min(hf);

    let hue = if cue.warm {
        rng.range(0.95, 1.1)
    } else {
        rng.unit()
    };
    let (sky_top, sky_low) = if cue.night {
        (hsv(hue + 0.6, 0.7, 0.12), hsv(hue + 0.55, 0.5, 0.35))
    } else {
        (
            hsv(hue, rng.range(0.45, 0.8), rng.range(0.55, 0.8)),
            hsv(hue + rng.range(0.05, 0.15), 0.35, 0.97),
        )
    };
    let horizon = (hf * rng.range(0.55, 0.72)) as u32;

    // Sky: a vertical gradient, one colour per row.
    for y in 0..horizon.min(h) {
        let t = y as f32 / horizon.max(1) as f32;
        img.fill_row(y, mix(sky_top, sky_low, t * t * (3.0 - 2.0 * t)));
    }

    if cue.night {
        for _ in 0..(wf * hf / 4000.0) as u32 {
            let (x, y) = (rng.range(0.0, wf), rng.range(0.0, horizon as f32 * 0.9));
            let s = if rng.unit() < 0.15 { 2 } else { 1 };
            let a = rng.range(120.0, 255.0) as u8;
            img.blend_rect(
                x as i64,
                y as i64,
                x as i64 + s,
                y as i64 + s,
                [255, 250, 235],
                a,
            );
        }
    }

    // Sun or moon, placed before the ridges so it can set behind them.
    let body_x = rng.range(0.15, 0.85) * wf;
    let body_y = rng.range(0.12, 0.8) * horizon as f32;
    let body_r = rng.range(0.05, 0.1) * unit;
    let body_color = if cue.night {
        [240, 238, 220]
    } else {
        hsv(hue + 0.12, 0.35, 1.0)
    };
    img.disc(body_x, body_y, body_r, body_r * 1.8, body_color, 255);
    if cue.night {
        // A crescent: bite the moon with a sky-coloured disc.
        img.disc(
            body_x + body_r * 0.45,
            body_y - body_r * 0.2,
            body_r * 0.85,
            0.0,
            mix(sky_top, sky_low, 0.3),
            255,
        );
    }

    // Clouds: clusters of translucent discs.
    for _ in 0..rng.below(5) + 1 {
        let (cx, cy) = (rng.range(0.0, wf), rng.range(0.08, 0.6) * horizon as f32);
        let cloud = if cue.night {
            [90, 95, 120]
        } else {
            [255, 255, 255]
        };
        for _ in 0..6 {
            let r = rng.range(0.02, 0.05) * unit;
            img.disc(
                cx + rng.range(-3.0, 3.0) * r,
                cy + rng.range(-0.5, 0.5) * r,
                r,
                0.0,
                cloud,
                70,
            );
        }
    }

    // Ridges: far ones hazy (close to the sky), near ones darker.
    let layers = 2 + rng.below(2);
    for layer in 0..layers {
        let depth = (layer + 1) as f32 / layers as f32;
        let base = horizon as f32 - (1.0 - depth) * 0.02 * hf;
        let amp = rng.range(0.06, 0.2) * hf * (1.2 - depth * 0.5);
        let waves: Vec<(f32, f32, f32)> = (0..3)
            .map(|k| {
                (
                    rng.range(1.0, 4.0) * (k + 1) as f32,
                    rng.range(0.0, std::f32::consts::TAU),
                    1.0 / (k + 1) as f32,
                )
            })
            .collect();
        let color = mix(
            sky_low,
            hsv(hue + 0.45, 0.5, if cue.night { 0.08 } else { 0.25 }),
            0.35 + depth * 0.55,
        );
        for x in 0..w {
            let u = x as f32 / wf;
            let s: f32 = waves
                .iter()
                .map(|(f, p, a)| a * (u * f * std::f32::consts::TAU + p).sin())
                .sum();
            let top = base - amp * (0.55 + 0.3 * s);
            img.blend_vspan(i64::from(x), top as i64, horizon as i64 + 1, color, 255);
        }
    }

    // Ground (or water reflecting the sky).
    let ground_near = hsv(
        hue + rng.range(0.2, 0.45),
        0.55,
        if cue.night { 0.1 } else { 0.35 },
    );
    let ground_far = mix(ground_near, sky_low, 0.35);
    for y in horizon..h {
        let t = (y - horizon) as f32 / (h - horizon).max(1) as f32;
        let c = if cue.water {
            mix(mix(sky_low, sky_top, t), [0, 10, 30], 0.35 + 0.3 * t)
        } else {
            mix(ground_far, ground_near, t.sqrt())
        };
        img.fill_row(y, c);
    }
    if cue.water {
        // Shimmer lines and the sky body's reflection, wider towards the viewer.
        for i in 0..(h - horizon.min(h)) / 6 {
            let y = horizon + 3 + i * 6 + rng.below(3);
            let t = (y - horizon) as f32 / (h - horizon).max(1) as f32;
            let half = body_r * (0.6 + 1.5 * t) * rng.range(0.5, 1.2);
            img.blend_span(
                i64::from(y),
                (body_x - half) as i64,
                (body_x + half) as i64,
                body_color,
                150,
            );
            let lx = rng.range(0.0, wf);
            img.blend_span(
                i64::from(y),
                lx as i64,
                (lx + rng.range(0.02, 0.1) * wf) as i64,
                sky_low,
                60,
            );
        }
    }

    draw_words(&mut img, prompt, horizon, hue, cue.night);
    img
}

/// One silhouette per word along the ground line: a building, a tree or a
/// tower chosen by the word's hash, with a height that grows with its length.
fn draw_words(img: &mut RgbImage, prompt: &str, horizon: u32, hue: f32, night: bool) {
    let (wf, hf) = (img.width() as f32, img.height() as f32);
    let words: Vec<&str> = prompt
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .take(14)
        .collect();
    let ink = hsv(hue + 0.6, 0.4, if night { 0.04 } else { 0.12 });
    let lit = hsv(hue + 0.1, 0.6, 1.0);
    for (i, word) in words.iter().enumerate() {
        let mut rng = Rng::from_seed(hash64(&[word.to_lowercase().as_bytes(), &[i as u8]]));
        let len = word.chars().count().min(12) as f32;
        let x = rng.range(0.03, 0.97) * wf;
        let ground = horizon as f32 + rng.range(0.0, 0.1) * (hf - horizon as f32);
        let height = (0.05 + len * 0.02) * hf * rng.range(0.7, 1.2);
        let width = height * rng.range(0.25, 0.6);
        match rng.below(3) {
            0 => {
                // Building with a grid of lit windows.
                let (x0, top) = (x - width / 2.0, ground - height);
                img.blend_rect(
                    x0 as i64,
                    top as i64,
                    (x0 + width) as i64,
                    ground as i64,
                    ink,
                    255,
                );
                let cell = (width / 5.0).max(3.0);
                let mut wy = top + cell;
                while wy + cell < ground {
                    let mut wx = x0 + cell * 0.6;
                    while wx + cell * 0.5 < x0 + width {
                        if rng.unit() < if night { 0.55 } else { 0.3 } {
                            img.blend_rect(
                                wx as i64,
                                wy as i64,
                                (wx + cell * 0.5) as i64,
                                (wy + cell * 0.6) as i64,
                                lit,
                                220,
                            );
                        }
                        wx += cell;
                    }
                    wy += cell;
                }
            }
            1 => {
                // Conifer: stacked triangles on a trunk.
                let trunk = (width * 0.12).max(2.0);
                img.blend_rect(
                    (x - trunk / 2.0) as i64,
                    (ground - height * 0.25) as i64,
                    (x + trunk / 2.0) as i64,
                    ground as i64,
                    ink,
                    255,
                );
                let leaf = mix(ink, hsv(hue + 0.33, 0.6, 0.3), 0.5);
                for k in 0..3 {
                    let k = k as f32;
                    let base = ground - height * (0.15 + 0.25 * k);
                    img.triangle(
                        x,
                        base - height * 0.45,
                        width * (0.55 - 0.12 * k),
                        base,
                        leaf,
                        255,
                    );
                }
            }
            _ => {
                // Tower with a beacon.
                let tw = (width * 0.25).max(2.0);
                img.triangle(x, ground - height, tw * 1.4, ground, ink, 255);
                img.disc(x, ground - height, tw * 0.6, tw * 1.5, lit, 230);
            }
        }
    }
}
