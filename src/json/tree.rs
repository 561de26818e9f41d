//! The request reader below serde: a borrowed JSON tree and the typed field readers every
//! `wire` module's hand-written request reader is built from.
//!
//! Owns [`Node`] (strings borrowed from the request unless they had escapes, numbers kept as
//! their token text), [`Path`] (the JSON path of a node, written out only when an error needs
//! it), [`read_request`] (every hand-read request: the tree, built in one pass under the strict
//! gate's rules — grammar, duplicate keys, number range, depth — then the typed reader), [`gate`]
//! (the same refusals for the serde-read requests) and the scalar and container readers with
//! serde's wording. A reader takes a node and its path and answers a typed value or an
//! [`ApiError`] with the code, path and message serde's derived code gave for the same
//! well-formed document (`invalid-request`, `missing-field`, `unknown-field`; the message without
//! serde's ` at line L column C`, and a float echoed as written where serde prints its f64 value:
//! `1e2`, not `100.0`; `tests/request_paths.rs` compares them on thousands of mutated requests),
//! so moving a type from `#[derive(Deserialize)]` to a hand-written reader changes no outcome,
//! code or path.
//!
//! It exists for size and speed: serde's derived deserializers and serde_json's reader were a
//! fifth of the calculator module (docs/size.md); these readers are not generic, so each field
//! costs a call, not a monomorphized visitor.
//! It must not know any request type.

use super::lex::{Cursor, NumberToken};
use super::strict::{self, Limits, StrictJsonError};
use crate::error::{concat, ApiError};
use std::borrow::Cow;

/// A JSON value of a request that passed the strict gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as its token text (`12`, `-1`, `1.5e3`).
    Number(&'a str),
    /// A string, decoded.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object, members in document order (keys are unique: the gate refused duplicates).
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// Where a node sits: the root, a member of an object, or an element of an array.
/// Written out (`fees[0].kind`, serde_path_to_error's form) only for an error.
#[derive(Debug, Clone, Copy)]
pub enum Path<'p> {
    /// The request itself.
    Root,
    /// Member `key` of the object at the parent path.
    Key(&'p Path<'p>, &'p str),
    /// Element `index` of the array at the parent path.
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    /// The path as text, `None` at the root.
    pub fn text(&self) -> Option<String> {
        let mut out = String::new();
        self.write(&mut out);
        (!out.is_empty()).then_some(out)
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, index) => {
                parent.write(out);
                out.push('[');
                crate::error::push_uint(out, *index as u64);
                out.push(']');
            }
        }
    }

    /// The path as text, `""` at the root (for the core errors that always carry a path).
    pub fn to_text(&self) -> String {
        self.text().unwrap_or_default()
    }
}

/// An error at `path`, its message and path cut so a huge input is never echoed
/// (`crate::limits::truncate_echoes`).
#[inline(never)]
pub fn error_at(code: &str, message: String, path: &Path<'_>) -> ApiError {
    let path = path.text().map(|p| crate::limits::truncate_echoes(&p));
    ApiError::new(code, crate::limits::truncate_echoes(&message), path)
}

/// serde's "invalid type: {what the node is}, expected {expected}".
#[inline(never)]
pub fn invalid_type(node: &Node<'_>, expected: &str, path: &Path<'_>) -> ApiError {
    let found = match node {
        Node::Null => "null".to_owned(),
        Node::Bool(true) => "boolean `true`".to_owned(),
        Node::Bool(false) => "boolean `false`".to_owned(),
        Node::Number(text) if is_integer(text) => concat(&["integer `", text, "`"]),
        Node::Number(text) => concat(&["floating point `", float_text(text), "`"]),
        Node::String(text) => concat(&["string ", &crate::error::quoted(text)]),
        Node::Array(_) => "sequence".to_owned(),
        Node::Object(_) => "map".to_owned(),
    };
    error_at(
        "invalid-request",
        concat(&["invalid type: ", &found, ", expected ", expected]),
        path,
    )
}

/// Whether serde_json reads the token as an integer: no fraction, no exponent, and not `-0`
/// (a float, `-0.0`, to serde_json).
fn is_integer(text: &str) -> bool {
    !text.contains(['.', 'e', 'E']) && text != "-0"
}

/// A float token as serde's message shows it: `-0` is `-0.0`; other tokens as written (serde
/// prints the f64's value, so `1e2` reads `100.0` there; the module keeps f64 formatting out of
/// the wasm).
fn float_text(text: &str) -> &str {
    if text == "-0" {
        "-0.0"
    } else {
        text
    }
}

/// Reads a whole request: the strict gate (grammar, duplicate keys, numbers, depth), then the
/// tree, then `read` on the root.
///
/// Codes: `malformed-json` (not JSON, at the path where it broke), `duplicate-key` (at the
/// repeated key's path), `out-of-range` (a number beyond 64-bit integers or near f64's edges,
/// such as `1e400`, at its path), `too-deep` (nesting deeper than [`strict::HARD_MAX_DEPTH`]),
/// `invalid-request` (an array or any non-object at the top: a request is never read
/// positionally), and whatever `read` answers.
pub fn read_request<'a, T>(
    bytes: &'a [u8],
    read: fn(&Node<'a>, &Path<'_>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let root = parse(bytes)?;
    if matches!(root, Node::Array(_)) {
        return Err(ApiError::new(
            "invalid-request",
            "a request is a JSON object, not an array",
            None,
        ));
    }
    read(&root, &Path::Root)
}

/// The tree of `bytes`, judged by the strict gate's rules (see [`read_request`] for the codes).
///
/// One pass in the common case: the builder checks the grammar, duplicate keys among an
/// object's first [`INLINE_KEYS`] members, the depth, and numbers that are plainly in range (no
/// exponent, at most 18 characters). Anything else — a failure, a larger object, a long or
/// exponent number — sends the document through [`strict::check`] as well, which gives every
/// refusal its code and path, so the answer is always the gate's.
pub fn parse(bytes: &[u8]) -> Result<Node<'_>, ApiError> {
    let mut builder = Builder {
        cur: Cursor::new(bytes),
        depth: 0,
        defer: false,
    };
    builder.cur.skip_whitespace();
    let built = builder.value().filter(|_| {
        builder.cur.skip_whitespace();
        builder.cur.pos == bytes.len()
    });
    if built.is_none() || builder.defer {
        gate(bytes)?;
    }
    // The gate accepted what the builder could not read only if they disagree on the grammar;
    // the request is then refused, never half read.
    built.ok_or_else(|| ApiError::new("malformed-json", "invalid json", None))
}

/// The strict gate on a request, with the request codes: `malformed-json` (not JSON, at the
/// path where it broke), `duplicate-key`, `out-of-range` (numbers), `too-deep` (nesting deeper
/// than [`strict::HARD_MAX_DEPTH`], the bundles' code for the same refusal). Every JSON request door runs it before judging any
/// field, the serde-read ones too (`crate::error::from_json_request`), so a document that is not
/// JSON is `malformed-json` whatever it holds.
pub fn gate(bytes: &[u8]) -> Result<(), ApiError> {
    let limits = Limits {
        max_bytes: usize::MAX,
        max_depth: strict::HARD_MAX_DEPTH,
    };
    strict::check(bytes, limits).map_err(gate_error)
}

/// The wire error of a gate refusal.
#[inline(never)]
fn gate_error(err: StrictJsonError) -> ApiError {
    let at = |path: String| (!path.is_empty()).then(|| crate::limits::truncate_echoes(&path));
    // The Display text in the full engine (see `ErrorCode::to_api`), the builder's in calc.
    let message = if cfg!(feature = "full") {
        err.to_string()
    } else {
        err.message()
    };
    let message = crate::limits::truncate_echoes(&message);
    match err {
        StrictJsonError::DuplicateKey { path } => {
            let path = at(path);
            let message = concat(&["duplicate key ", path.as_deref().unwrap_or_default()]);
            ApiError::new("duplicate-key", message, path)
        }
        StrictJsonError::NumberOutOfRange { path } => {
            ApiError::new("out-of-range", "number out of range", at(path))
        }
        StrictJsonError::Syntax { path, .. } => ApiError::new("malformed-json", message, at(path)),
        // The code of the same refusal for bundles (`BundleError::TooDeep`).
        StrictJsonError::TooDeep { path, .. } => ApiError::new("too-deep", message, at(path)),
        StrictJsonError::TooLarge { .. } => ApiError::new("too-large", message, None),
    }
}

/// Keys per object the builder compares itself (the gate's own linear-scan bound); a larger
/// object defers to the gate's key set.
pub const INLINE_KEYS: usize = strict::LINEAR_KEYS;

/// Number tokens up to this length without an exponent are always in range (18 digits fit
/// `i64`; a decimal of 18 characters is below 10^18), so the builder accepts them itself.
const INLINE_NUMBER_LEN: usize = 18;

/// The one-pass tree builder of [`parse`].
struct Builder<'a> {
    cur: Cursor<'a>,
    depth: usize,
    /// Whether something was left for [`strict::check`] to judge.
    defer: bool,
}

impl<'a> Builder<'a> {
    /// The node at the cursor; `None` where the strict gate must say why.
    fn value(&mut self) -> Option<Node<'a>> {
        let cur = &mut self.cur;
        let node = match cur.peek()? {
            b'{' | b'[' => {
                if self.depth >= strict::HARD_MAX_DEPTH {
                    return None;
                }
                self.depth += 1;
                let node = self.container()?;
                self.depth -= 1;
                node
            }
            b'"' => Node::String(cur.string(true).ok()??),
            b't' => cur.literal(b"true").then_some(Node::Bool(true))?,
            b'f' => cur.literal(b"false").then_some(Node::Bool(false))?,
            b'n' => cur.literal(b"null").then_some(Node::Null)?,
            _ => {
                let NumberToken { text, .. } = cur.number().ok()?;
                if text.len() > INLINE_NUMBER_LEN || text.iter().any(|b| matches!(b, b'e' | b'E')) {
                    self.defer = true;
                }
                Node::Number(std::str::from_utf8(text).ok()?)
            }
        };
        Some(node)
    }

    /// The object or array whose opening bracket is next.
    fn container(&mut self) -> Option<Node<'a>> {
        let object = self.cur.next_byte()? == b'{';
        let close = if object { b'}' } else { b']' };
        let mut members: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
        let mut items: Vec<Node<'a>> = Vec::new();
        self.cur.skip_whitespace();
        if self.cur.peek() == Some(close) {
            self.cur.pos += 1;
        } else {
            loop {
                self.cur.skip_whitespace();
                if object {
                    if self.cur.peek() != Some(b'"') {
                        return None;
                    }
                    let key = self.cur.string(true).ok()??;
                    if members.len() < INLINE_KEYS {
                        if members.iter().any(|(known, _)| *known == key) {
                            return None;
                        }
                    } else {
                        self.defer = true;
                    }
                    self.cur.skip_whitespace();
                    (self.cur.next_byte()? == b':').then_some(())?;
                    self.cur.skip_whitespace();
                    let value = self.value()?;
                    members.push((key, value));
                } else {
                    items.push(self.value()?);
                }
                self.cur.skip_whitespace();
                match self.cur.next_byte()? {
                    b',' => {}
                    byte if byte == close => break,
                    _ => return None,
                }
            }
        }
        Some(if object {
            Node::Object(members)
        } else {
            Node::Array(items)
        })
    }
}

/// serde's wording for a struct's unknown field: "unknown field `k`, expected one of `a`, `b`".
#[inline(never)]
fn unknown_field(key: &str, fields: &[&str], path: &Path<'_>) -> ApiError {
    let mut message = concat(&["unknown field `", key, "`, "]);
    expected_names(&mut message, fields, "there are no fields");
    error_at("unknown-field", message, path)
}

/// serde's list of the names it expected: "expected `a`", "expected `a` or `b`", "expected one
/// of `a`, `b`, `c`", or `none` when there are none.
fn expected_names(message: &mut String, fields: &[&str], none: &str) {
    match fields {
        [] => message.push_str(none),
        [only] => {
            message.push_str(&concat(&["expected `", only, "`"]));
        }
        [first, second] => {
            message.push_str(&concat(&["expected `", first, "` or `", second, "`"]));
        }
        _ => {
            message.push_str("expected one of ");
            for (idx, field) in fields.iter().enumerate() {
                if idx > 0 {
                    message.push_str(", ");
                }
                message.push('`');
                message.push_str(field);
                message.push('`');
            }
        }
    }
}

/// serde's "unknown variant `x`, expected one of `a`, `b`" for an enum whose wire names are
/// `variants`.
#[inline(never)]
pub fn unknown_variant(name: &str, variants: &[&str], path: &Path<'_>) -> ApiError {
    let mut message = concat(&["unknown variant `", name, "`, "]);
    expected_names(&mut message, variants, "there are no variants");
    error_at("invalid-request", message, path)
}

/// The index in `variants` of a unit-only enum's value as serde_json reads it
/// (`deserialize_enum`): a variant name, or an object of exactly one member `{name: null}`.
///
/// serde_json's refusals, with the codes and paths the serde route gives them
/// (`crate::error::from_json_request`): a name not in `variants` is "unknown variant" at the
/// node's path (the member's key path in the object form); a member value other than `null`
/// "invalid type: …, expected unit" at the member's path; anything else — another type, an
/// empty object or a second member — is serde_json's syntax refusal "expected value"
/// (`malformed-json`, though the document is JSON), at the node's path, or at `node.?` for
/// the objects (the path serde's position points between members).
pub fn unit_variant(
    node: &Node<'_>,
    path: &Path<'_>,
    variants: &[&str],
) -> Result<usize, ApiError> {
    let named = |name: &str, at: &Path<'_>| {
        variants
            .iter()
            .position(|variant| *variant == name)
            .ok_or_else(|| unknown_variant(name, variants, at))
    };
    let between = || {
        error_at(
            "malformed-json",
            "expected value".into(),
            &Path::Key(path, "?"),
        )
    };
    match node {
        Node::String(name) => named(name, path),
        Node::Object(members) => {
            let Some((name, value)) = members.first() else {
                return Err(between());
            };
            let at = Path::Key(path, name);
            let index = named(name, &at)?;
            if *value != Node::Null {
                return Err(invalid_type(value, "unit", &at));
            }
            if members.len() > 1 {
                return Err(between());
            }
            Ok(index)
        }
        _ => Err(error_at("malformed-json", "expected value".into(), path)),
    }
}

/// An internally tagged enum (`#[serde(tag = "…")]`) whose variants are object-only structs,
/// as serde reads it: the index in `variants` of the variant named by member `tag` (or, as
/// serde also accepts, by the first element of an array), and the rest of the value — the
/// other members in order, or the other elements — for the variant's own reader.
///
/// serde's refusals: a tag that is not a string is "invalid type: …, expected variant
/// identifier" and an unknown one "unknown variant", both at the tag's path; no tag is
/// "missing field" at the value's path; a value neither an object nor an array is "invalid
/// type: …, expected {expecting}". serde reads the variant from a buffered copy of the rest,
/// so each error of the variant's reader belongs at the value's own path ([`buffered`]).
pub fn tagged<'a>(
    node: &Node<'a>,
    path: &Path<'_>,
    tag: &str,
    variants: &[&str],
    expecting: &str,
) -> Result<(usize, Node<'a>), ApiError> {
    let variant = |value: &Node<'_>, at: &Path<'_>| match value {
        Node::String(name) => variants
            .iter()
            .position(|variant| variant == name)
            .ok_or_else(|| unknown_variant(name, variants, at)),
        other => Err(invalid_type(other, "variant identifier", at)),
    };
    match node {
        Node::Object(members) => {
            let mut index = None;
            let mut rest = Vec::with_capacity(members.len());
            for (key, value) in members {
                if key == tag {
                    index = Some(variant(value, &Path::Key(path, key))?);
                } else {
                    rest.push((key.clone(), value.clone()));
                }
            }
            let index = required(index, tag, path)?;
            Ok((index, Node::Object(rest)))
        }
        Node::Array(items) => {
            let Some(first) = items.first() else {
                return Err(missing_field(tag, path));
            };
            let index = variant(first, &Path::Index(path, 0))?;
            Ok((index, Node::Array(items[1..].to_vec())))
        }
        other => Err(invalid_type(other, expecting, path)),
    }
}

/// An error of a value serde read from a buffered copy (a variant of an internally tagged
/// enum, a value read through `serde_json::Value`): serde_json knows only where the whole
/// value ended, so the error is reported at the value's own path.
#[inline(never)]
pub fn buffered(error: ApiError, path: &Path<'_>) -> ApiError {
    error_at(&error.code, error.message, path)
}

/// A map of strings to values read by `read` (serde's `BTreeMap<String, T>`, as a `KeyMap`): serde's "expected
/// a map" for a non-object, each value at its key's path.
pub fn map<'a, T>(
    node: &Node<'a>,
    path: &Path<'_>,
    read: fn(&Node<'a>, &Path<'_>) -> Result<T, ApiError>,
) -> Result<super::key_map::KeyMap<T>, ApiError> {
    let Node::Object(members) = node else {
        return Err(invalid_type(node, "a map", path));
    };
    let mut out = super::key_map::KeyMap::new();
    for (key, value) in members {
        out.insert(
            key.clone().into_owned(),
            read(value, &Path::Key(path, key))?,
        );
    }
    Ok(out)
}

/// serde's "missing field `name`", at the object's path.
#[inline(never)]
pub fn missing_field(name: &str, path: &Path<'_>) -> ApiError {
    error_at(
        "missing-field",
        concat(&["missing field `", name, "`"]),
        path,
    )
}

/// A required member: the value read, or `missing-field` at the object's path.
pub fn required<T>(value: Option<T>, name: &str, path: &Path<'_>) -> Result<T, ApiError> {
    value.ok_or_else(|| missing_field(name, path))
}

/// Reads the members of the object `node` in document order: `member(index in fields, value,
/// its path)` for each field of `fields` (a struct's wire names, in declaration order), and
/// `unknown-field` at the object's path for any other key (serde's `deny_unknown_fields`).
/// A non-object is `invalid-request`: "expected a JSON object" (never read positionally).
pub fn object<'a>(
    node: &Node<'a>,
    path: &Path<'_>,
    fields: &[&str],
    member: &mut dyn FnMut(usize, &Node<'a>, &Path<'_>) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let Node::Object(members) = node else {
        return Err(invalid_type(node, "a JSON object", path));
    };
    for (key, value) in members {
        let Some(index) = fields.iter().position(|field| field == key) else {
            return Err(unknown_field(key, fields, &Path::Key(path, key)));
        };
        member(index, value, &Path::Key(path, key))?;
    }
    Ok(())
}

/// The elements of the array `node`, each with its path: `each(value, path)`; serde's
/// "expected a sequence" otherwise.
pub fn array<'a, T>(
    node: &Node<'a>,
    path: &Path<'_>,
    each: fn(&Node<'a>, &Path<'_>) -> Result<T, ApiError>,
) -> Result<Vec<T>, ApiError> {
    let Node::Array(items) = node else {
        return Err(invalid_type(node, "a sequence", path));
    };
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        out.push(each(item, &Path::Index(path, index))?);
    }
    Ok(out)
}

/// An object of exactly two required string members named `names` (`{date, amount}`,
/// `{from, rate}`), in that order: serde's codes and wording for a wrong type, a missing or an
/// unknown member.
pub fn string_pair(
    node: &Node<'_>,
    path: &Path<'_>,
    names: [&str; 2],
) -> Result<(String, String), ApiError> {
    let mut read: [Option<String>; 2] = [None, None];
    object(node, path, &names, &mut |field, value, at| {
        if let Some(slot) = read.get_mut(field) {
            *slot = Some(string(value, at)?);
        }
        Ok(())
    })?;
    let [first, second] = read;
    Ok((
        required(first, names[0], path)?,
        required(second, names[1], path)?,
    ))
}

/// A string (serde's `String`).
pub fn string(node: &Node<'_>, path: &Path<'_>) -> Result<String, ApiError> {
    match node {
        Node::String(text) => Ok(text.clone().into_owned()),
        other => Err(invalid_type(other, "a string", path)),
    }
}

/// `null` or absent as `None` (serde's `Option`), else `read`.
pub fn optional<'a, T>(
    node: &Node<'a>,
    path: &Path<'_>,
    read: fn(&Node<'a>, &Path<'_>) -> Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    match node {
        Node::Null => Ok(None),
        other => read(other, path).map(Some),
    }
}

/// A boolean (serde's `bool`).
pub fn boolean(node: &Node<'_>, path: &Path<'_>) -> Result<bool, ApiError> {
    match node {
        Node::Bool(value) => Ok(*value),
        other => Err(invalid_type(other, "a boolean", path)),
    }
}

/// An integer in `[min, max]`, named `expected` in messages (`i64`, `u32`): serde's "invalid
/// type" for a non-integer, "invalid value: integer `n`, expected u32" outside the range.
#[inline(never)]
fn integer(
    node: &Node<'_>,
    path: &Path<'_>,
    expected: &str,
    min: i64,
    max: i64,
) -> Result<i64, ApiError> {
    match node {
        Node::Number(text) if is_integer(text) => match super::lex::parse_i64(text) {
            Some(value) if (min..=max).contains(&value) => Ok(value),
            // Beyond i64 (the gate let through only what fits u64) or outside the range.
            _ => Err(error_at(
                "invalid-request",
                concat(&["invalid value: integer `", text, "`, expected ", expected]),
                path,
            )),
        },
        other => Err(invalid_type(other, expected, path)),
    }
}

/// A `u64` (serde's `u64`): "invalid value: integer `n`, expected u64" for a negative one.
pub fn uint64(node: &Node<'_>, path: &Path<'_>) -> Result<u64, ApiError> {
    match node {
        Node::Number(text) if is_integer(text) => super::lex::parse_u64(text).ok_or_else(|| {
            error_at(
                "invalid-request",
                concat(&["invalid value: integer `", text, "`, expected u64"]),
                path,
            )
        }),
        other => Err(invalid_type(other, "u64", path)),
    }
}

/// An `i64` (serde's `i64`).
pub fn int64(node: &Node<'_>, path: &Path<'_>) -> Result<i64, ApiError> {
    integer(node, path, "i64", i64::MIN, i64::MAX)
}

/// A `u32` (serde's `u32`).
pub fn uint32(node: &Node<'_>, path: &Path<'_>) -> Result<u32, ApiError> {
    integer(node, path, "u32", 0, i64::from(u32::MAX))
        .map(|value| u32::try_from(value).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_as_serde_path_to_error_writes_them() {
        let root = Path::Root;
        let fees = Path::Key(&root, "fees");
        let first = Path::Index(&fees, 0);
        let kind = Path::Key(&first, "kind");
        assert_eq!(root.text(), None);
        assert_eq!(kind.text().as_deref(), Some("fees[0].kind"));
        let list = Path::Index(&root, 3);
        assert_eq!(list.text().as_deref(), Some("[3]"));
    }

    #[test]
    fn the_tree_keeps_tokens_and_decodes_strings() {
        let node = parse(br#" {"a": [1, -2.5e3, "x\u00e9", true, null], "b": {}} "#).unwrap();
        let Node::Object(members) = node else {
            panic!("not an object")
        };
        assert_eq!(members[0].0, "a");
        assert_eq!(
            members[0].1,
            Node::Array(vec![
                Node::Number("1"),
                Node::Number("-2.5e3"),
                Node::String("xé".into()),
                Node::Bool(true),
                Node::Null,
            ])
        );
        assert_eq!(members[1].1, Node::Object(Vec::new()));
    }

    #[test]
    fn gate_refusals_keep_their_codes_and_paths() {
        let code = |text: &str| {
            let err = parse(text.as_bytes()).unwrap_err();
            (err.code, err.path)
        };
        let at = |code: &str, path: Option<&str>| (code.to_owned(), path.map(str::to_owned));
        assert_eq!(
            code(r#"{"a": {"b": 1, "b": 2}}"#),
            at("duplicate-key", Some("a.b"))
        );
        assert_eq!(code(r#"{"a": [1e400]}"#), at("out-of-range", Some("a[0]")));
        assert_eq!(code(r#"{"a": [1, }"#), at("malformed-json", Some("a[1]")));
        assert_eq!(code("{"), at("malformed-json", None));
        let deep = "[".repeat(200);
        assert_eq!(code(&deep).0, "too-deep");
        let closed = format!("{}{}", "[".repeat(150), "]".repeat(150));
        assert_eq!(code(&closed).0, "too-deep");
        // What the one-pass builder leaves to the gate: a duplicate beyond the inline keys, a
        // long integer, an exponent, trailing bytes, bad UTF-8 in and outside strings.
        let keys: Vec<String> = (0..20).map(|k| format!("\"k{k}\": {k}")).collect();
        let wide = format!(r#"{{"a": {{{}, "k18": 0}}}}"#, keys.join(", "));
        assert_eq!(code(&wide), at("duplicate-key", Some("a.k18")));
        assert_eq!(
            code(r#"{"n": 99999999999999999999}"#),
            at("out-of-range", Some("n"))
        );
        assert_eq!(code(r#"{"n": -1e-400}"#), at("out-of-range", Some("n")));
        assert_eq!(code(r#"{"n": 1} x"#), at("malformed-json", None));
        let latin1 = parse(b"{\"n\": \"\xe9\"}").unwrap_err();
        assert_eq!(latin1.code, "malformed-json");
        let outside = parse(b"{\"n\": 1\xe9}").unwrap_err();
        assert_eq!(outside.code, "malformed-json");
        // Accepted by both: the tree holds every value as given.
        assert_eq!(
            parse(br#"{"n": 1.5e3, "m": 123456789012345678901234}"#).map(|_| ()),
            Err(ApiError::new(
                "out-of-range",
                "number out of range",
                Some("m".to_owned())
            ))
        );
        assert!(parse(br#"{"n": 1.5e3, "m": -1234567890123456789}"#).is_ok());
    }

    #[test]
    fn integers_are_refused_with_serdes_wording() {
        let root = Path::Root;
        let err = uint32(&Node::Number("-1"), &root).unwrap_err();
        assert_eq!(err.message, "invalid value: integer `-1`, expected u32");
        let err = int64(&Node::Number("1.5"), &root).unwrap_err();
        assert_eq!(
            err.message,
            "invalid type: floating point `1.5`, expected i64"
        );
        let err = int64(&Node::Number("18446744073709551615"), &root).unwrap_err();
        assert_eq!(
            err.message,
            "invalid value: integer `18446744073709551615`, expected i64"
        );
        assert_eq!(uint32(&Node::Number("4294967295"), &root), Ok(u32::MAX));
        assert!(uint32(&Node::Number("4294967296"), &root).is_err());
    }
}
