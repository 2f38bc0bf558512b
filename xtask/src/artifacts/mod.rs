//! Aggregated artifacts of `build-all`: pure functions from the analysis to bytes.
//! Writing them is `output::write_atomic`'s job.

pub mod archive;
pub mod reports;

use sha2::{Digest, Sha256};

use crate::output::Output;

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// `SHA256SUMS` in the `sha256sum` format (`<hash>  <name>`), sorted by name.
/// Paths are relative to the folder the file is written into.
pub fn sha256sums(files: &[&Output]) -> Vec<u8> {
    let mut lines: Vec<(String, String)> = files
        .iter()
        .map(|file| (crate::paths::to_slash(&file.path), sha256_hex(&file.bytes)))
        .collect();
    lines.sort();
    lines
        .into_iter()
        .map(|(name, hash)| format!("{hash}  {name}\n"))
        .collect::<String>()
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_a_known_value() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let a = Output::new("b.tar.gz", "x");
        let b = Output::new("a.tar.gz", "y");
        let sums = String::from_utf8(sha256sums(&[&a, &b])).unwrap();
        assert!(
            sums.lines().next().unwrap().ends_with("  a.tar.gz"),
            "{sums}"
        );
    }
}
