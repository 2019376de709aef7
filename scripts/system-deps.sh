#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing (these machines run as root, as CI does):
# - chromium: headless browser tests of the console pages;
# - buildah, mmdebstrap, skopeo (+ uidmap, which buildah needs): `make image` builds the API image from
#   backend/Dockerfile with no Docker engine (scripts/build-image.sh); crun only if a build runs without
#   `--isolation chroot` (we always pass it, but buildah recommends a runtime and without one it warns).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# A CJK font, so the Chinese screenshots of the console pages show characters, not boxes.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
for tool in buildah mmdebstrap skopeo newuidmap; do
  command -v "$tool" >/dev/null || need+=("$([ "$tool" = newuidmap ] && echo uidmap || echo "$tool")")
done
[ "${#need[@]}" -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
