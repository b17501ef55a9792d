//! One small function per subcommand: read inputs, call pure code, write outputs.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use crate::assess::{self, Endpoint, Pair};
use crate::catalog::{Catalog, Role};
use crate::cli::{CheckArgs, EnginesArgs, PairArgs, RoleArg};
use crate::error::{Error, ExitStatus};
use crate::report::{self, Style};

/// Load the catalog: the file given (flag or `DMSPLAN_CATALOG`), else the embedded one.
pub fn load_catalog(path: Option<&Path>) -> Result<Catalog, Error> {
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            Catalog::from_json(&text).map_err(|source| Error::Catalog {
                origin: path.display().to_string(),
                source,
            })
        }
        None => Catalog::embedded().map_err(|source| Error::Catalog {
            origin: "embedded".to_string(),
            source,
        }),
    }
}

/// Colour only on a terminal, and never with `NO_COLOR` set.
pub fn style() -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: !no_color && io::stdout().is_terminal(),
    }
}

/// Turn flags into a pair, resolving engine names against the catalog.
pub fn pair_from_args(catalog: &Catalog, args: &PairArgs) -> Result<Pair, Error> {
    let source = assess::resolve_engine(catalog, "--source", &args.source.engine)?;
    let target = assess::resolve_engine(catalog, "--target", &args.target.engine)?;
    Ok(Pair {
        source: Endpoint {
            engine: source.id.clone(),
            version: args.source.version.clone(),
            edition: args.source_edition.clone(),
            hosting: args.source_hosting,
        },
        target: Endpoint {
            engine: target.id.clone(),
            version: args.target.version.clone(),
            edition: args.target_edition.clone(),
            hosting: args.target_hosting,
        },
        cdc: args.cdc,
    })
}

fn emit(out: &mut impl Write, text: &str) -> Result<(), Error> {
    out.write_all(text.as_bytes()).map_err(Error::Output)
}

fn emit_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), Error> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Output(io::Error::other(e)))?;
    text.push('\n');
    emit(out, &text)
}

/// `dmsplan check`: exit 0 when DMS supports the pair, 1 when it does not.
pub fn check(catalog: &Catalog, args: &CheckArgs, out: &mut impl Write) -> Result<ExitStatus, Error> {
    let pair = pair_from_args(catalog, &args.pair)?;
    let assessment = assess::assess(catalog, &pair)?;
    if args.json {
        emit_json(out, &assessment)?;
    } else {
        emit(out, &report::assessment(&assessment, style()))?;
    }
    Ok(if assessment.supported {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// `dmsplan engines [ENGINE]`.
pub fn engines(catalog: &Catalog, args: &EnginesArgs, out: &mut impl Write) -> Result<ExitStatus, Error> {
    let role = args.role.map(|r| match r {
        RoleArg::Source => Role::Source,
        RoleArg::Target => Role::Target,
    });
    if let Some(name) = &args.engine {
        let engine = assess::resolve_engine(catalog, "ENGINE", name)?;
        if let Some(role) = role {
            if engine.role(role).is_none() {
                return Err(Error::WrongRole {
                    flag: "--role".to_string(),
                    engine: engine.id.clone(),
                    role,
                });
            }
        }
        if args.json {
            let prerequisites: Vec<_> = catalog
                .prerequisites
                .iter()
                .filter(|p| p.engine == engine.id && role.is_none_or(|r| r == p.role))
                .collect();
            emit_json(
                out,
                &serde_json::json!({
                    "as_of": catalog.as_of,
                    "engine": engine,
                    "prerequisites": prerequisites,
                }),
            )?;
        } else {
            emit(out, &report::engine_detail(catalog, engine, style()))?;
        }
        return Ok(ExitStatus::Success);
    }
    if args.json {
        let engines: Vec<_> = catalog
            .engines
            .iter()
            .filter(|e| role.is_none_or(|r| e.role(r).is_some()))
            .collect();
        emit_json(
            out,
            &serde_json::json!({"as_of": catalog.as_of, "engines": engines}),
        )?;
    } else {
        emit(out, &report::engine_list(catalog, role, style()))?;
    }
    Ok(ExitStatus::Success)
}
