//! Where the time of one plan goes: evaluate, build the artifacts, build the render context,
//! render the runbook (directly, without the batch memo), and each section template alone.
//! Compute only, one thread.
//!
//! `cargo bench --bench stages [-- PLAN.json [ROUNDS]]` (default: the Oracle example, 2,000
//! rounds). Prints microseconds per plan; `benches/batch.py` measures whole batches.

#![allow(clippy::print_stdout)] // a bench prints its figures

use std::path::PathBuf;
use std::time::Instant;

use dmsplan::{artifacts, commands, render};

// The allocator of the binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let path = args.first().map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("plans/billing-oracle-to-aurora-postgresql/plan.json")
        },
        PathBuf::from,
    );
    let rounds: u32 = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(2000);
    let catalog = commands::load_catalog(None)?;
    let hb = render::registry(None)?;
    let plan = commands::load_plan(&path)?;
    let version = env!("CARGO_PKG_VERSION");
    let stages = [
        "evaluate",
        "artifacts",
        "context",
        "context to tree",
        "render",
        "tidy",
    ];
    let mut spent = [0f64; 6];
    let mut bytes = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        let (plan, eval) =
            commands::make_plan_evaluated(&catalog, plan.answers.clone(), plan.created_at.clone())?;
        spent[0] += start.elapsed().as_secs_f64();
        let start = Instant::now();
        let artifacts = artifacts::Artifacts::build(&catalog, &plan, &eval, version)?;
        spent[1] += start.elapsed().as_secs_f64();
        let start = Instant::now();
        let ctx = render::RenderContext::new(&catalog, &plan, &eval, &artifacts, version);
        spent[2] += start.elapsed().as_secs_f64();
        // The steps of `render::runbook`, timed one by one.
        let start = Instant::now();
        let data = render::tree::to_node(&ctx)?;
        spent[3] += start.elapsed().as_secs_f64();
        let start = Instant::now();
        let text = render::direct::render(&hb, None, "runbook", &data)
            .map_err(|_| "the built-in templates render directly")?;
        spent[4] += start.elapsed().as_secs_f64();
        let start = Instant::now();
        bytes = render::markdown::tidy(&text).len();
        spent[5] += start.elapsed().as_secs_f64();
    }
    let per = |s: f64| s / f64::from(rounds) * 1e6;
    println!(
        "{} ({rounds} rounds, runbook {bytes} bytes)",
        path.display()
    );
    for (stage, s) in stages.iter().zip(spent) {
        println!("  {stage:<24} {:8.1} us", per(s));
    }
    println!("  {:<24} {:8.1} us", "total", per(spent.iter().sum()));
    let (plan, eval) =
        commands::make_plan_evaluated(&catalog, plan.answers.clone(), plan.created_at.clone())?;
    let artifacts = artifacts::Artifacts::build(&catalog, &plan, &eval, version)?;
    let ctx = render::RenderContext::new(&catalog, &plan, &eval, &artifacts, version);
    let data = render::tree::to_node(&ctx)?;
    println!("each template alone, rendered directly, context ready:");
    for (file, _) in render::TEMPLATES {
        let name = render::registered_name(file);
        if render::direct::render(&hb, None, name, &data).is_err() {
            println!("  {name:<24} (renders only inside its caller)");
            continue;
        }
        let start = Instant::now();
        let mut len = 0;
        for _ in 0..rounds {
            len = render::direct::render(&hb, None, name, &data).map_or(0, |t| t.len());
        }
        println!(
            "  {name:<24} {:8.1} us {len:>7} bytes",
            per(start.elapsed().as_secs_f64())
        );
    }
    Ok(())
}
