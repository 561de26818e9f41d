//! Safe file replacement for every writer that races: advisory locks, unpredictable
//! temporary files, and the clean-up of temporaries a killed writer left behind.
//!
//! Owns the discipline `puhui publish` and every `--state` writer follow: take the lock of
//! the directory or file, re-read what is on disk under it, compare, then write a temporary
//! file created with `O_CREAT|O_EXCL` (never follows or reuses a symlink or file planted at
//! its name) under a random name, sync it, and rename it into place. It must not interpret
//! any document.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Suffix every temporary file of this module ends with.
const TEMP_SUFFIX: &str = ".tmp";

/// An exclusive advisory lock (`flock`) held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Blocks until the exclusive lock on `lock_path` is held (the file is created if missing
/// and never written). Every writer of one resource uses the same lock path.
pub fn lock(lock_path: &Path) -> std::io::Result<Lock> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path)?;
    file.lock()?;
    Ok(Lock { _file: file })
}

/// 128 random bits as hex, from the OS.
fn random_hex() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The hidden temporary-file prefix for `for_name` (dotfiles are never served).
fn temp_prefix(for_name: &str) -> String {
    format!(".{for_name}.")
}

/// Writes and syncs `bytes` to a new hidden file in `dir` with an unpredictable name,
/// created exclusively (an existing file or symlink at that name makes it fail, never
/// follows). Returns its path; the caller renames or links it into place.
pub fn write_temp(dir: &Path, for_name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let path = dir.join(format!(
        "{}{}{TEMP_SUFFIX}",
        temp_prefix(for_name),
        random_hex()?
    ));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o644);
    }
    let result = options.open(&path).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match result {
        Ok(()) => Ok(path),
        Err(err) => {
            let _ = std::fs::remove_file(&path);
            Err(err)
        }
    }
}

/// Removes temporaries for `for_name` in `dir` left by a writer that was killed between
/// creating and renaming them. Call only while holding the resource's lock, when no live
/// writer can own one.
pub fn remove_stale_temps(dir: &Path, for_name: &str) {
    let prefix = temp_prefix(for_name);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Replaces `path` atomically: a fresh temporary next to it, then `rename` (which replaces
/// a symlink at `path` itself rather than writing through it).
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let temp = write_temp(dir, &name, bytes)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// The lock path guarding a single file (`dir/.name.lock`).
pub fn lock_path_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    path.with_file_name(format!(".{name}.lock"))
}
