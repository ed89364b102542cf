//! The embedded chart font: DejaVu Sans, registered once with plotters' `ab_glyph` text layer.
//!
//! Charts must render text on a machine with no system fonts (CI containers, servers), so the
//! font travels inside the binary. Its licence is `fonts/LICENSE-DejaVu.txt`.

use std::sync::OnceLock;

use plotters::style::FontStyle;

/// DejaVu Sans (Bitstream Vera licence, see `fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Registers the embedded font as plotters' `sans-serif` family; safe to call any number of times.
///
/// Returns `false` only if the embedded bytes were not a valid font, which the unit test
/// below rules out.
pub(crate) fn ensure_registered() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| {
        [FontStyle::Normal, FontStyle::Bold]
            .into_iter()
            .all(|style| plotters::style::register_font("sans-serif", style, DEJAVU_SANS).is_ok())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_font_registers() {
        assert!(super::ensure_registered());
    }
}
