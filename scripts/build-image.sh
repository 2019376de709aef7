#!/usr/bin/env bash
# Build the API image (kubesphere/deepseek-extension-api:<version>) from backend/Dockerfile with no Docker
# engine and no registry, and write it as dist/deepseek-extension-api-<version>.oci.tar (`make image`).
#
# Online the same Dockerfile builds on python:3.11-slim-bookworm (.github/workflows/release.yaml). Here:
#   1. base: Debian bookworm packages (python3.11, venv, useradd, CA certificates) laid out by mmdebstrap,
#      imported with `buildah from scratch` as localhost/deepseek-base:bookworm (BASE build arg);
#   2. wheels: the pinned requirements downloaded once from PyPI into a cache, mounted into the build at
#      /wheelhouse (WHEELHOUSE build arg), so pip installs them offline;
#   3. `buildah bud --isolation chroot` (vfs storage, no daemon, as root), then `buildah push oci-archive:`.
# Each step is skipped when its inputs are unchanged: the base tarball and image are keyed by the package list,
# the wheels by requirements.txt, the archive by every file the Dockerfile copies. FORCE=1 rebuilds the archive,
# BASE_REFRESH=1 also remakes the base (to pick up Debian security updates).
# Needs root, buildah, mmdebstrap (scripts/system-deps.sh) and a python with pip (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${VERSION:-$(sed -n 's/^version: *//p' extension.yaml)}
IMAGE_NAME=${IMAGE_NAME:-docker.io/kubesphere/deepseek-extension-api}
OUT=${OUT:-dist/deepseek-extension-api-$VERSION.oci.tar}
# Under .tools/ (git-ignored, never copied by scripts/package.py): the store holds root filesystems whose
# absolute symlinks a tree copy would follow.
CACHE=${IMAGE_CACHE:-.tools/image/cache}
STORE=${IMAGE_STORE:-.tools/image/containers}
PY=${PY:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
SUITE=bookworm
MIRRORS=("deb http://deb.debian.org/debian $SUITE main"
         "deb http://deb.debian.org/debian $SUITE-updates main"
         "deb http://deb.debian.org/debian-security $SUITE-security main")
# What the Dockerfile expects of a base: python3.11 with venv (ensurepip), useradd (passwd), CA certificates
# for the Kubernetes API and registries, /etc/services and friends (netbase), as python:3.11-slim has them.
BASE_PACKAGES=python3,python3-venv,ca-certificates,passwd,netbase
# Documentation and translations are not needed at runtime; licences stay.
BASE_DPKG_OPTS=('path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' 'path-exclude=/usr/share/locale/*'
                'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright')
BASE_IMAGE=localhost/deepseek-base:$SUITE
ARCH=$(uname -m)

log() { echo "build-image: $*" >&2; }
die() { log "$*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (buildah with vfs storage and chroot isolation, mmdebstrap root mode)"
for tool in buildah mmdebstrap; do command -v "$tool" >/dev/null || die "$tool missing: run scripts/system-deps.sh"; done
mkdir -p "$CACHE" "$STORE" "$(dirname "$OUT")"
STORE=$(cd "$STORE" && pwd)
bh() { buildah --root "$STORE/storage" --runroot "$STORE/run" --storage-driver vfs "$@"; }
sha() { sha256sum | cut -c1-16; }

# One build at a time per store (make image and the image test may race).
exec 9>"$CACHE/.lock"
flock 9

# Every input of the archive: the files the Dockerfile copies (as the .dockerignore lets them through), the
# Dockerfile, this script and the base recipe.
inputs_key() {
  {
    printf '%s\n' "$VERSION" "$IMAGE_NAME" "$BASE_PACKAGES" "${BASE_DPKG_OPTS[@]}" "${MIRRORS[@]}" "$ARCH"
    find backend -type f -not -path '*/__pycache__/*' -not -path '*.egg-info/*' -not -name '*.pyc' -print0 \
      | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum requirements.txt values.yaml values.schema.json charts/backend/files/catalog.yaml charts/backend/files/messages.yaml \
      scripts/build-image.sh
  } | sha
}
key=$(inputs_key)
if [ -z "${FORCE:-}" ] && [ -z "${BASE_REFRESH:-}" ] && [ -s "$OUT" ] && [ "$(cat "$OUT.inputs" 2>/dev/null)" = "$key" ]; then
  log "$OUT is up to date (inputs $key)"
  echo "$OUT"
  exit 0
fi
start=$(date +%s)

# 1. The base image, from Debian packages.
base_key=$(printf '%s\n' "$SUITE" "$BASE_PACKAGES" "${BASE_DPKG_OPTS[@]}" "${MIRRORS[@]}" "$ARCH" | sha)
base_tar=$CACHE/base-$SUITE-$base_key.tar
if [ -n "${BASE_REFRESH:-}" ]; then
  rm -f "$base_tar"
  bh rmi --force "$BASE_IMAGE" >/dev/null 2>&1 || true
fi
if [ "$(bh inspect --type image --format '{{index .ImageAnnotations "org.kubesphere.deepseek.base-key"}}' \
        "$BASE_IMAGE" 2>/dev/null)" != "$base_key" ]; then
  if [ ! -s "$base_tar" ]; then
    log "mmdebstrap $SUITE ($BASE_PACKAGES)"
    dpkg_args=()
    for opt in "${BASE_DPKG_OPTS[@]}"; do dpkg_args+=("--dpkgopt=$opt"); done
    # merged-usr hook: /bin -> usr/bin as Debian and python:3.11-slim have it, without the usrmerge package
    # (which would pull perl into the image).
    mmdebstrap --quiet --mode=root --variant=essential --include="$BASE_PACKAGES" \
      --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr "${dpkg_args[@]}" \
      "$SUITE" "$base_tar.part" "${MIRRORS[@]}" >&2
    mv "$base_tar.part" "$base_tar"
  fi
  log "import $base_tar as $BASE_IMAGE"
  ctr=$(bh from scratch)
  bh add --quiet "$ctr" "$base_tar" / >/dev/null
  bh config --env LANG=C.UTF-8 --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --cmd python3 --annotation "org.kubesphere.deepseek.base-key=$base_key" \
    --label "org.opencontainers.image.description=Debian $SUITE: $BASE_PACKAGES (mmdebstrap)" "$ctr"
  bh commit --quiet --rm "$ctr" "$BASE_IMAGE" >/dev/null
fi

# 2. The pinned wheels, for the image's interpreter (CPython 3.11, glibc 2.36) whatever python runs this script.
wheels=$CACHE/wheels
wheels_key=$( (cat requirements.txt backend/pyproject.toml; echo "$ARCH") | sha)
if [ "$(cat "$wheels/.key" 2>/dev/null)" != "$wheels_key" ]; then
  log "download wheels for requirements.txt into $wheels"
  rm -rf "$wheels" && mkdir -p "$wheels"
  # setuptools: the build backend backend/pyproject.toml names, installed by pip's build isolation.
  "$PY" -m pip download --quiet --disable-pip-version-check --dest "$wheels" --only-binary=:all: \
    --implementation cp --python-version 3.11 --abi cp311 \
    --platform "manylinux_2_36_$ARCH" --platform "manylinux_2_28_$ARCH" --platform "manylinux_2_17_$ARCH" \
    --platform "manylinux2014_$ARCH" -r requirements.txt 'setuptools>=61'
  echo "$wheels_key" > "$wheels/.key"
fi

# 3. The image, from the same Dockerfile as online.
tag=localhost/kubesphere/deepseek-extension-api:$VERSION
log "buildah bud backend/Dockerfile on $BASE_IMAGE"
# No --layers: with vfs every cached step is a full copy of the root filesystem (3 GB, minutes on 2 cores);
# the archive is skipped as a whole when its inputs are unchanged, and a rebuild installs from the local wheels.
bh bud --quiet --isolation chroot --pull=never --format oci \
  --file backend/Dockerfile --ignorefile backend/Dockerfile.dockerignore \
  --build-arg "BASE=$BASE_IMAGE" --build-arg WHEELHOUSE=/wheelhouse --volume "$(cd "$wheels" && pwd):/wheelhouse:ro" \
  --label "org.opencontainers.image.title=deepseek-extension-api" \
  --label "org.opencontainers.image.description=DeepSeek extension for KubeSphere: API, model manager, CLI" \
  --label "org.opencontainers.image.version=$VERSION" \
  --label "org.opencontainers.image.source=https://github.com/kubesphere-extensions/ks-extensions" \
  --tag "$tag" . >/dev/null
rm -f "$OUT.part"
bh push --quiet --format oci "$tag" "oci-archive:$OUT.part:$IMAGE_NAME:$VERSION"
mv "$OUT.part" "$OUT"
echo "$key" > "$OUT.inputs"
# The previous build's image, now untagged, and any leftover working containers (the base stays: it is tagged).
bh rm --all >/dev/null 2>&1 || true
bh rmi --prune >/dev/null 2>&1 || true
log "wrote $OUT ($(du -m "$OUT" | cut -f1) MB) in $(( $(date +%s) - start )) s"
echo "$OUT"
