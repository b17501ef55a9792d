#!/usr/bin/env bash
# Prove the example plans' artifacts with tools we did not write: the AWS CLI (against a
# moto server on 127.0.0.1), cfn-lint, and a structural check of the table mappings.
# Installs pinned versions into virtual environments under target/artifact-tools/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="$root/target/artifact-tools"

make_venv() { # name requirements-file
  local venv="$tools/$1" req="$2"
  if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$venv/requirements.txt"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$venv/requirements.txt"
  fi
}

make_venv cli "$here/requirements-cli.txt"
make_venv tools "$here/requirements-tools.txt"

# Besides the examples, plans whose names try to break out of shell quoting.
hostile="$(mktemp -d)"
trap 'rm -rf "$hostile"' EXIT
cargo build --quiet --manifest-path "$root/Cargo.toml"
dmsplan="$root/target/debug/dmsplan"
"$dmsplan" new --no-input --out-dir "$hostile" --name "x; rm -rf ~ 'quoted' \"dq\" \$(reboot) \`id\`" \
  --source mysql:8.0 --target aurora-mysql:8.0 --size-gb 10 --downtime 4h --region us-east-1 \
  --schemas "App DB=app_db,SALES" >/dev/null || test $? -eq 1
"$dmsplan" new --no-input --out-dir "$hostile" --name "\$HOME | tee /tmp/x #" \
  --source sqlserver:2019 --target babelfish --size-gb 10 --downtime 4h --region us-west-2 >/dev/null || test $? -eq 1

"$tools/tools/bin/python" "$here/check.py" \
  --aws "$tools/cli/bin/aws" \
  --moto-server "$tools/tools/bin/moto_server" \
  --cfn-lint "$tools/tools/bin/cfn-lint" \
  --plans "$root/plans" --plans "$hostile" "$@"
