//! The `dmsplan` binary: parse arguments, run, turn the outcome into an exit code.

use std::io;
use std::process::ExitCode;

use clap::Parser;
use dmsplan::cli::Cli;
use dmsplan::error::{self, Error, ExitStatus};

fn main() -> ExitCode {
    let cli = Cli::parse(); // clap reports usage errors itself, with exit code 2
    match dmsplan::run(cli, &mut io::stdout().lock()) {
        Ok(status) => status.into(),
        // A closed pipe (`dmsplan engines | head`) ends quietly.
        Err(Error::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            ExitStatus::Success.into()
        }
        Err(err) => error::report(&err, &mut io::stderr().lock()).into(),
    }
}
