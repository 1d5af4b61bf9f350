#!/usr/bin/env bash
# Installs the Debian packages cruscotto needs that are missing.
#   ./deps.sh          what building and running cruscotto needs
#   ./deps.sh --test   that, plus what the test suite needs
# As root it installs them with apt-get, as another user through sudo; a user
# without sudo is told which packages to have root install, and it exits 1.
set -euo pipefail

pkgs=(gcc meson ninja-build pkg-config python3 python3-yaml libpq-dev libcjson-dev
      libhpdf-dev zlib1g-dev libgsl-dev libssl-dev libmicrohttpd-dev libcsv-dev check postgresql-15
      fonts-dejavu-core python3-fonttools)
if [ "${1:-}" = "--test" ]; then
	# the contract tests: a JSON Schema validator (Debian) and npm, which
	# fetches the OpenAPI linter into the test command's own folder; the
	# HTML tests: tidy, libxml2, and Node.js with npm for axe-core and
	# puppeteer-core
	pkgs+=(valgrind qpdf poppler-utils libcurl4-openssl-dev chromium groff-base
	       python3-jsonschema tidy libxml2-dev nodejs)
	# any npm will do (some builds of nodejs bundle it, Debian ships it apart)
	command -v npm >/dev/null 2>&1 || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "deps: missing Debian packages ${missing[*]}: run ./deps.sh${1:+ $1} as root (or install them with apt-get as root), then run this again" >&2
		exit 1
	fi
	sudo=(sudo)
fi
echo "deps: installing ${missing[*]}" >&2
# The server's own default cluster is not needed: cruscotto runs its own.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
	"${sudo[@]}" mkdir -p /etc/postgresql-common
	echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
