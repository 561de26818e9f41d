//! The `puhui` command line: the calculators, bundle tooling, batch scoring and the server.
//!
//! This binary is the only place with files, sockets, clocks and private keys; every number it
//! prints comes from the pure core through the same JSON contract as the wasm package.
//! `main` only parses arguments and dispatches; each command's body lives in its own module.
//! Results go to stdout as JSON with exit 0; refusals as `{"error": {code, message, path?}}`
//! on stdout with exit 1; an unreadable or unwritable file (code `io`) and usage errors from
//! clap exit 2 (`calc::exit_code`, README "CLI exit codes").

mod io;
mod keys;
mod quote;
mod score;
mod sign;

use clap::{Parser, Subcommand};
use puhui_cli::calc;
use puhui_cli::serve::command::{PublishArgs, ServeArgs};
use std::process::ExitCode;

/// puhui: exact loan pricing, disclosure, subsidies, signed rule bundles and pre-eligibility.
#[derive(Debug, Parser)]
#[command(name = "puhui", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Cent-exact repayment schedule for a request file (or - for stdin).
    Schedule {
        /// Request JSON file, or - for stdin.
        input: String,
    },
    /// Annualized rate (cn-irr, us-regz, eu-aprc) of a flow stream.
    Apr {
        /// Request JSON file, or - for stdin.
        input: String,
    },
    /// Every disclosure figure of a loan: CN/US/EU rates, costs and cost-cap checks.
    Disclose {
        /// Request JSON file, or - for stdin.
        input: String,
    },
    /// Fiscal interest subsidy and promotions applied to a schedule.
    Subsidy {
        /// Request JSON file, or - for stdin.
        input: String,
    },
    /// Generate an Ed25519 key pair: DIR/KEYID.key (0600) and DIR/KEYID.pub.
    Keygen(keys::KeygenArgs),
    /// Create or rotate a trust root.
    #[command(subcommand)]
    Root(keys::RootCommand),
    /// Sign a bundle payload's exact bytes into a DSSE envelope.
    Sign(sign::SignArgs),
    /// Verify a signed bundle against a pinned root and the persisted state.
    Verify(sign::VerifyArgs),
    /// Diagnostics of a draft bundle payload, with JSON paths; exits 1 on errors.
    Lint(quote::LintArgs),
    /// Verify a signed bundle, then quote one request from it.
    Quote(quote::QuoteArgs),
    /// Scores applicants (JSON lines in, JSON lines out, in order).
    Score(score::ScoreArgs),
    /// Pre-eligibility for one applicant.
    Assess(score::AssessArgs),
    /// Scorecard tools: import from Python modelling tools, lint.
    #[command(subcommand)]
    Scorecard(score::ScorecardCommand),
    /// Serve www/ at /, pkg/ at /pkg/ and the bundle directory at /bundles/.
    Serve(ServeArgs),
    /// File a signed bundle under the bundle directory and move its latest pointer.
    Publish(PublishArgs),
}

fn exit(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn print_result(result: Result<serde_json::Value, puhui::ApiError>) -> ExitCode {
    match result {
        Ok(value) => {
            calc::print_line(&calc::pretty(&value));
            ExitCode::SUCCESS
        }
        Err(err) => {
            calc::print_line(&err.to_envelope().to_string());
            ExitCode::from(calc::exit_code(&err))
        }
    }
}

/// Prints a JSON door's answer exactly as the library wrote it (`puhui::api`'s text), or the
/// refusal envelope.
fn print_text(result: Result<String, puhui::ApiError>) -> ExitCode {
    match result {
        Ok(text) => {
            calc::print_line(&text);
            ExitCode::SUCCESS
        }
        Err(err) => {
            calc_print_error(&err);
            ExitCode::from(calc::exit_code(&err))
        }
    }
}

/// Prints a refusal envelope on stdout (one line), as every command does.
fn calc_print_error(error: &puhui::ApiError) {
    calc::print_line(&error.to_envelope().to_string());
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Schedule { input } => exit(calc::run_json_op("schedule", &input)),
        Command::Apr { input } => exit(calc::run_json_op("apr", &input)),
        Command::Disclose { input } => exit(calc::run_json_op("disclose", &input)),
        Command::Subsidy { input } => exit(calc::run_json_op("subsidy", &input)),
        Command::Keygen(args) => print_result(keys::keygen(&args)),
        Command::Root(keys::RootCommand::New(args)) => print_result(keys::root_new(&args)),
        Command::Root(keys::RootCommand::Rotate(args)) => print_result(keys::root_rotate(&args)),
        Command::Sign(args) => print_result(sign::sign(&args)),
        Command::Verify(args) => print_result(sign::verify(&args)),
        Command::Lint(args) => match quote::run_lint(&args) {
            Ok((report, ok)) => {
                calc::print_line(&report);
                if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(err) => print_result(Err(err)),
        },
        Command::Quote(args) if args.batch => quote::run_quote_batch(&args),
        Command::Quote(args) => print_text(quote::run_quote(&args)),
        Command::Score(args) => score::run_score(&args),
        Command::Assess(args) => score::run_assess(&args),
        Command::Scorecard(command) => score::run_scorecard(&command),
        Command::Serve(args) => puhui_cli::serve::command::serve(&args),
        Command::Publish(args) => puhui_cli::serve::command::publish(&args),
    }
}
