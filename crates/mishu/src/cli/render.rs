//! `mishu render`: an official document (JSON) to a GB/T 9704-2012 PDF, or the sample
//! document with `--sample`, without a database or a server.

use clap::Args;
use mishu_render::{OfficialDocument, Renderer};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// The document as JSON (an `OfficialDocument`).
    #[arg(value_name = "INPUT.json", required_unless_present = "sample", requires = "out")]
    pub input: Option<PathBuf>,
    /// Where to write the PDF.
    #[arg(short, long, value_name = "OUT.pdf")]
    pub out: Option<PathBuf>,
    /// Write a sample 文件格式 document that uses every element instead.
    #[arg(long, value_name = "FILE.pdf", conflicts_with_all = ["input", "out"])]
    pub sample: Option<PathBuf>,
}

/// `fonts`: the data folder's fonts directory, as `serve` uses it (absent is fine).
pub fn run(args: &RenderArgs, fonts: &std::path::Path) -> anyhow::Result<ExitCode> {
    let (doc, out) = match (&args.sample, &args.input, &args.out) {
        (Some(out), _, _) => (mishu_render::sample::sample_document(), out),
        (None, Some(input), Some(out)) => match read(input) {
            Ok(doc) => (doc, out),
            Err(message) => {
                eprintln!("mishu render: {message}");
                return Ok(ExitCode::from(2));
            }
        },
        _ => anyhow::bail!("give INPUT.json -o OUT.pdf, or --sample FILE.pdf"),
    };
    let renderer = Renderer::with_font_dirs(&[fonts.to_path_buf()])?;
    let rendered = renderer.render_checked(&doc)?;
    std::fs::write(out, &rendered.pdf).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    if !rendered.missing_glyphs.is_empty() {
        let chars: String = rendered.missing_glyphs.iter().collect();
        eprintln!("mishu render: no font has these characters, they print as boxes: {chars}");
    }
    println!("{}: {} pages, {} bytes", out.display(), rendered.pages, rendered.pdf.len());
    Ok(ExitCode::SUCCESS)
}

/// Reads the JSON, naming the field that is wrong ("body[2].level: invalid type …").
fn read(path: &Path) -> Result<OfficialDocument, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let field = if field == "." { "the document".to_string() } else { format!("field `{field}`") };
        format!("{}: {field}: {}", path.display(), e.inner())
    })
}
