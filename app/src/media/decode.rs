//! Turns an uploaded PNG, JPEG, WebP or GIF into an [`RgbImage`]. The format is
//! sniffed from the bytes (not the declared content type, which clients get
//! wrong), alpha is composited over black, and oversized images are refused
//! before their pixels are allocated.

use std::io::Cursor;

use super::FormatError;
use crate::media::RgbImage;

/// The largest width or height accepted for an input image.
pub const MAX_SIDE: u32 = 8192;
/// The most pixels accepted (about 40 MP), bounding memory per request.
pub const MAX_PIXELS: u64 = 40_000_000;

/// The image type the bytes themselves say (PNG, JPEG, WebP or GIF),
/// whatever a file name or header claims.
pub fn sniff_image_type(bytes: &[u8]) -> Option<&'static str> {
    crate::media::types::sniff(bytes)
        .filter(|t| t.kind == crate::media::types::MediaKind::Image)
        .map(|t| t.mime)
}

/// Decodes PNG, JPEG, WebP or GIF (its first frame) bytes to RGB8.
pub fn decode_image(bytes: &[u8]) -> Result<RgbImage, FormatError> {
    match sniff_image_type(bytes) {
        Some("image/png") => decode_png(bytes),
        Some("image/jpeg") => decode_jpeg(bytes),
        Some("image/gif") => decode_gif(bytes),
        Some(_) => decode_webp(bytes),
        None if bytes.is_empty() => Err(invalid("the image is empty")),
        None => Err(invalid("the image is not a PNG, JPEG, WebP or GIF file")),
    }
}

fn invalid(msg: impl Into<String>) -> FormatError {
    FormatError::InvalidInput(msg.into())
}

fn check_size(w: u32, h: u32) -> Result<(), FormatError> {
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS
    {
        return Err(invalid(format!(
            "the image is {w}x{h}; sides must be 1..={MAX_SIDE} pixels and the total at most {MAX_PIXELS}"
        )));
    }
    Ok(())
}

fn decode_png(bytes: &[u8]) -> Result<RgbImage, FormatError> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Palette and low bit depths expand to 8-bit; 16-bit is cut to 8.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| invalid(format!("the PNG could not be read: {e}")))?;
    let (w, h) = {
        let info = reader.info();
        (info.width, info.height)
    };
    check_size(w, h)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| invalid("the PNG is too large"))?;
    let mut buf = vec![0; size];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|e| invalid(format!("the PNG could not be decoded: {e}")))?;
    let channels = match frame.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(invalid("the PNG palette could not be expanded")),
    };
    to_rgb(w, h, &buf, frame.line_size, channels)
}

fn decode_jpeg(bytes: &[u8]) -> Result<RgbImage, FormatError> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;

    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(MAX_SIDE as usize)
        .set_max_height(MAX_SIDE as usize);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder
        .decode_headers()
        .map_err(|e| invalid(format!("the JPEG could not be read: {e:?}")))?;
    let (w, h) = decoder
        .dimensions()
        .ok_or_else(|| invalid("the JPEG has no size"))?;
    check_size(w as u32, h as u32)?;
    let pixels = decoder
        .decode()
        .map_err(|e| invalid(format!("the JPEG could not be decoded: {e:?}")))?;
    let channels = decoder
        .output_colorspace()
        .map_or(3, |c| c.num_components());
    to_rgb(w as u32, h as u32, &pixels, w * channels, channels)
}

fn decode_webp(bytes: &[u8]) -> Result<RgbImage, FormatError> {
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes))
        .map_err(|e| invalid(format!("the WebP could not be read: {e}")))?;
    let (w, h) = decoder.dimensions();
    check_size(w, h)?;
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    let mut buf = vec![0; w as usize * h as usize * channels];
    // Animated WebP: the first frame is the image.
    decoder
        .read_image(&mut buf)
        .map_err(|e| invalid(format!("the WebP could not be decoded: {e}")))?;
    to_rgb(w, h, &buf, w as usize * channels, channels)
}

fn decode_gif(bytes: &[u8]) -> Result<RgbImage, FormatError> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options
        .read_info(Cursor::new(bytes))
        .map_err(|e| invalid(format!("the GIF could not be read: {e}")))?;
    let (w, h) = (u32::from(decoder.width()), u32::from(decoder.height()));
    check_size(w, h)?;
    let frame = decoder
        .read_next_frame()
        .map_err(|e| invalid(format!("the GIF could not be decoded: {e}")))?
        .ok_or_else(|| invalid("the GIF has no frames"))?;
    // The first frame may cover only part of the logical screen.
    let mut screen = vec![0u8; w as usize * h as usize * 4];
    let (fx, fy) = (usize::from(frame.left), usize::from(frame.top));
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    for row in 0..fh {
        let y = fy + row;
        if y >= h as usize {
            break;
        }
        let cols = fw.min((w as usize).saturating_sub(fx));
        let src = &frame.buffer[row * fw * 4..(row * fw + cols) * 4];
        let at = (y * w as usize + fx) * 4;
        screen[at..at + cols * 4].copy_from_slice(src);
    }
    to_rgb(w, h, &screen, w as usize * 4, 4)
}

/// Repacks 1–4 channel rows to RGB8, compositing alpha over black.
fn to_rgb(
    w: u32,
    h: u32,
    buf: &[u8],
    stride: usize,
    channels: usize,
) -> Result<RgbImage, FormatError> {
    let row_len = w as usize * channels;
    if channels == 0 || stride < row_len || buf.len() < stride * (h as usize - 1) + row_len {
        return Err(invalid("the decoded image has an unexpected layout"));
    }
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for y in 0..h as usize {
        let row = &buf[y * stride..y * stride + row_len];
        for px in row.chunks_exact(channels) {
            let premul = |c: u8, a: u8| ((u16::from(c) * u16::from(a) + 127) / 255) as u8;
            let rgb = match channels {
                1 => [px[0]; 3],
                2 => [premul(px[0], px[1]); 3],
                3 => [px[0], px[1], px[2]],
                _ => [
                    premul(px[0], px[3]),
                    premul(px[1], px[3]),
                    premul(px[2], px[3]),
                ],
            };
            out.extend_from_slice(&rgb);
        }
    }
    RgbImage::from_raw(w, h, out).ok_or_else(|| invalid("the decoded image has an unexpected size"))
}

#[cfg(test)]
mod tests {
    use super::sniff_image_type as sniff_image;

    #[test]
    fn sniffs_by_magic_bytes_only() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(
            sniff_image(b"<svg xmlns='http://www.w3.org/2000/svg'><script/>"),
            None
        );
        assert_eq!(sniff_image(b"GIF89a"), Some("image/gif"));
        assert_eq!(
            sniff_image(b"\0\0\0\x18ftypisom"),
            None,
            "a video is not an image"
        );
        assert_eq!(sniff_image(b""), None);
    }

    #[test]
    fn a_gifs_first_frame_is_placed_on_its_screen() {
        // A 3x2 screen with a 1x1 red frame at (2, 1).
        let mut gif = Vec::new();
        {
            let mut encoder = gif::Encoder::new(&mut gif, 3, 2, &[]).unwrap();
            let mut frame = gif::Frame::from_rgba(1, 1, &mut [255, 0, 0, 255]);
            frame.left = 2;
            frame.top = 1;
            encoder.write_frame(&frame).unwrap();
        }
        let image = super::decode_image(&gif).unwrap();
        assert_eq!((image.width(), image.height()), (3, 2));
        assert_eq!(image.get(2, 1), [255, 0, 0]);
        assert_eq!(
            image.get(0, 0),
            [0, 0, 0],
            "outside the frame: transparent, over black"
        );
    }
}
