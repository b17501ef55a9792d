//! The deployment as an ordered AWS CLI sequence, one shell block per runbook step.
//!
//! Every value a user typed reaches a line only through `shell::quote`; resource ARNs are
//! captured into shell variables from `--query ... --output text`, defined once and used after.

use serde::Serialize;

use super::cloudformation::parameters;
use super::ids::Identifiers;
use super::shell::quote;
use crate::catalog::{Credentials, EndpointSpec, Role, When};

/// A value the user supplies before running the commands, as a shell variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Input {
    /// The variable (`SUBNET_IDS`).
    pub name: String,
    /// What to put in it.
    pub about: String,
}

/// One end's endpoint, as the CLI and CloudFormation builders need it.
#[derive(Debug, Clone)]
pub struct EndpointPlan<'c> {
    /// Source or target.
    pub role: Role,
    /// DMS engine name.
    pub engine: &'c str,
    /// Endpoint identifier.
    pub id: String,
    /// SSL mode.
    pub ssl_mode: String,
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

/// What the CLI sequence is built from.
#[derive(Debug, Clone)]
pub struct Deployment<'c> {
    /// AWS Region.
    pub region: String,
    /// The plan's slug (tags).
    pub slug: String,
    /// The plan's title as typed (descriptions only, always quoted).
    pub title: String,
    /// Identifiers.
    pub ids: Identifiers,
    /// Instance class.
    pub instance_class: String,
    /// Allocated storage, GB.
    pub storage_gb: u32,
    /// Multi-AZ.
    pub multi_az: bool,
    /// A DMS engine version to pin, when the catalog names a minimum.
    pub engine_version: Option<String>,
    /// `full-load`, `full-load-and-cdc` or `cdc`.
    pub migration_type: String,
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

/// An `aws` command laid out one option per line.
struct Cmd {
    head: String,
    args: Vec<String>,
}

impl Cmd {
    fn new(head: &str) -> Cmd {
        Cmd {
            head: head.to_string(),
            args: Vec::new(),
        }
    }
    fn arg(mut self, flag: &str, value: impl Into<String>) -> Cmd {
        self.args.push(format!("{flag} {}", value.into()));
        self
    }
    fn flag(mut self, flag: &str) -> Cmd {
        self.args.push(flag.to_string());
        self
    }
    fn text(&self, region: &str) -> String {
        let mut lines = vec![self.head.clone()];
        lines.extend(self.args.iter().cloned());
        lines.push(format!("--region {}", quote(region)));
        lines.join(" \\\n  ")
    }
    /// `VAR=$(aws ... --query Q --output text) && echo "label: $VAR"`.
    fn capture(self, var: &str, query: &str, region: &str) -> String {
        let cmd = self.arg("--query", quote(query)).arg("--output", "text");
        format!("{var}=$({}) && echo \"{var}=${var}\"", cmd.text(region))
    }
}

/// `"$VAR"`.
fn var(name: &str) -> String {
    format!("\"${name}\"")
}

/// A JSON object inside double quotes for the shell, with `$VAR` references expanded by the
/// shell and every fixed value escaped for both JSON and the double quotes.
fn settings_json(fields: &[(&str, SettingValue<'_>)]) -> String {
    let mut parts = Vec::new();
    for (name, value) in fields {
        let v = match value {
            SettingValue::Fixed(v) => dq_escape(&v.to_string()),
            SettingValue::Text(text) => dq_escape(&serde_json::to_string(text).unwrap_or_default()),
            SettingValue::Var(var) => format!("\\\"${var}\\\""),
        };
        parts.push(format!("\\\"{name}\\\": {v}"));
    }
    format!("\"{{{}}}\"", parts.join(", "))
}

/// A message for `${VAR:?message}`: bash reads quotes, braces and expansions there even inside
/// double quotes, so keep only characters that mean nothing to it.
fn plain_message(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || " ,.:;()-/_".contains(*c))
        .collect()
}

/// Escape text for the inside of a double-quoted shell word.
fn dq_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
    let mut out = vec![
        Input {
            name: "SUBNET_IDS".into(),
            about:
                "two or more private subnet ids in different Availability Zones, space-separated"
                    .into(),
        },
        Input {
            name: "SECURITY_GROUP_ID".into(),
            about: "the security group of the replication instance".into(),
        },
    ];
    let mut push = |name: String, about: String| {
        if !out.iter().any(|i| i.name == name) {
            out.push(Input { name, about });
        }
    };
    for ep in [&d.source, &d.target] {
        let who = ep.role.to_string();
        match ep.spec.credentials {
            Credentials::SecretsManager | Credentials::Password => {
                if ep.spec.credentials == Credentials::SecretsManager {
                    push(
                        "SECRETS_ROLE_ARN".into(),
                        "ARN of the IAM role DMS assumes to read the endpoint secrets".into(),
                    );
                }
                push(
                    format!("{}_HOST", ep.prefix()),
                    format!(
                        "host name or IP address of the {who} database, as the replication instance reaches it"
                    ),
                );
                push(
                    format!("{}_PORT", ep.prefix()),
                    format!("port of the {who} database"),
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
                format!("{}_DATABASE", ep.prefix()),
                format!("name of the {who} database{hint}"),
            );
        }
        for s in ep.settings() {
            if let Some(input) = &s.input {
                push(
                    input.clone(),
                    format!("{} of the {who} endpoint: {}", s.name, s.why),
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

fn endpoint_cmd(d: &Deployment<'_>, ep: &EndpointPlan<'_>) -> String {
    let mut cmd = Cmd::new("aws dms create-endpoint")
        .arg("--endpoint-identifier", quote(&ep.id))
        .arg("--endpoint-type", ep.role.to_string())
        .arg("--engine-name", quote(ep.engine));
    if !ep.ssl_mode.is_empty() {
        cmd = cmd.arg("--ssl-mode", quote(&ep.ssl_mode));
    }
    if ep.needs_certificate() {
        cmd = cmd.arg(
            "--certificate-arn",
            var(&format!("{}_CERTIFICATE_ARN", ep.prefix())),
        );
    }
    if ep.spec.credentials == Credentials::Password {
        cmd = cmd
            .arg("--server-name", var(&format!("{}_HOST", ep.prefix())))
            .arg("--port", var(&format!("{}_PORT", ep.prefix())))
            .arg("--username", var(&format!("{}_USERNAME", ep.prefix())))
            .arg("--password", var(&format!("{}_PASSWORD", ep.prefix())));
    }
    if ep.spec.database_name {
        cmd = cmd.arg("--database-name", var(&format!("{}_DATABASE", ep.prefix())));
    }
    let settings = endpoint_settings(ep);
    if !settings.is_empty() {
        cmd = cmd.arg(&ep.spec.settings_option, settings_json(&settings));
    }
    cmd = cmd.arg(
        "--tags",
        format!("Key=dmsplan-plan,Value={}", quote(&d.slug)),
    );
    cmd.capture(
        &format!("{}_ENDPOINT_ARN", ep.prefix()),
        "Endpoint.EndpointArn",
        &d.region,
    )
}

/// Build every step, given the deployment's inputs (from `inputs`).
pub fn build(d: &Deployment<'_>, inputs: Vec<Input>) -> CliSteps {
    let r = d.region.as_str();
    let ids = &d.ids;
    let mut variables = String::from(
        "# Set each variable first (export NAME=value); each line names any that is missing.\n",
    );
    for i in &inputs {
        variables.push_str(&format!(
            ": \"${{{}:?{}}}\"\n",
            i.name,
            plain_message(&i.about)
        ));
    }
    variables.push_str("test -f table-mappings.json || echo \"run these commands from the directory that holds this runbook\"");

    let subnet_group = Cmd::new("aws dms create-replication-subnet-group")
        .arg(
            "--replication-subnet-group-identifier",
            quote(&ids.subnet_group),
        )
        .arg(
            "--replication-subnet-group-description",
            quote(&format!("dmsplan: {}", d.title)),
        )
        .arg("--subnet-ids", "$SUBNET_IDS")
        .arg(
            "--tags",
            format!("Key=dmsplan-plan,Value={}", quote(&d.slug)),
        )
        .text(r);

    let mut ri = Cmd::new("aws dms create-replication-instance")
        .arg("--replication-instance-identifier", quote(&ids.instance))
        .arg("--replication-instance-class", quote(&d.instance_class))
        .arg("--allocated-storage", d.storage_gb.to_string())
        .flag(if d.multi_az {
            "--multi-az"
        } else {
            "--no-multi-az"
        });
    if let Some(v) = &d.engine_version {
        ri = ri.arg("--engine-version", quote(v));
    }
    let ri = ri
        .arg(
            "--replication-subnet-group-identifier",
            quote(&ids.subnet_group),
        )
        .arg("--vpc-security-group-ids", var("SECURITY_GROUP_ID"))
        .flag("--no-publicly-accessible")
        .arg(
            "--tags",
            format!("Key=dmsplan-plan,Value={}", quote(&d.slug)),
        )
        .capture(
            "INSTANCE_ARN",
            "ReplicationInstance.ReplicationInstanceArn",
            r,
        );
    let instance = format!(
        "{ri}\n{}",
        Cmd::new("aws dms wait replication-instance-available")
            .arg(
                "--filters",
                format!(
                    "Name=replication-instance-arn,Values={}",
                    var("INSTANCE_ARN")
                )
            )
            .text(r)
    );

    let mut certs = Vec::new();
    for ep in [&d.source, &d.target] {
        if !ep.needs_certificate() {
            continue;
        }
        let (cert_id, file) = match ep.role {
            Role::Source => (&ids.source_certificate, "source"),
            Role::Target => (&ids.target_certificate, "target"),
        };
        let cmd =
            Cmd::new("aws dms import-certificate").arg("--certificate-identifier", quote(cert_id));
        let cmd = if ep.is_oracle() {
            cmd.arg("--certificate-wallet", format!("fileb://{file}-wallet.sso"))
        } else {
            cmd.arg("--certificate-pem", format!("file://{file}-ca.pem"))
        };
        certs.push(cmd.capture(
            &format!("{}_CERTIFICATE_ARN", ep.prefix()),
            "Certificate.CertificateArn",
            r,
        ));
    }
    let certificates = (!certs.is_empty()).then(|| certs.join("\n"));

    let mut creds = Vec::new();
    for ep in [&d.source, &d.target] {
        if ep.spec.credentials != Credentials::Password {
            continue;
        }
        let p = ep.prefix();
        let read = |key: &str| {
            format!(
                "{p}_{}=$(aws secretsmanager get-secret-value --secret-id {} --region {} --query SecretString --output text | python3 -c 'import json, sys; print(json.load(sys.stdin)[\"{key}\"])')",
                key.to_uppercase(),
                quote(&ep.secret),
                quote(r)
            )
        };
        creds.push(read("username"));
        creds.push(read("password"));
    }
    let credentials = (!creds.is_empty()).then(|| creds.join("\n"));

    let has_secret = |ep: &EndpointPlan<'_>| {
        matches!(
            ep.spec.credentials,
            Credentials::SecretsManager | Credentials::Password
        )
    };
    let mut secret_cmds = Vec::new();
    for ep in [&d.source, &d.target] {
        if !has_secret(ep) {
            continue;
        }
        let p = ep.prefix();
        let generated = format!(
            "$(aws secretsmanager get-random-password --exclude-punctuation --password-length 32 --query RandomPassword --output text --region {})",
            quote(r)
        );
        let body = format!(
            "\"{{\\\"username\\\": \\\"dms_user\\\", \\\"password\\\": \\\"{generated}\\\", \\\"host\\\": \\\"${p}_HOST\\\", \\\"port\\\": ${p}_PORT}}\""
        );
        secret_cmds.push(
            Cmd::new("aws secretsmanager create-secret")
                .arg("--name", quote(&ep.secret))
                .arg(
                    "--description",
                    quote(&format!(
                        "DMS user on the {} of dmsplan plan {}",
                        ep.role, d.slug
                    )),
                )
                .arg("--secret-string", body)
                .capture(&format!("{p}_SECRET_ARN"), "ARN", r),
        );
    }
    let secrets = (!secret_cmds.is_empty()).then(|| secret_cmds.join("\n"));
    let password = |ep: &EndpointPlan<'_>| {
        has_secret(ep).then(|| {
            format!(
                "export DMS_PASSWORD=\"$(aws secretsmanager get-secret-value --secret-id {} --region {} --query SecretString --output text | python3 -c 'import json, sys; print(json.load(sys.stdin)[\"password\"])')\"",
                quote(&ep.secret),
                quote(r)
            )
        })
    };
    let source_password = password(&d.source);
    let target_password = password(&d.target);

    let endpoints = format!(
        "{}\n{}",
        endpoint_cmd(d, &d.source),
        endpoint_cmd(d, &d.target)
    );

    let mut tests = Vec::new();
    for ep in ["SOURCE", "TARGET"] {
        tests.push(
            Cmd::new("aws dms test-connection")
                .arg("--replication-instance-arn", var("INSTANCE_ARN"))
                .arg("--endpoint-arn", var(&format!("{ep}_ENDPOINT_ARN")))
                .text(r),
        );
    }
    for ep in ["SOURCE", "TARGET"] {
        tests.push(
            Cmd::new("aws dms wait test-connection-succeeds")
                .arg(
                    "--filters",
                    format!(
                        "Name=endpoint-arn,Values={} Name=replication-instance-arn,Values={}",
                        var(&format!("{ep}_ENDPOINT_ARN")),
                        var("INSTANCE_ARN")
                    ),
                )
                .text(r),
        );
    }
    let test_connections = tests.join("\n");

    let task = format!(
        "{}\n{}",
        Cmd::new("aws dms create-replication-task")
            .arg("--replication-task-identifier", quote(&ids.task))
            .arg("--source-endpoint-arn", var("SOURCE_ENDPOINT_ARN"))
            .arg("--target-endpoint-arn", var("TARGET_ENDPOINT_ARN"))
            .arg("--replication-instance-arn", var("INSTANCE_ARN"))
            .arg("--migration-type", quote(&d.migration_type))
            .arg("--table-mappings", "file://table-mappings.json")
            .arg("--replication-task-settings", "file://task-settings.json")
            .arg(
                "--tags",
                format!("Key=dmsplan-plan,Value={}", quote(&d.slug))
            )
            .capture("TASK_ARN", "ReplicationTask.ReplicationTaskArn", r),
        Cmd::new("aws dms wait replication-task-ready")
            .arg(
                "--filters",
                format!("Name=replication-task-arn,Values={}", var("TASK_ARN"))
            )
            .text(r)
    );

    let assessment = [
        Cmd::new("aws dms start-replication-task-assessment-run")
            .arg("--replication-task-arn", var("TASK_ARN"))
            .arg("--service-access-role-arn", var("ASSESSMENT_ROLE_ARN"))
            .arg("--result-location-bucket", var("ASSESSMENT_BUCKET"))
            .arg("--result-location-folder", quote(&format!("dmsplan/{}", d.slug)))
            .arg("--assessment-run-name", quote(&ids.assessment_run))
            .capture("ASSESSMENT_RUN_ARN", "ReplicationTaskAssessmentRun.ReplicationTaskAssessmentRunArn", r),
        "# Repeat until Status is passed, failed or warning (a few minutes):".to_string(),
        Cmd::new("aws dms describe-replication-task-assessment-runs")
            .arg("--filters", format!("Name=replication-task-assessment-run-arn,Values={}", var("ASSESSMENT_RUN_ARN")))
            .arg("--query", quote("ReplicationTaskAssessmentRuns[0].[Status,AssessmentProgress.IndividualAssessmentCompletedCount,AssessmentProgress.IndividualAssessmentCount]"))
            .arg("--output", "text")
            .text(r),
        Cmd::new("aws dms describe-replication-task-individual-assessments")
            .arg("--filters", format!("Name=replication-task-assessment-run-arn,Values={}", var("ASSESSMENT_RUN_ARN")))
            .arg("--query", quote("ReplicationTaskIndividualAssessments[?Status!='passed'].[IndividualAssessmentName,Status]"))
            .arg("--output", "table")
            .text(r),
    ]
    .join("\n");

    let start = format!(
        "{}\n{}",
        Cmd::new("aws dms start-replication-task")
            .arg("--replication-task-arn", var("TASK_ARN"))
            .arg("--start-replication-task-type", "start-replication")
            .text(r),
        Cmd::new("aws dms wait replication-task-running")
            .arg(
                "--filters",
                format!("Name=replication-task-arn,Values={}", var("TASK_ARN"))
            )
            .text(r)
    );

    let watch = [
        Cmd::new("aws dms describe-replication-tasks")
            .arg("--filters", format!("Name=replication-task-arn,Values={}", var("TASK_ARN")))
            .arg("--query", quote("ReplicationTasks[0].[Status,ReplicationTaskStats.FullLoadProgressPercent,ReplicationTaskStats.TablesLoaded,ReplicationTaskStats.TablesErrored]"))
            .arg("--output", "text")
            .text(r),
        Cmd::new("aws dms describe-table-statistics")
            .arg("--replication-task-arn", var("TASK_ARN"))
            .arg("--query", quote("TableStatistics[].[SchemaName,TableName,TableState,FullLoadRows,Inserts,Updates,Deletes,ValidationState,ValidationFailedRecords]"))
            .arg("--output", "table")
            .text(r),
    ]
    .join("\n");

    let stop = format!(
        "{}\n{}",
        Cmd::new("aws dms stop-replication-task")
            .arg("--replication-task-arn", var("TASK_ARN"))
            .text(r),
        Cmd::new("aws dms wait replication-task-stopped")
            .arg(
                "--filters",
                format!("Name=replication-task-arn,Values={}", var("TASK_ARN"))
            )
            .text(r)
    );

    let mut cleanup = vec![
        Cmd::new("aws dms delete-replication-task")
            .arg("--replication-task-arn", var("TASK_ARN"))
            .text(r),
        Cmd::new("aws dms wait replication-task-deleted")
            .arg(
                "--filters",
                format!("Name=replication-task-arn,Values={}", var("TASK_ARN")),
            )
            .text(r),
        Cmd::new("aws dms delete-endpoint")
            .arg("--endpoint-arn", var("SOURCE_ENDPOINT_ARN"))
            .text(r),
        Cmd::new("aws dms delete-endpoint")
            .arg("--endpoint-arn", var("TARGET_ENDPOINT_ARN"))
            .text(r),
        Cmd::new("aws dms delete-replication-instance")
            .arg("--replication-instance-arn", var("INSTANCE_ARN"))
            .text(r),
        Cmd::new("aws dms wait replication-instance-deleted")
            .arg(
                "--filters",
                format!(
                    "Name=replication-instance-arn,Values={}",
                    var("INSTANCE_ARN")
                ),
            )
            .text(r),
        Cmd::new("aws dms delete-replication-subnet-group")
            .arg(
                "--replication-subnet-group-identifier",
                quote(&ids.subnet_group),
            )
            .text(r),
    ];
    for ep in [&d.source, &d.target] {
        if ep.needs_certificate() {
            cleanup.push(
                Cmd::new("aws dms delete-certificate")
                    .arg(
                        "--certificate-arn",
                        var(&format!("{}_CERTIFICATE_ARN", ep.prefix())),
                    )
                    .text(r),
            );
        }
    }

    let stack = format!("dmsplan-{}", d.slug);
    let mut overrides = vec![
        "SubnetIds=\"$(echo $SUBNET_IDS | tr ' ' ',')\"".to_string(),
        "SecurityGroupIds=\"$SECURITY_GROUP_ID\"".to_string(),
    ];
    for p in parameters(d, &inputs) {
        overrides.push(format!("{}=\"${}\"", p.name, p.input.name));
    }
    for ep in [&d.source, &d.target] {
        if ep.needs_certificate() {
            overrides.push(format!(
                "{}=\"${}_CERTIFICATE_ARN\"",
                ep.certificate_parameter(),
                ep.prefix()
            ));
        }
    }
    let mut cfn = vec![
        "# Alternative to the create steps: one stack with the same resources (cloudformation.yaml).".to_string(),
        format!(
            "aws cloudformation deploy \\\n  --template-file cloudformation.yaml \\\n  --stack-name {} \\\n  --parameter-overrides {} \\\n  --region {}",
            quote(&stack),
            overrides.join(" "),
            quote(r)
        ),
    ];
    for (var, output) in [
        ("INSTANCE_ARN", "ReplicationInstanceArn"),
        ("SOURCE_ENDPOINT_ARN", "SourceEndpointArn"),
        ("TARGET_ENDPOINT_ARN", "TargetEndpointArn"),
        ("TASK_ARN", "ReplicationTaskArn"),
    ] {
        cfn.push(format!(
            "{var}=$(aws cloudformation describe-stacks --stack-name {} --region {} --query {} --output text) && echo \"{var}=${var}\"",
            quote(&stack),
            quote(r),
            quote(&format!("Stacks[0].Outputs[?OutputKey=='{output}'].OutputValue"))
        ));
    }
    let cloudformation = cfn.join("\n");

    CliSteps {
        secrets,
        source_password,
        target_password,
        cloudformation,
        variables,
        inputs,
        subnet_group,
        instance,
        certificates,
        credentials,
        endpoints,
        test_connections,
        task,
        assessment,
        start,
        watch,
        stop,
        cleanup: cleanup.join("\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_json_escapes_for_the_shell_and_json() {
        let text = settings_json(&[
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
        ]);
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
