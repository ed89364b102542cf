//! Every chart kind renders to a well-formed SVG and to a PNG of the stated size that is not
//! blank, from synthetic data (no simulator needed), including degenerate inputs.

use kendall_reports::charts::{
    Chart, ChartSize, LatencyChart, LoadPoint, QueueLengthChart, SojournChart, ThroughputChart,
};

fn sweep() -> Vec<LoadPoint> {
    (1..=9)
        .map(|i| {
            let rho = i as f64 / 10.0;
            // Shapes only; these are drawing inputs, not reference values.
            let w = 1.0 / (1.0 - rho);
            LoadPoint {
                load: rho,
                arrival_rate: rho,
                sojourn_mean: w * 1.02,
                sojourn_ci95: w * 0.05,
                sojourn_p99: w * 4.6,
                throughput: rho * 0.99,
                p_loss: rho * rho * 0.1,
                p_loss_ci95: 0.005,
                theory_sojourn_mean: Some(w),
                theory_sojourn_p99: Some(w * 4.605),
                theory_throughput: Some(rho),
                theory_p_loss: Some(rho * rho * 0.1),
            }
        })
        .collect()
}

fn all_charts() -> Vec<(&'static str, Chart)> {
    let cdf: Vec<(f64, f64)> = (0..50)
        .map(|i| {
            let t = i as f64 * 0.5;
            (t, 1.0 - (-t / 5.0).exp())
        })
        .collect();
    vec![
        (
            "latency",
            Chart::Latency(LatencyChart {
                scenario: "M/M/1".into(),
                time_unit: "s".into(),
                points: sweep(),
                x_desc: None,
                theory_exact: true,
            }),
        ),
        (
            "throughput",
            Chart::Throughput(ThroughputChart {
                scenario: "M/M/2/10".into(),
                time_unit: "s".into(),
                points: sweep(),
                x_desc: Some("servers c".into()),
            }),
        ),
        (
            "queue-length",
            Chart::QueueLength(QueueLengthChart {
                scenario: "M/M/1, ρ = 0.8".into(),
                time_unit: "s".into(),
                samples: (0..200)
                    .map(|i| (i as f64, ((i * 7) % 11) as f64))
                    .collect(),
                theory_mean: Some(4.0),
                live_samples: vec![],
            }),
        ),
        (
            "sojourn",
            Chart::Sojourn(SojournChart {
                scenario: "M/M/1, ρ = 0.8".into(),
                time_unit: "s".into(),
                simulated_cdf: cdf.iter().map(|(t, p)| (*t, (p * 1.01).min(1.0))).collect(),
                theory_cdf: Some(cdf.clone()),
                theory_percentiles: vec![(cdf[10].0, cdf[10].1)],
                live_cdf: vec![],
            }),
        ),
    ]
}

/// Decodes a PNG and returns (width, height, number of non-white pixels, distinct colours).
fn inspect_png(bytes: &[u8]) -> (u32, u32, usize, usize) {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let px: Vec<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
    let non_white = px.iter().filter(|p| p.iter().any(|&c| c < 250)).count();
    let mut colours: Vec<[u8; 3]> = px.iter().map(|p| [p[0], p[1], p[2]]).collect();
    colours.sort_unstable();
    colours.dedup();
    (info.width, info.height, non_white, colours.len())
}

#[test]
fn every_chart_renders_svg_and_png() {
    let size = ChartSize {
        width: 640,
        height: 400,
    };
    for (name, chart) in all_charts() {
        let r = chart.render(name, size).unwrap();
        assert!(r.svg.starts_with("<svg"), "{name}: {}", &r.svg[..40]);
        assert!(r.svg.trim_end().ends_with("</svg>"), "{name}");
        assert!(r.svg.contains("<text"), "{name}: SVG has no text");
        assert!(r.svg.contains(&r.title.replace('&', "&amp;")) || r.svg.contains("—"));
        let (w, h, ink, colours) = inspect_png(&r.png);
        assert_eq!((w, h), (640, 400), "{name}");
        // Axes, labels and series: well over a few hundred inked pixels and several colours.
        assert!(ink > 3000, "{name}: only {ink} non-white pixels");
        assert!(colours > 20, "{name}: only {colours} colours");
    }
}

#[test]
fn png_text_is_drawn_with_the_embedded_font() {
    // The same chart with and without a title differs only by text: if fonts failed, the
    // plotters bitmap backend would draw nothing for the caption.
    let chart = Chart::QueueLength(QueueLengthChart {
        scenario: "x".into(),
        time_unit: "s".into(),
        samples: vec![],
        theory_mean: None,
        live_samples: vec![],
    });
    let long = Chart::QueueLength(QueueLengthChart {
        scenario: "a much longer scenario name that inks many more pixels".into(),
        time_unit: "s".into(),
        samples: vec![],
        theory_mean: None,
        live_samples: vec![],
    });
    let size = ChartSize::default();
    let (_, _, short_ink, _) = inspect_png(&chart.render("a", size).unwrap().png);
    let (_, _, long_ink, _) = inspect_png(&long.render("b", size).unwrap().png);
    assert!(long_ink > short_ink + 500, "{short_ink} vs {long_ink}");
}

#[test]
fn degenerate_inputs_still_render() {
    let nan = LoadPoint {
        load: f64::NAN,
        sojourn_mean: f64::INFINITY,
        ..LoadPoint::default()
    };
    let charts = [
        Chart::Latency(LatencyChart {
            points: vec![],
            ..LatencyChart::default()
        }),
        Chart::Latency(LatencyChart {
            points: vec![nan, LoadPoint::default()],
            ..LatencyChart::default()
        }),
        Chart::Throughput(ThroughputChart::default()),
        Chart::Sojourn(SojournChart::default()),
        Chart::QueueLength(QueueLengthChart {
            samples: vec![(1.0, 3.0)],
            ..QueueLengthChart::default()
        }),
    ];
    for c in charts {
        c.render("x", ChartSize::default()).unwrap();
    }
}

#[test]
fn bad_size_is_an_error_not_a_panic() {
    let err = all_charts()[0]
        .1
        .render(
            "x",
            ChartSize {
                width: 0,
                height: 10,
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("width 200..=8000"), "{err}");
}
