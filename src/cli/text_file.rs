//! Reading a file the user named, with a size limit: `/dev/zero` or an endless pipe must end
//! in an error, not in an out-of-memory abort.

use std::io::Read;
use std::path::Path;

/// The most a scenario or trace file may hold.
pub const MAX_BYTES: u64 = 256 << 20;

/// Reads `path` as UTF-8 text of at most `max` bytes. The error names the file as `what`
/// (e.g. "trace file") with its path.
pub fn read(what: &str, path: &Path, max: u64) -> Result<String, String> {
    let cannot =
        |e: &dyn std::fmt::Display| format!("cannot read {what} '{}': {e}", path.display());
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "{what} '{}' is larger than the {} MiB allowed",
            path.display(),
            max >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|_| cannot(&"it is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_and_the_limit() {
        let dir = std::env::temp_dir().join(format!("kendall-text-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.toml");
        std::fs::write(&path, vec![b'#'; (1 << 20) + 1]).unwrap();
        let e = read("scenario file", &path, 1 << 20).unwrap_err();
        assert!(
            e.starts_with("scenario file '") && e.ends_with("larger than the 1 MiB allowed"),
            "{e}"
        );
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        let e = read("scenario file", &path, 1 << 20).unwrap_err();
        assert!(
            e.starts_with("cannot read scenario file '") && e.ends_with("not UTF-8 text"),
            "{e}"
        );
        let e = read("scenario file", &dir.join("missing.toml"), 1 << 20).unwrap_err();
        assert!(e.starts_with("cannot read scenario file '"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
