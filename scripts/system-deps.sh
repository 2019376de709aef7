#!/usr/bin/env bash
# Debian packages the test suite needs: chromium (headless browser tests of the console pages).
# Installed only when missing; these machines run as root, as CI does.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# A CJK font, so the Chinese screenshots of the console pages show characters, not boxes.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
[ "${#need[@]}" -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
