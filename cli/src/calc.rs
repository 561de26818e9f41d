//! Stateless calculators on the command line: read a JSON request, print the JSON response.
//!
//! Every operation goes through `puhui::api::call_text`, the entry the wasm package, the HTTP
//! API and Python use too, and its text is printed as it is (never re-read into a
//! `serde_json::Value`, whose map would sort the members), so the CLI and the browser print the
//! same bytes for the same request.

use std::io::{Read, Write};

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

/// Reads a request from a file path, or stdin when the path is `-`.
pub fn read_input(input_path: &str) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if input_path == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(input_path)?;
    }
    Ok(bytes)
}

/// Runs one JSON operation on a file or stdin; prints the response (or the error envelope) and
/// returns the process exit code ([`exit_code`]): 0 on success, 1 on a refused request, 2 on an
/// unreadable input.
pub fn run_json_op(op: &str, input_path: &str) -> i32 {
    let bytes = match read_input(input_path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let error =
                puhui::ApiError::new(IO_CODE, format!("cannot read {input_path}: {e}"), None);
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
