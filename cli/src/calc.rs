//! Stateless calculators on the command line: read a JSON request, print the JSON response.
//!
//! Every operation goes through `puhui::api::call_text`, the entry the wasm package, the HTTP
//! API and Python use too, and its text is printed as it is (never re-read into a
//! `serde_json::Value`, whose map would sort the members), so the CLI and the browser print the
//! same bytes for the same request.

use puhui::limits::MAX_REQUEST_BYTES;
use std::io::{Read, Write};
use std::path::Path;

/// The one error code of a file or stream the CLI cannot read or write, in every command.
pub const IO_CODE: &str = "io";

/// The process exit code of a refusal, the same in every command (README, "CLI exit codes"):
/// 2 when a file or stream could not be read or written (`io`), 1 for every refused input.
/// Success is 0; clap's usage errors are 2 as well.
pub fn exit_code(error: &puhui::ApiError) -> u8 {
    if error.code == IO_CODE {
        2
    } else {
        1
    }
}

/// Prints a line to stdout; a closed pipe (`puhui … | head`) ends the output quietly instead of
/// panicking the way `println!` would.
pub fn print_line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// How far past [`MAX_REQUEST_BYTES`] an over-size input is counted (and dropped) to name its
/// size: 1 GiB, longer than any JS string (V8 allows 2^29 − 24 units, SpiderMonkey 2^30 − 2),
/// so every request the wasm package can be handed is counted exactly.
pub const COUNT_UP_TO: u64 = 1 << 30;

/// The refusal of a request over [`MAX_REQUEST_BYTES`] that is at least `at_least` bytes long,
/// worded as the wasm package words it (`wasm/src/lib.rs`, `too_large` of the `request`
/// argument), so the CLI, the server and the browser print the same bytes for it: code
/// `too-large`, path `request`. "At least": wasm counts a string's UTF-16 units before its
/// UTF-8 bytes, and a door that stops reading knows only a lower bound.
pub fn request_too_large(at_least: u64) -> puhui::ApiError {
    puhui::limits::too_large("request", at_least, MAX_REQUEST_BYTES)
}

/// Reads a request from a file path, or stdin when the path is `-`, holding at most
/// [`MAX_REQUEST_BYTES`] + 1 bytes: a longer input is counted on (up to [`COUNT_UP_TO`]) and
/// refused with [`request_too_large`]; an unreadable one is `io` (exit 2).
pub fn read_request(input_path: &Path) -> Result<Vec<u8>, puhui::ApiError> {
    let read = if input_path == Path::new("-") {
        read_capped(std::io::stdin().lock())
    } else {
        std::fs::File::open(input_path).and_then(read_capped)
    };
    match read {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(at_least)) => Err(request_too_large(at_least)),
        Err(e) => Err(puhui::ApiError::new(
            IO_CODE,
            format!("cannot read {}: {e}", input_path.display()),
            None,
        )),
    }
}

/// The whole input when it is at most [`MAX_REQUEST_BYTES`], else how long it is (counted up to
/// [`COUNT_UP_TO`] bytes, without keeping them).
fn read_capped(mut reader: impl Read) -> std::io::Result<Result<Vec<u8>, u64>> {
    let cap = u64::try_from(MAX_REQUEST_BYTES).unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    (&mut reader).take(cap + 1).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read <= cap {
        return Ok(Ok(bytes));
    }
    drop(bytes);
    let rest = std::io::copy(
        &mut reader.take(COUNT_UP_TO.saturating_sub(read)),
        &mut std::io::sink(),
    )?;
    Ok(Err(read + rest))
}

/// Runs one JSON operation on a file or stdin; prints the response (or the error envelope) and
/// returns the process exit code ([`exit_code`]): 0 on success, 1 on a refused request, 2 on an
/// unreadable input.
pub fn run_json_op(op: &str, input_path: &str) -> i32 {
    let bytes = match read_request(Path::new(input_path)) {
        Ok(bytes) => bytes,
        Err(error) => {
            print_line(&error.to_envelope().to_string());
            return i32::from(exit_code(&error));
        }
    };
    match puhui::api::call_text(op, &bytes) {
        Ok(response) => {
            print_line(&response);
            0
        }
        Err(error) => {
            print_line(&error.to_envelope().to_string());
            i32::from(exit_code(&error))
        }
    }
}

/// Pretty JSON for people, for the commands whose answer is the CLI's own (keys, roots,
/// signatures, verification); members sorted by name, as `serde_json::Value` holds them.
pub fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
