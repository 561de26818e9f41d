//! Batch scoring through wasm: `scoreLines(card, lines)`, JSON lines in, JSON lines out, the same
//! bytes as `puhui score --scorecard`.
//!
//! Owns only the line loop (split, skip blank lines, one output line per applicant line, per-line
//! error envelopes); every score comes from `CompiledCard::score_json_line`, the allocation-free
//! path the CLI uses. It must not hold scoring logic, and it keeps the CLI's line rules (1-based
//! line numbers counting blank lines, the 1 MiB line limit) so both hosts answer byte for byte.

use crate::{bytes_of, bytes_of_capped, js_error};
use puhui::score::{self, card::Scratch, CompiledCard};
use puhui::{ApiError, ErrorCode};
use wasm_bindgen::prelude::*;

/// Longest applicant line accepted, as in the CLI (`puhui score`).
const MAX_LINE_BYTES: usize = 1 << 20;
/// Largest batch one call takes (256 MiB); larger files are scored in chunks.
const MAX_BATCH_BYTES: usize = 1 << 28;

/// Scores JSON-lines applicants with a bare card (puhui card JSON). Returns one line per
/// non-blank input line, in input order, each ending in `\n`: `{"score":"…","reasons":[…]}` or
/// `{"error":{code,message,path?},"line":n}` (1-based). A card that does not parse or compile
/// throws a `PuhuiError` with `.code`; a bad applicant line never throws.
#[wasm_bindgen(js_name = scoreLines, unchecked_return_type = "string")]
pub fn score_lines(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] card: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] lines: JsValue,
) -> Result<String, JsValue> {
    let card_bytes = bytes_of(&card, "card")?;
    let card = score::scorecard_from_json(&card_bytes)
        .and_then(|card| CompiledCard::compile(&card))
        .map_err(|e| js_error(&e.to_api()))?;
    // Batches may be large; each line is bounded by MAX_LINE_BYTES below.
    let input = bytes_of_capped(&lines, "lines", MAX_BATCH_BYTES)?;
    let out = score_all(&card, &input);
    String::from_utf8(out)
        .map_err(|_| js_error(&ApiError::new("internal", "output is not utf-8", None)))
}

/// The line loop, kept apart from the JS types so it reads like the CLI's `stream`.
fn score_all(card: &CompiledCard, input: &[u8]) -> Vec<u8> {
    // Scores are short; a rough guess saves most regrowth.
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    let mut scratch = Scratch::default();
    let mut line_no: u64 = 0;
    let mut rest = input;
    while !rest.is_empty() {
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(pos) => (&rest[..pos], &rest[pos + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        line_no += 1;
        let too_long = line.len() > MAX_LINE_BYTES;
        let text = line.trim_ascii();
        if text.is_empty() && !too_long {
            continue;
        }
        let mark = out.len();
        let result = if too_long {
            Err(ApiError::new(
                "line-too-long",
                format!("line longer than {MAX_LINE_BYTES} bytes"),
                None,
            ))
        } else {
            card.score_json_line(text, &mut scratch, &mut out)
                .map_err(|e| e.to_api())
        };
        if let Err(error) = result {
            out.truncate(mark);
            // `{"error":{…},"line":n}`: the text of the CLI's `json!` envelope (keys sorted).
            out.extend_from_slice(b"{\"error\":");
            error.push_json(&mut out);
            puhui::json::write::push_u64(&mut out, b",\"line\":", line_no);
            out.push(b'}');
        }
        out.push(b'\n');
    }
    out
}
