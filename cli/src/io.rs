//! File helpers shared by the key, signing and verification commands.
//!
//! Owns how files are written (private keys 0600 and never overwritten, state replaced
//! atomically) and read (bundles read only up to their size cap). It must not interpret
//! any document: parsing and checking belong to the core.

use puhui::ApiError;
use std::io::{Read as _, Write as _};
use std::path::Path;

/// An IO failure as the CLI reports it: code `io` (exit 2, `calc::exit_code`) in every command.
pub fn io_error(path: &Path, err: &std::io::Error) -> ApiError {
    ApiError::new(
        puhui_cli::calc::IO_CODE,
        format!("{}: {err}", path.display()),
        None,
    )
}

/// A serialization failure that cannot happen for the CLI's own types.
pub fn internal(err: serde_json::Error) -> ApiError {
    ApiError::new("internal", err.to_string(), None)
}

/// Writes a new private file with mode 0600; refuses to overwrite an existing one.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            ApiError::new(
                "file-exists",
                format!("{} already exists", path.display()),
                None,
            )
        } else {
            io_error(path, &e)
        }
    })?;
    file.write_all(bytes).map_err(|e| io_error(path, &e))?;
    file.sync_all().map_err(|e| io_error(path, &e))
}

/// Writes a public file (roots, public keys, signed bundles).
pub fn write_public(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), ApiError> {
    if !overwrite && path.exists() {
        return Err(ApiError::new(
            "file-exists",
            format!("{} already exists", path.display()),
            None,
        ));
    }
    std::fs::write(path, bytes).map_err(|e| io_error(path, &e))
}

/// Replaces `path` atomically (a fresh, unpredictably named temp file created with
/// `O_EXCL`, then rename), so a crash never leaves a half-written state behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    puhui_cli::fsafe::replace(path, bytes).map_err(|e| io_error(path, &e))
}

/// Takes the exclusive lock of a state file (`.<name>.lock` beside it) for one
/// read-verify-write cycle, and removes temporaries a killed writer left. Two concurrent
/// `verify --state` runs thus serialize: the second reads the first one's state, so a
/// newer accepted version is never lost and an older one is refused as a rollback.
pub fn lock_state(path: Option<&Path>) -> Result<Option<puhui_cli::fsafe::Lock>, ApiError> {
    let Some(path) = path else { return Ok(None) };
    let lock_path = puhui_cli::fsafe::lock_path_for(path);
    let lock = puhui_cli::fsafe::lock(&lock_path).map_err(|e| io_error(&lock_path, &e))?;
    if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        puhui_cli::fsafe::remove_stale_temps(dir, &name.to_string_lossy());
    }
    Ok(Some(lock))
}

/// Reads at most `max_bytes + 1` bytes: enough for the core to see that a file is over its
/// cap, without ever holding a 2 GB file in memory.
pub fn read_capped(path: &Path, max_bytes: usize) -> Result<Vec<u8>, ApiError> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::new();
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    Ok(bytes)
}

/// Reads the persisted verifier state, if a state file is named and exists (a first run has none).
pub fn read_state(path: Option<&Path>) -> Result<Option<Vec<u8>>, ApiError> {
    match path {
        Some(path) if path.exists() => {
            read_capped(path, puhui::bundle::verify::STATE_MAX_BYTES).map(Some)
        }
        _ => Ok(None),
    }
}

/// Replaces the state file atomically with the new verifier state (only called on success).
pub fn write_state<T: serde::Serialize>(path: Option<&Path>, state: &T) -> Result<(), ApiError> {
    let Some(path) = path else { return Ok(()) };
    let mut bytes = serde_json::to_vec_pretty(state).map_err(internal)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}
