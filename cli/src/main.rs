//! The `puhui` command line: the calculators, bundle tooling, batch scoring and the server.
//!
//! This binary is the only place with files, sockets, clocks and private keys; every number it
//! prints comes from the pure core through the same JSON contract as the wasm package.
//! `main` only parses arguments and dispatches; each command's body lives in its own module.

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
    /// Serve www/ at /, pkg/ at /pkg/ and the bundle directory at /bundles/.
    Serve(ServeArgs),
    /// File a signed bundle under the bundle directory and move its latest pointer.
    Publish(PublishArgs),
}

fn exit(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Schedule { input } => exit(calc::run_json_op("schedule", &input)),
        Command::Apr { input } => exit(calc::run_json_op("apr", &input)),
        Command::Disclose { input } => exit(calc::run_json_op("disclose", &input)),
        Command::Subsidy { input } => exit(calc::run_json_op("subsidy", &input)),
        Command::Serve(args) => puhui_cli::serve::command::serve(&args),
        Command::Publish(args) => puhui_cli::serve::command::publish(&args),
    }
}
