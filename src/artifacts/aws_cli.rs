//! The deployment as an ordered AWS CLI sequence, one shell block per runbook step.
//!
//! Every value a user typed reaches a line only through `shell::quote` (or `push_quoted`, the
//! same quoting in place); resource ARNs are captured into shell variables from `--query ...
//! --output text`, defined once and used after. Each step is written into one `String` as its
//! commands are built, and words every step repeats (region, tags) are quoted once per build;
//! the steps that depend on the region alone are written once per region and thread.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;

use super::ids::Identifiers;
use super::json;
use super::shell::{push_quoted, quote};
use crate::catalog::{Credentials, EndpointSpec, Role, When};

/// A value the user supplies before running the commands, as a shell variable. Texts are
/// borrowed where they are fixed, owned where they name an endpoint or come from the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Input {
    /// The variable (`SUBNET_IDS`).
    pub name: Cow<'static, str>,
    /// What to put in it.
    pub about: Cow<'static, str>,
}

/// One end's endpoint, as the CLI and CloudFormation builders need it.
#[derive(Debug, Clone)]
pub struct EndpointPlan<'c> {
    /// Source or target.
    pub role: Role,
    /// DMS engine name.
    pub engine: &'c str,
    /// Endpoint identifier.
    pub id: &'c str,
    /// SSL mode.
    pub ssl_mode: &'c str,
    /// Secrets Manager secret name.
    pub secret: String,
    /// How the catalog says to create it.
    pub spec: &'c EndpointSpec,
    /// Whether the plan uses CDC (some settings are for CDC only).
    pub cdc: bool,
}

impl EndpointPlan<'_> {
    /// `SOURCE` or `TARGET`, for variable names.
    pub fn prefix(&self) -> &'static str {
        match self.role {
            Role::Source => "SOURCE",
            Role::Target => "TARGET",
        }
    }

    /// `Source` or `Target`, for template parameter names.
    pub fn title(&self) -> &'static str {
        match self.role {
            Role::Source => "Source",
            Role::Target => "Target",
        }
    }

    /// `source` or `target`.
    pub fn role_word(&self) -> &'static str {
        match self.role {
            Role::Source => "source",
            Role::Target => "target",
        }
    }

    /// The template parameter that holds its CA certificate's ARN.
    pub fn certificate_parameter(&self) -> &'static str {
        match self.role {
            Role::Source => "SourceCertificateArn",
            Role::Target => "TargetCertificateArn",
        }
    }

    /// The name of one of its shell variables: `SOURCE_HOST` for `Host` on the source. Spelt
    /// out, so that a search for a name finds where it comes from.
    pub fn var(&self, var: EndpointVar) -> &'static str {
        use EndpointVar::*;
        match (self.role, var) {
            (Role::Source, Host) => "SOURCE_HOST",
            (Role::Source, Port) => "SOURCE_PORT",
            (Role::Source, Database) => "SOURCE_DATABASE",
            (Role::Source, Username) => "SOURCE_USERNAME",
            (Role::Source, Password) => "SOURCE_PASSWORD",
            (Role::Source, CertificateArn) => "SOURCE_CERTIFICATE_ARN",
            (Role::Source, EndpointArn) => "SOURCE_ENDPOINT_ARN",
            (Role::Source, SecretArn) => "SOURCE_SECRET_ARN",
            (Role::Target, Host) => "TARGET_HOST",
            (Role::Target, Port) => "TARGET_PORT",
            (Role::Target, Database) => "TARGET_DATABASE",
            (Role::Target, Username) => "TARGET_USERNAME",
            (Role::Target, Password) => "TARGET_PASSWORD",
            (Role::Target, CertificateArn) => "TARGET_CERTIFICATE_ARN",
            (Role::Target, EndpointArn) => "TARGET_ENDPOINT_ARN",
            (Role::Target, SecretArn) => "TARGET_SECRET_ARN",
        }
    }

    /// Whether its SSL mode needs a CA certificate imported into DMS.
    pub fn needs_certificate(&self) -> bool {
        self.ssl_mode.starts_with("verify-")
    }

    /// Whether it is an Oracle endpoint (its certificate is a wallet, not PEM).
    pub fn is_oracle(&self) -> bool {
        self.engine == "oracle"
    }

    /// The settings that apply, in catalog order.
    pub fn settings(&self) -> impl Iterator<Item = &crate::catalog::EndpointSetting> {
        self.spec
            .settings
            .iter()
            .filter(|s| s.when == When::Always || self.cdc)
    }
}

/// The shell variables of an endpoint, named by `EndpointPlan::var`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointVar {
    /// Host name or address (an input).
    Host,
    /// Port (an input).
    Port,
    /// Database name (an input).
    Database,
    /// User name, read from the endpoint's secret.
    Username,
    /// Password, read from the endpoint's secret.
    Password,
    /// ARN of its imported CA certificate.
    CertificateArn,
    /// ARN of the endpoint.
    EndpointArn,
    /// ARN of its secret.
    SecretArn,
}

/// What the CLI sequence is built from, borrowed from the plan, its evaluation and the catalog.
#[derive(Debug, Clone)]
pub struct Deployment<'c> {
    /// AWS Region.
    pub region: &'c str,
    /// The plan's slug (tags).
    pub slug: &'c str,
    /// The plan's title as typed (descriptions only, always quoted).
    pub title: &'c str,
    /// Identifiers.
    pub ids: &'c Identifiers,
    /// Instance class.
    pub instance_class: &'c str,
    /// Allocated storage, GB.
    pub storage_gb: u32,
    /// Multi-AZ.
    pub multi_az: bool,
    /// A DMS engine version to pin, when the catalog names a minimum.
    pub engine_version: Option<&'c str>,
    /// `full-load`, `full-load-and-cdc` or `cdc`.
    pub migration_type: &'c str,
    /// The source endpoint.
    pub source: EndpointPlan<'c>,
    /// The target endpoint.
    pub target: EndpointPlan<'c>,
}

/// The shell blocks, in the order the runbook runs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CliSteps {
    /// Checks that every input variable is set.
    pub variables: String,
    /// The inputs, for the runbook's table.
    pub inputs: Vec<Input>,
    /// Replication subnet group.
    pub subnet_group: String,
    /// Replication instance, and the wait for it.
    pub instance: String,
    /// CA certificates, when an SSL mode verifies the server.
    pub certificates: Option<String>,
    /// Creating the endpoint secrets, each with a generated password.
    pub secrets: Option<String>,
    /// Reading the source DMS user's password into `DMS_PASSWORD`, for the source statements.
    pub source_password: Option<String>,
    /// The same for the target.
    pub target_password: Option<String>,
    /// Reading credentials that DMS cannot read from Secrets Manager itself.
    pub credentials: Option<String>,
    /// Source and target endpoints.
    pub endpoints: String,
    /// Connection tests.
    pub test_connections: String,
    /// The task, from the two JSON files.
    pub task: String,
    /// The premigration assessment run and its results.
    pub assessment: String,
    /// Starting the task.
    pub start: String,
    /// Watching table statistics and validation.
    pub watch: String,
    /// Stopping the task at cutover.
    pub stop: String,
    /// Deleting what was created.
    pub cleanup: String,
    /// The CloudFormation alternative to the create steps: deploy, then read the ARNs.
    pub cloudformation: String,
}

impl CliSteps {
    /// The same steps with every block passed through `f` (the runbook fences them).
    pub fn map_blocks(&self, f: impl Fn(&str) -> String) -> CliSteps {
        let opt = |b: &Option<String>| b.as_deref().map(&f);
        CliSteps {
            variables: f(&self.variables),
            inputs: self.inputs.clone(),
            subnet_group: f(&self.subnet_group),
            instance: f(&self.instance),
            certificates: opt(&self.certificates),
            secrets: opt(&self.secrets),
            source_password: opt(&self.source_password),
            target_password: opt(&self.target_password),
            credentials: opt(&self.credentials),
            endpoints: f(&self.endpoints),
            test_connections: f(&self.test_connections),
            task: f(&self.task),
            assessment: f(&self.assessment),
            start: f(&self.start),
            watch: f(&self.watch),
            stop: f(&self.stop),
            cleanup: f(&self.cleanup),
            cloudformation: f(&self.cloudformation),
        }
    }
}

/// Between the options of a command: each goes on its own line.
const NEXT: &str = " \\\n  ";

/// Append each piece in turn (a `format!` without the formatting machinery).
fn push_all(out: &mut String, pieces: &[&str]) {
    for piece in pieces {
        out.push_str(piece);
    }
}

/// The text of one step: commands and comment lines, one after another.
struct Step(String);

impl Step {
    /// An empty step with room for `capacity` bytes.
    fn new(capacity: usize) -> Step {
        Step(String::with_capacity(capacity))
    }

    /// The text, after a line break when the step already holds a line.
    fn line(&mut self) -> &mut String {
        if !self.0.is_empty() {
            self.0.push('\n');
        }
        &mut self.0
    }

    /// Start a command on a new line.
    fn cmd(&mut self, head: &str) -> Cmd<'_> {
        let out = self.line();
        let start = out.len();
        out.push_str(head);
        Cmd { out, start }
    }

    /// The text, or `None` when the step is empty.
    fn non_empty(self) -> Option<String> {
        (!self.0.is_empty()).then_some(self.0)
    }
}

/// An `aws` command laid out one option per line, written into its step as it is built.
struct Cmd<'s> {
    out: &'s mut String,
    /// Where the command starts in `out`, for `capture`.
    start: usize,
}

impl Cmd<'_> {
    /// `flag value`, the value written as is: a constant, or text already quoted.
    fn arg(self, flag: &str, value: &str) -> Self {
        push_all(self.out, &[NEXT, flag, " ", value]);
        self
    }

    /// `flag` and `text` quoted for the shell.
    fn quoted(self, flag: &str, text: &str) -> Self {
        push_all(self.out, &[NEXT, flag, " "]);
        push_quoted(self.out, text);
        self
    }

    /// `flag n`.
    fn number(self, flag: &str, n: u32) -> Self {
        push_all(self.out, &[NEXT, flag, " "]);
        json::push_number(self.out, u64::from(n));
        self
    }

    /// `flag "$NAME"`.
    fn var(self, flag: &str, name: &str) -> Self {
        push_all(self.out, &[NEXT, flag, " \"$", name, "\""]);
        self
    }

    /// A flag without a value.
    fn flag(self, flag: &str) -> Self {
        push_all(self.out, &[NEXT, flag]);
        self
    }

    /// The region last; `region` is already quoted.
    fn run(self, region: &str) {
        push_all(self.out, &[NEXT, "--region ", region]);
    }

    /// `VAR=$(aws ... --query Q --output text) && echo "VAR=$VAR"`.
    fn capture(self, var: &str, query: &str, region: &str) {
        let Cmd { out, start } = self.quoted("--query", query).arg("--output", "text");
        push_all(
            out,
            &[
                NEXT,
                "--region ",
                region,
                ") && echo \"",
                var,
                "=$",
                var,
                "\"",
            ],
        );
        // The assignment goes in front, now that the command is written.
        out.insert_str(start, "=$(");
        out.insert_str(start, var);
    }

    /// `flag` and an endpoint's settings as JSON for the shell.
    fn settings(self, flag: &str, fields: &[(&str, SettingValue<'_>)]) -> Self {
        push_all(self.out, &[NEXT, flag, " "]);
        push_settings_json(self.out, fields);
        self
    }
}

/// Append a JSON object inside double quotes for the shell, with `$VAR` references expanded
/// by the shell and every fixed value escaped for both JSON and the double quotes.
fn push_settings_json(out: &mut String, fields: &[(&str, SettingValue<'_>)]) {
    let mut literal = String::with_capacity(128);
    out.push_str("\"{");
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_all(out, &["\\\"", name, "\\\": "]);
        literal.clear();
        match value {
            SettingValue::Fixed(v) => json::push(&mut literal, v),
            SettingValue::Text(text) => json::push_str(&mut literal, text),
            SettingValue::Var(var) => {
                push_all(out, &["\\\"$", var, "\\\""]);
                continue;
            }
        }
        push_dq_escaped(out, &literal);
    }
    out.push_str("}\"");
}

/// Append a message for `${VAR:?message}`: bash reads quotes, braces and expansions there
/// even inside double quotes, so keep only characters that mean nothing to it.
fn push_plain_message(out: &mut String, text: &str) {
    // Every character kept is ASCII, so a run of kept bytes is whole characters.
    const KEEP: [bool; 256] = super::alphanumeric_and(b" ,.:;()-/_");
    let mut run_from = 0;
    for (i, b) in text.bytes().enumerate() {
        if !KEEP[usize::from(b)] {
            if run_from < i {
                out.push_str(&text[run_from..i]);
            }
            run_from = i + 1;
        }
    }
    out.push_str(&text[run_from..]);
}

/// Append text escaped for the inside of a double-quoted shell word.
fn push_dq_escaped(out: &mut String, text: &str) {
    // The escaped characters are ASCII, so the runs between them are whole characters.
    let mut run_from = 0;
    for (i, b) in text.bytes().enumerate() {
        if matches!(b, b'"' | b'\\' | b'$' | b'`') {
            out.push_str(&text[run_from..i]);
            out.push('\\');
            run_from = i;
        }
    }
    out.push_str(&text[run_from..]);
}

/// A setting's value: fixed, or the shell variable that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingValue<'a> {
    /// A literal from the catalog.
    Fixed(&'a serde_json::Value),
    /// A literal string dmsplan derives (the secret's name).
    Text(&'a str),
    /// A shell variable name.
    Var(&'a str),
}

/// The settings object of an endpoint: credentials first, then the catalog's settings.
pub fn endpoint_settings<'a>(ep: &'a EndpointPlan<'_>) -> Vec<(&'a str, SettingValue<'a>)> {
    let mut fields = Vec::with_capacity(ep.spec.settings.len() + 2);
    if ep.spec.credentials == Credentials::SecretsManager {
        fields.push(("SecretsManagerSecretId", SettingValue::Text(&ep.secret)));
        fields.push((
            "SecretsManagerAccessRoleArn",
            SettingValue::Var("SECRETS_ROLE_ARN"),
        ));
    }
    for s in ep.settings() {
        let value = match (&s.value, &s.input) {
            (Some(v), _) => SettingValue::Fixed(v),
            (None, Some(input)) => SettingValue::Var(input),
            (None, None) => continue,
        };
        fields.push((s.name.as_str(), value));
    }
    fields
}

/// The inputs a deployment needs, in the order the commands use them.
pub fn inputs(d: &Deployment<'_>) -> Vec<Input> {
    let mut out = Vec::with_capacity(16);
    let mut push = |name: Cow<'static, str>, about: Cow<'static, str>| {
        if !out.iter().any(|i: &Input| i.name == name) {
            out.push(Input { name, about });
        }
    };
    push(
        "SUBNET_IDS".into(),
        "two or more private subnet ids in different Availability Zones, space-separated".into(),
    );
    push(
        "SECURITY_GROUP_ID".into(),
        "the security group of the replication instance".into(),
    );
    for ep in [&d.source, &d.target] {
        let who = ep.role_word();
        match ep.spec.credentials {
            Credentials::SecretsManager | Credentials::Password => {
                if ep.spec.credentials == Credentials::SecretsManager {
                    push(
                        "SECRETS_ROLE_ARN".into(),
                        "ARN of the IAM role DMS assumes to read the endpoint secrets".into(),
                    );
                }
                push(
                    ep.var(EndpointVar::Host).into(),
                    [
                        "host name or IP address of the ",
                        who,
                        " database, as the replication instance reaches it",
                    ]
                    .concat()
                    .into(),
                );
                push(
                    ep.var(EndpointVar::Port).into(),
                    ["port of the ", who, " database"].concat().into(),
                );
            }
            _ => {}
        }
        if ep.spec.database_name {
            let hint = if ep.is_oracle() {
                " (its service name)"
            } else {
                ""
            };
            push(
                ep.var(EndpointVar::Database).into(),
                ["name of the ", who, " database", hint].concat().into(),
            );
        }
        for s in ep.settings() {
            if let Some(input) = &s.input {
                push(
                    input.clone().into(),
                    [&s.name, " of the ", who, " endpoint: ", &s.why]
                        .concat()
                        .into(),
                );
            }
        }
    }
    push(
        "ASSESSMENT_BUCKET".into(),
        "S3 bucket for premigration assessment results".into(),
    );
    push(
        "ASSESSMENT_ROLE_ARN".into(),
        "ARN of the IAM role DMS assumes to write assessment results to that bucket".into(),
    );
    out
}

/// Words most commands use, quoted once per build.
struct Words {
    /// The region, quoted.
    region: String,
    /// `Key=dmsplan-plan,Value=<slug, quoted>`.
    tags: String,
}

impl Words {
    fn new(d: &Deployment<'_>) -> Words {
        let mut tags = String::with_capacity(64 + d.slug.len());
        tags.push_str("Key=dmsplan-plan,Value=");
        push_quoted(&mut tags, d.slug);
        Words {
            region: quote(d.region),
            tags,
        }
    }
}

fn variables(inputs: &[Input]) -> String {
    let mut out = String::with_capacity(256 + 128 * inputs.len());
    out.push_str(
        "# Set each variable first (export NAME=value); each line names any that is missing.\n",
    );
    for i in inputs {
        push_all(&mut out, &[": \"${", &i.name, ":?"]);
        push_plain_message(&mut out, &i.about);
        out.push_str("}\"\n");
    }
    out.push_str("test -f table-mappings.json || echo \"run these commands from the directory that holds this runbook\"");
    out
}

fn subnet_group(d: &Deployment<'_>, w: &Words) -> String {
    let mut step = Step::new(512);
    step.cmd("aws dms create-replication-subnet-group")
        .quoted("--replication-subnet-group-identifier", &d.ids.subnet_group)
        .quoted(
            "--replication-subnet-group-description",
            &["dmsplan: ", d.title].concat(),
        )
        .arg("--subnet-ids", "$SUBNET_IDS")
        .arg("--tags", &w.tags)
        .run(&w.region);
    step.0
}

fn instance(d: &Deployment<'_>, w: &Words) -> String {
    let mut step = Step::new(1024);
    let mut cmd = step
        .cmd("aws dms create-replication-instance")
        .quoted("--replication-instance-identifier", &d.ids.instance)
        .quoted("--replication-instance-class", d.instance_class)
        .number("--allocated-storage", d.storage_gb)
        .flag(if d.multi_az {
            "--multi-az"
        } else {
            "--no-multi-az"
        });
    if let Some(v) = d.engine_version {
        cmd = cmd.quoted("--engine-version", v);
    }
    cmd.quoted("--replication-subnet-group-identifier", &d.ids.subnet_group)
        .var("--vpc-security-group-ids", "SECURITY_GROUP_ID")
        .flag("--no-publicly-accessible")
        .arg("--tags", &w.tags)
        .capture(
            "INSTANCE_ARN",
            "ReplicationInstance.ReplicationInstanceArn",
            &w.region,
        );
    step.cmd("aws dms wait replication-instance-available")
        .arg(
            "--filters",
            "Name=replication-instance-arn,Values=\"$INSTANCE_ARN\"",
        )
        .run(&w.region);
    step.0
}

fn certificates(d: &Deployment<'_>, w: &Words) -> Option<String> {
    let mut step = Step::new(1024);
    for ep in [&d.source, &d.target] {
        if !ep.needs_certificate() {
            continue;
        }
        let cert_id = match ep.role {
            Role::Source => &d.ids.source_certificate,
            Role::Target => &d.ids.target_certificate,
        };
        let file = ep.role_word();
        let cmd = step
            .cmd("aws dms import-certificate")
            .quoted("--certificate-identifier", cert_id);
        let cmd = if ep.is_oracle() {
            cmd.arg(
                "--certificate-wallet",
                &["fileb://", file, "-wallet.sso"].concat(),
            )
        } else {
            cmd.arg("--certificate-pem", &["file://", file, "-ca.pem"].concat())
        };
        cmd.capture(
            ep.var(EndpointVar::CertificateArn),
            "Certificate.CertificateArn",
            &w.region,
        );
    }
    step.non_empty()
}

/// `| python3 ...` reading one key of the secret's JSON.
fn read_key(out: &mut String, key: &str) {
    push_all(
        out,
        &[
            " --query SecretString --output text | python3 -c 'import json, sys; print(json.load(sys.stdin)[\"",
            key,
            "\"])')",
        ],
    );
}

fn credentials(d: &Deployment<'_>, w: &Words) -> Option<String> {
    let mut step = Step::new(1024);
    for ep in [&d.source, &d.target] {
        if ep.spec.credentials != Credentials::Password {
            continue;
        }
        for (key, var) in [
            ("username", EndpointVar::Username),
            ("password", EndpointVar::Password),
        ] {
            let out = step.line();
            push_all(
                out,
                &[
                    ep.var(var),
                    "=$(aws secretsmanager get-secret-value --secret-id ",
                ],
            );
            push_quoted(out, &ep.secret);
            push_all(out, &[" --region ", &w.region]);
            read_key(out, key);
        }
    }
    step.non_empty()
}

/// Whether the endpoint's credentials live in a Secrets Manager secret dmsplan creates.
fn has_secret(ep: &EndpointPlan<'_>) -> bool {
    matches!(
        ep.spec.credentials,
        Credentials::SecretsManager | Credentials::Password
    )
}

fn secrets(d: &Deployment<'_>, w: &Words) -> Option<String> {
    let mut step = Step::new(2048);
    for ep in [&d.source, &d.target] {
        if !has_secret(ep) {
            continue;
        }
        let body = [
            "\"{\\\"username\\\": \\\"dms_user\\\", \\\"password\\\": \\\"",
            "$(aws secretsmanager get-random-password --exclude-punctuation --password-length 32 --query RandomPassword --output text --region ",
            &w.region,
            ")\\\", \\\"host\\\": \\\"$",
            ep.var(EndpointVar::Host),
            "\\\", \\\"port\\\": $",
            ep.var(EndpointVar::Port),
            "}\"",
        ]
        .concat();
        let about = [
            "DMS user on the ",
            ep.role_word(),
            " of dmsplan plan ",
            d.slug,
        ]
        .concat();
        step.cmd("aws secretsmanager create-secret")
            .quoted("--name", &ep.secret)
            .quoted("--description", &about)
            .arg("--secret-string", &body)
            .capture(ep.var(EndpointVar::SecretArn), "ARN", &w.region);
    }
    step.non_empty()
}

fn password(ep: &EndpointPlan<'_>, w: &Words) -> Option<String> {
    if !has_secret(ep) {
        return None;
    }
    let mut out = String::with_capacity(256);
    out.push_str("export DMS_PASSWORD=\"$(aws secretsmanager get-secret-value --secret-id ");
    push_quoted(&mut out, &ep.secret);
    push_all(&mut out, &[" --region ", &w.region]);
    read_key(&mut out, "password");
    out.push('"');
    Some(out)
}

fn endpoint_cmd(step: &mut Step, ep: &EndpointPlan<'_>, w: &Words) {
    let mut cmd = step
        .cmd("aws dms create-endpoint")
        .quoted("--endpoint-identifier", ep.id)
        .arg("--endpoint-type", ep.role_word())
        .quoted("--engine-name", ep.engine);
    if !ep.ssl_mode.is_empty() {
        cmd = cmd.quoted("--ssl-mode", ep.ssl_mode);
    }
    if ep.needs_certificate() {
        cmd = cmd.var("--certificate-arn", ep.var(EndpointVar::CertificateArn));
    }
    if ep.spec.credentials == Credentials::Password {
        cmd = cmd
            .var("--server-name", ep.var(EndpointVar::Host))
            .var("--port", ep.var(EndpointVar::Port))
            .var("--username", ep.var(EndpointVar::Username))
            .var("--password", ep.var(EndpointVar::Password));
    }
    if ep.spec.database_name {
        cmd = cmd.var("--database-name", ep.var(EndpointVar::Database));
    }
    let settings = endpoint_settings(ep);
    if !settings.is_empty() {
        cmd = cmd.settings(&ep.spec.settings_option, &settings);
    }
    cmd.arg("--tags", &w.tags).capture(
        ep.var(EndpointVar::EndpointArn),
        "Endpoint.EndpointArn",
        &w.region,
    );
}

fn endpoints(d: &Deployment<'_>, w: &Words) -> String {
    let mut step = Step::new(2048);
    endpoint_cmd(&mut step, &d.source, w);
    endpoint_cmd(&mut step, &d.target, w);
    step.0
}

fn test_connections(w: &Words) -> String {
    let mut step = Step::new(1024);
    for endpoint_arn in ["SOURCE_ENDPOINT_ARN", "TARGET_ENDPOINT_ARN"] {
        step.cmd("aws dms test-connection")
            .var("--replication-instance-arn", "INSTANCE_ARN")
            .var("--endpoint-arn", endpoint_arn)
            .run(&w.region);
    }
    for filters in [
        "Name=endpoint-arn,Values=\"$SOURCE_ENDPOINT_ARN\" Name=replication-instance-arn,Values=\"$INSTANCE_ARN\"",
        "Name=endpoint-arn,Values=\"$TARGET_ENDPOINT_ARN\" Name=replication-instance-arn,Values=\"$INSTANCE_ARN\"",
    ] {
        step.cmd("aws dms wait test-connection-succeeds")
            .arg("--filters", filters)
            .run(&w.region);
    }
    step.0
}

/// `--filters` naming the task.
const TASK_FILTER: &str = "Name=replication-task-arn,Values=\"$TASK_ARN\"";

/// `--filters` naming the assessment run.
const ASSESSMENT_RUN_FILTER: &str =
    "Name=replication-task-assessment-run-arn,Values=\"$ASSESSMENT_RUN_ARN\"";

fn task(d: &Deployment<'_>, w: &Words) -> String {
    let mut step = Step::new(1024);
    step.cmd("aws dms create-replication-task")
        .quoted("--replication-task-identifier", &d.ids.task)
        .var("--source-endpoint-arn", "SOURCE_ENDPOINT_ARN")
        .var("--target-endpoint-arn", "TARGET_ENDPOINT_ARN")
        .var("--replication-instance-arn", "INSTANCE_ARN")
        .quoted("--migration-type", d.migration_type)
        .arg("--table-mappings", "file://table-mappings.json")
        .arg("--replication-task-settings", "file://task-settings.json")
        .arg("--tags", &w.tags)
        .capture("TASK_ARN", "ReplicationTask.ReplicationTaskArn", &w.region);
    step.cmd("aws dms wait replication-task-ready")
        .arg("--filters", TASK_FILTER)
        .run(&w.region);
    step.0
}

fn assessment(d: &Deployment<'_>, w: &Words) -> String {
    let mut step = Step::new(2048);
    step.cmd("aws dms start-replication-task-assessment-run")
        .var("--replication-task-arn", "TASK_ARN")
        .var("--service-access-role-arn", "ASSESSMENT_ROLE_ARN")
        .var("--result-location-bucket", "ASSESSMENT_BUCKET")
        .quoted("--result-location-folder", &["dmsplan/", d.slug].concat())
        .quoted("--assessment-run-name", &d.ids.assessment_run)
        .capture(
            "ASSESSMENT_RUN_ARN",
            "ReplicationTaskAssessmentRun.ReplicationTaskAssessmentRunArn",
            &w.region,
        );
    step.line()
        .push_str("# Repeat until Status is passed, failed or warning (a few minutes):");
    step.cmd("aws dms describe-replication-task-assessment-runs")
        .arg("--filters", ASSESSMENT_RUN_FILTER)
        .quoted("--query", "ReplicationTaskAssessmentRuns[0].[Status,AssessmentProgress.IndividualAssessmentCompletedCount,AssessmentProgress.IndividualAssessmentCount]")
        .arg("--output", "text")
        .run(&w.region);
    step.cmd("aws dms describe-replication-task-individual-assessments")
        .arg("--filters", ASSESSMENT_RUN_FILTER)
        .quoted("--query", "ReplicationTaskIndividualAssessments[?Status!='passed'].[IndividualAssessmentName,Status]")
        .arg("--output", "table")
        .run(&w.region);
    step.0
}

fn start(w: &Words) -> String {
    let mut step = Step::new(512);
    step.cmd("aws dms start-replication-task")
        .var("--replication-task-arn", "TASK_ARN")
        .arg("--start-replication-task-type", "start-replication")
        .run(&w.region);
    step.cmd("aws dms wait replication-task-running")
        .arg("--filters", TASK_FILTER)
        .run(&w.region);
    step.0
}

fn watch(w: &Words) -> String {
    let mut step = Step::new(1024);
    step.cmd("aws dms describe-replication-tasks")
        .arg("--filters", TASK_FILTER)
        .quoted("--query", "ReplicationTasks[0].[Status,ReplicationTaskStats.FullLoadProgressPercent,ReplicationTaskStats.TablesLoaded,ReplicationTaskStats.TablesErrored]")
        .arg("--output", "text")
        .run(&w.region);
    step.cmd("aws dms describe-table-statistics")
        .var("--replication-task-arn", "TASK_ARN")
        .quoted("--query", "TableStatistics[].[SchemaName,TableName,TableState,FullLoadRows,Inserts,Updates,Deletes,ValidationState,ValidationFailedRecords]")
        .arg("--output", "table")
        .run(&w.region);
    step.0
}

fn stop(w: &Words) -> String {
    let mut step = Step::new(512);
    step.cmd("aws dms stop-replication-task")
        .var("--replication-task-arn", "TASK_ARN")
        .run(&w.region);
    step.cmd("aws dms wait replication-task-stopped")
        .arg("--filters", TASK_FILTER)
        .run(&w.region);
    step.0
}

fn cleanup(d: &Deployment<'_>, w: &Words) -> String {
    let mut step = Step::new(2048);
    let r = &w.region;
    step.cmd("aws dms delete-replication-task")
        .var("--replication-task-arn", "TASK_ARN")
        .run(r);
    step.cmd("aws dms wait replication-task-deleted")
        .arg("--filters", TASK_FILTER)
        .run(r);
    for endpoint_arn in ["SOURCE_ENDPOINT_ARN", "TARGET_ENDPOINT_ARN"] {
        step.cmd("aws dms delete-endpoint")
            .var("--endpoint-arn", endpoint_arn)
            .run(r);
    }
    step.cmd("aws dms delete-replication-instance")
        .var("--replication-instance-arn", "INSTANCE_ARN")
        .run(r);
    step.cmd("aws dms wait replication-instance-deleted")
        .arg(
            "--filters",
            "Name=replication-instance-arn,Values=\"$INSTANCE_ARN\"",
        )
        .run(r);
    step.cmd("aws dms delete-replication-subnet-group")
        .quoted("--replication-subnet-group-identifier", &d.ids.subnet_group)
        .run(r);
    for ep in [&d.source, &d.target] {
        if ep.needs_certificate() {
            step.cmd("aws dms delete-certificate")
                .var("--certificate-arn", ep.var(EndpointVar::CertificateArn))
                .run(r);
        }
    }
    step.0
}

fn cloudformation(d: &Deployment<'_>, overrides: &str, w: &Words) -> String {
    let stack = quote(&["dmsplan-", d.slug].concat());
    let mut step = Step::new(2048);
    step.line().push_str(
        "# Alternative to the create steps: one stack with the same resources (cloudformation.yaml).",
    );
    step.cmd("aws cloudformation deploy")
        .arg("--template-file", "cloudformation.yaml")
        .arg("--stack-name", &stack)
        .arg("--parameter-overrides", overrides)
        .run(&w.region);
    for (var, output) in [
        ("INSTANCE_ARN", "ReplicationInstanceArn"),
        ("SOURCE_ENDPOINT_ARN", "SourceEndpointArn"),
        ("TARGET_ENDPOINT_ARN", "TargetEndpointArn"),
        ("TASK_ARN", "ReplicationTaskArn"),
    ] {
        let out = step.line();
        push_all(
            out,
            &[
                var,
                "=$(aws cloudformation describe-stacks --stack-name ",
                &stack,
                " --region ",
                &w.region,
                " --query ",
            ],
        );
        let query = ["Stacks[0].Outputs[?OutputKey=='", output, "'].OutputValue"].concat();
        push_quoted(out, &query);
        push_all(out, &[" --output text) && echo \"", var, "=$", var, "\""]);
    }
    step.0
}

/// The steps that depend on the region alone.
struct RegionSteps {
    test_connections: String,
    start: String,
    watch: String,
    stop: String,
}

/// How many regions `RegionSteps::of` keeps per thread: more than AWS has.
const KEEP_REGIONS: usize = 64;

impl RegionSteps {
    /// The steps for the region of `w`, written once per region (and thread) for a batch.
    fn of(w: &Words) -> Rc<RegionSteps> {
        type Kept = Vec<(String, Rc<RegionSteps>)>;
        thread_local! {
            static KEPT: RefCell<Kept> = const { RefCell::new(Vec::new()) };
        }
        KEPT.with_borrow_mut(|kept| {
            if let Some((_, steps)) = kept.iter().find(|(region, _)| *region == w.region) {
                return Rc::clone(steps);
            }
            let steps = Rc::new(RegionSteps {
                test_connections: test_connections(w),
                start: start(w),
                watch: watch(w),
                stop: stop(w),
            });
            if kept.len() < KEEP_REGIONS {
                kept.push((w.region.clone(), Rc::clone(&steps)));
            }
            steps
        })
    }
}

/// Build every step, given the deployment's inputs (from `inputs`) and the template's
/// `--parameter-overrides` (from `cloudformation::parameter_overrides`).
pub fn build(d: &Deployment<'_>, inputs: Vec<Input>, overrides: &str) -> CliSteps {
    let w = Words::new(d);
    let same = RegionSteps::of(&w);
    CliSteps {
        variables: variables(&inputs),
        subnet_group: subnet_group(d, &w),
        instance: instance(d, &w),
        certificates: certificates(d, &w),
        secrets: secrets(d, &w),
        source_password: password(&d.source, &w),
        target_password: password(&d.target, &w),
        credentials: credentials(d, &w),
        endpoints: endpoints(d, &w),
        test_connections: same.test_connections.clone(),
        task: task(d, &w),
        assessment: assessment(d, &w),
        start: same.start.clone(),
        watch: same.watch.clone(),
        stop: same.stop.clone(),
        cleanup: cleanup(d, &w),
        cloudformation: cloudformation(d, overrides, &w),
        inputs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_only_characters_bash_ignores() {
        for (text, plain) in [
            ("port of the source database", "port of the source database"),
            ("it's ${x} `y` \"z\" ü!", "its x y z "),
            ("ünï", "n"),
            ("aé, b (c)/d_e-f.g:h;", "a, b (c)/d_e-f.g:h;"),
        ] {
            let mut out = String::new();
            push_plain_message(&mut out, text);
            assert_eq!(out, plain, "{text:?}");
        }
    }

    #[test]
    fn double_quoted_text_escapes_what_the_shell_expands() {
        for (text, escaped) in [
            ("", ""),
            ("plain ü", "plain ü"),
            ("\"$x\" `y` \\", "\\\"\\$x\\\" \\`y\\` \\\\"),
            ("é$", "é\\$"),
        ] {
            let mut out = String::new();
            push_dq_escaped(&mut out, text);
            assert_eq!(out, escaped, "{text:?}");
        }
    }

    #[test]
    fn settings_json_escapes_for_the_shell_and_json() {
        let mut text = String::new();
        push_settings_json(
            &mut text,
            &[
                (
                    "SecretsManagerSecretId",
                    SettingValue::Text("dmsplan/x/source"),
                ),
                (
                    "SecretsManagerAccessRoleArn",
                    SettingValue::Var("SECRETS_ROLE_ARN"),
                ),
                (
                    "AfterConnectScript",
                    SettingValue::Fixed(&serde_json::json!("SET a = 'b' \"$x\" `y`")),
                ),
                (
                    "HeartbeatEnable",
                    SettingValue::Fixed(&serde_json::json!(true)),
                ),
            ],
        );
        // The shell turns it into JSON with the variable expanded and the literal intact.
        let script = format!("SECRETS_ROLE_ARN=arn:aws:iam::1:role/r; printf '%s' {text}");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .output()
            .unwrap();
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {script}"));
        assert_eq!(v["SecretsManagerAccessRoleArn"], "arn:aws:iam::1:role/r");
        assert_eq!(v["AfterConnectScript"], "SET a = 'b' \"$x\" `y`");
        assert_eq!(v["HeartbeatEnable"], true);
    }
}
