//! Renders a demo `report.html` in headless Chromium and checks the screenshot shows the
//! page and its charts: enough ink, many colours, and the series colours of the charts.
//!
//! Chromium is Debian's `chromium` package (CI installs it). Without it the test fails when
//! the `CI` environment variable is set, and is skipped with a notice otherwise.

mod cli_support;

use std::process::Command;

use cli_support::{Scratch, inspect_png, kendall};

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|_| name.to_string())
        })
}

/// Pixels within a small distance of an RGB colour.
fn count_near(png: &[u8], rgb: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(png);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(ch)
        .filter(|p| (0..3).all(|i| (p[i] as i32 - rgb[i] as i32).abs() <= 24))
        .count()
}

#[test]
fn report_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "chromium is not installed, and CI is set: install it (apt-get install chromium)"
            );
        }
        eprintln!(
            "NOTICE: chromium not found; skipping the browser test (install it with apt-get install chromium)"
        );
        return;
    };
    let tmp = Scratch::new("browser");
    let report = tmp.path().join("report");
    let out = kendall()
        .args(["demo", "--quick", "--out"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shot = tmp.path().join("shot.png");
    let profile = tmp.path().join("profile");
    let (w, h) = (1200u32, 4200u32);
    let status = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("--window-size={w},{h}"))
        .arg(format!("file://{}", report.join("report.html").display()))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    let (sw, sh, ink, colours) = inspect_png(&png, "screenshot");
    assert_eq!((sw, sh), (w, h));
    assert!(ink > 100_000, "screenshot nearly blank: {ink} inked pixels");
    assert!(colours > 200, "screenshot has only {colours} colours");
    // The charts' series colours: simulated means (blue), p99 (red), loss (orange).
    for (name, rgb) in [
        ("blue", [31, 119, 180]),
        ("red", [214, 39, 40]),
        ("orange", [255, 127, 14]),
    ] {
        let n = count_near(&png, rgb);
        assert!(n > 300, "only {n} {name} pixels: the charts did not render");
    }
}
