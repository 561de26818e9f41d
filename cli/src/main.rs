//! The `puhui` command line: the calculators, bundle tooling, batch scoring and the server.
//!
//! This binary is the only place with files, sockets, clocks and private keys; every number it
//! prints comes from the pure core through the same JSON contract as the wasm package.

mod calc;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "puhui",
    version,
    about = "Exact loan pricing, disclosure and pre-eligibility"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Schedule { input } => calc::run_json_op("schedule", &input),
        Command::Apr { input } => calc::run_json_op("apr", &input),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
