//! `server sample local-video`: renders a clip with the offline provider,
//! exactly as a generation would (a `local-image` start frame, then
//! `local-video`), and writes it to a file. The browser tests play it.

use std::path::PathBuf;

use anyhow::{Context, bail};
use app::catalog::find_model;
use app::generation::local::LocalProvider;
use app::generation::params;
use app::generation::provider::{
    ImageRole, InputImage, MediaProvider, OutputMedia, ProviderRequest, Submitted,
};
use serde_json::json;

/// A sample clip to make.
#[derive(Debug, Clone, clap::Args)]
pub struct SampleClip {
    /// Where to write the clip (WebM).
    #[arg(long)]
    pub out: PathBuf,
    /// The prompt the start frame is rendered from.
    #[arg(long, default_value = "a lighthouse on a cliff at dusk")]
    pub prompt: String,
    /// Seconds.
    #[arg(long, default_value_t = 4)]
    pub duration: u32,
    #[arg(long, default_value = "16:9")]
    pub aspect_ratio: String,
    #[arg(long, default_value = "270p")]
    pub resolution: String,
}

async fn run(
    provider: &LocalProvider,
    model_id: &str,
    prompt: &str,
    input: serde_json::Value,
    images: Vec<(ImageRole, InputImage)>,
) -> anyhow::Result<(bytes::Bytes, String)> {
    let model = find_model(model_id).context("model")?;
    let params = params::validate(&model, input.as_object().context("object")?)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let request = ProviderRequest {
        provider_model: model.provider_model.clone(),
        prompt: prompt.into(),
        params,
        images,
        webhook_url: None,
    };
    match provider.submit(&request, &|_| {}).await? {
        Submitted::Done(mut outputs) => match outputs.pop() {
            Some(OutputMedia::Bytes { data, content_type }) => Ok((data, content_type)),
            other => bail!("unexpected output {other:?}"),
        },
        Submitted::Pending { .. } => bail!("the local provider answers at once"),
    }
}

/// Renders the sample and writes it to `out`.
pub async fn local_video(sample: SampleClip) -> anyhow::Result<()> {
    let provider = LocalProvider::new().with_min_video_time(std::time::Duration::ZERO);
    let (frame, content_type) = run(
        &provider,
        "local-image",
        &sample.prompt,
        json!({ "aspect_ratio": sample.aspect_ratio, "size": "small" }),
        vec![],
    )
    .await?;
    let start = InputImage {
        data: frame,
        content_type,
        public_url: None,
    };
    let (clip, content_type) = run(
        &provider,
        "local-video",
        &sample.prompt,
        json!({ "duration": sample.duration, "aspect_ratio": sample.aspect_ratio, "resolution": sample.resolution }),
        vec![(ImageRole::StartFrame, start)],
    )
    .await?;
    std::fs::write(&sample.out, &clip)
        .with_context(|| format!("writing {}", sample.out.display()))?;
    println!(
        "{} ({content_type}, {} bytes)",
        sample.out.display(),
        clip.len()
    );
    Ok(())
}
