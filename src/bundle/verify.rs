//! The pure bundle verifier, its persisted state, and the JSON operations around it.
//!
//! `verify(envelope bytes, pinned root, state, now, options)` either refuses with one stable
//! code and leaves the caller's state untouched, or returns the verified payload and the
//! state the host must store next. Checks, in order: size cap, strict JSON gate, envelope
//! shape and payload type, current root (pinned root plus the persisted rotation chain,
//! minimum root version, root expiry), signatures (distinct trusted key ids ≥ threshold),
//! payload gate and header, channel, engine version, expiry against max(now, latest known
//! time), rollback per bundle id + channel. Unsigned drafts pass only with the explicit
//! preview option, come back marked `preview: true` and never change the state.
//! This module must not read clocks or storage, and must not interpret bundle content.

use super::dsse::{self, Envelope, KeyPair, BUNDLE_PAYLOAD_TYPE};
use super::json;
use super::root::{self, TrustedRoot};
use super::strict_json::{self, Limits};
pub use super::wire::{
    BundleHeader, BundleRecord, BundleState, RootRecord, VerifyOptions, DEFAULT_CHANNEL,
};
use super::{hex_sha256, BundleError};
use crate::date::{fmt_rfc3339, parse_rfc3339};
use crate::error::{ApiError, ErrorCode};
use crate::json::tree::{self, Node, Path};
use serde_json::Value;

/// The only payload schema this engine reads.
pub const BUNDLE_SCHEMA: &str = "puhui.bundle/v1";
/// Size cap of a persisted state document.
pub const STATE_MAX_BYTES: usize = 1 << 20;

/// A payload that passed every check: the type-state of verified data.
///
/// Its fields are private and the only constructors are [`verify`] (signed, or an unsigned
/// draft when preview is allowed) — no other code can make one, so a function that takes a
/// `&VerifiedBundle` (such as `Engine::from_verified`) cannot be handed bytes that did not
/// verify. The same idea as rust-tuf's `Verified<T>`.
///
/// Neither built nor opened from outside:
/// ```compile_fail
/// fn forged(v: &puhui::bundle::VerifiedBundle) -> bool { v.preview }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedBundle {
    header: BundleHeader,
    payload_bytes: Vec<u8>,
    sha256: String,
    preview: bool,
    signed_by: Vec<String>,
    root_version: Option<u64>,
}

impl VerifiedBundle {
    /// The header fields.
    pub fn header(&self) -> &BundleHeader {
        &self.header
    }

    /// The whole payload (header fields and content) as a `serde_json::Value`, parsed from
    /// [`Self::payload_bytes`] on each call (for native callers; the verifier and the engine
    /// keep only the bytes, so the wasm module never builds a `Value` of a bundle).
    pub fn payload(&self) -> Value {
        serde_json::from_slice(&self.payload_bytes).unwrap_or(Value::Null)
    }

    /// The exact payload bytes that were signed.
    pub fn payload_bytes(&self) -> &[u8] {
        &self.payload_bytes
    }

    /// Hex SHA-256 of [`Self::payload_bytes`].
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// True for an unsigned draft accepted in preview mode.
    pub fn is_preview(&self) -> bool {
        self.preview
    }

    /// Key ids whose signatures verified (empty in preview).
    pub fn signed_by(&self) -> &[String] {
        &self.signed_by
    }

    /// The root version that verified it (`None` in preview).
    pub fn root_version(&self) -> Option<u64> {
        self.root_version
    }

    /// The summary every front door prints, as a `serde_json::Value` for native callers: the
    /// members of [`Self::summary_text`] (`tests/bundle_json.rs` pins the two together), built
    /// by hand rather than parsed (the engine keeps the text; nothing in the wasm doors calls
    /// this).
    pub fn summary(&self) -> Value {
        let text = |text: &str| Value::String(text.to_owned());
        let header = &self.header;
        let mut map = serde_json::Map::new();
        map.insert("bundleId".into(), text(&header.bundle_id));
        map.insert("channel".into(), text(&header.channel));
        map.insert("expiresAt".into(), text(&header.expires_at));
        map.insert("issuedAt".into(), text(&header.issued_at));
        map.insert("minEngineVersion".into(), text(&header.min_engine_version));
        map.insert("preview".into(), Value::Bool(self.preview));
        let root_version = self.root_version.map_or(Value::Null, Value::from);
        map.insert("rootVersion".into(), root_version);
        map.insert("sha256".into(), text(&self.sha256));
        let signed_by = self.signed_by.iter().map(|keyid| text(keyid)).collect();
        map.insert("signedBy".into(), Value::Array(signed_by));
        map.insert("version".into(), Value::from(header.version));
        Value::Object(map)
    }

    /// The summary as JSON text, members in key order: `{bundleId, channel, expiresAt,
    /// issuedAt, minEngineVersion, preview, rootVersion, sha256, signedBy, version}`.
    pub fn summary_text(&self) -> String {
        let mut out = Vec::with_capacity(256);
        self.push_summary(&mut out);
        crate::json::write::into_text(out)
    }

    fn push_summary(&self, out: &mut Vec<u8>) {
        let summary = json::Summary {
            header: &self.header,
            preview: self.preview,
            root_version: self.root_version,
            sha256: &self.sha256,
            signed_by: &self.signed_by,
        };
        json::push_summary(out, &summary);
    }
}

/// The root in use: the pinned root, walked forward through the persisted chain.
///
/// Chain entries at or below the current version are skipped (a newer pin supersedes
/// them); every other entry must rotate cleanly. The result may not be older than the
/// root the state says was in use, which would mean the chain was cut.
pub fn current_root(pinned: &TrustedRoot, state: &BundleState) -> Result<TrustedRoot, BundleError> {
    let mut current = pinned.clone();
    for envelope in &state.root_chain {
        let bytes = json::envelope_bytes(envelope);
        match root::rotate_root(&current, &bytes) {
            Ok(next) => current = next,
            Err(BundleError::RootRollback { .. }) => continue,
            Err(err) => return Err(err),
        }
    }
    if let Some(record) = &state.root {
        if current.version() < record.version {
            return Err(BundleError::InvalidState {
                path: Some("rootChain".into()),
                reason: format!(
                    "the persisted chain reaches root version {}, the state records version {}",
                    current.version(),
                    record.version
                ),
            });
        }
    }
    Ok(current)
}

/// Accepts `next_root_bytes` as the successor of the current root and returns it with the
/// state to persist. Offering the current root again is a no-op, not an error.
pub fn rotate_state(
    pinned: &TrustedRoot,
    state: &BundleState,
    next_root_bytes: &[u8],
) -> Result<(TrustedRoot, BundleState), BundleError> {
    let current = current_root(pinned, state)?;
    let next = match root::rotate_root(&current, next_root_bytes) {
        Ok(next) => next,
        Err(BundleError::RootRollback {
            current: version,
            next,
        }) => {
            // Loaders re-fetch the newest root often; the same root again changes nothing.
            let same = TrustedRoot::from_pinned(next_root_bytes)
                .is_ok_and(|offered| offered.sha256() == current.sha256());
            if same {
                let mut new_state = state.clone();
                new_state.root = Some(root_record(&current));
                return Ok((current, new_state));
            }
            return Err(BundleError::RootRollback {
                current: version,
                next,
            });
        }
        Err(err) => return Err(err),
    };
    let mut new_state = state.clone();
    new_state.root_chain.push(next.envelope().clone());
    new_state.root = Some(root_record(&next));
    Ok((next, new_state))
}

fn root_record(root: &TrustedRoot) -> RootRecord {
    RootRecord {
        version: root.version(),
        sha256: root.sha256().to_owned(),
    }
}

/// Verifies one bundle envelope. Pure: the caller's `state` is never modified; on success
/// the second element is the state to persist.
///
/// Each stage names the attack rows of the threat model (`spec/bundles.md`, "Threat model")
/// it defends against; a refusal at any stage leaves everything as it was.
pub fn verify(
    envelope_bytes: &[u8],
    pinned_root: &TrustedRoot,
    state: &BundleState,
    now_unix_seconds: i64,
    options: &VerifyOptions,
) -> Result<(VerifiedBundle, BundleState), BundleError> {
    let limits = Limits {
        max_bytes: options.max_bytes,
        max_depth: options.max_depth,
    };
    // Rows "endless data" and "parser abuse": size cap before parsing, depth limit, duplicate
    // keys refused, numbers bounded — before any other byte is interpreted.
    strict_json::check(envelope_bytes, limits)
        .map_err(|err| BundleError::from_strict(err, "envelope"))?;
    let latest_known = latest_known_time(state)?;
    let judged_at = latest_known.map_or(now_unix_seconds, |t| t.max(now_unix_seconds));
    let clock = (now_unix_seconds, latest_known, judged_at);

    // Row "unsigned/test bundle in production": a bare payload or an envelope without
    // signatures is a draft, accepted only with the explicit preview option.
    let (envelope, payload_bytes) = match read_envelope(envelope_bytes)? {
        EnvelopeRead::Signed(envelope, payload_bytes) => (envelope, payload_bytes),
        EnvelopeRead::Draft(payload_bytes) if options.preview_allowed => {
            return preview(payload_bytes, limits, state, clock, options);
        }
        EnvelopeRead::Draft(_) => return Err(BundleError::Unsigned),
    };

    // Row "key compromise": the root in use is the pinned one walked through the persisted
    // rotation chain, no older than this release's minimum and not expired.
    let root = current_root(pinned_root, state)?;
    if root.version() < options.min_root_version {
        return Err(BundleError::RootTooOld {
            version: root.version(),
            minimum: options.min_root_version,
        });
    }
    if judged_at >= root.expires_at_unix() {
        return Err(BundleError::RootExpired {
            version: root.version(),
            expires_at: root.payload().expires_at.clone(),
        });
    }
    // Rows "forgery", "wrong key", "below threshold", "duplicate signatures" and
    // "mix-and-match": the exact payload bytes, authenticated before a field is read.
    let signed_by = authenticate(&envelope, &payload_bytes, &root, limits)?;

    let (header, expires_at) = parse_payload(&payload_bytes, limits)?;
    if header.root_version > root.version() {
        return Err(BundleError::RootOutdated {
            bundle_root_version: header.root_version,
            root_version: root.version(),
        });
    }
    // Rows "channel swap", "engine downgrade" and "freeze".
    check_use(&header, expires_at, clock, options)?;

    // Row "rollback".
    let sha256 = hex_sha256(&payload_bytes);
    let previous = check_rollback(state, &header, &sha256)?;

    let new_state = next_state(state, latest_known, &root, &header, &sha256, previous);
    let verified = VerifiedBundle {
        header,
        payload_bytes,
        sha256,
        preview: false,
        signed_by,
        root_version: Some(root.version()),
    };
    Ok((verified, new_state))
}

/// What an envelope document holds once its shape and payload type are checked.
enum EnvelopeRead {
    /// A DSSE envelope with at least one signature, and its decoded payload bytes.
    Signed(Envelope, Vec<u8>),
    /// A draft: a bare payload, or an envelope with no signatures (payload bytes).
    Draft(Vec<u8>),
}

/// Reads the gated document as a DSSE envelope of a bundle (or recognizes a draft).
fn read_envelope(envelope_bytes: &[u8]) -> Result<EnvelopeRead, BundleError> {
    let document = gated_tree(envelope_bytes, None)?;
    if super::wire::member(&document, "payloadType").is_none() {
        if super::wire::member(&document, "schema").is_some() {
            // A bare payload: a draft that was never signed.
            return Ok(EnvelopeRead::Draft(envelope_bytes.to_vec()));
        }
        return Err(BundleError::Malformed {
            path: None,
            reason: "not a dsse envelope".into(),
        });
    }
    let envelope = Envelope::from_node(&document, &Path::Root, true).map_err(shape(None))?;
    if envelope.payload_type != BUNDLE_PAYLOAD_TYPE {
        return Err(BundleError::WrongPayloadType {
            expected: BUNDLE_PAYLOAD_TYPE,
            found: envelope.payload_type,
        });
    }
    let payload_bytes = dsse::decode_payload(&envelope)?;
    if envelope.signatures.is_empty() {
        return Ok(EnvelopeRead::Draft(payload_bytes));
    }
    Ok(EnvelopeRead::Signed(envelope, payload_bytes))
}

/// Counts distinct trusted key ids whose Ed25519 signature over `PAE(type, payload)` verifies
/// and requires the root's threshold; returns the key ids that signed.
fn authenticate(
    envelope: &Envelope,
    payload_bytes: &[u8],
    root: &TrustedRoot,
    limits: Limits,
) -> Result<Vec<String>, BundleError> {
    let tally = dsse::tally(envelope, payload_bytes, root.keys())?;
    if tally.meets(root.threshold()) {
        return Ok(tally.valid);
    }
    // When the payload says it was signed under a newer root, the useful answer is
    // "rotate first", so the loader knows to fetch roots. This reads unauthenticated
    // bytes, but only through the strict gate and only to choose the error code.
    let claimed_root = strict_json::check(payload_bytes, limits)
        .ok()
        .and_then(|()| tree::parse(payload_bytes).ok())
        .and_then(
            |payload| match super::wire::member(&payload, "rootVersion") {
                // `Value::as_u64`: a non-negative integer token.
                Some(Node::Number(text)) => text.parse::<u64>().ok(),
                _ => None,
            },
        );
    if let Some(claimed) = claimed_root.filter(|claimed| *claimed > root.version()) {
        return Err(BundleError::RootOutdated {
            bundle_root_version: claimed,
            root_version: root.version(),
        });
    }
    Err(tally.shortfall(root.threshold()))
}

/// Refuses an older version of a bundle id + channel than the state accepted, or the same
/// version with other content; returns the index of the state's record for it, if any.
fn check_rollback(
    state: &BundleState,
    header: &BundleHeader,
    sha256: &str,
) -> Result<Option<usize>, BundleError> {
    let previous = state.bundles.iter().position(|record| {
        record.bundle_id == header.bundle_id && record.channel == header.channel
    });
    if let Some(record) = previous.and_then(|index| state.bundles.get(index)) {
        // Versions are ordered by (rootVersion, version): the first bundle signed under a
        // rotated root supersedes whatever version a leaked key of an older root signed
        // (TUF's recovery from a fast-forward attack), and a replay of a bundle signed under
        // an older root is still a rollback.
        let offered = (header.root_version, header.version);
        let accepted = (record.root_version, record.version);
        let older = offered < accepted;
        let same_version_other_content = offered == accepted && sha256 != record.sha256;
        if older || same_version_other_content {
            return Err(BundleError::Rollback {
                bundle_id: header.bundle_id.clone(),
                channel: header.channel.clone(),
                version: header.version,
                accepted_version: record.version,
                same_version: !older,
            });
        }
    }
    Ok(previous)
}

/// The state to persist after accepting `header`: the newest `issuedAt` seen, the root in
/// use, and this bundle's record (replacing the one at `previous`).
fn next_state(
    state: &BundleState,
    latest_known: Option<i64>,
    root: &TrustedRoot,
    header: &BundleHeader,
    sha256: &str,
    previous: Option<usize>,
) -> BundleState {
    let issued_at = parse_rfc3339(&header.issued_at).unwrap_or(i64::MIN);
    let mut new_state = state.clone();
    let newest = latest_known.map_or(issued_at, |t| t.max(issued_at));
    new_state.latest_known_time = Some(fmt_rfc3339(newest));
    new_state.root = Some(root_record(root));
    let record = BundleRecord {
        bundle_id: header.bundle_id.clone(),
        channel: header.channel.clone(),
        version: header.version,
        sha256: sha256.to_owned(),
        issued_at: header.issued_at.clone(),
        root_version: header.root_version,
    };
    match previous.and_then(|index| new_state.bundles.get_mut(index)) {
        Some(slot) => *slot = record,
        None => new_state.bundles.push(record),
    }
    new_state
}

/// An unsigned draft in preview mode: the same gate, header and use checks, no signature,
/// no rollback check, and the state comes back unchanged so a draft can never block or
/// freeze a real bundle.
fn preview(
    payload_bytes: Vec<u8>,
    limits: Limits,
    state: &BundleState,
    (_, latest_known, judged_at): (i64, Option<i64>, i64),
    options: &VerifyOptions,
) -> Result<(VerifiedBundle, BundleState), BundleError> {
    let (header, expires_at) = parse_payload(&payload_bytes, limits)?;
    // A draft may be dated ahead (next month's prices); it never moves the state, so it
    // cannot fast-forward anything: no clock-skew check.
    check_use(
        &header,
        expires_at,
        (i64::MAX, latest_known, judged_at),
        options,
    )?;
    let verified = VerifiedBundle {
        header,
        sha256: hex_sha256(&payload_bytes),
        payload_bytes,
        preview: true,
        signed_by: Vec::new(),
        root_version: None,
    };
    Ok((verified, state.clone()))
}

/// The checks of use shared by signed and preview bundles; `now` is the host's clock,
/// `latest_known` the state's latest known time, `judged_at` the larger of the two.
fn check_use(
    header: &BundleHeader,
    expires_at: i64,
    (now, latest_known, judged_at): (i64, Option<i64>, i64),
    options: &VerifyOptions,
) -> Result<(), BundleError> {
    // Row "channel swap": the signed payload names the client's channel.
    if header.channel != options.channel {
        return Err(BundleError::WrongChannel {
            expected: options.channel.clone(),
            found: header.channel.clone(),
        });
    }
    // Row "engine downgrade": the payload's minEngineVersion against this engine.
    let required =
        parse_semver(&header.min_engine_version).ok_or_else(|| BundleError::Malformed {
            path: Some("payload.minEngineVersion".into()),
            reason: format!(
                "minEngineVersion {:?} is not MAJOR.MINOR.PATCH",
                header.min_engine_version
            ),
        })?;
    let engine = parse_semver(engine_core_version()).unwrap_or((0, 0, 0));
    if required > engine {
        return Err(BundleError::EngineTooOld {
            required: header.min_engine_version.clone(),
            engine: crate::ENGINE_VERSION,
        });
    }
    // A signed `issuedAt` far ahead of the clock would push the latest known time forward
    // and freeze every later bundle (fast-forward). Judged against `now` itself, so accepted
    // bundles cannot ratchet the bound; an instant already known moves nothing and passes.
    let issued_at = parse_rfc3339(&header.issued_at).unwrap_or(i64::MIN);
    if issued_at > now.saturating_add(crate::limits::MAX_CLOCK_SKEW_SECONDS)
        && latest_known.is_none_or(|known| issued_at > known)
    {
        return Err(BundleError::IssuedInFuture {
            issued_at: header.issued_at.clone(),
            judged_at: fmt_rfc3339(now),
            skew_seconds: crate::limits::MAX_CLOCK_SKEW_SECONDS,
        });
    }
    // Row "freeze": expiry judged at max(now, latest known time).
    if judged_at >= expires_at {
        return Err(BundleError::Expired {
            expires_at: header.expires_at.clone(),
            judged_at: fmt_rfc3339(judged_at),
        });
    }
    Ok(())
}

/// The engine version without pre-release or build suffixes.
fn engine_core_version() -> &'static str {
    crate::ENGINE_VERSION
        .split(['-', '+'])
        .next()
        .unwrap_or(crate::ENGINE_VERSION)
}

/// Parses strict `MAJOR.MINOR.PATCH` (no leading zeros, no suffix).
fn parse_semver(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.split('.');
    let mut number = || -> Option<u64> {
        let part = parts.next()?;
        let digits_only = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits_only || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        part.parse().ok()
    };
    let version = (number()?, number()?, number()?);
    parts.next().is_none().then_some(version)
}

fn latest_known_time(state: &BundleState) -> Result<Option<i64>, BundleError> {
    state
        .latest_known_time
        .as_deref()
        .map(|text| {
            parse_rfc3339(text).ok_or_else(|| BundleError::InvalidState {
                path: Some("latestKnownTime".into()),
                reason: format!("{text:?} is not an rfc 3339 timestamp"),
            })
        })
        .transpose()
}

/// The tree of a document the strict gate accepted (with limits no looser than the tree's own,
/// so it cannot fail; a failure is `malformed` at `location`).
fn gated_tree<'a>(bytes: &'a [u8], location: Option<&str>) -> Result<Node<'a>, BundleError> {
    tree::parse(bytes).map_err(|err| malformed(location.map(str::to_owned), err.message))
}

/// Maps a reader's refusal of the envelope (`location` `None`) or the payload header
/// (`payload`) to `malformed` at the member's path; a refusal of the object itself has the
/// path `.` under the payload, as serde_path_to_error's root was written there before.
fn shape(location: Option<&'static str>) -> impl Fn(ApiError) -> BundleError {
    move |err| {
        let path = match (location, err.path) {
            (None, path) => path,
            (Some(location), Some(path)) => Some(format!("{location}.{path}")),
            (Some(location), None) => Some(format!("{location}..")),
        };
        BundleError::Malformed {
            path,
            reason: err.message,
        }
    }
}

fn malformed(path: Option<String>, err: impl std::fmt::Display) -> BundleError {
    BundleError::Malformed {
        path: path.filter(|p| !p.is_empty() && p != "."),
        reason: err.to_string(),
    }
}

/// Whether an id (bundle id, channel) is a plain token, safe in file names and URLs:
/// 1 to [`crate::limits::MAX_ID_BYTES`] bytes of `[A-Za-z0-9._-]`, not starting with a dot.
/// The one rule for the verifier, the loader and `puhui publish`.
pub fn valid_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= crate::limits::MAX_ID_BYTES
        && !text.starts_with('.')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Gates, parses and checks the payload header; returns the payload, its header and its
/// expiry in Unix seconds.
fn parse_payload(payload_bytes: &[u8], limits: Limits) -> Result<(BundleHeader, i64), BundleError> {
    strict_json::check(payload_bytes, limits)
        .map_err(|err| BundleError::from_strict(err, "payload"))?;
    let payload = gated_tree(payload_bytes, Some("payload"))?;
    if !matches!(payload, Node::Object(_)) {
        return Err(malformed(
            Some("payload".into()),
            "the payload is not a json object",
        ));
    }
    let schema = match super::wire::member(&payload, "schema") {
        Some(Node::String(text)) => text.as_ref(),
        _ => "",
    };
    if schema != BUNDLE_SCHEMA {
        return Err(BundleError::UnsupportedSchema {
            found: schema.to_owned(),
        });
    }
    let header = BundleHeader::from_node(&payload, &Path::Root).map_err(shape(Some("payload")))?;
    for (field, value) in [
        ("bundleId", &header.bundle_id),
        ("channel", &header.channel),
    ] {
        if !valid_id(value) {
            return Err(malformed(
                Some(format!("payload.{field}")),
                format!(
                    "{field} must be 1-{} of [A-Za-z0-9._-], not starting with a dot",
                    crate::limits::MAX_ID_BYTES
                ),
            ));
        }
    }
    let instant = |field: &str, text: &str| {
        parse_rfc3339(text).ok_or_else(|| {
            malformed(
                Some(format!("payload.{field}")),
                format!("{field} {text:?} is not an rfc 3339 timestamp"),
            )
        })
    };
    let issued_at = instant("issuedAt", &header.issued_at)?;
    let expires_at = instant("expiresAt", &header.expires_at)?;
    if expires_at <= issued_at {
        return Err(malformed(
            Some("payload.expiresAt".into()),
            "expiresAt must be after issuedAt",
        ));
    }
    if header.root_version == 0 {
        return Err(malformed(
            Some("payload.rootVersion".into()),
            "rootVersion starts at 1",
        ));
    }
    for (field, version) in [
        ("version", header.version),
        ("rootVersion", header.root_version),
    ] {
        if version > crate::limits::MAX_VERSION {
            return Err(BundleError::VersionOutOfRange {
                path: format!("payload.{field}"),
                version,
            });
        }
    }
    Ok((header, expires_at))
}

/// Reads the header of a signed bundle envelope without verifying its signatures, through
/// the verifier's own readers: size cap first (`max_bytes`), strict JSON gate, envelope
/// shape, payload type, standard padded base64 only, at least one signature, and every
/// header rule ([`valid_id`], versions ≤ 2^53 − 1, timestamps). `puhui publish` files
/// bundles with this, so it never accepts an envelope a client would refuse to read.
pub fn read_signed_header(
    envelope_bytes: &[u8],
    max_bytes: usize,
) -> Result<BundleHeader, BundleError> {
    let limits = Limits {
        max_bytes,
        ..Limits::default()
    };
    strict_json::check(envelope_bytes, limits)
        .map_err(|err| BundleError::from_strict(err, "envelope"))?;
    let document = gated_tree(envelope_bytes, None)?;
    let envelope = Envelope::from_node(&document, &Path::Root, true).map_err(shape(None))?;
    if envelope.payload_type != BUNDLE_PAYLOAD_TYPE {
        return Err(BundleError::WrongPayloadType {
            expected: BUNDLE_PAYLOAD_TYPE,
            found: envelope.payload_type,
        });
    }
    if envelope.signatures.is_empty() {
        return Err(BundleError::Unsigned);
    }
    let payload_bytes = dsse::decode_payload(&envelope)?;
    let (header, _) = parse_payload(&payload_bytes, limits)?;
    Ok(header)
}

/// Signs a bundle payload (its exact bytes) after checking that it parses, carries a valid
/// header and yields an envelope within the default size cap, so a signer cannot sign
/// something a default client would not read. Pure.
pub fn sign_bundle(payload_bytes: &[u8], keys: &[&KeyPair]) -> Result<Vec<u8>, BundleError> {
    let limits = Limits::default();
    parse_payload(payload_bytes, limits)?;
    let envelope = dsse::envelope_to_vec(&dsse::sign_envelope(
        BUNDLE_PAYLOAD_TYPE,
        payload_bytes,
        keys,
    ));
    if envelope.len() > limits.max_bytes {
        return Err(BundleError::TooLarge {
            location: "envelope",
            size: envelope.len(),
            max: limits.max_bytes,
        });
    }
    Ok(envelope)
}

fn parse_state(state_json: Option<&[u8]>) -> Result<BundleState, ApiError> {
    let Some(bytes) = state_json else {
        return Ok(BundleState::default());
    };
    let limits = Limits {
        max_bytes: STATE_MAX_BYTES,
        max_depth: 16,
    };
    let invalid = |path, reason| BundleError::InvalidState { path, reason }.to_api();
    strict_json::check(bytes, limits).map_err(|err| invalid(None, err.to_string()))?;
    let state = tree::parse(bytes)
        .and_then(|document| BundleState::from_node(&document, &Path::Root))
        .map_err(|err| invalid(err.path, err.message))?;
    let versions = state
        .bundles
        .iter()
        .enumerate()
        .map(|(index, record)| (format!("bundles[{index}].version"), record.version))
        .chain(
            state
                .root
                .iter()
                .map(|record| ("root.version".to_owned(), record.version)),
        );
    for (path, version) in versions {
        if version > crate::limits::MAX_VERSION {
            return Err(BundleError::InvalidState {
                path: Some(path),
                reason: format!("version {version} is above 2^53 - 1"),
            }
            .to_api());
        }
    }
    Ok(state)
}

fn parse_now(now_rfc3339: &str) -> Result<i64, ApiError> {
    parse_rfc3339(now_rfc3339).ok_or_else(|| {
        ApiError::new(
            "invalid-request",
            format!("now {now_rfc3339:?} is not an rfc 3339 timestamp"),
            Some("now".into()),
        )
    })
}

/// Native callers' `serde_json::Value` of a front door's text (which the writers made from
/// typed values, so it always parses).
fn to_value(text: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text)
        .map_err(|err| ApiError::new("internal", format!("response serialization: {err}"), None))
}

/// [`verify`] on the wire forms every front door holds (root envelope, state and options as
/// JSON, `now` as RFC 3339), returning the typed result; the engine loader builds on this.
pub fn verify_bytes(
    envelope: &[u8],
    root_json: &[u8],
    state_json: Option<&[u8]>,
    now_rfc3339: &str,
    options_json: Option<&[u8]>,
) -> Result<(VerifiedBundle, BundleState), ApiError> {
    let options: VerifyOptions = match options_json {
        Some(bytes) => VerifyOptions::from_json(bytes)?,
        None => VerifyOptions::default(),
    };
    let now = parse_now(now_rfc3339)?;
    let state = parse_state(state_json)?;
    let pinned = TrustedRoot::from_pinned(root_json).map_err(|err| err.to_api())?;
    verify(envelope, &pinned, &state, now, &options).map_err(|err| err.to_api())
}

/// JSON front door of [`verify`] for the CLI and wasm.
///
/// `root_json` is the pinned root envelope, `state_json` the persisted state (absent on
/// first run), `options_json` a [`VerifyOptions`] object (absent: production defaults).
/// Returns `{bundle: <payload>, state: <new state>, summary: {bundleId, channel, version,
/// issuedAt, expiresAt, minEngineVersion, rootVersion, signedBy, sha256, preview}}`.
pub fn verify_json(
    envelope: &[u8],
    root_json: &[u8],
    state_json: Option<&[u8]>,
    now_rfc3339: &str,
    options_json: Option<&[u8]>,
) -> Result<Value, ApiError> {
    to_value(&verify_text(
        envelope,
        root_json,
        state_json,
        now_rfc3339,
        options_json,
    )?)
}

/// [`verify_json`] as JSON text, members in key order at every level (the text of its
/// `Value`; a payload number is written as its token, see `bundle::json`): what the wasm
/// `verifyBundle` hands to `JSON.parse`.
pub fn verify_text(
    envelope: &[u8],
    root_json: &[u8],
    state_json: Option<&[u8]>,
    now_rfc3339: &str,
    options_json: Option<&[u8]>,
) -> Result<String, ApiError> {
    let (verified, new_state) =
        verify_bytes(envelope, root_json, state_json, now_rfc3339, options_json)?;
    // The payload passed the strict gate and the header reader, so its tree builds.
    let payload = tree::parse(verified.payload_bytes())?;
    let mut out = Vec::with_capacity(verified.payload_bytes().len() + 1024);
    out.extend_from_slice(b"{\"bundle\":");
    json::push_sorted(&mut out, &payload);
    out.extend_from_slice(b",\"state\":");
    json::push_state(&mut out, &new_state, true);
    out.extend_from_slice(b",\"summary\":");
    verified.push_summary(&mut out);
    out.push(b'}');
    Ok(crate::json::write::into_text(out))
}

/// JSON front door of [`rotate_state`]: walks the state's root one version forward.
///
/// Returns `{state: <new state>, root: {version, expiresAt, threshold, keyids, sha256}}`.
pub fn rotate_root_json(
    root_json: &[u8],
    state_json: Option<&[u8]>,
    next_root_json: &[u8],
) -> Result<Value, ApiError> {
    to_value(&rotate_root_text(root_json, state_json, next_root_json)?)
}

/// [`rotate_root_json`] as JSON text, members in key order at every level (the text of its
/// `Value`): what the wasm `rotateRoot` hands to `JSON.parse`.
pub fn rotate_root_text(
    root_json: &[u8],
    state_json: Option<&[u8]>,
    next_root_json: &[u8],
) -> Result<String, ApiError> {
    let state = parse_state(state_json)?;
    let pinned = TrustedRoot::from_pinned(root_json).map_err(|err| err.to_api())?;
    let (root, new_state) =
        rotate_state(&pinned, &state, next_root_json).map_err(|err| err.to_api())?;
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(b"{\"root\":");
    json::push_root_summary(&mut out, &root);
    out.extend_from_slice(b",\"state\":");
    json::push_state(&mut out, &new_state, true);
    out.push(b'}');
    Ok(crate::json::write::into_text(out))
}

/// The public facts of a root: `{expiresAt, keyids, sha256, threshold, version}`.
pub fn root_summary(root: &TrustedRoot) -> Value {
    serde_json::from_str(&root_summary_text(root)).unwrap_or(Value::Null)
}

/// [`root_summary`] as JSON text (members in key order).
pub fn root_summary_text(root: &TrustedRoot) -> String {
    let mut out = Vec::with_capacity(256);
    json::push_root_summary(&mut out, root);
    crate::json::write::into_text(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver() {
        assert_eq!(parse_semver("0.1.0"), Some((0, 1, 0)));
        assert_eq!(parse_semver("10.20.30"), Some((10, 20, 30)));
        for bad in ["1.2", "1.2.3.4", "01.2.3", "1.2.3-rc1", "", "a.b.c", "1..3"] {
            assert_eq!(parse_semver(bad), None, "{bad}");
        }
        assert!(parse_semver(engine_core_version()).is_some());
    }
}
