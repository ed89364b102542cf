//! Progress bars (indicatif) on an interactive terminal; nothing at all otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar over `steps` units of work (e.g. sweep points), each split into thousandths as the
/// simulator reports them. Hidden when stderr is not a terminal.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar with `steps` steps and a message.
    pub fn new(steps: u64, message: &str) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar =
                ProgressBar::with_draw_target(Some(steps * 1000), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{msg} [{bar:40}] {percent:>3}% {elapsed} (eta {eta})",
            )
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        } else {
            ProgressBar::hidden()
        };
        bar.set_message(message.to_string());
        Bar { bar }
    }

    /// A callback for the simulator reporting step `step`'s progress in thousandths.
    pub fn hook(&self, step: u64) -> impl Fn(u64, u64) + Sync + '_ {
        move |done, total| {
            let frac = if total == 0 {
                1.0
            } else {
                done as f64 / total as f64
            };
            self.bar.set_position(step * 1000 + (frac * 1000.0) as u64);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A spinner with elapsed and estimated time, for work that cannot report progress (a live
/// run). Hidden when stderr is not a terminal.
pub struct Spinner {
    bar: ProgressBar,
}

impl Spinner {
    /// A spinning line: `message`, elapsed time, and `estimate` (e.g. `about 3.3 s`).
    pub fn new(message: &str, estimate: &str) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let template = format!("{{spinner}} {{msg}} {{elapsed}} of {estimate}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        bar.set_message(message.to_string());
        Spinner { bar }
    }

    /// Removes the spinner from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
