//! Helpers shared by the end-to-end tests: a scratch directory, the binary, and checks that a
//! chart file is a well-formed SVG or a non-blank PNG of the stated size.

#![allow(dead_code)] // each test file uses a different subset

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A fresh scratch directory under the system temp dir, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kendall-e2e-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `kendall` binary, run from the repository root.
pub fn kendall() -> Command {
    let mut cmd = Command::cargo_bin("kendall").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Runs `kendall ARGS`, expects success, and parses stdout as JSON.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = kendall().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "kendall {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "kendall {args:?}: stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Checks that `text` is a well-formed SVG document: one root `<svg>`, every tag closed in
/// order, with text and some drawing inside.
pub fn check_svg(text: &str, what: &str) {
    let body = text.trim();
    let start = body
        .find("<svg")
        .unwrap_or_else(|| panic!("{what}: no <svg> root"));
    assert!(
        body[..start].trim().is_empty() || body[..start].trim().starts_with("<?xml"),
        "{what}: junk before <svg>"
    );
    let mut stack: Vec<String> = Vec::new();
    let mut rest = &body[start..];
    let mut elements = 0;
    while let Some(open) = rest.find('<') {
        let close = rest[open..]
            .find('>')
            .unwrap_or_else(|| panic!("{what}: unterminated tag"))
            + open;
        let tag = &rest[open + 1..close];
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack
                .pop()
                .unwrap_or_else(|| panic!("{what}: stray </{name}>"));
            assert_eq!(top, name.trim(), "{what}: </{name}> closes <{top}>");
        } else if !tag.starts_with('!') && !tag.starts_with('?') {
            elements += 1;
            let name = tag
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string();
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[close + 1..];
        if stack.is_empty() {
            break;
        }
    }
    assert!(stack.is_empty(), "{what}: unclosed <{}>", stack.join("> <"));
    assert!(rest.trim().is_empty(), "{what}: content after </svg>");
    assert!(elements > 20, "{what}: only {elements} elements");
    assert!(text.contains("<text"), "{what}: no text");
}

/// Decodes a PNG; returns (width, height, non-white pixels, distinct colours).
pub fn inspect_png(bytes: &[u8], what: &str) -> (u32, u32, usize, usize) {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{what}: bad PNG: {e}"));
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .unwrap_or_else(|e| panic!("{what}: bad PNG: {e}"));
    let channels = info.color_type.samples();
    let px: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let non_white = px
        .iter()
        .filter(|p| p[..3.min(channels)].iter().any(|&c| c < 245))
        .count();
    let mut colours: Vec<Vec<u8>> = px.iter().map(|p| p.to_vec()).collect();
    colours.sort_unstable();
    colours.dedup();
    (info.width, info.height, non_white, colours.len())
}

/// Checks every chart in `dir/charts`: SVG well-formed, PNG 960×600 and not blank, data
/// files present. Returns the number of charts.
pub fn check_charts(dir: &Path) -> usize {
    let charts = dir.join("charts");
    let mut n = 0;
    for entry in std::fs::read_dir(&charts).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("svg") {
            continue;
        }
        n += 1;
        let what = path.display().to_string();
        check_svg(&std::fs::read_to_string(&path).unwrap(), &what);
        let png = std::fs::read(path.with_extension("png")).unwrap();
        let (w, h, ink, colours) = inspect_png(&png, &what);
        assert_eq!((w, h), (960, 600), "{what}");
        assert!(ink > 5_000, "{what}: PNG nearly blank ({ink} inked pixels)");
        assert!(colours > 20, "{what}: PNG has only {colours} colours");
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap())
                .unwrap();
        assert!(
            data.get("chart").is_some(),
            "{what}: chart data has no kind"
        );
        assert!(
            std::fs::read_to_string(path.with_extension("csv"))
                .unwrap()
                .lines()
                .count()
                >= 2
        );
    }
    n
}

/// Relative difference |a − b| / |b|.
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}
