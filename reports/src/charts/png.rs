//! In-memory PNG encoding of a rendered RGB buffer.

use super::ChartSize;
use crate::ReportError;

/// Encodes 8-bit RGB pixels (row-major, `width * height * 3` bytes) as a PNG file.
pub(crate) fn encode_rgb(rgb: &[u8], size: ChartSize) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, size.width, size.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    let mut writer = encoder.write_header().map_err(super::chart_error)?;
    writer.write_image_data(rgb).map_err(super::chart_error)?;
    writer.finish().map_err(super::chart_error)?;
    Ok(out)
}
