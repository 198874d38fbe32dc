//! Thumbnails: a small JPEG beside each stored image or video, so a grid of
//! hundreds loads in kilobytes, not megabytes. Made on the server from our
//! own decode of the pixels, never by passing on bytes a browser sent.

use super::{FormatError, RgbImage, decode_image};

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 480;
/// The content type of every thumbnail.
pub const THUMBNAIL_TYPE: &str = "image/jpeg";
const QUALITY: u8 = 82;

/// The size that fits `w`×`h` inside `max`×`max`, keeping the aspect ratio
/// (never enlarged, never below one pixel).
pub fn fit(w: u32, h: u32, max: u32) -> (u32, u32) {
    if w <= max && h <= max {
        return (w.max(1), h.max(1));
    }
    let scale = f64::from(max) / f64::from(w.max(h));
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, max);
    (side(w), side(h))
}

/// Shrinks an image by averaging the source pixels under each output pixel
/// (a box filter: sharp enough for previews, and no aliasing).
pub fn downscale(src: &RgbImage, w: u32, h: u32) -> RgbImage {
    let (sw, sh) = (src.width() as usize, src.height() as usize);
    let (w, h) = (w as usize, h as usize);
    let data = src.as_raw();
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        let y0 = y * sh / h;
        let y1 = ((y + 1) * sh / h).max(y0 + 1).min(sh);
        for x in 0..w {
            let x0 = x * sw / w;
            let x1 = ((x + 1) * sw / w).max(x0 + 1).min(sw);
            let mut sum = [0u64; 3];
            for row in y0..y1 {
                let line = &data[(row * sw + x0) * 3..(row * sw + x1) * 3];
                for px in line.chunks_exact(3) {
                    sum[0] += u64::from(px[0]);
                    sum[1] += u64::from(px[1]);
                    sum[2] += u64::from(px[2]);
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            out.extend(sum.map(|s| ((s + n / 2) / n) as u8));
        }
    }
    RgbImage::from_raw(w as u32, h as u32, out).expect("the buffer matches its size")
}

/// A JPEG thumbnail of decoded pixels.
pub fn thumbnail_of(image: &RgbImage) -> Result<Vec<u8>, FormatError> {
    let (w, h) = fit(image.width(), image.height(), THUMBNAIL_SIDE);
    let small = if (w, h) == (image.width(), image.height()) {
        image.clone()
    } else {
        downscale(image, w, h)
    };
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, QUALITY)
        .encode(
            small.as_raw(),
            w as u16,
            h as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(|e| FormatError::Encode(e.to_string()))?;
    Ok(jpeg)
}

/// A JPEG thumbnail of an encoded image (PNG, JPEG, WebP or GIF), decoded
/// within the pixel cap.
pub fn thumbnail_of_bytes(bytes: &[u8]) -> Result<Vec<u8>, FormatError> {
    thumbnail_of(&decode_image(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_inside_the_box_keeping_the_shape() {
        assert_eq!(fit(1920, 1080, 480), (480, 270));
        assert_eq!(fit(1080, 1920, 480), (270, 480));
        assert_eq!(fit(300, 200, 480), (300, 200));
        assert_eq!(fit(10_000, 1, 480), (480, 1));
    }

    #[test]
    fn averages_blocks_of_pixels() {
        // Two columns: black and white; halved to one pixel, it is mid grey.
        let src = RgbImage::from_raw(2, 1, vec![0, 0, 0, 255, 255, 255]).unwrap();
        assert_eq!(downscale(&src, 1, 1).as_raw(), &[128, 128, 128]);
    }

    #[test]
    fn makes_a_small_jpeg_of_a_large_image() {
        // 1920×1080 of gradients with a little noise: a big PNG, like a photo.
        let (w, h) = (1920u32, 1080u32);
        let mut seed = 7u32;
        let pixels = (0..w * h)
            .flat_map(|i| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = (seed >> 28) as u8;
                let (x, y) = (i % w, i / w);
                [(x * 255 / w) as u8 ^ noise, (y * 255 / h) as u8, noise * 8]
            })
            .collect();
        let png = RgbImage::from_raw(w, h, pixels).unwrap().to_png().unwrap();
        let thumb = thumbnail_of_bytes(&png).unwrap();
        assert!(thumb.starts_with(&[0xFF, 0xD8, 0xFF]));
        let decoded = decode_image(&thumb).unwrap();
        assert_eq!(decoded.width().max(decoded.height()), THUMBNAIL_SIDE);
        assert!(
            thumb.len() < png.len() / 4,
            "{} vs {}",
            thumb.len(),
            png.len()
        );
    }
}
