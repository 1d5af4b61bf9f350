#!/usr/bin/env bash
# Installs the Debian packages cruscotto needs that are missing.
#   ./deps.sh          what building and running cruscotto needs
#   ./deps.sh --test   that, plus what the test suite needs
set -euo pipefail

pkgs=(gcc meson ninja-build pkg-config python3 libpq-dev libcjson-dev libhpdf-dev
      libgsl-dev libssl-dev libmicrohttpd-dev libcsv-dev check postgresql-15 fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
	pkgs+=(valgrind qpdf poppler-utils libcurl4-openssl-dev chromium)
fi

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
# The server's own default cluster is not needed: cruscotto runs its own.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
	"${sudo[@]}" mkdir -p /etc/postgresql-common
	echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
