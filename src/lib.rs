//! dmsplan: plan AWS Database Migration Service migrations offline.
//!
//! The library holds every rule; `main.rs` only parses arguments and maps the outcome to an
//! exit code. Data flows one way: flags -> `Pair` -> `Assessment` -> text or JSON.

pub mod artifacts;
pub mod assess;
pub mod batch;
pub mod catalog;
pub mod choices;
pub mod cli;
pub mod commands;
pub mod error;
pub mod estimate;
pub mod evaluate;
pub mod files;
pub mod fxhash;
pub mod native;
pub mod plan;
pub mod render;
pub mod report;
pub mod types;
pub mod wizard;

use std::io::Write;

use cli::{Cli, Command};
use error::{Error, ExitStatus};

/// Run one command, writing results to `out`.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<ExitStatus, Error> {
    let catalog = commands::load_catalog(cli.catalog.as_deref())?;
    match &cli.command {
        Command::Check(args) => commands::check(&catalog, args, out),
        Command::Engines(args) => commands::engines(&catalog, args, out),
        Command::New(args) => commands::new(&catalog, args, out),
        Command::Render(args) => commands::render_cmd(&catalog, args, out),
        Command::Schema => commands::schema(out),
        Command::Batch(args) => commands::batch(&catalog, args, out),
        Command::Inventory(cli::InventoryCommand::Template) => {
            commands::emit_text(out, &batch::template())?;
            Ok(ExitStatus::Success)
        }
        Command::Types(args) => commands::types(&catalog, args, out),
    }
}
