//! `cloudformation.yaml`: the subnet group, replication instance, endpoints and task, with
//! parameters for what the user supplies and outputs for the ARNs.

use serde_json::{Map, Value, json};

use super::aws_cli::{Deployment, EndpointPlan, SettingValue, endpoint_settings, inputs};
use super::table_mappings::TableMappings;
use super::task_settings::TaskSettings;
use crate::catalog::Credentials;

/// `SECRETS_ROLE_ARN` -> `SecretsRoleArn`.
pub fn parameter_name(var: &str) -> String {
    var.split('_')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn endpoint_resource(ep: &EndpointPlan<'_>) -> Value {
    let mut props = Map::new();
    props.insert("EndpointIdentifier".into(), json!(ep.id));
    props.insert("EndpointType".into(), json!(ep.role.to_string()));
    props.insert("EngineName".into(), json!(ep.engine));
    if !ep.ssl_mode.is_empty() {
        props.insert("SslMode".into(), json!(ep.ssl_mode));
    }
    if ep.needs_certificate() {
        props.insert(
            "CertificateArn".into(),
            json!({"Ref": format!("{}CertificateArn", title(ep.prefix()))}),
        );
    }
    if ep.spec.credentials == Credentials::Password {
        let p = title(ep.prefix());
        props.insert("ServerName".into(), json!({"Ref": format!("{p}Host")}));
        props.insert("Port".into(), json!({"Ref": format!("{p}Port")}));
        props.insert(
            "Username".into(),
            json!(format!(
                "{{{{resolve:secretsmanager:{}:SecretString:username}}}}",
                ep.secret
            )),
        );
        props.insert(
            "Password".into(),
            json!(format!(
                "{{{{resolve:secretsmanager:{}:SecretString:password}}}}",
                ep.secret
            )),
        );
    }
    if ep.spec.database_name {
        props.insert(
            "DatabaseName".into(),
            json!({"Ref": format!("{}Database", title(ep.prefix()))}),
        );
    }
    let mut settings = Map::new();
    for (name, value) in endpoint_settings(ep) {
        let v = match value {
            SettingValue::Fixed(v) => v,
            SettingValue::Var(var) => json!({"Ref": parameter_name(&var)}),
        };
        settings.insert(name, v);
    }
    if !settings.is_empty() {
        props.insert(ep.spec.cfn_property.clone(), Value::Object(settings));
    }
    json!({"Type": "AWS::DMS::Endpoint", "Properties": Value::Object(props)})
}

/// Whether an input is a parameter of the template: host and port only where the endpoint
/// takes them directly (password credentials); with Secrets Manager they live in the secret.
pub fn is_template_input(d: &Deployment<'_>, var: &str) -> bool {
    for ep in [&d.source, &d.target] {
        let p = ep.prefix();
        if var == format!("{p}_HOST") || var == format!("{p}_PORT") {
            return ep.spec.credentials == Credentials::Password;
        }
    }
    true
}

fn title(prefix: &str) -> String {
    parameter_name(prefix)
}

/// Build the template.
pub fn build(
    d: &Deployment<'_>,
    table_mappings: &TableMappings,
    task_settings: &TaskSettings,
    dmsplan_version: &str,
) -> Value {
    let mut params = Map::new();
    params.insert("SubnetIds".into(), json!({"Type": "List<AWS::EC2::Subnet::Id>", "Description": "Two or more private subnets in different Availability Zones"}));
    params.insert("SecurityGroupIds".into(), json!({"Type": "List<AWS::EC2::SecurityGroup::Id>", "Description": "Security groups of the replication instance"}));
    for input in inputs(d) {
        if !is_template_input(d, &input.name) {
            continue;
        }
        let name = parameter_name(&input.name);
        if matches!(
            name.as_str(),
            "SubnetIds" | "SecurityGroupId" | "AssessmentBucket" | "AssessmentRoleArn"
        ) {
            continue; // subnets and security groups are lists above; the assessment is CLI-only
        }
        let ty = if name.ends_with("Port") {
            "Number"
        } else {
            "String"
        };
        params.insert(name, json!({"Type": ty, "Description": input.about}));
    }
    for ep in [&d.source, &d.target] {
        if ep.needs_certificate() {
            params.insert(
                format!("{}CertificateArn", title(ep.prefix())),
                json!({"Type": "String", "Description": format!("ARN of the {} CA certificate imported into DMS (aws dms import-certificate)", ep.role)}),
            );
        }
    }
    let mut instance = json!({
        "ReplicationInstanceIdentifier": d.ids.instance,
        "ReplicationInstanceClass": d.instance_class,
        "AllocatedStorage": d.storage_gb,
        "MultiAZ": d.multi_az,
        "PubliclyAccessible": false,
        "ReplicationSubnetGroupIdentifier": {"Ref": "SubnetGroup"},
        "VpcSecurityGroupIds": {"Ref": "SecurityGroupIds"}
    });
    if let Some(v) = &d.engine_version {
        instance["EngineVersion"] = json!(v);
    }
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("DMS migration {}: {} to {} (dmsplan {dmsplan_version})", d.slug, d.source.engine, d.target.engine),
        "Parameters": Value::Object(params),
        "Resources": {
            "SubnetGroup": {
                "Type": "AWS::DMS::ReplicationSubnetGroup",
                "Properties": {
                    "ReplicationSubnetGroupIdentifier": d.ids.subnet_group,
                    "ReplicationSubnetGroupDescription": format!("dmsplan: {}", d.slug),
                    "SubnetIds": {"Ref": "SubnetIds"}
                }
            },
            "ReplicationInstance": {"Type": "AWS::DMS::ReplicationInstance", "Properties": instance},
            "SourceEndpoint": endpoint_resource(&d.source),
            "TargetEndpoint": endpoint_resource(&d.target),
            "ReplicationTask": {
                "Type": "AWS::DMS::ReplicationTask",
                "Properties": {
                    "ReplicationTaskIdentifier": d.ids.task,
                    "MigrationType": d.migration_type,
                    "ReplicationInstanceArn": {"Ref": "ReplicationInstance"},
                    "SourceEndpointArn": {"Ref": "SourceEndpoint"},
                    "TargetEndpointArn": {"Ref": "TargetEndpoint"},
                    "TableMappings": serde_json::to_string(table_mappings).unwrap_or_default(),
                    "ReplicationTaskSettings": serde_json::to_string(task_settings).unwrap_or_default()
                }
            }
        },
        "Outputs": {
            "ReplicationInstanceArn": {"Value": {"Ref": "ReplicationInstance"}},
            "SourceEndpointArn": {"Value": {"Ref": "SourceEndpoint"}},
            "TargetEndpointArn": {"Value": {"Ref": "TargetEndpoint"}},
            "ReplicationTaskArn": {"Value": {"Ref": "ReplicationTask"}}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::parameter_name;

    #[test]
    fn variables_become_parameter_names() {
        assert_eq!(parameter_name("SECRETS_ROLE_ARN"), "SecretsRoleArn");
        assert_eq!(parameter_name("SOURCE_DATABASE"), "SourceDatabase");
    }
}
