//! Tests for the local provider: determinism, geometry, edits, the WebM
//! container and progress reporting.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::generation::provider::{
    ImageRole, InputImage, MediaProvider, OutputMedia, ProviderErrorKind, ProviderRequest,
    Submitted,
};
use crate::media::webm::{self, read_element};
use crate::media::{FormatError, RgbImage, decode_image};

fn decode(png: &[u8]) -> RgbImage {
    decode_image(png).expect("decodes")
}

fn mean_abs_diff(a: &RgbImage, b: &RgbImage) -> f64 {
    let sum: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.as_raw().len() as f64
}

fn luma(img: &RgbImage) -> Vec<f64> {
    img.as_raw()
        .chunks_exact(3)
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn images_are_deterministic() {
    let a = render_image("a lighthouse on a cliff at dusk", "16:9", SizeClass::Small).unwrap();
    let b = render_image("a lighthouse on a cliff at dusk", "16:9", SizeClass::Small).unwrap();
    assert_eq!(a, b);
}

#[test]
fn different_prompts_give_different_images() {
    let prompts = [
        "a red fox in the snow",
        "neon city at night",
        "quiet lake, morning mist",
    ];
    let imgs: Vec<RgbImage> = prompts
        .iter()
        .map(|p| decode(&render_image(p, "1:1", SizeClass::Small).unwrap()))
        .collect();
    for i in 0..imgs.len() {
        for j in i + 1..imgs.len() {
            let d = mean_abs_diff(&imgs[i], &imgs[j]);
            assert!(d > 10.0, "{} vs {}: mean diff {d}", prompts[i], prompts[j]);
        }
    }
    // Not blank: plenty of distinct colours.
    let mut colours: Vec<[u8; 3]> = imgs[0]
        .as_raw()
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 50, "only {} colours", colours.len());
}

#[test]
fn aspect_ratios_give_expected_dimensions() {
    let expected = [
        ("1:1", SizeClass::Small, 512, 512),
        ("16:9", SizeClass::Medium, 1024, 576),
        ("9:16", SizeClass::Medium, 576, 1024),
        ("4:3", SizeClass::Small, 512, 384),
        ("3:4", SizeClass::Large, 1152, 1536),
        ("21:9", SizeClass::Small, 512, 216),
    ];
    for (ratio, size, w, h) in expected {
        assert_eq!(image_dimensions(ratio, size).unwrap(), (w, h), "{ratio}");
    }
    let img = decode(&render_image("x", "21:9", SizeClass::Small).unwrap());
    assert_eq!((img.width(), img.height()), (512, 216));
    assert!(matches!(
        image_dimensions("5:4", SizeClass::Small),
        Err(FormatError::InvalidInput(_))
    ));
}

#[test]
fn edit_keeps_size_differs_and_correlates() {
    let source_png = render_image("mountains over a calm sea", "4:3", SizeClass::Small).unwrap();
    let source = decode(&source_png);
    let edited_png = edit_image(&source_png, "make it a warm vintage photo").unwrap();
    let edited = decode(&edited_png);
    assert_eq!(
        (edited.width(), edited.height()),
        (source.width(), source.height())
    );
    assert!(mean_abs_diff(&source, &edited) > 8.0, "edit too subtle");
    let r = correlation(&luma(&source), &luma(&edited));
    assert!(r > 0.6, "edit lost the composition: r = {r}");
    assert_eq!(
        edited_png,
        edit_image(&source_png, "make it a warm vintage photo").unwrap()
    );
    assert_ne!(
        edited_png,
        edit_image(&source_png, "cold blue night").unwrap()
    );
}

#[test]
fn bad_images_are_rejected() {
    for bad in [
        &b""[..],
        b"GIF89a....",
        b"\x89PNG\r\n\x1a\ntruncated",
        &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0],
    ] {
        match edit_image(bad, "x") {
            Err(FormatError::InvalidInput(m)) => assert!(!m.is_empty()),
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }
}

/// Children of the master element whose payload is `buf[start..start + len]`.
fn children(buf: &[u8], start: usize, len: usize) -> Vec<(u32, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = start;
    while pos < start + len {
        let Some(el) = read_element(buf, pos) else {
            break;
        };
        out.push(el);
        pos = el.1 + el.2;
    }
    out
}

fn encode_test_clip(secs: f32, with_end: bool, progress: &dyn Fn(f32)) -> Vec<u8> {
    let start = decode(&render_image("harbour at sunset", "16:9", SizeClass::Small).unwrap());
    let end = decode(&render_image("forest at night", "1:1", SizeClass::Small).unwrap());
    let (bytes, ct) = encode_clip(
        &start,
        with_end.then_some(&end),
        secs,
        320,
        180,
        24,
        progress,
    )
    .unwrap();
    assert_eq!(ct, "video/webm");
    bytes
}

#[test]
fn clip_is_webm_with_right_duration_and_frame_count() {
    let seen = Mutex::new(Vec::new());
    let bytes = encode_test_clip(3.0, true, &|p| seen.lock().unwrap().push(p));
    assert_eq!(&bytes[..4], &[0x1A, 0x45, 0xDF, 0xA3], "EBML magic");
    assert!(bytes.windows(4).any(|w| w == b"webm"), "DocType webm");
    let top = children(&bytes, 0, bytes.len());
    let &(_, seg_start, seg_len) = top.iter().find(|e| e.0 == webm::SEGMENT).expect("segment");
    assert_eq!(seg_start + seg_len, bytes.len(), "segment spans the file");
    let seg = children(&bytes, seg_start, seg_len);
    let &(_, info_start, info_len) = seg.iter().find(|e| e.0 == webm::INFO).expect("info");
    let &(_, d_start, d_len) = children(&bytes, info_start, info_len)
        .iter()
        .find(|e| e.0 == webm::DURATION)
        .expect("duration");
    assert_eq!(d_len, 8);
    let duration = f64::from_be_bytes(bytes[d_start..d_start + 8].try_into().unwrap());
    assert!((duration - 3000.0).abs() < 1e-6, "duration {duration}");
    assert!(seg.iter().any(|e| e.0 == webm::TRACKS));
    assert!(bytes.windows(5).any(|w| w == b"V_AV1"));
    let blocks: Vec<(usize, usize)> = seg
        .iter()
        .filter(|e| e.0 == webm::CLUSTER)
        .flat_map(|c| children(&bytes, c.1, c.2))
        .filter(|e| e.0 == webm::SIMPLE_BLOCK)
        .map(|e| (e.1, e.2))
        .collect();
    assert_eq!(blocks.len(), 72, "3 s at 24 fps");
    assert_eq!(
        bytes[blocks[0].0 + 3] & 0x80,
        0x80,
        "first block is a key frame"
    );
    // Blocks hold OBUs without temporal delimiters (OBU type 2).
    assert_ne!((bytes[blocks[0].0 + 4] >> 3) & 0x0F, 2);

    let seen = seen.into_inner().unwrap();
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "progress not monotonic: {seen:?}"
    );
    assert_eq!(seen.last(), Some(&1.0));
}

#[test]
fn clips_are_deterministic_and_validate_sizes() {
    assert_eq!(
        encode_test_clip(1.0, false, &|_| {}),
        encode_test_clip(1.0, false, &|_| {})
    );
    let img = RgbImage::new(8, 8);
    assert!(encode_clip(&img, None, 2.0, 321, 180, 24, &|_| {}).is_err());
    assert!(encode_clip(&img, None, f32::NAN, 320, 180, 24, &|_| {}).is_err());
    assert!(encode_clip(&RgbImage::new(0, 0), None, 1.0, 320, 180, 24, &|_| {}).is_err());
}

fn request(
    model: &str,
    params: serde_json::Value,
    images: Vec<(ImageRole, Vec<u8>)>,
) -> ProviderRequest {
    ProviderRequest {
        provider_model: model.into(),
        prompt: "a castle on a hill".into(),
        params: params.as_object().cloned().unwrap_or_default(),
        images: images
            .into_iter()
            .map(|(role, data)| {
                let image = InputImage {
                    data: data.into(),
                    content_type: "image/png".into(),
                    public_url: None,
                };
                (role, image)
            })
            .collect(),
        webhook_url: None,
    }
}

fn single_output(s: Submitted) -> (bytes::Bytes, String) {
    match s {
        Submitted::Done(mut v) if v.len() == 1 => match v.remove(0) {
            OutputMedia::Bytes { data, content_type } => (data, content_type),
            other => panic!("expected bytes, got {other:?}"),
        },
        other => panic!("expected one output, got {other:?}"),
    }
}

#[tokio::test]
async fn provider_runs_all_models() {
    let provider = LocalProvider::new().with_min_video_time(Duration::ZERO);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let progress = move |p: f32| log.lock().unwrap().push(p);

    let req = request(
        "local-image",
        serde_json::json!({"aspect_ratio": "9:16", "size": "small"}),
        vec![],
    );
    let (png, ct) = single_output(provider.submit(&req, &progress).await.unwrap());
    assert_eq!(ct, "image/png");
    let img = decode(&png);
    assert_eq!((img.width(), img.height()), (288, 512));

    let req = request(
        "local-edit",
        serde_json::json!({}),
        vec![(ImageRole::Source, png.to_vec())],
    );
    let (edited, _) = single_output(provider.submit(&req, &progress).await.unwrap());
    assert_eq!(decode(&edited).width(), 288);

    seen.lock().unwrap().clear();
    let params = serde_json::json!({"duration": 2, "aspect_ratio": "1:1", "resolution": "270p"});
    let req = request(
        "local-video",
        params,
        vec![(ImageRole::StartFrame, png.to_vec())],
    );
    let (clip, ct) = single_output(provider.submit(&req, &progress).await.unwrap());
    assert_eq!(ct, "video/webm");
    assert!(clip.len() > 1000);
    let seen = seen.lock().unwrap().clone();
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&1.0));
}

#[tokio::test]
async fn provider_rejects_bad_requests() {
    let provider = LocalProvider::new().with_min_video_time(Duration::ZERO);
    let noop = |_: f32| {};
    let cases = [
        request("local-video", serde_json::json!({}), vec![]),
        request(
            "local-video",
            serde_json::json!({}),
            vec![(ImageRole::StartFrame, b"nope".to_vec())],
        ),
        request("local-edit", serde_json::json!({}), vec![]),
        request(
            "local-image",
            serde_json::json!({"aspect_ratio": "2:1"}),
            vec![],
        ),
        request("local-image", serde_json::json!({"size": 3}), vec![]),
        request("local-nope", serde_json::json!({}), vec![]),
    ];
    for req in &cases {
        let err = provider.submit(req, &noop).await.unwrap_err();
        assert_eq!(
            err.kind,
            ProviderErrorKind::RejectedInput,
            "{}: {err}",
            req.provider_model
        );
    }
    let png = render_image("x", "1:1", SizeClass::Small).unwrap().to_vec();
    let req = request(
        "local-video",
        serde_json::json!({"duration": 11}),
        vec![(ImageRole::StartFrame, png)],
    );
    assert!(
        provider
            .submit(&req, &noop)
            .await
            .unwrap_err()
            .message
            .contains("duration")
    );
    let err = provider.submit(&cases[1], &noop).await.unwrap_err();
    assert!(err.message.contains("start frame"), "{}", err.message);
    assert_eq!(
        provider.poll("local-video", "id").await.unwrap_err().kind,
        ProviderErrorKind::RejectedInput
    );
    assert_eq!(
        provider.cancel("local-video", "id").await.unwrap_err().kind,
        ProviderErrorKind::RejectedInput
    );
}

#[test]
fn jpeg_and_webp_sources_decode_and_edit() {
    // 40x24: red left half, blue right half (made by Chromium, see e2e/make_fixtures.cjs).
    for bytes in [
        &include_bytes!("fixtures/split.jpg")[..],
        &include_bytes!("fixtures/split.webp")[..],
    ] {
        let img = decode_image(bytes).unwrap();
        assert_eq!((img.width(), img.height()), (40, 24));
        let (left, right) = (img.get(5, 12), img.get(35, 12));
        assert!(left[0] > 150 && left[2] < 80, "left {left:?}");
        assert!(right[2] > 150 && right[0] < 80, "right {right:?}");
        let edited = decode(&edit_image(bytes, "teal and orange").unwrap());
        assert_eq!((edited.width(), edited.height()), (40, 24));
    }
}

#[tokio::test]
async fn video_progress_is_paced_to_the_minimum_time() {
    let provider = LocalProvider::new().with_min_video_time(Duration::from_millis(600));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let progress = move |p: f32| log.lock().unwrap().push(p);
    let png = render_image("dunes", "1:1", SizeClass::Small)
        .unwrap()
        .to_vec();
    let req = request(
        "local-video",
        serde_json::json!({"duration": "2"}),
        vec![(ImageRole::StartFrame, png)],
    );
    let started = std::time::Instant::now();
    provider.submit(&req, &progress).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(600));
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() >= 4, "too few updates: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&1.0));
}
