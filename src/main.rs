//! The `dmsplan` binary: parse arguments, run, turn the outcome into an exit code.

use std::io;
use std::process::ExitCode;

use clap::Parser;
use dmsplan::cli::Cli;
use dmsplan::error::{self, Error, ExitStatus};

// Rendering thousands of runbooks (`dmsplan batch`) is allocation-heavy; mimalloc spends a
// third less time there than the system allocator (benches/batch.py). Its version 2 keeps
// a batch of 10,000 rows at about 31 MB where version 3 took 53 MB, and is a little faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
