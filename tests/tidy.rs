//! Tidy: the layout rules of issue 14, checked on the source text of the core (`src/`).
//!
//! 1. Strings stop at the wire layer: only `wire` modules (`wire.rs`, or files under `wire/`)
//!    derive `Deserialize`, invoke `objects_only!` or call a decimal-string parser; the ground
//!    that defines those parsers and readers (`GROUND`) is exempt. `Serialize` (responses) is
//!    allowed anywhere.
//! 2. Every source file opens with a `//!` module doc.
//! 3. No ignore attribute on any test in the core, its tests, or the adapters' tests: a test
//!    that never runs cannot fail.
//! 4. No function outside test code (core and adapters: `cli`, `wasm`, `studio`, `python`) is
//!    longer than [`MAX_FN_LINES`] lines unless the comment block just above it starts with
//!    `// long:` and says why its length is earned.
//!
//! Test modules (`#[cfg(test)]`) are skipped for rules 1 and 4.

use std::fs;
use std::path::{Path, PathBuf};

/// Longest function (lines from `fn` to its closing brace) allowed without a `// long:` reason.
const MAX_FN_LINES: usize = 120;

/// Files that own parsing itself: decimal parsing (`money.rs`), request parsing with JSON
/// paths (`error.rs`), the object-only rule (`json_object.rs`), the JSON lexer and its two readers (`json/`),
/// the structural gate (`limits.rs`) and the operation table (`api.rs`).
const GROUND: &[&str] = &[
    "money.rs",
    "error.rs",
    "json_object.rs",
    "json/lex.rs",
    "json/exact.rs",
    "json/strict.rs",
    "limits.rs",
    "api.rs",
];

/// Calls that read a decimal from a string.
const DECIMAL_PARSERS: &[&str] = &[
    "parse_decimal(",
    "parse_decimal_within(",
    "parse_amount(",
    "parse_rate(",
    "Decimal::from_str",
    "from_str_exact(",
    "parse_card_number(",
    "amount_field(",
    "rate_field(",
    "date_field(",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n == "target" || n == "node_modules")
            {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `src/`-relative name with forward slashes, e.g. `json/exact.rs`.
fn src_name(path: &Path) -> String {
    let rel = path.strip_prefix(root().join("src")).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The source with every `#[cfg(test)]` item (a `mod tests { … }` block or a single item)
/// blanked out, line numbers kept.
fn without_test_code(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "#[cfg(test)]" {
            // Skip to the end of the item that follows: the first line that opens a brace,
            // then until its depth returns to zero (or a `;` item on one line).
            let mut depth: i64 = 0;
            let mut opened = false;
            while i < lines.len() {
                let code = strip_strings_and_comments(lines[i]);
                for ch in code.chars() {
                    match ch {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                out.push(String::new());
                i += 1;
                if (opened && depth <= 0) || (!opened && code.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        out.push(lines[i].to_string());
        i += 1;
    }
    out
}

/// The line without `//` comments, string literals and char literals (so braces inside them
/// are not counted). Good enough for this codebase: raw strings with braces are not used on
/// lines that open functions.
fn strip_strings_and_comments(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        if in_str {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '/' if chars.peek() == Some(&'/') => break,
            '\'' => {
                // A char literal such as '{' or '\'' — skip it; a lifetime has no closing quote.
                let rest: String = chars.clone().take(3).collect();
                if let Some(escaped) = rest.strip_prefix('\\') {
                    if let Some(end) = escaped.find('\'') {
                        for _ in 0..end + 2 {
                            chars.next();
                        }
                    }
                } else if rest.chars().nth(1) == Some('\'') {
                    chars.next();
                    chars.next();
                } else {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn core_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(files.len() > 20, "expected the core's sources under src/");
    files
}

#[test]
fn strings_stop_at_the_wire_layer() {
    let mut problems = Vec::new();
    for path in core_files() {
        let name = src_name(&path);
        // The wire layer of a domain is its `wire` module: a `wire.rs` file or a `wire/` folder.
        let is_wire = name == "wire.rs" || name.ends_with("/wire.rs") || name.contains("wire/");
        if is_wire || GROUND.contains(&name.as_str()) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap_or_default();
        let lines = without_test_code(&text);
        for (n, line) in lines.iter().enumerate() {
            let code = strip_strings_and_comments(line);
            let trimmed = code.trim();
            // A derive list rustfmt spread over several lines is read up to its `)]`.
            let mut derive = String::new();
            if trimmed.starts_with("#[derive(") {
                for more in &lines[n..] {
                    derive.push_str(&strip_strings_and_comments(more));
                    if more.contains(")]") {
                        break;
                    }
                }
            }
            let derives_deserialize = derive.contains("Deserialize");
            let object_reader = trimmed.starts_with("objects_only!");
            let parser = DECIMAL_PARSERS
                .iter()
                .find(|p| code.contains(*p) && !code.contains(&format!("fn {p}")));
            if derives_deserialize || object_reader {
                problems.push(format!(
                    "src/{name}:{}: reads JSON outside wire.rs: {trimmed}",
                    n + 1
                ));
            } else if let Some(p) = parser {
                problems.push(format!(
                    "src/{name}:{}: parses a decimal string ({p}) outside wire.rs",
                    n + 1
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "only wire.rs files know serde shapes and decimal strings:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_module_has_a_doc() {
    let missing: Vec<String> = core_files()
        .into_iter()
        .filter(|path| {
            let text = fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|path| format!("src/{}", src_name(&path)))
        .collect();
    assert!(missing.is_empty(), "modules without a //! doc: {missing:?}");
}

#[test]
fn no_test_is_ignored() {
    let mut files = Vec::new();
    for dir in [
        "src",
        "tests",
        "cli",
        "wasm/src",
        "studio/src",
        "python/src",
        "benches",
    ] {
        rust_files(&root().join(dir), &mut files);
    }
    // This file names the attribute it forbids; build the needle so it does not match itself.
    let needle = format!("#[{}", "ignore");
    let this = root().join("tests").join("tidy.rs");
    let offenders: Vec<String> = files
        .iter()
        .filter(|p| **p != this)
        .filter(|p| fs::read_to_string(p).unwrap_or_default().contains(&needle))
        .map(|p| p.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "ignored tests: {offenders:?}");
}

/// Functions of `lines` (test code blanked) longer than [`MAX_FN_LINES`] with no `// long:`
/// reason: `(first line number, name, length)`.
fn long_functions(lines: &[String]) -> Vec<(usize, String, usize)> {
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let code = strip_strings_and_comments(line);
        let Some(name) = fn_name(&code) else {
            continue;
        };
        // Find the body: the first `{` at or after the signature, then its matching `}`.
        let mut depth: i64 = 0;
        let mut opened = false;
        let mut end = None;
        for (j, body_line) in lines.iter().enumerate().skip(start) {
            let code = strip_strings_and_comments(body_line);
            if !opened && depth == 0 && code.trim_end().ends_with(';') && !code.contains('{') {
                break; // a declaration without a body (trait method)
            }
            for ch in code.chars() {
                match ch {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if opened && depth <= 0 {
                end = Some(j);
                break;
            }
        }
        let Some(end) = end else {
            continue;
        };
        let length = end - start + 1;
        if length > MAX_FN_LINES && !has_long_reason(lines, start) {
            found.push((start + 1, name, length));
        }
    }
    found
}

/// The name of the function a line declares, if it declares one.
fn fn_name(code: &str) -> Option<String> {
    let trimmed = code.trim_start();
    let mut rest = trimmed;
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
        "extern \"C\" ",
    ] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r;
        }
    }
    let rest = rest.strip_prefix("fn ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Whether the comment/attribute block right above line `start` begins with `// long:`.
fn has_long_reason(lines: &[String], start: usize) -> bool {
    let mut i = start;
    let mut first = None;
    while i > 0 {
        let above = lines[i - 1].trim();
        if above.starts_with("//") || above.starts_with("#[") {
            first = Some(above);
            i -= 1;
        } else {
            break;
        }
    }
    first.is_some_and(|l| l.starts_with("// long:") && l.len() > "// long:".len() + 10)
}

#[test]
fn long_functions_say_why() {
    let mut problems = Vec::new();
    let mut files = core_files();
    // The adapters too (their tests excepted).
    for dir in ["cli/src", "wasm/src", "studio/src", "python/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    for path in files {
        let text = fs::read_to_string(&path).unwrap_or_default();
        for (line, name, length) in long_functions(&without_test_code(&text)) {
            let shown = path
                .strip_prefix(root())
                .unwrap_or(&path)
                .display()
                .to_string();
            problems.push(format!(
                "{shown}:{line}: fn {name} is {length} lines (> {MAX_FN_LINES}) with no `// long:` reason"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checkers themselves, on small inputs: each rule can fail.
#[test]
fn the_checks_can_fail() {
    let body = |n: usize| {
        let mut v = vec!["pub fn big() {".to_string()];
        v.extend((0..n).map(|i| format!("    let x{i} = '{{';")));
        v.push("}".to_string());
        v
    };
    assert_eq!(long_functions(&body(MAX_FN_LINES - 2)), vec![]);
    assert_eq!(
        long_functions(&body(MAX_FN_LINES)),
        vec![(1, "big".to_string(), MAX_FN_LINES + 2)]
    );
    let mut reasoned = vec!["// long: one arm per field of the request, each a line".to_string()];
    reasoned.push("/// Doc.".to_string());
    reasoned.extend(body(MAX_FN_LINES));
    assert_eq!(long_functions(&reasoned), vec![]);
    let test_code = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { \"}\" }\n}\nfn c() {}";
    let kept = without_test_code(test_code);
    assert_eq!(kept.len(), 6);
    assert_eq!(kept[0], "fn a() {}");
    assert!(kept[1..5].iter().all(String::is_empty));
    assert_eq!(kept[5], "fn c() {}");
    assert_eq!(
        strip_strings_and_comments("let s = \"{\"; // }"),
        "let s = ; "
    );
}

/// The slice sorts whose every call site instantiates the standard library's driftsort or
/// ipnsort for its element type (2–5 KB of wasm each; docs/size.md, sessions 8–9).
const STD_SORTS: &[&str] = &[
    ".sort()",
    ".sort_by(",
    ".sort_by_key(",
    ".sort_by_cached_key(",
    ".sort_unstable",
];

/// The core sorts through `crate::sort` only (one compiled merge sort), outside test code.
#[test]
fn the_core_sorts_with_crate_sort() {
    let mut problems = Vec::new();
    for path in core_files() {
        let name = src_name(&path);
        if name == "sort.rs" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap_or_default();
        for (n, line) in without_test_code(&text).iter().enumerate() {
            let code = strip_strings_and_comments(line);
            if let Some(found) = STD_SORTS.iter().find(|s| code.contains(*s)) {
                problems.push(format!("src/{name}:{}: {found} (use crate::sort)", n + 1));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "std slice sorts in the core:\n{}",
        problems.join("\n")
    );
}
