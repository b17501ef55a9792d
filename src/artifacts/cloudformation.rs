//! `cloudformation.yaml`: the subnet group, replication instance, endpoints and task, with
//! parameters for what the user supplies and outputs for the ARNs. Written as YAML text
//! directly; the mappings whose keys come from the catalog are gathered first, so a repeated
//! key keeps its place and takes the last value, as it would in a JSON object.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::aws_cli::{
    Deployment, EndpointPlan, EndpointVar, Input, SettingValue, endpoint_settings,
};
use super::task_settings::TaskSettings;
use super::yaml::Yaml;
use crate::catalog::{Credentials, Role};

/// `SECRETS_ROLE_ARN` -> `SecretsRoleArn`.
pub fn parameter_name(var: &str) -> String {
    // Bytes, not characters: `_` and the case changes are ASCII, and an ASCII case change
    // leaves the bytes of any other character as they are.
    let mut out = Vec::with_capacity(var.len());
    let mut word_starts = true;
    for &b in var.as_bytes() {
        if b == b'_' {
            word_starts = true;
            continue;
        }
        out.push(if word_starts {
            b.to_ascii_uppercase()
        } else {
            b.to_ascii_lowercase()
        });
        word_starts = false;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// An input that is a parameter of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter<'a> {
    /// The parameter's name (`SecretsRoleArn`).
    pub name: String,
    /// The input it stands for.
    pub input: &'a Input,
}

/// The inputs that are parameters of the template, in input order. Subnets and security
/// groups are list parameters of their own, and the assessment is CLI-only.
pub fn parameters<'a>(d: &Deployment<'_>, inputs: &'a [Input]) -> Vec<Parameter<'a>> {
    let mut params = Vec::with_capacity(inputs.len());
    for input in inputs {
        if !is_template_input(d, &input.name) {
            continue;
        }
        let name = parameter_name(&input.name);
        if !matches!(
            name.as_str(),
            "SubnetIds" | "SecurityGroupId" | "AssessmentBucket" | "AssessmentRoleArn"
        ) {
            params.push(Parameter { name, input });
        }
    }
    params
}

/// Whether an input is a parameter of the template: host and port only where the endpoint
/// takes them directly (password credentials); with Secrets Manager they live in the secret.
pub fn is_template_input(d: &Deployment<'_>, var: &str) -> bool {
    for ep in [&d.source, &d.target] {
        let what = var
            .strip_prefix(ep.prefix())
            .and_then(|rest| rest.strip_prefix('_'));
        if matches!(what, Some("HOST" | "PORT")) {
            return ep.spec.credentials == Credentials::Password;
        }
    }
    true
}

/// Insert as a JSON object does: a key already present keeps its place and takes the value.
fn insert<K: PartialEq, V>(fields: &mut Vec<(K, V)>, key: K, value: V) {
    match fields.iter_mut().find(|(k, _)| *k == key) {
        Some(field) => field.1 = value,
        None => fields.push((key, value)),
    }
}

/// The template parameter that stands for one of an endpoint's shell variables:
/// `parameter_name` of the variable, spelt out.
fn parameter(ep: &EndpointPlan<'_>, var: EndpointVar) -> &'static str {
    use EndpointVar::*;
    match (ep.role, var) {
        (Role::Source, Host) => "SourceHost",
        (Role::Source, Port) => "SourcePort",
        (Role::Source, Database) => "SourceDatabase",
        (Role::Source, CertificateArn) => "SourceCertificateArn",
        (Role::Target, Host) => "TargetHost",
        (Role::Target, Port) => "TargetPort",
        (Role::Target, Database) => "TargetDatabase",
        (Role::Target, CertificateArn) => "TargetCertificateArn",
        // Not template parameters: read from the secret, or outputs of the stack.
        (_, Username | Password | EndpointArn | SecretArn) => "",
    }
}

/// A property of an endpoint resource.
enum Property<'a> {
    /// A string.
    Text(Cow<'a, str>),
    /// A reference to a parameter.
    Ref(&'static str),
    /// The engine's settings object.
    Settings(Vec<(&'a str, SettingValue<'a>)>),
}

fn endpoint_properties<'a>(ep: &'a EndpointPlan<'_>) -> Vec<(&'a str, Property<'a>)> {
    let mut props = Vec::with_capacity(12);
    let text = |s: &'a str| Property::Text(Cow::Borrowed(s));
    let reference = |var| Property::Ref(parameter(ep, var));
    insert(&mut props, "EndpointIdentifier", text(ep.id));
    insert(&mut props, "EndpointType", text(ep.role_word()));
    insert(&mut props, "EngineName", text(ep.engine));
    if !ep.ssl_mode.is_empty() {
        insert(&mut props, "SslMode", text(ep.ssl_mode));
    }
    if ep.needs_certificate() {
        insert(
            &mut props,
            "CertificateArn",
            reference(EndpointVar::CertificateArn),
        );
    }
    if ep.spec.credentials == Credentials::Password {
        let resolve = |key: &str| {
            let text = [
                "{{resolve:secretsmanager:",
                ep.secret.as_str(),
                ":SecretString:",
                key,
                "}}",
            ];
            Property::Text(Cow::Owned(text.concat()))
        };
        insert(&mut props, "ServerName", reference(EndpointVar::Host));
        insert(&mut props, "Port", reference(EndpointVar::Port));
        insert(&mut props, "Username", resolve("username"));
        insert(&mut props, "Password", resolve("password"));
    }
    if ep.spec.database_name {
        insert(&mut props, "DatabaseName", reference(EndpointVar::Database));
    }
    let mut settings = Vec::with_capacity(ep.spec.settings.len() + 2);
    for (name, value) in endpoint_settings(ep) {
        insert(&mut settings, name, value);
    }
    if !settings.is_empty() {
        insert(
            &mut props,
            ep.spec.cfn_property.as_str(),
            Property::Settings(settings),
        );
    }
    props
}

fn write_endpoint(y: &mut Yaml, key: &str, ep: &EndpointPlan<'_>, params: &[Parameter<'_>]) {
    y.open(key);
    y.text("Type", "AWS::DMS::Endpoint");
    y.open("Properties");
    for (name, prop) in endpoint_properties(ep) {
        match prop {
            Property::Text(text) => y.text(name, &text),
            Property::Ref(target) => y.reference(name, target),
            Property::Settings(settings) => {
                y.open(name);
                for (name, value) in settings {
                    match value {
                        SettingValue::Fixed(v) => y.value(name, v),
                        SettingValue::Text(text) => y.text(name, text),
                        SettingValue::Var(var) => {
                            // The parameter already named for this input, if it is one.
                            match params.iter().find(|p| p.input.name == var) {
                                Some(p) => y.reference(name, &p.name),
                                None => y.reference(name, &parameter_name(var)),
                            }
                        }
                    }
                }
                y.close();
            }
        }
    }
    y.close();
    y.close();
}

/// The `--parameter-overrides` of `aws cloudformation deploy`: each parameter from the shell
/// variable of its input, subnets as the comma-separated list the template takes.
pub fn parameter_overrides(d: &Deployment<'_>, params: &[Parameter<'_>]) -> String {
    let mut out = String::with_capacity(512);
    out.push_str(
        "SubnetIds=\"$(echo $SUBNET_IDS | tr ' ' ',')\" SecurityGroupIds=\"$SECURITY_GROUP_ID\"",
    );
    for p in params {
        for piece in [" ", p.name.as_str(), "=\"$", &p.input.name, "\""] {
            out.push_str(piece);
        }
    }
    for ep in [&d.source, &d.target] {
        if ep.needs_certificate() {
            let param = ep.certificate_parameter();
            let var = ep.var(EndpointVar::CertificateArn);
            for piece in [" ", param, "=\"$", var, "\""] {
                out.push_str(piece);
            }
        }
    }
    out
}

fn write_parameters(y: &mut Yaml, d: &Deployment<'_>, params: &[Parameter<'_>]) {
    let mut all: Vec<(&str, (&str, Cow<'_, str>))> = Vec::with_capacity(params.len() + 4);
    let subnets = "Two or more private subnets in different Availability Zones";
    let groups = "Security groups of the replication instance";
    insert(
        &mut all,
        "SubnetIds",
        ("List<AWS::EC2::Subnet::Id>", subnets.into()),
    );
    insert(
        &mut all,
        "SecurityGroupIds",
        ("List<AWS::EC2::SecurityGroup::Id>", groups.into()),
    );
    for p in params {
        let ty = if p.name.ends_with("Port") {
            "Number"
        } else {
            "String"
        };
        insert(&mut all, &p.name, (ty, Cow::Borrowed(&*p.input.about)));
    }
    for ep in [&d.source, &d.target] {
        if ep.needs_certificate() {
            let about = [
                "ARN of the ",
                ep.role_word(),
                " CA certificate imported into DMS (aws dms import-certificate)",
            ]
            .concat();
            insert(
                &mut all,
                ep.certificate_parameter(),
                ("String", about.into()),
            );
        }
    }
    y.open("Parameters");
    for (name, (ty, about)) in all {
        y.open(name);
        y.text("Type", ty);
        y.text("Description", &about);
        y.close();
    }
    y.close();
}

/// Build the template, given the inputs that are its parameters (from `parameters`) and the
/// template's copy of the table mappings (`table_mappings::Written::nested`).
pub fn build(
    d: &Deployment<'_>,
    params: &[Parameter<'_>],
    table_mappings: &str,
    task_settings: &TaskSettings,
    dmsplan_version: &str,
) -> String {
    let mut y = Yaml::with_capacity(8192);
    y.text("AWSTemplateFormatVersion", "2010-09-09");
    let about = [
        "DMS migration ",
        d.slug,
        ": ",
        d.source.engine,
        " to ",
        d.target.engine,
        " (dmsplan ",
        dmsplan_version,
        ")",
    ]
    .concat();
    y.text("Description", &about);
    write_parameters(&mut y, d, params);
    y.open("Resources");
    write_subnet_group(&mut y, d);
    write_instance(&mut y, d);
    write_endpoint(&mut y, "SourceEndpoint", &d.source, params);
    write_endpoint(&mut y, "TargetEndpoint", &d.target, params);
    write_task(&mut y, d, table_mappings, task_settings);
    y.close();
    y.top_level(&OUTPUTS);
    y.finish()
}

fn write_subnet_group(y: &mut Yaml, d: &Deployment<'_>) {
    y.open("SubnetGroup");
    y.text("Type", "AWS::DMS::ReplicationSubnetGroup");
    y.open("Properties");
    y.text("ReplicationSubnetGroupIdentifier", &d.ids.subnet_group);
    y.text(
        "ReplicationSubnetGroupDescription",
        &["dmsplan: ", d.slug].concat(),
    );
    y.reference("SubnetIds", "SubnetIds");
    y.close();
    y.close();
}

fn write_instance(y: &mut Yaml, d: &Deployment<'_>) {
    y.open("ReplicationInstance");
    y.text("Type", "AWS::DMS::ReplicationInstance");
    y.open("Properties");
    y.text("ReplicationInstanceIdentifier", &d.ids.instance);
    y.text("ReplicationInstanceClass", d.instance_class);
    y.number("AllocatedStorage", d.storage_gb);
    y.plain("MultiAZ", if d.multi_az { "true" } else { "false" });
    y.plain("PubliclyAccessible", "false");
    y.reference("ReplicationSubnetGroupIdentifier", "SubnetGroup");
    y.reference("VpcSecurityGroupIds", "SecurityGroupIds");
    if let Some(v) = d.engine_version {
        y.text("EngineVersion", v);
    }
    y.close();
    y.close();
}

fn write_task(
    y: &mut Yaml,
    d: &Deployment<'_>,
    table_mappings: &str,
    task_settings: &TaskSettings,
) {
    y.open("ReplicationTask");
    y.text("Type", "AWS::DMS::ReplicationTask");
    y.open("Properties");
    y.text("ReplicationTaskIdentifier", &d.ids.task);
    y.text("MigrationType", d.migration_type);
    y.reference("ReplicationInstanceArn", "ReplicationInstance");
    y.reference("SourceEndpointArn", "SourceEndpoint");
    y.reference("TargetEndpointArn", "TargetEndpoint");
    y.json_copy("TableMappings", table_mappings);
    y.json_text("ReplicationTaskSettings", |doc| {
        task_settings.write_json(doc)
    });
    y.close();
    y.close();
}

/// The `Outputs` section: the same text in every template, so written once.
static OUTPUTS: LazyLock<String> = LazyLock::new(|| {
    let mut y = Yaml::with_capacity(512);
    write_outputs(&mut y);
    y.finish()
});

fn write_outputs(y: &mut Yaml) {
    y.open("Outputs");
    for (output, resource) in [
        ("ReplicationInstanceArn", "ReplicationInstance"),
        ("SourceEndpointArn", "SourceEndpoint"),
        ("TargetEndpointArn", "TargetEndpoint"),
        ("ReplicationTaskArn", "ReplicationTask"),
    ] {
        y.open(output);
        y.reference("Value", resource);
        y.close();
    }
    y.close();
}

#[cfg(test)]
mod tests {
    use super::{EndpointPlan, EndpointVar, Role, insert, parameter, parameter_name};
    use crate::catalog::Catalog;

    #[test]
    fn variables_become_parameter_names() {
        assert_eq!(parameter_name("SECRETS_ROLE_ARN"), "SecretsRoleArn");
        assert_eq!(parameter_name("SOURCE_DATABASE"), "SourceDatabase");
        assert_eq!(parameter_name("A__B_"), "AB");
        assert_eq!(parameter_name("éTAT_ÜBER_x"), "étatÜberX");
        assert_eq!(parameter_name("_lead__ÉÉ_é"), "LeadÉÉé");
        assert_eq!(parameter_name(""), "");
    }

    #[test]
    fn endpoint_parameters_are_the_names_of_their_variables() {
        let catalog = Catalog::embedded().unwrap();
        let postgres = catalog.engine("postgres").unwrap();
        for role in [Role::Source, Role::Target] {
            let spec = &postgres.role(role).unwrap().endpoint;
            let ep = EndpointPlan {
                role,
                engine: "postgres",
                id: "x-src",
                ssl_mode: "",
                secret: String::new(),
                spec,
                cdc: false,
            };
            for var in [
                EndpointVar::Host,
                EndpointVar::Port,
                EndpointVar::Database,
                EndpointVar::CertificateArn,
            ] {
                assert_eq!(parameter(&ep, var), parameter_name(ep.var(var)));
            }
            let certificate = parameter(&ep, EndpointVar::CertificateArn);
            assert_eq!(certificate, ep.certificate_parameter());
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_place_and_takes_the_last_value() {
        let mut fields = Vec::new();
        insert(&mut fields, "a", 1);
        insert(&mut fields, "b", 2);
        insert(&mut fields, "a", 3);
        assert_eq!(fields, [("a", 3), ("b", 2)]);
    }
}
