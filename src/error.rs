//! The one error type of dmsplan, exit statuses, and how an error is reported.
//!
//! A finding about the migration (a version DMS can't read) is not an error but a `Finding`
//! in the assessment; `Error` means unusable input or failed I/O.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::catalog::{CatalogError, Role};

/// How a command ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Done; for `check`, DMS supports the pair (warnings allowed).
    Success,
    /// Done, and the answer is no: an unsupported pair, refused rows, "quit" in the wizard.
    Failure,
    /// Bad flags, bad plan or catalog, template or I/O error.
    Error,
    /// Ctrl-C in the wizard; nothing written.
    Interrupted,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
            ExitStatus::Interrupted => 130,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// Everything that can make a command fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An engine name that is neither an id nor an alias of the catalog.
    #[error("{flag}: unknown engine `{given}`")]
    UnknownEngine {
        /// The flag or field that named it.
        flag: String,
        /// What the user typed.
        given: String,
        /// The nearest ids, for the tip.
        nearest: Vec<String>,
    },
    /// An engine that DMS does not use in the role asked for, where a role was required.
    #[error("{flag}: `{engine}` is no DMS {role}")]
    WrongRole {
        /// The flag or field that named it.
        flag: String,
        /// The engine id.
        engine: String,
        /// The role it does not play.
        role: Role,
    },
    /// A value that does not parse, with the field it came from.
    #[error("{field}: {reason}")]
    InvalidValue {
        /// The flag or JSON path.
        field: String,
        /// Why it does not parse.
        reason: String,
        /// How to fix it, when we know.
        tip: Option<String>,
    },
    /// Required answers missing where nobody can be asked.
    #[error("missing answers: {flags}")]
    MissingAnswers {
        /// The flags to pass, comma-separated.
        flags: String,
    },
    /// A template that does not compile or render.
    #[error("template `{template}`{}: {reason}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Template {
        /// The template's file name.
        template: String,
        /// The line, when known.
        line: Option<usize>,
        /// What went wrong.
        reason: String,
    },
    /// A file that exists and would be overwritten.
    #[error("{} already exists", path.display())]
    Exists {
        /// The file.
        path: std::path::PathBuf,
    },
    /// A catalog file that is not usable.
    #[error("catalog {origin}: {source}")]
    Catalog {
        /// Which catalog (`embedded`, or the file).
        origin: String,
        /// What is wrong, naming the entry.
        #[source]
        source: CatalogError,
    },
    /// A file that could not be read.
    #[error("could not read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A file that could not be written.
    #[error("could not write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Writing to standard output failed (other than a closed pipe).
    #[error("could not write output")]
    Output(#[source] io::Error),
}

impl Error {
    /// The `tip:` line for this error, when there is a fix to suggest.
    pub fn tip(&self) -> Option<String> {
        match self {
            Error::UnknownEngine { nearest, .. } => Some(match nearest.as_slice() {
                [] => "`dmsplan engines` lists every id and alias".to_string(),
                [one] => format!("did you mean `{one}`? `dmsplan engines` lists every id and alias"),
                many => format!(
                    "did you mean one of {}? `dmsplan engines` lists every id and alias",
                    many.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
            Error::WrongRole { role, .. } => Some(format!(
                "`dmsplan engines --role {role}` lists the engines DMS uses as a {role}"
            )),
            Error::InvalidValue { tip, .. } => tip.clone(),
            Error::MissingAnswers { .. } => Some(
                "pass them as flags, in --answers FILE, or run `dmsplan new` in a terminal to be asked"
                    .to_string(),
            ),
            Error::Exists { .. } => Some("pass --force to overwrite it".to_string()),
            Error::Catalog { .. } => Some(
                "src/catalog/FORMAT.md in the dmsplan sources documents the catalog format"
                    .to_string(),
            ),
            _ => None,
        }
    }

    /// The exit status this error ends the process with.
    pub fn status(&self) -> ExitStatus {
        ExitStatus::Error
    }
}

/// The full message of an error: itself and its chain of causes, on one line.
pub fn message(err: &Error) -> String {
    let mut text = err.to_string();
    let mut cause = std::error::Error::source(err);
    // A catalog error already prints its cause in the message.
    if matches!(err, Error::Catalog { .. }) {
        cause = None;
    }
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Write `error: ...` and `  tip: ...` to `out`; return the exit status.
pub fn report(err: &Error, out: &mut impl io::Write) -> ExitStatus {
    // Nothing sensible is left to do when stderr itself fails.
    let _ = writeln!(out, "error: {}", message(err));
    if let Some(tip) = err.tip() {
        let _ = writeln!(out, "  tip: {tip}");
    }
    err.status()
}
