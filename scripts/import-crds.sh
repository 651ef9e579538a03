#!/usr/bin/env bash
# Regenerates the typed CRD classes under imports/ from the pinned upstream CRDs
# (lib/schemas/schema-sources.ts), resolved and verified by scripts/schema-files.js into a scratch directory.
# `cdk8s import` writes one file per API group and overwrites it, so all CRDs of a group
# are concatenated and imported in one call.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK8S_CHECK_UPGRADE=false
tmp=$(mktemp -d)
# `cdk8s import` records each imported file in cdk8s.yaml; those are scratch paths, so the
# project's cdk8s.yaml is put back as it was.
cp cdk8s.yaml "$tmp/cdk8s.yaml.orig"
trap 'cp "$tmp/cdk8s.yaml.orig" cdk8s.yaml; rm -rf "$tmp"' EXIT
crds="$tmp/crds"
node scripts/schema-files.js "$crds"

group() { # group <name> <crd files...>
  local name=$1; shift
  for f in "$@"; do cat "$crds/$f"; echo '---'; done > "$tmp/$name.yaml"
  npx cdk8s import "$tmp/$name.yaml" --language typescript --output imports >/dev/null
}

group networking.istio.io istio-1.30.3-virtualservice.yaml istio-1.30.3-destinationrule.yaml \
  istio-1.30.3-gateway.yaml istio-1.30.3-serviceentry.yaml istio-1.30.3-sidecar.yaml
group security.istio.io istio-1.30.3-peerauthentication.yaml istio-1.30.3-authorizationpolicy.yaml \
  istio-1.30.3-requestauthentication.yaml
group telemetry.istio.io istio-1.30.3-telemetry.yaml
group keda.sh keda-v2.20.2-scaledobjects.yaml keda-v2.20.2-triggerauthentications.yaml \
  keda-v2.20.2-clustertriggerauthentications.yaml
group autoscaling.k8s.io vpa-v1.7.1-crd.yaml
group external-secrets.io external-secrets-v2.9.0-externalsecrets.yaml
group bitnami.com sealed-secrets-v0.36.6-crd.yaml

# Flagger's CRD needs its quoted descriptions re-indented before a JavaScript YAML parser reads
# it (lib/validation/crd-text.ts); the repaired text goes through the same import.
node -r ./scripts/swc-register.js -e '
  const fs = require("fs");
  const { repairQuotedContinuations } = require("./lib/validation/crd-text.ts");
  fs.writeFileSync(process.argv[1], repairQuotedContinuations(fs.readFileSync(process.argv[2], "utf8")));
' "$tmp/flagger.app.yaml" "$crds/flagger-v1.44.0-crd.yaml"
npx cdk8s import "$tmp/flagger.app.yaml" --language typescript --output imports >/dev/null
ls imports
