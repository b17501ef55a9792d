#!/usr/bin/env python3
"""Check every example plan's artifacts with tools dmsplan did not write.

For each plans/<name>/ with a runbook:
1. every `aws` command in the runbook's `sh` blocks runs, in order, in one bash session,
   against a moto server on 127.0.0.1 (fake credentials, bounded time). A command the AWS CLI
   rejects (bad parameter, bad JSON, missing argument) fails the check. Where moto does not
   implement an operation, the command still has to pass the AWS CLI's own parameter
   validation: the CLI sent the request, moto answered that it does not know it. `aws dms
   wait ...` runs as the describe call the waiter polls (moto never moves a resource out of
   `creating`). Blocks that start with `# Alternative` (the CloudFormation route) are skipped.
2. cfn-lint checks cloudformation.yaml: no errors.
3. table-mappings.json is checked for structure: rule types, unique rule ids, locators.

The moto server is started here and stopped by its process id, whatever happens.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# Operations moto 5.1.22 does not implement for DMS (its dms/responses.py); the AWS CLI
# still validates their parameters before sending.
NOT_IMPLEMENTED = {
    "import-certificate",
    "delete-certificate",
    "start-replication-task-assessment-run",
    "describe-replication-task-assessment-runs",
    "describe-replication-task-individual-assessments",
    "describe-table-statistics",
}

# `aws dms wait NAME` polls this operation (botocore's dms waiters-2.json).
WAITERS = {
    "replication-instance-available": "describe-replication-instances",
    "replication-instance-deleted": "describe-replication-instances",
    "replication-task-ready": "describe-replication-tasks",
    "replication-task-running": "describe-replication-tasks",
    "replication-task-stopped": "describe-replication-tasks",
    "replication-task-deleted": "describe-replication-tasks",
    "test-connection-succeeds": "describe-connections",
    "endpoint-deleted": "describe-endpoints",
}

RULE_TYPES = {"selection", "transformation", "table-settings", "object-mapping", "post-processing"}
SELECTION_ACTIONS = {"include", "exclude", "explicit"}
TRANSFORMATION_TARGETS = {"schema", "table", "column", "table-tablespace", "index-tablespace"}
TRANSFORMATION_ACTIONS = {
    "rename", "remove-column", "convert-lowercase", "convert-uppercase", "add-prefix",
    "remove-prefix", "replace-prefix", "add-suffix", "remove-suffix", "replace-suffix",
    "define-primary-key", "change-data-type", "add-column", "add-before-image-columns",
}


def shim(argv):
    """Stand-in for `aws` on PATH: run the real CLI against moto, judge the outcome."""
    real, endpoint, log = os.environ["CHECK_AWS"], os.environ["CHECK_ENDPOINT"], os.environ["CHECK_LOG"]
    args = list(argv)
    kind = "ok"
    if len(args) >= 3 and args[0] == "dms" and args[1] == "wait":
        waiter = args[2]
        if waiter not in WAITERS:
            sys.exit(f"check: unknown waiter {waiter}")
        args = ["dms", WAITERS[waiter]] + args[3:]
        kind = "wait"
    op = args[1] if len(args) > 1 else ""
    done = subprocess.run([real] + args + ["--endpoint-url", endpoint], capture_output=True, text=True, timeout=60)
    sent = "when calling the" in done.stderr
    if done.returncode == 0:
        sys.stdout.write(done.stdout)
    elif kind == "wait" and waiter.endswith("-deleted") and "ResourceNotFoundFault" in done.stderr:
        kind = "wait (resource gone)"
    elif args[0] == "dms" and op in NOT_IMPLEMENTED and sent:
        kind = "validated by the AWS CLI (moto does not implement it)"
        if "--query" in args and "text" in args:
            print(f"arn:aws:dms:us-east-1:123456789012:fake:{op}")
    else:
        sys.stderr.write(done.stderr)
        with open(log, "a") as f:
            f.write(json.dumps({"op": f"{args[0]} {op}", "kind": "FAILED", "stderr": done.stderr.strip()}) + "\n")
        sys.exit(done.returncode or 1)
    with open(log, "a") as f:
        f.write(json.dumps({"op": f"{args[0]} {op}", "kind": kind}) + "\n")


def sh_blocks(markdown):
    """The `sh` fenced blocks of a Markdown text, in order, indentation removed."""
    blocks, current, indent = [], None, 0
    for line in markdown.splitlines():
        stripped = line.lstrip()
        if current is None:
            if stripped.startswith("```sh") and stripped[5:].strip() == "":
                current, indent = [], len(line) - len(stripped)
        elif stripped.startswith("```"):
            blocks.append("\n".join(current))
            current = None
        else:
            current.append(line[indent:] if line[:indent].strip() == "" else line)
    return blocks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(server):
    port = free_port()
    proc = subprocess.Popen([server, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("check: moto server exited at start")
            time.sleep(0.2)
    stop(proc)
    raise SystemExit("check: moto server did not answer within 30 s")


def stop(proc):
    """Stop a process we started, by its id (and its process group)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def aws_json(aws, url, *args):
    out = subprocess.run([aws, *args, "--endpoint-url", url, "--output", "json"], capture_output=True,
                         text=True, timeout=60, env=fake_env(), check=True)
    return json.loads(out.stdout or "{}")


def fake_env():
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                "AWS_PAGER": ""})
    return env


def region_of(runbook):
    m = re.search(r"--region ([a-z]{2}(?:-[a-z]+)+-[0-9]+)", runbook)
    return m.group(1) if m else "us-east-1"


def inputs_of(runbook):
    return re.findall(r': "\$\{([A-Z0-9_]+):\?', runbook)


def check_runbook(plan_dir, aws, url, workdir):
    runbook = open(os.path.join(plan_dir, "runbook.md")).read()
    region = region_of(runbook)
    slug = os.path.basename(plan_dir)
    work = os.path.join(workdir, slug)
    shutil.copytree(plan_dir, work)
    # The world the runbook expects: a VPC with two subnets, a security group, certificate
    # files. The runbook creates its own secrets.
    vpc = aws_json(aws, url, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--region", region)["Vpc"]["VpcId"]
    subnets = [aws_json(aws, url, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", f"10.0.{i}.0/24",
                        "--region", region)["Subnet"]["SubnetId"] for i in (1, 2)]
    sg = aws_json(aws, url, "ec2", "create-security-group", "--group-name", f"dms-{slug}", "--description",
                  "dms", "--vpc-id", vpc, "--region", region)["GroupId"]
    for name in ("source-ca.pem", "target-ca.pem", "source-wallet.sso"):
        with open(os.path.join(work, name), "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    values = {"SUBNET_IDS": " ".join(subnets), "SECURITY_GROUP_ID": sg}
    lines = ["set -euo pipefail"]
    for name in inputs_of(runbook):
        value = values.get(name)
        if value is None:
            value = f"arn:aws:iam::123456789012:role/{name.lower()}" if name.endswith("_ARN") else f"value-of-{name.lower()}"
            if name.endswith("_PORT"):
                value = "1433"
            elif name.endswith("_HOST"):
                value = f"{name.lower().replace('_', '-')}.example"
        lines.append(f"export {name}='{value}'")
    blocks = [b for b in sh_blocks(runbook) if not b.lstrip().startswith("# Alternative")]
    if not blocks:
        return [f"{slug}: the runbook has no sh blocks"], []
    script = "\n".join(lines + blocks) + "\n"
    with open(os.path.join(work, "steps.sh"), "w") as f:
        f.write(script)
    bindir = os.path.join(workdir, "bin")
    log = os.path.join(work, "commands.jsonl")
    env = fake_env()
    env.update({"PATH": bindir + os.pathsep + env["PATH"], "CHECK_AWS": aws, "CHECK_ENDPOINT": url, "CHECK_LOG": log})
    try:
        done = subprocess.run(["bash", "steps.sh"], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return [f"{slug}: the AWS CLI steps did not finish within 300 s"], []
    records = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
    errors = []
    # The first failure counts: a failed `VAR=$(aws ...) && echo` does not stop bash's -e.
    failed = [r for r in records if r["kind"] == "FAILED"]
    if failed:
        errors.append(f"{slug}: `aws {failed[0]['op']}` failed: {failed[0]['stderr']}")
    elif done.returncode != 0:
        errors.append(f"{slug}: the AWS CLI steps failed: {done.stderr.strip()[-2000:]}")
    if not any(r["op"] == "dms create-replication-task" for r in records):
        errors.append(f"{slug}: no create-replication-task ran")
    return errors, records


def check_mappings(path):
    errors = []
    name = os.path.relpath(path)
    try:
        doc = json.load(open(path))
    except (OSError, ValueError) as e:
        return [f"{name}: {e}"]
    rules = doc.get("rules") if isinstance(doc, dict) else None
    if not isinstance(rules, list) or not rules:
        return [f"{name}: no rules"]
    ids = set()
    for i, r in enumerate(rules):
        where = f"{name}: rules[{i}]"
        if r.get("rule-type") not in RULE_TYPES:
            errors.append(f"{where}: rule-type {r.get('rule-type')!r}")
        rid = r.get("rule-id")
        if not isinstance(rid, str) or not rid.isdigit() or rid in ids:
            errors.append(f"{where}: rule-id {rid!r} missing, not numeric or not unique")
        ids.add(rid)
        loc = r.get("object-locator")
        if not isinstance(loc, dict) or not loc.get("schema-name"):
            errors.append(f"{where}: object-locator needs a schema-name")
        if r.get("rule-type") == "selection":
            if r.get("rule-action") not in SELECTION_ACTIONS or not (loc or {}).get("table-name"):
                errors.append(f"{where}: selection needs include/exclude/explicit and a table-name")
        if r.get("rule-type") == "transformation":
            if r.get("rule-target") not in TRANSFORMATION_TARGETS or r.get("rule-action") not in TRANSFORMATION_ACTIONS:
                errors.append(f"{where}: transformation target/action {r.get('rule-target')!r}/{r.get('rule-action')!r}")
            if r.get("rule-action") == "rename" and not r.get("value"):
                errors.append(f"{where}: rename needs a value")
    if not any(r.get("rule-type") == "selection" and r.get("rule-action") == "include" for r in rules):
        errors.append(f"{name}: no selection rule includes anything")
    return errors


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--shim":
        return shim(sys.argv[2:])
    p = argparse.ArgumentParser()
    p.add_argument("--aws", required=True)
    p.add_argument("--moto-server", required=True)
    p.add_argument("--cfn-lint", required=True)
    p.add_argument("--plans", required=True, action="append", help="a directory of plan directories; repeatable")
    opts = p.parse_args()
    opts.aws, opts.moto_server, opts.cfn_lint = (os.path.abspath(x) for x in (opts.aws, opts.moto_server, opts.cfn_lint))
    plans = sorted(os.path.join(root, d) for root in opts.plans for d in os.listdir(root)
                   if os.path.isfile(os.path.join(root, d, "runbook.md")))
    errors, validated_only = [], set()
    workdir = tempfile.mkdtemp(prefix="dmsplan-artifacts-")
    bindir = os.path.join(workdir, "bin")
    os.makedirs(bindir)
    with open(os.path.join(bindir, "aws"), "w") as f:
        f.write(f"#!/bin/sh\nexec {sys.executable} {os.path.abspath(__file__)} --shim \"$@\"\n")
    os.chmod(os.path.join(bindir, "aws"), 0o755)
    proc, url = start_moto(opts.moto_server)
    try:
        for plan in plans:
            errs, records = check_runbook(plan, opts.aws, url, workdir)
            errors += errs
            ran = [r for r in records if r["kind"] != "FAILED"]
            validated_only |= {r["op"] for r in records if r["kind"].startswith("validated")}
            print(f"{os.path.basename(plan)}: {len(ran)} aws commands ran"
                  + (f", {len(errs)} problem(s)" if errs else ""))
    finally:
        stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)
    templates = [os.path.join(p, "cloudformation.yaml") for p in plans]
    lint = subprocess.run([opts.cfn_lint, "--", *templates], capture_output=True, text=True, timeout=600)
    if lint.returncode not in (0, 4, 8, 12):  # warnings/informational only are not errors
        errors.append("cfn-lint:\n" + lint.stdout + lint.stderr)
    print(f"cfn-lint: {len(templates)} templates, " + ("no errors" if lint.returncode in (0, 4, 8, 12) else "errors"))
    for plan in plans:
        errors += check_mappings(os.path.join(plan, "table-mappings.json"))
    print(f"table mappings: {len(plans)} files checked")
    if validated_only:
        print("validated by the AWS CLI only (moto does not implement them): " + ", ".join(sorted(validated_only)))
    for e in errors:
        print("FAILED " + e)
    print(f"{len(plans) * 3 - len(errors)} passed, {len(errors)} failed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
