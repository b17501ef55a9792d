//! The interactive wizard of `dmsplan new`: terminal questions in, the same `Answers` that
//! flags and `--answers FILE` produce out.
//!
//! It asks only for answers still missing, parses every typed answer with
//! `Answers::set_text` (the flags' parser), and shows lists and verdicts computed by
//! `choices` (so it holds no support rules and cannot disagree with `dmsplan check`). It
//! writes no file itself: `run` returns the answers and `commands::write_plan` writes them
//! after the user chose "write". The terminal sits behind the small `Ask` trait: `Dialoguer`
//! is the real one, `Scripted` replays answers in unit tests.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use console::Term;
use dialoguer::theme::{ColorfulTheme, Theme};
use dialoguer::{Confirm, FuzzySelect, Input, Select};

use crate::assess::{self, Endpoint, Pair};
use crate::catalog::{Catalog, EngineVersion, Hosting, Role};
use crate::choices;
use crate::cli::NewArgs;
use crate::commands;
use crate::error::{Error, ExitStatus};
use crate::evaluate;
use crate::files::{self, Overwrite};
use crate::plan::{self, Answers, Field};

/// Why a question got no answer.
#[derive(Debug)]
pub enum Stop {
    /// Ctrl-C: stop at once, write nothing.
    Interrupted,
    /// The terminal or the library failed.
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

/// What the wizard needs from a person. `Dialoguer` is the real one; tests use `Scripted`.
pub trait Ask {
    /// Pick one of `items` from a list; `default` is highlighted and taken by Enter.
    fn pick(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize, Stop>;
    /// Like `pick`, with typing to filter the list (fuzzy matching).
    fn search(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize, Stop>;
    /// Free text, shown with `default` (taken by Enter); `check` must accept the text, and
    /// its error is shown inline until it does.
    fn text(
        &mut self,
        prompt: &str,
        default: &str,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, Stop>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Stop>;
    /// Show some lines (a verdict, a summary).
    fn say(&mut self, text: &str) -> Result<(), Stop>;
    /// How wide list lines may be.
    fn width(&self) -> usize {
        90
    }
}

/// How a wizard session ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// "write": complete answers to write as a plan.
    Write(Box<Answers>),
    /// "quit" at the summary: nothing is written.
    Quit,
    /// Ctrl-C: nothing is written.
    Interrupted,
}

/// Set by the Ctrl-C handler; checked before every question.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static HANDLER: Once = Once::new();
/// Set once the user chose "write": from then on Ctrl-C waits for the files to be written.
static WRITING: AtomicBool = AtomicBool::new(false);

/// What Ctrl-C does while the wizard asks. A prompt reads keys in raw mode, where Ctrl-C is a
/// key and ends the prompt; between two keys the terminal is briefly in cooked mode, where it
/// is a signal and the prompt would go on waiting for a key. So, unless the files are being
/// written, end here: nothing has been written, and the cursor is shown again.
#[allow(
    clippy::exit,
    reason = "Ctrl-C between two keys of a prompt: nothing is written yet, exit 130 as documented"
)]
fn on_ctrl_c() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    if !WRITING.load(Ordering::SeqCst) {
        let term = Term::stderr();
        let _ = term.show_cursor();
        let _ = term.write_line("\ninterrupted: nothing written");
        std::process::exit(130);
    }
}

/// The real terminal: dialoguer prompts on stderr.
pub struct Dialoguer {
    term: Term,
    theme: ColorfulTheme,
}

impl Dialoguer {
    /// Prompts on stderr. Installs a Ctrl-C handler (once per process) so that Ctrl-C ends
    /// the prompt with an error instead of killing the process with the cursor hidden.
    pub fn new() -> Dialoguer {
        HANDLER.call_once(|| {
            // Without the handler Ctrl-C still stops dmsplan (by the signal), writing nothing.
            let _ = ctrlc::set_handler(on_ctrl_c);
        });
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            console::set_colors_enabled_stderr(false);
        }
        Dialoguer {
            term: Term::stderr(),
            theme: ColorfulTheme::default(),
        }
    }

    fn ready(&self) -> Result<(), Stop> {
        if INTERRUPTED.load(Ordering::SeqCst) {
            Err(Stop::Interrupted)
        } else {
            Ok(())
        }
    }

    fn rows(&self) -> usize {
        (usize::from(self.term.size().0).saturating_sub(8)).clamp(5, 15)
    }

    /// Show the cursor again (dialoguer hides it in lists) and leave a clean line.
    pub fn restore(&self) {
        let _ = self.term.show_cursor();
        let _ = self.term.flush();
    }
}

impl Default for Dialoguer {
    fn default() -> Self {
        Dialoguer::new()
    }
}

/// A failed prompt: Ctrl-C (the read is interrupted) or a terminal error.
fn stopped(e: dialoguer::Error) -> Stop {
    let e = io::Error::from(e);
    if e.kind() == io::ErrorKind::Interrupted || INTERRUPTED.load(Ordering::SeqCst) {
        Stop::Interrupted
    } else {
        Stop::Failed(Error::Output(e))
    }
}

impl Ask for Dialoguer {
    fn pick(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize, Stop> {
        self.ready()?;
        Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .max_length(self.rows())
            .interact_on(&self.term)
            .map_err(stopped)
    }

    fn search(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize, Stop> {
        self.ready()?;
        let i = FuzzySelect::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .max_length(self.rows())
            .report(false)
            .interact_on(&self.term)
            .map_err(stopped)?;
        // Report the choice without the aliases and notes that were there to search in.
        let chosen = items
            .get(i)
            .map_or("", |t| t.split("  ").next().unwrap_or(t));
        let mut line = String::new();
        if self
            .theme
            .format_input_prompt_selection(&mut line, prompt, chosen)
            .is_ok()
        {
            let _ = self.term.write_line(&line);
        }
        Ok(i)
    }

    fn text(
        &mut self,
        prompt: &str,
        default: &str,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, Stop> {
        self.ready()?;
        Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default.to_string())
            .validate_with(|t: &String| check(t))
            .interact_text_on(&self.term)
            .map_err(stopped)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Stop> {
        self.ready()?;
        Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_on(&self.term)
            .map_err(stopped)
    }

    fn say(&mut self, text: &str) -> Result<(), Stop> {
        self.ready()?;
        let cols = usize::from(self.term.size().1).max(40);
        self.term
            .write_str(&wrap(text, cols - 1))
            .and_then(|()| self.term.flush())
            .map_err(|e| Stop::Failed(Error::Output(e)))
    }

    fn width(&self) -> usize {
        usize::from(self.term.size().1)
            .saturating_sub(4)
            .clamp(40, 110)
    }
}

/// One scripted reply for `Scripted`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Press Enter: take the default.
    Enter,
    /// Pick the first item whose line contains this text (a list), or answer yes/no
    /// (`"y"`/`"n"`, a confirm).
    Pick(String),
    /// Type this text (a text question); a rejected text is recorded and the next reply used.
    Type(String),
    /// Press Ctrl-C.
    Interrupt,
}

/// Replays scripted replies and records what was shown, for unit tests.
#[derive(Debug, Default)]
pub struct Scripted {
    replies: VecDeque<Reply>,
    /// Every prompt, list, inline error and message shown, in order.
    pub transcript: Vec<String>,
}

impl Scripted {
    /// A script of replies, used in order.
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Scripted {
        Scripted {
            replies: replies.into_iter().collect(),
            transcript: Vec::new(),
        }
    }

    /// How many replies are left unused.
    pub fn remaining(&self) -> usize {
        self.replies.len()
    }

    fn next(&mut self, prompt: &str) -> Result<Reply, Stop> {
        self.replies.pop_front().ok_or_else(|| {
            Stop::Failed(Error::InvalidValue {
                field: "script".to_string(),
                reason: format!("no reply left for `{prompt}`"),
                tip: None,
            })
        })
    }

    fn no_item(prompt: &str, want: &str) -> Stop {
        Stop::Failed(Error::InvalidValue {
            field: "script".to_string(),
            reason: format!("no item of `{prompt}` contains `{want}`"),
            tip: None,
        })
    }
}

impl Ask for Scripted {
    fn pick(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize, Stop> {
        self.transcript.push(format!("? {prompt}"));
        self.transcript
            .extend(items.iter().map(|i| format!("  {i}")));
        match self.next(prompt)? {
            Reply::Enter => Ok(default),
            Reply::Pick(want) => items
                .iter()
                .position(|i| i.contains(&want))
                .ok_or_else(|| Scripted::no_item(prompt, &want)),
            Reply::Type(t) => Err(Scripted::no_item(prompt, &t)),
            Reply::Interrupt => Err(Stop::Interrupted),
        }
    }

    fn search(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize, Stop> {
        self.pick(prompt, items, default)
    }

    fn text(
        &mut self,
        prompt: &str,
        default: &str,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, Stop> {
        self.transcript.push(format!("? {prompt} ({default})"));
        loop {
            let text = match self.next(prompt)? {
                Reply::Enter => default.to_string(),
                Reply::Type(t) | Reply::Pick(t) => t,
                Reply::Interrupt => return Err(Stop::Interrupted),
            };
            match check(&text) {
                Ok(()) => return Ok(text),
                Err(e) => self.transcript.push(format!("error: {e}")),
            }
        }
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Stop> {
        self.transcript.push(format!("? {prompt}"));
        match self.next(prompt)? {
            Reply::Enter => Ok(default),
            Reply::Pick(t) | Reply::Type(t) => Ok(t.starts_with('y')),
            Reply::Interrupt => Err(Stop::Interrupted),
        }
    }

    fn say(&mut self, text: &str) -> Result<(), Stop> {
        self.transcript.push(text.to_string());
        Ok(())
    }
}

/// The sizing questions, in the order asked.
const SIZING_QUESTIONS: [(&str, &str); 7] = [
    (
        "network",
        "Network path to AWS (vpn, internet, direct-connect:1g|10g|100g, throughput:300mbps)",
    ),
    (
        "change_rate",
        "Peak change rate on the source, GB of log per hour",
    ),
    ("tables", "Number of tables"),
    ("largest_table_gb", "The largest table, GB"),
    ("lob", "LOB columns (none, limited:64KB, full)"),
    (
        "tables_without_pk",
        "Tables without a primary key or unique index",
    ),
    ("production", "Production database (yes/no)"),
];

/// The model's default for a sizing answer, as the flag would take it.
fn sizing_default(view: &evaluate::SizingView, key: &str) -> String {
    match key {
        "network" => view.network.clone(),
        "change_rate" => view.change_rate.clone(),
        "tables" => view.tables.clone(),
        "largest_table_gb" => view.largest_table_gb.clone(),
        "lob" => view.lob.clone(),
        "tables_without_pk" => view.tables_without_pk.clone(),
        "production" => view.production.clone(),
        _ => String::new(),
    }
}

/// The field of `key` in `plan::FIELDS`.
fn field(key: &str) -> Result<&'static Field, Error> {
    plan::FIELDS
        .iter()
        .find(|f| f.key == key)
        .ok_or_else(|| Error::InvalidValue {
            field: key.to_string(),
            reason: "no such answer".to_string(),
            tip: None,
        })
}

/// The inline message for a rejected answer: the reason and the tip, without the field.
fn reason(err: &Error) -> String {
    match err {
        Error::InvalidValue {
            reason, tip: None, ..
        } => reason.clone(),
        Error::InvalidValue {
            reason,
            tip: Some(tip),
            ..
        } => format!("{reason} ({tip})"),
        other => crate::error::message(other),
    }
}

/// The label of the "type a version" item of version lists.
const TYPE_VERSION: &str = "type another version";

/// One wizard session over answers given so far.
struct Wizard<'a> {
    catalog: &'a Catalog,
    ask: &'a mut dyn Ask,
    answers: Answers,
    /// Where the plan goes, to warn before "write" when it exists.
    out_dir: PathBuf,
    force: bool,
}

/// Run the wizard: ask for every answer missing from `answers`, show the verdict and a
/// summary, and return what the user chose. Writes nothing.
pub fn run(
    catalog: &Catalog,
    answers: Answers,
    args: &NewArgs,
    ask: &mut dyn Ask,
) -> Result<Outcome, Error> {
    let mut w = Wizard {
        catalog,
        ask,
        answers,
        out_dir: args.out_dir.clone(),
        force: args.force,
    };
    match w.session() {
        Ok(Some(answers)) => Ok(Outcome::Write(Box::new(answers))),
        Ok(None) => Ok(Outcome::Quit),
        Err(Stop::Interrupted) => Ok(Outcome::Interrupted),
        Err(Stop::Failed(e)) => Err(e),
    }
}

/// `dmsplan new` in a terminal: run the wizard on the real terminal, then write the plan
/// (only after "write"). "quit" exits 1 and Ctrl-C exits 130, both writing nothing and
/// leaving the cursor shown.
pub fn new_in_terminal(
    catalog: &Catalog,
    answers: Answers,
    args: &NewArgs,
    out: &mut impl Write,
) -> Result<ExitStatus, Error> {
    let mut term = Dialoguer::new();
    let outcome = run(catalog, answers, args, &mut term);
    term.restore();
    match outcome? {
        Outcome::Write(answers) => {
            WRITING.store(true, Ordering::SeqCst);
            commands::write_plan(catalog, *answers, args, out)
        }
        Outcome::Quit => {
            let _ = term.term.write_line("quit: nothing written");
            Ok(ExitStatus::Failure)
        }
        Outcome::Interrupted => {
            let _ = term.term.write_line("\ninterrupted: nothing written");
            Ok(ExitStatus::Interrupted)
        }
    }
}

impl Wizard<'_> {
    fn session(&mut self) -> Result<Option<Answers>, Stop> {
        loop {
            self.source()?;
            self.target()?;
            if self.verdict()? {
                break;
            }
        }
        self.text_answer("size_gb", "Data to migrate (GB, or with a unit: 2TB)")?;
        self.text_answer(
            "downtime",
            "Downtime accepted at cutover (e.g. 2h, 90m, 1d)",
        )?;
        self.text_answer("region", "AWS Region of the target")?;
        self.sizing()?;
        self.text_answer("name", "Plan name")?;
        self.summary_loop()
    }

    /// The sizing details beyond size and downtime. Each has a default that the runbook
    /// states, so they are asked only when the user chooses to answer them.
    fn sizing(&mut self) -> Result<(), Stop> {
        if SIZING_QUESTIONS.iter().all(|(k, _)| self.answers.has(k)) {
            return Ok(());
        }
        let items = [
            "use the defaults (the runbook lists them)".to_string(),
            "answer them now".to_string(),
        ];
        let prompt = "Sizing details: network, change rate, tables, LOBs, production?";
        if self.ask.pick(prompt, &items, 0)? == 0 {
            return Ok(());
        }
        for (key, prompt) in SIZING_QUESTIONS {
            self.text_answer(key, prompt)?;
        }
        Ok(())
    }

    /// Set one answer from text with the flags' parser.
    fn set(&mut self, key: &str, text: &str) -> Result<(), Stop> {
        let f = field(key)?;
        self.answers.set_text(f, text, f.flag)?;
        Ok(())
    }

    fn role_key(role: Role) -> &'static str {
        match role {
            Role::Source => "source",
            Role::Target => "target",
        }
    }

    fn spec(&self, role: Role) -> Option<&assess::EngineSpec> {
        match role {
            Role::Source => self.answers.source.as_ref(),
            Role::Target => self.answers.target.as_ref(),
        }
    }

    fn hosting(&self, role: Role) -> Option<Hosting> {
        match role {
            Role::Source => self.answers.source_hosting,
            Role::Target => self.answers.target_hosting,
        }
    }

    /// Source engine, version, edition and hosting, each only when missing.
    fn source(&mut self) -> Result<(), Stop> {
        if self.answers.source.is_none() {
            let list = choices::engines(self.catalog, Role::Source);
            let width = self.ask.width();
            let items: Vec<String> = list.iter().map(|e| e.label(width)).collect();
            let default = list
                .iter()
                .position(|e| e.id == choices::DEFAULT_SOURCE)
                .unwrap_or(0);
            let i = self
                .ask
                .search("Source engine (type to filter)", &items, default)?;
            let id = list.get(i).map(|e| e.id.clone()).unwrap_or_default();
            self.set("source", &id)?;
        }
        self.version(Role::Source)?;
        self.edition(Role::Source, false)?;
        if self.answers.source_hosting.is_none() {
            self.hosting_answer(Role::Source, false)?;
        }
        Ok(())
    }

    /// Target engine (annotated with DMS support from the source) and version.
    fn target(&mut self) -> Result<(), Stop> {
        if self.answers.target.is_none() {
            let source = self.endpoint(Role::Source);
            let list = choices::targets(self.catalog, &source)?;
            let width = self.ask.width();
            let items: Vec<String> = list.iter().map(|t| t.label(width)).collect();
            let default = choices::default_target(&list, &source.engine);
            let prompt = format!(
                "Target engine (type to filter; DMS support from {})",
                self.answers
                    .source
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            );
            let i = self.ask.search(&prompt, &items, default)?;
            let id = list.get(i).map(|t| t.engine.id.clone()).unwrap_or_default();
            self.set("target", &id)?;
        }
        self.version(Role::Target)?;
        Ok(())
    }

    /// Ask the version of `role` when the engine has versions and none was given.
    fn version(&mut self, role: Role) -> Result<(), Stop> {
        let Some(spec) = self.spec(role).cloned() else {
            return Ok(());
        };
        if spec.version.is_some() {
            return Ok(());
        }
        let list = choices::versions(self.catalog, &spec.engine, role, self.hosting(role));
        if list.is_empty() {
            return Ok(());
        }
        let source_version: Option<EngineVersion> =
            self.answers.source.as_ref().and_then(|s| s.version.clone());
        let default = choices::default_version(&list, &spec.engine, role, source_version.as_ref());
        let mut items: Vec<String> = list.iter().map(choices::VersionChoice::label).collect();
        items.push(TYPE_VERSION.to_string());
        let name = self.engine_name(&spec.engine);
        let title = match role {
            Role::Source => "Source",
            Role::Target => "Target",
        };
        let i = self
            .ask
            .pick(&format!("{title} version of {name}"), &items, default)?;
        let key = Self::role_key(role);
        let version = match list.get(i) {
            Some(choice) => choice.version.to_string(),
            None => {
                let f = field(key)?;
                let engine = spec.engine.clone();
                let check = |t: &str| {
                    let t = t.trim();
                    if t.is_empty() {
                        return Err("type a version, e.g. 19c or 8.0.35".to_string());
                    }
                    Answers::default()
                        .set_text(f, &format!("{engine}:{t}"), f.flag)
                        .map_err(|e| reason(&e))
                };
                let default_text = list
                    .get(default)
                    .map(|c| c.version.to_string())
                    .unwrap_or_default();
                self.ask
                    .text(&format!("{title} version"), &default_text, &check)?
                    .trim()
                    .to_string()
            }
        };
        self.set(key, &format!("{}:{version}", spec.engine))
    }

    /// Ask the edition of `role` when the engine has editions and none was given (or always,
    /// when `again`).
    fn edition(&mut self, role: Role, again: bool) -> Result<(), Stop> {
        let Some(spec) = self.spec(role).cloned() else {
            return Ok(());
        };
        let key = match role {
            Role::Source => "source_edition",
            Role::Target => "target_edition",
        };
        if self.answers.has(key) && !again {
            return Ok(());
        }
        let list = choices::editions(self.catalog, &spec.engine, role, self.hosting(role));
        if list.is_empty() {
            if again {
                let name = self.engine_name(&spec.engine);
                self.ask.say(&format!(
                    "{name} has no editions that change DMS's answer.\n"
                ))?;
            }
            return Ok(());
        }
        let items: Vec<String> = list.iter().map(choices::EditionChoice::label).collect();
        let current = match role {
            Role::Source => self.answers.source_edition.clone(),
            Role::Target => self.answers.target_edition.clone(),
        };
        let default = current
            .and_then(|c| list.iter().position(|e| e.id == c))
            .unwrap_or(0);
        let name = self.engine_name(&spec.engine);
        let title = match role {
            Role::Source => "Source edition",
            Role::Target => "Target edition",
        };
        let i = self
            .ask
            .pick(&format!("{title} of {name}"), &items, default)?;
        if let Some(e) = list.get(i) {
            self.set(key, &e.id.clone())?;
        }
        Ok(())
    }

    /// Ask where `role` runs (skipped when the engine runs in one place only, unless `again`).
    fn hosting_answer(&mut self, role: Role, again: bool) -> Result<(), Stop> {
        let Some(spec) = self.spec(role).cloned() else {
            return Ok(());
        };
        let list = choices::hostings(self.catalog, &spec.engine, role);
        if list.len() < 2 && !again {
            return Ok(());
        }
        let items: Vec<String> = list.iter().map(|h| hosting_label(*h).to_string()).collect();
        let default = self
            .hosting(role)
            .and_then(|c| list.iter().position(|h| *h == c))
            .unwrap_or(0);
        let name = self.engine_name(&spec.engine);
        let (title, key) = match role {
            Role::Source => ("Where does the source run", "source_hosting"),
            Role::Target => ("Where does the target run", "target_hosting"),
        };
        let i = self
            .ask
            .pick(&format!("{title} ({name})?"), &items, default)?;
        if let Some(h) = list.get(i) {
            self.set(key, h.as_str())?;
        }
        Ok(())
    }

    fn engine_name(&self, id: &str) -> String {
        self.catalog
            .engine(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    }

    fn endpoint(&self, role: Role) -> Endpoint {
        let (spec, edition, hosting) = match role {
            Role::Source => (
                &self.answers.source,
                &self.answers.source_edition,
                self.answers.source_hosting,
            ),
            Role::Target => (
                &self.answers.target,
                &self.answers.target_edition,
                self.answers.target_hosting,
            ),
        };
        Endpoint {
            engine: spec.as_ref().map(|s| s.engine.clone()).unwrap_or_default(),
            version: spec.as_ref().and_then(|s| s.version.clone()),
            edition: edition.clone(),
            hosting,
        }
    }

    /// Show the verdict of the pair; on a blocker offer to change the source or the target.
    /// `true` to go on.
    fn verdict(&mut self) -> Result<bool, Stop> {
        let pair = Pair {
            source: self.endpoint(Role::Source),
            target: self.endpoint(Role::Target),
            cdc: self.answers.cdc.unwrap_or(false),
        };
        let a = assess::assess(self.catalog, &pair)?;
        self.ask
            .say(&format!("\nVerdict\n{}\n", choices::verdict_text(&a, None)))?;
        if a.supported {
            return Ok(true);
        }
        let items = [
            "change the source".to_string(),
            "change the target".to_string(),
            "go on anyway (the plan records that DMS does not support it)".to_string(),
        ];
        let default = if choices::blocker_on_source(&a) { 0 } else { 1 };
        match self
            .ask
            .pick("DMS does not support this pair. What now?", &items, default)?
        {
            0 => {
                self.answers.source = None;
                self.answers.source_edition = None;
                self.answers.source_hosting = None;
                Ok(false)
            }
            1 => {
                self.clear_target();
                Ok(false)
            }
            _ => Ok(true),
        }
    }

    fn clear_target(&mut self) {
        self.answers.target = None;
        self.answers.target_edition = None;
        self.answers.target_hosting = None;
    }

    /// Ask a text answer when missing (or always, when editing).
    fn text_answer(&mut self, key: &str, prompt: &str) -> Result<(), Stop> {
        if self.answers.has(key) {
            return Ok(());
        }
        self.ask_text(key, prompt)
    }

    fn ask_text(&mut self, key: &str, prompt: &str) -> Result<(), Stop> {
        let f = field(key)?;
        let default = match key {
            "size_gb" => self
                .answers
                .size_gb
                .map_or_else(|| choices::DEFAULT_SIZE.to_string(), format_gb),
            "downtime" => self
                .answers
                .downtime
                .map_or_else(|| choices::DEFAULT_DOWNTIME.to_string(), |d| d.to_string()),
            "region" => self
                .answers
                .region
                .clone()
                .unwrap_or_else(|| choices::DEFAULT_REGION.to_string()),
            "name" => self.answers.name_or_default(),
            // The sizing details default to what the model would assume.
            key => evaluate::check(self.catalog, &self.answers)
                .ok()
                .and_then(|c| c.sizing)
                .map(|s| sizing_default(&s.view, key))
                .unwrap_or_default(),
        };
        let check = |t: &str| {
            Answers::default()
                .set_text(f, t, f.flag)
                .map_err(|e| reason(&e))
        };
        let text = self.ask.text(prompt, &default, &check)?;
        self.set(key, &text)
    }

    /// The summary, then write / edit an answer / quit, until write or quit.
    fn summary_loop(&mut self) -> Result<Option<Answers>, Stop> {
        loop {
            self.summary()?;
            let items = [
                "write the plan and runbook".to_string(),
                "edit an answer".to_string(),
                "quit without writing".to_string(),
            ];
            match self.ask.pick("What now?", &items, 0)? {
                0 => {
                    if let Some(problem) = self.cannot_write() {
                        self.ask.say(&format!("{problem}\n"))?;
                        continue;
                    }
                    return Ok(Some(self.answers.clone()));
                }
                1 => self.edit()?,
                _ => {
                    if self.ask.confirm("Quit without writing anything?", true)? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Why "write" would fail now (an existing plan without `--force`), if it would.
    fn cannot_write(&self) -> Option<String> {
        if self.force {
            return None;
        }
        let dir = self
            .out_dir
            .join(plan::slug(&self.answers.name_or_default()));
        for file in ["plan.json", "runbook.md"] {
            if let Err(e) = files::ensure_writable(&dir.join(file), Overwrite::Never) {
                return Some(format!(
                    "{}: edit the plan name, or quit and pass --force to overwrite it",
                    crate::error::message(&e)
                ));
            }
        }
        None
    }

    fn summary(&mut self) -> Result<(), Stop> {
        let mut text = String::from("\nSummary\n");
        for (key, value) in self.answer_lines() {
            text.push_str(&format!("  {key:<16}{value}\n"));
        }
        text.push_str("\nVerdict\n");
        match evaluate::evaluate(self.catalog, &self.answers) {
            Ok(eval) => {
                text.push_str(&choices::verdict_text(
                    &eval.assessment,
                    Some(&eval.estimate.cdc_reason),
                ));
            }
            Err(e) => text.push_str(&format!("  (no verdict: {})\n", reason(&e))),
        }
        let dir = self
            .out_dir
            .join(plan::slug(&self.answers.name_or_default()));
        text.push_str(&format!(
            "  files           {}, runbook.md and the deployment files\n",
            dir.join("plan.json").display()
        ));
        self.ask.say(&text)
    }

    /// Every answer as `(key, shown value)`, defaults marked.
    fn answer_lines(&self) -> Vec<(&'static str, String)> {
        let a = &self.answers;
        let or_default =
            |v: Option<String>, default: &str| v.unwrap_or_else(|| format!("(default: {default})"));
        let default_edition = |spec: Option<&assess::EngineSpec>, role: Role| {
            spec.and_then(|s| {
                choices::editions(self.catalog, &s.engine, role, None)
                    .into_iter()
                    .find(|e| e.default)
            })
            .map_or_else(|| "none".to_string(), |e| e.id)
        };
        let source_edition = default_edition(a.source.as_ref(), Role::Source);
        let target_edition = default_edition(a.target.as_ref(), Role::Target);
        let target_engine = a
            .target
            .as_ref()
            .map(|t| t.engine.clone())
            .unwrap_or_default();
        let target_hosting = choices::default_hosting(self.catalog, &target_engine, Role::Target)
            .map_or_else(|| "-".to_string(), |h| h.to_string());
        vec![
            ("name", a.name_or_default()),
            (
                "source",
                or_default(a.source.as_ref().map(ToString::to_string), "-"),
            ),
            (
                "source_edition",
                or_default(a.source_edition.clone(), &source_edition),
            ),
            (
                "source_hosting",
                or_default(a.source_hosting.map(|h| h.to_string()), "on-prem"),
            ),
            (
                "target",
                or_default(a.target.as_ref().map(ToString::to_string), "-"),
            ),
            (
                "target_edition",
                or_default(a.target_edition.clone(), &target_edition),
            ),
            (
                "target_hosting",
                or_default(a.target_hosting.map(|h| h.to_string()), &target_hosting),
            ),
            ("size_gb", or_default(a.size_gb.map(format_gb), "-")),
            (
                "downtime",
                or_default(a.downtime.map(|d| d.to_string()), "-"),
            ),
            ("region", or_default(a.region.clone(), "-")),
            ("sizing", {
                let given: Vec<String> = SIZING_QUESTIONS
                    .iter()
                    .filter(|(k, _)| a.has(k))
                    .map(|(k, _)| k.to_string())
                    .collect();
                if given.is_empty() {
                    "(defaults: see the runbook)".to_string()
                } else {
                    format!("answered: {}", given.join(", "))
                }
            }),
            (
                "schemas",
                or_default(
                    a.schemas.as_ref().map(|list| {
                        list.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(",")
                    }),
                    "every user schema",
                ),
            ),
            (
                "cdc",
                or_default(
                    a.cdc.map(|c| if c { "yes" } else { "no" }.to_string()),
                    "decided from size and downtime",
                ),
            ),
        ]
    }

    /// Pick an answer and ask it again.
    fn edit(&mut self) -> Result<(), Stop> {
        let lines = self.answer_lines();
        let items: Vec<String> = lines.iter().map(|(k, v)| format!("{k:<16}{v}")).collect();
        let i = self.ask.pick("Which answer?", &items, 0)?;
        match lines.get(i).map(|(k, _)| *k).unwrap_or("name") {
            "source" => {
                self.answers.source = None;
                self.answers.source_edition = None;
                self.answers.source_hosting = None;
                self.source()?;
                self.verdict()?;
            }
            "source_edition" => self.edition(Role::Source, true)?,
            "source_hosting" => self.hosting_answer(Role::Source, true)?,
            "target" => {
                self.clear_target();
                self.target()?;
                self.verdict()?;
            }
            "target_edition" => self.edition(Role::Target, true)?,
            "target_hosting" => self.hosting_answer(Role::Target, true)?,
            "size_gb" => self.ask_text("size_gb", "Data to migrate (GB, or with a unit: 2TB)")?,
            "downtime" => self.ask_text(
                "downtime",
                "Downtime accepted at cutover (e.g. 2h, 90m, 1d)",
            )?,
            "region" => self.ask_text("region", "AWS Region of the target")?,
            "sizing" => {
                for (key, prompt) in SIZING_QUESTIONS {
                    self.ask_text(key, prompt)?;
                }
            }
            "schemas" => {
                let f = field("schemas")?;
                let current = self
                    .answers
                    .schemas
                    .as_ref()
                    .map(|list| {
                        list.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default();
                // Empty means every user schema, as when the answer is left out.
                let check = |t: &str| {
                    if t.trim().is_empty() {
                        return Ok(());
                    }
                    Answers::default()
                        .set_text(f, t, f.flag)
                        .map_err(|e| reason(&e))
                };
                let text = self.ask.text(
                    "Schemas to migrate (NAME or NAME=NEW_NAME, comma-separated; empty: every user schema)",
                    &current,
                    &check,
                )?;
                if text.trim().is_empty() {
                    self.answers.schemas = None;
                } else {
                    self.set("schemas", &text)?;
                }
            }
            "cdc" => {
                let items = [
                    "decide from size and downtime".to_string(),
                    "yes: full load and ongoing replication (CDC)".to_string(),
                    "no: full load only".to_string(),
                ];
                let default = match self.answers.cdc {
                    None => 0,
                    Some(true) => 1,
                    Some(false) => 2,
                };
                self.answers.cdc =
                    match self
                        .ask
                        .pick("Ongoing replication (CDC)?", &items, default)?
                    {
                        1 => Some(true),
                        2 => Some(false),
                        _ => None,
                    };
            }
            _ => self.ask_text("name", "Plan name")?,
        }
        Ok(())
    }
}

/// Wrap each line longer than `width` at spaces; continuation lines start under the value
/// column (after the first run of two or more spaces past the label), else under the text.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let indent = body[lead..]
            .find("  ")
            .map(|i| {
                let after = &body[lead + i..];
                lead + i + (after.len() - after.trim_start().len())
            })
            .filter(|i| *i < width / 2)
            .unwrap_or(lead);
        let pad = " ".repeat(indent);
        let mut col = 0;
        for (i, word) in body.split(' ').enumerate() {
            let len = word.chars().count();
            if i > 0 && col + 1 + len > width && col > indent {
                out.push('\n');
                out.push_str(&pad);
                col = indent;
            } else if i > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += len;
        }
        out.push_str(newline);
    }
    out
}

fn hosting_label(h: Hosting) -> &'static str {
    match h {
        Hosting::OnPrem => "on-prem  (your data centre)",
        Hosting::Ec2 => "ec2  (self-managed on Amazon EC2)",
        Hosting::Rds => "rds  (Amazon RDS)",
        Hosting::Aurora => "aurora  (Amazon Aurora)",
        Hosting::Aws => "aws  (an AWS managed service)",
        Hosting::Azure => "azure  (Microsoft Azure)",
        Hosting::Gcp => "gcp  (Google Cloud)",
    }
}

/// GB as typed back: `800`, `1.5`.
fn format_gb(gb: f64) -> String {
    if gb.fract() == 0.0 && gb < 9.0e15 {
        format!("{}", gb as u64)
    } else {
        format!("{gb}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::embedded().expect("the embedded catalog loads")
    }

    fn enter(n: usize) -> Vec<Reply> {
        vec![Reply::Enter; n]
    }

    fn pick(s: &str) -> Reply {
        Reply::Pick(s.to_string())
    }

    fn typed(s: &str) -> Reply {
        Reply::Type(s.to_string())
    }

    fn args(dir: &std::path::Path) -> NewArgs {
        NewArgs {
            out_dir: dir.to_path_buf(),
            ..NewArgs::default()
        }
    }

    fn session(answers: Answers, replies: Vec<Reply>) -> (Outcome, Vec<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ask = Scripted::new(replies);
        let outcome = run(&catalog(), answers, &args(dir.path()), &mut ask)
            .unwrap_or_else(|e| panic!("{e:?}\n{}", ask.transcript.join("\n")));
        assert_eq!(
            ask.remaining(),
            0,
            "unused replies\n{}",
            ask.transcript.join("\n")
        );
        (outcome, ask.transcript)
    }

    fn written(outcome: Outcome) -> Answers {
        match outcome {
            Outcome::Write(a) => *a,
            other => panic!("expected write, got {other:?}"),
        }
    }

    #[test]
    fn long_lines_wrap_under_the_value_column() {
        let text = "  classification  heterogeneous: one two three four five six\nshort\n";
        let wrapped = wrap(text, 40);
        assert_eq!(
            wrapped,
            "  classification  heterogeneous: one two\n                  three four five six\nshort\n"
        );
        assert!(wrapped.lines().all(|l| l.chars().count() <= 40));
        assert_eq!(wrap("no wrap here\n", 40), "no wrap here\n");
    }

    #[test]
    fn enter_everywhere_gives_the_default_pair() {
        // engine, version, edition, hosting, target, target version, size, downtime, region,
        // name, write.
        let (outcome, transcript) = session(Answers::default(), enter(12));
        let a = written(outcome);
        assert_eq!(
            a.source.as_ref().map(ToString::to_string).as_deref(),
            Some("mysql:8.0")
        );
        assert_eq!(a.source_edition.as_deref(), Some("community"));
        assert_eq!(a.source_hosting, Some(Hosting::OnPrem));
        assert_eq!(
            a.target.as_ref().map(ToString::to_string).as_deref(),
            Some("aurora:8.0")
        );
        assert_eq!(a.size_gb, Some(100.0));
        assert_eq!(a.downtime.map(|d| d.to_string()).as_deref(), Some("4h"));
        assert_eq!(a.region.as_deref(), Some("us-east-1"));
        assert_eq!(a.name.as_deref(), Some("mysql-to-aurora"));
        assert!(a.missing().is_empty());
        let all = transcript.join("\n");
        assert!(all.contains("DMS support     supported"), "{all}");
        assert!(all.contains("Summary"), "{all}");
    }

    #[test]
    fn prefilled_answers_are_not_asked_again() {
        let mut given = Answers::default();
        let f = |k| field(k).expect("field");
        given
            .set_text(f("source"), "oracle:19c", "--source")
            .expect("source");
        given
            .set_text(f("size_gb"), "800", "--size-gb")
            .expect("size");
        // edition, hosting, target, target version, downtime, region, name, write.
        let (outcome, transcript) = session(
            given,
            vec![
                Reply::Enter,
                Reply::Enter,
                pick("[aurora-postgresql]"),
                pick("16"),
                typed("2h"),
                Reply::Enter,
                Reply::Enter,
                Reply::Enter,
                Reply::Enter,
            ],
        );
        let a = written(outcome);
        assert_eq!(
            a.source.as_ref().map(ToString::to_string).as_deref(),
            Some("oracle:19")
        );
        assert_eq!(
            a.target.as_ref().map(ToString::to_string).as_deref(),
            Some("aurora-postgresql:16")
        );
        assert_eq!(a.size_gb, Some(800.0));
        let all = transcript.join("\n");
        assert!(!all.contains("? Source engine"), "{all}");
        assert!(!all.contains("Source version"), "{all}");
        assert!(!all.contains("Data to migrate"), "{all}");
        assert!(all.contains("heterogeneous"), "{all}");
        assert!(all.contains("full-load-and-cdc"), "{all}");
    }

    #[test]
    fn invalid_text_is_shown_and_asked_again() {
        let mut replies = enter(6);
        replies.extend([typed("lots"), typed("2TB"), typed("soon"), typed("90m")]);
        replies.extend([typed("Europe"), typed("eu-west-1")]);
        replies.extend(enter(3));
        let (outcome, transcript) = session(Answers::default(), replies);
        let a = written(outcome);
        assert_eq!(a.size_gb, Some(2048.0));
        assert_eq!(a.region.as_deref(), Some("eu-west-1"));
        let errors: Vec<_> = transcript
            .iter()
            .filter(|l| l.starts_with("error:"))
            .collect();
        assert_eq!(errors.len(), 3, "{transcript:?}");
        assert!(errors[0].contains("positive number of GB"), "{errors:?}");
    }

    #[test]
    fn a_typed_version_is_parsed_like_the_flag() {
        let mut replies = vec![
            Reply::Enter,
            pick(TYPE_VERSION),
            typed("8.0.x"),
            typed("8.0.35"),
        ];
        replies.extend(enter(10));
        let (outcome, transcript) = session(Answers::default(), replies);
        let a = written(outcome);
        assert_eq!(
            a.source.as_ref().map(ToString::to_string).as_deref(),
            Some("mysql:8.0.35")
        );
        assert!(
            transcript
                .iter()
                .any(|l| l.starts_with("error: `8.0.x` is not a version")),
            "{transcript:?}"
        );
    }

    #[test]
    fn a_blocker_offers_to_change_the_target() {
        let replies = vec![
            pick("[oracle]"),
            pick("19"),
            Reply::Enter,
            Reply::Enter,
            pick("[babelfish]"),
            Reply::Enter,
            // Blocker: change the target (the default, as the blocker is the pair's).
            Reply::Enter,
            pick("[oracle]"),
            Reply::Enter,
            Reply::Enter,
            Reply::Enter,
            Reply::Enter,
            Reply::Enter,
            Reply::Enter,
            Reply::Enter, // sizing details: the defaults
        ];
        let (outcome, transcript) = session(Answers::default(), replies);
        let a = written(outcome);
        assert_eq!(a.target.as_ref().map(|t| t.engine.as_str()), Some("oracle"));
        let all = transcript.join("\n");
        assert!(all.contains("NOT supported: 1 blocker"), "{all}");
        assert!(all.contains("✗ NOT supported"), "{all}");
        assert!(
            all.contains("DMS does not support this pair. What now?"),
            "{all}"
        );
    }

    #[test]
    fn an_unsupported_source_edition_offers_to_change_the_source() {
        let replies = vec![
            pick("[sqlserver]"),
            pick("2019"),
            pick("[express]"),
            Reply::Enter,
            pick("Microsoft SQL Server [sqlserver]"),
            Reply::Enter,
            Reply::Enter, // change the source (default: the blocker is the source's)
            pick("[sqlserver]"),
            pick("2019"),
            pick("[standard]"),
            Reply::Enter,
            // The target stays; its version is asked only once.
            Reply::Enter,
            Reply::Enter,
            Reply::Enter,
            Reply::Enter,
            Reply::Enter,
            Reply::Enter, // sizing details: the defaults
        ];
        let (outcome, _) = session(Answers::default(), replies);
        let a = written(outcome);
        assert_eq!(a.source_edition.as_deref(), Some("standard"));
        assert_eq!(
            a.target.as_ref().map(|t| t.engine.as_str()),
            Some("sqlserver")
        );
    }

    #[test]
    fn go_on_anyway_keeps_the_unsupported_pair() {
        let mut replies = vec![
            pick("[oracle]"),
            pick("19"),
            Reply::Enter,
            Reply::Enter,
            pick("[babelfish]"),
            Reply::Enter,
            pick("go on anyway"),
            Reply::Enter, // sizing details: the defaults
        ];
        replies.extend(enter(5));
        let a = written(session(Answers::default(), replies).0);
        assert_eq!(
            a.target.as_ref().map(|t| t.engine.as_str()),
            Some("babelfish")
        );
    }

    #[test]
    fn quit_and_interrupt_write_nothing() {
        let mut replies = enter(11);
        replies.extend([pick("quit"), Reply::Enter]);
        assert_eq!(session(Answers::default(), replies).0, Outcome::Quit);
        let replies = vec![Reply::Enter, Reply::Enter, Reply::Interrupt];
        assert_eq!(session(Answers::default(), replies).0, Outcome::Interrupted);
    }

    #[test]
    fn edit_an_answer_from_the_summary() {
        let mut replies = enter(11);
        replies.extend([pick("edit"), pick("region"), typed("eu-central-1")]);
        replies.extend([pick("edit"), pick("cdc"), pick("yes")]);
        replies.push(pick("write"));
        let a = written(session(Answers::default(), replies).0);
        assert_eq!(a.region.as_deref(), Some("eu-central-1"));
        assert_eq!(a.cdc, Some(true));
    }

    #[test]
    fn schemas_are_edited_and_emptied_from_the_summary() {
        let mut replies = enter(11);
        replies.extend([
            pick("edit"),
            pick("schemas"),
            typed("a'b"),
            typed("HR,SALES=sales_app"),
        ]);
        replies.push(pick("write"));
        let a = written(session(Answers::default(), replies).0);
        let schemas: Vec<String> = a.schemas.unwrap().iter().map(ToString::to_string).collect();
        assert_eq!(schemas, ["HR", "SALES=sales_app"]);

        let mut replies = enter(11);
        replies.extend([
            pick("edit"),
            pick("schemas"),
            typed("HR"),
            pick("edit"),
            pick("schemas"),
            typed(""),
        ]);
        replies.push(pick("write"));
        assert_eq!(
            written(session(Answers::default(), replies).0).schemas,
            None
        );
    }

    #[test]
    fn an_existing_plan_is_not_overwritten_without_force() {
        let dir = tempfile::tempdir().expect("temp dir");
        let plan_dir = dir.path().join("mysql-to-aurora");
        std::fs::create_dir_all(&plan_dir).expect("mkdir");
        std::fs::write(plan_dir.join("plan.json"), "{}").expect("write");
        let mut replies = enter(12);
        replies.extend([pick("edit"), pick("name"), typed("second"), pick("write")]);
        let mut ask = Scripted::new(replies);
        let outcome =
            run(&catalog(), Answers::default(), &args(dir.path()), &mut ask).expect("run");
        assert_eq!(written(outcome).name.as_deref(), Some("second"));
        assert!(
            ask.transcript.iter().any(|l| l.contains("already exists")),
            "{:?}",
            ask.transcript
        );
    }
}
