#!/usr/bin/env bash
# Installs the Debian packages Comptoir needs when any is missing:
# WeasyPrint's Pango, Chromium for the browser tests, gettext, poppler
# (PDF to PNG), wrk (benchmarks), Node and npm (the accessibility checks),
# docker-compose (validates docker-compose.yml, no engine needed), and any
# package named as an argument (CI adds
# postgresql and redis-server). Needs root (or sudo) and apt-get.
set -euo pipefail

packages=(chromium gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
          fonts-dejavu-core poppler-utils wrk docker-compose "$@")
# Node and npm for axe-core and Lighthouse (scripts/a11y): Debian's packages,
# unless a Node with its npm is already there.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]} (install them with your package manager)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
