//! The error-code registry (`src/error_codes.rs`) is true in both directions, and the files
//! generated from it are current (issue 14, item 4: one code per problem, one table).
//!
//! The scan reads every code-raising construct of the engine, the CLI/server, the wasm layer and
//! the studio, the Python extension — `fn code(&self) -> &'static str` and `fn classify` bodies, `ApiError::new("…"`,
//! `code: "…"`, `let code = …"…"`, `Diagnostic::new(Severity::…, "…"`, the server's `error_response(status, "…"`, lint's `error("…"` / `warning("…"` — outside `#[cfg(test)]`.
//! Run with `PUHUI_BLESS=1` to rewrite `docs/errors.md` and the `ErrorCode` union in
//! `wasm/src/types.d.ts` after changing the registry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use puhui::error_codes::{is_registered, ERROR_CODES};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of each `{ … }` body following a match of `head` (which ends at or before `{`).
fn bodies<'a>(text: &'a str, head: &Regex) -> Vec<&'a str> {
    head.find_iter(text)
        .filter_map(|m| {
            let open = m.end() - 1 + text[m.end() - 1..].find('{')?;
            let mut depth = 0usize;
            for (offset, byte) in text.as_bytes()[open..].iter().enumerate() {
                match byte {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(&text[open + 1..open + offset]);
                        }
                    }
                    _ => {}
                }
            }
            None
        })
        .collect()
}

/// Every code raised in the sources, with the files raising it.
fn scanned() -> BTreeMap<String, BTreeSet<String>> {
    const KEBAB: &str = r#""([a-z][a-z0-9]*(?:-[a-z0-9]+)*)""#;
    let code_fn = Regex::new(r"fn (?:code|classify)\([^)]*\)\s*->\s*&'static str\s*\{").unwrap();
    let literal = Regex::new(KEBAB).unwrap();
    let raising = [
        Regex::new(&format!(r"ApiError::new\(\s*{KEBAB}")).unwrap(),
        Regex::new(&format!(r"\bcode:\s*{KEBAB}")).unwrap(),
        Regex::new(&format!(r"\blet code = (?:if [^{{]*\{{\s*)?{KEBAB}")).unwrap(),
        // Scorecard and model lint: `Diagnostic::new(Severity::Error, "code", …)`.
        Regex::new(&format!(r"Diagnostic::new\(\s*[\w:]+,\s*{KEBAB}")).unwrap(),
        Regex::new(&format!(r"Severity::(?:Error|Warning),\s*{KEBAB}")).unwrap(),
        // The server's own HTTP refusals: `error_response(StatusCode::…, "code", …)`.
        Regex::new(&format!(r"error_response\(\s*[\w:]+,\s*{KEBAB}")).unwrap(),
        // …their canned forms `(StatusCode::…, "code", …)` and the API's `bad("code", …)`.
        Regex::new(&format!(r"\(\s*StatusCode::\w+,\s*{KEBAB}")).unwrap(),
        Regex::new(&format!(r"\bbad\(\s*{KEBAB}")).unwrap(),
        // `json::tree`'s request errors.
        Regex::new(&format!(r"\berror_at\(\s*{KEBAB}")).unwrap(),
    ];
    let lint = Regex::new(&format!(r"\b(?:error|warning)\(\s*{KEBAB}")).unwrap();
    let mut files = Vec::new();
    for dir in ["src", "cli/src", "wasm/src", "studio/src", "python/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut codes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap();
        let name = file
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut found = Vec::new();
        for body in bodies(text, &code_fn) {
            found.extend(literal.captures_iter(body).map(|c| c[1].to_owned()));
        }
        for pattern in &raising {
            found.extend(pattern.captures_iter(text).map(|c| c[1].to_owned()));
        }
        if name.ends_with("lint.rs") || name.ends_with("product.rs") {
            found.extend(lint.captures_iter(text).map(|c| c[1].to_owned()));
        }
        for code in found {
            codes.entry(code).or_default().insert(name.clone());
        }
    }
    // The Python package's own refusals (`raise PuhuiError("code", …)`).
    let python = Regex::new(&format!(r"PuhuiError\(\s*{KEBAB}")).unwrap();
    let init = "python/pysrc/puhui/__init__.py";
    let text = std::fs::read_to_string(root().join(init)).unwrap();
    for capture in python.captures_iter(&text) {
        codes
            .entry(capture[1].to_owned())
            .or_default()
            .insert(init.to_owned());
    }
    codes
}

#[test]
fn the_registry_is_sorted_unique_and_documented() {
    for pair in ERROR_CODES.windows(2) {
        assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
    }
    for (code, meaning) in ERROR_CODES {
        assert!(is_registered(code));
        assert!(
            !meaning.is_empty() && meaning.len() <= 120,
            "{code}: meaning"
        );
    }
    assert!(!is_registered("arithmetic-overflow"));
}

#[test]
fn every_raised_code_is_registered_and_every_registered_code_is_raised() {
    let scanned = scanned();
    let unregistered: Vec<_> = scanned
        .iter()
        .filter(|(code, _)| !is_registered(code))
        .map(|(code, files)| {
            format!(
                "{code} ({})",
                files.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    assert!(
        unregistered.is_empty(),
        "codes raised but not in src/error_codes.rs: {unregistered:?}"
    );
    let unraised: Vec<_> = ERROR_CODES
        .iter()
        .map(|(code, _)| *code)
        .filter(|code| !scanned.contains_key(*code))
        .collect();
    assert!(
        unraised.is_empty(),
        "registered but raised nowhere: {unraised:?}"
    );
}

fn docs_text(scanned: &BTreeMap<String, BTreeSet<String>>) -> String {
    let mut text = String::from(
        "# Error codes\n\n\
         Every stable code puhui emits, from one registry (`src/error_codes.rs`); this page and the\n\
         `ErrorCode` union of the TypeScript types are generated from it by\n\
         `tests/error_registry.rs` (`PUHUI_BLESS=1 cargo test --test error_registry`), and the same\n\
         test checks that every code raised in the sources is listed and every listed code is raised.\n\
         A refusal is `{\"error\": {\"code\", \"message\", \"path\"}}` at every door (CLI, HTTP, wasm,\n\
         Python); match on `code`, never on `message`. The same problem has the same code at every\n\
         door. CLI exit codes: 0 success, 1 a refusal of the input (this table), 2 `io`, usage errors\n\
         are clap's 2.\n\n\
         | code | meaning | raised in |\n|---|---|---|\n",
    );
    for (code, meaning) in ERROR_CODES {
        let files = scanned
            .get(*code)
            .map(|f| {
                f.iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        text.push_str(&format!("| `{code}` | {meaning} | {files} |\n"));
    }
    text
}

fn ts_union() -> String {
    let mut text = String::from(
        "// <error-codes> generated from src/error_codes.rs by tests/error_registry.rs (PUHUI_BLESS=1); do not edit\n\
         /** Every stable code an engine refusal can carry (docs/errors.md). */\nexport type ErrorCode =\n",
    );
    for (code, _) in ERROR_CODES {
        text.push_str(&format!("  | \"{code}\"\n"));
    }
    text.push_str("  ;\n// </error-codes>\n");
    text
}

#[test]
fn generated_files_are_current() {
    let bless = std::env::var_os("PUHUI_BLESS").is_some();
    let docs_path = root().join("docs/errors.md");
    let docs = docs_text(&scanned());
    let types_path = root().join("wasm/src/types.d.ts");
    let types = std::fs::read_to_string(&types_path).unwrap();
    let start = types
        .find("// <error-codes>")
        .expect("types.d.ts has the <error-codes> markers");
    let end_marker = "// </error-codes>\n";
    let end = types.find(end_marker).expect("closing marker") + end_marker.len();
    let new_types = format!("{}{}{}", &types[..start], ts_union(), &types[end..]);
    if bless {
        std::fs::write(&docs_path, &docs).unwrap();
        std::fs::write(&types_path, &new_types).unwrap();
        return;
    }
    assert_eq!(
        std::fs::read_to_string(&docs_path).unwrap_or_default(),
        docs,
        "docs/errors.md is stale: PUHUI_BLESS=1 cargo test --test error_registry"
    );
    assert_eq!(
        types, new_types,
        "the ErrorCode union in wasm/src/types.d.ts is stale: PUHUI_BLESS=1 cargo test --test error_registry"
    );
}
