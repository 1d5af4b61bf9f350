#!/usr/bin/env bash
# scripts: what an ordinary user gets from the README's commands.
#   - ./deps.sh without root and without sudo, with packages missing: one line
#     on stderr naming them and saying to run ./deps.sh as root, exit 1 (the
#     packages seen as missing come from an empty dpkg database);
#   - ./deps.sh when nothing is missing: silent, exit 0, for that user too;
#   - the demo's path as that user: the embedded instance started by the
#     user (no root, no postgres account), the demo imported, its
#     scorecards written (PDF, JSON, CSV), the instance stopped.
# As root the user is `nobody`; otherwise it is the user running the test.
#
# Environment: CRUSCOTTO_BIN, CRUSCOTTO_SOURCE_ROOT.
set -euo pipefail

if [ -z "${CR_SCRIPTS_NATIVE:-}" ]; then
	CR_SCRIPTS_NATIVE=1 exec /bin/bash "$0" "$@"
fi

bin=${CRUSCOTTO_BIN:?CRUSCOTTO_BIN is not set}
root=${CRUSCOTTO_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d /tmp/crtest-scripts.XXXXXX)
as_user=()
if [ "$(id -u)" -eq 0 ]; then
	as_user=(runuser -u nobody --)
fi
cleanup() {
	"${as_user[@]}" env -i PATH=/usr/bin:/bin "$tmp/cruscotto" db destroy --state-dir "$tmp/var" \
		>/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "scripts: FAIL: $*" >&2
	exit 1
}

# The user's own copies: the source tree may not be readable by nobody.
cp "$root/deps.sh" "$bin" "$tmp/"
cp -r "$root/data/demo" "$tmp/demo"
mkdir -p "$tmp/bin" "$tmp/dpkg"
: >"$tmp/dpkg/status"
# a PATH without sudo: only what deps.sh needs besides bash's builtins
for tool in dpkg-query id; do
	ln -s "$(command -v "$tool")" "$tmp/bin/$tool"
done
[ "$(id -u)" -eq 0 ] && chown -R nobody: "$tmp"

code=0
"${as_user[@]}" env -i PATH="$tmp/bin" DPKG_ADMINDIR="$tmp/dpkg" /bin/bash "$tmp/deps.sh" \
	>"$tmp/out" 2>"$tmp/err" || code=$?
[ "$code" -eq 1 ] || fail "deps.sh without sudo exited $code, not 1"
[ ! -s "$tmp/out" ] || fail "deps.sh wrote to stdout: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "deps.sh did not say it in one line: $(cat "$tmp/err")"
for word in libpq-dev postgresql-15 libcsv-dev 'run ./deps.sh as root'; do
	grep -qF -- "$word" "$tmp/err" || fail "deps.sh's message lacks '$word': $(cat "$tmp/err")"
done
code=0
"${as_user[@]}" env -i PATH="$tmp/bin" DPKG_ADMINDIR="$tmp/dpkg" /bin/bash "$tmp/deps.sh" --test \
	>/dev/null 2>"$tmp/err" || code=$?
[ "$code" -eq 1 ] && grep -qF 'run ./deps.sh --test as root' "$tmp/err" &&
	grep -qF python3-jsonschema "$tmp/err" || fail "deps.sh --test without sudo: $code, $(cat "$tmp/err")"

# with every package there (test.sh ran deps.sh --test as root first)
code=0
"${as_user[@]}" env -i PATH=/usr/bin:/bin /bin/bash "$tmp/deps.sh" >"$tmp/out" 2>&1 || code=$?
[ "$code" -eq 0 ] && [ ! -s "$tmp/out" ] || fail "deps.sh with nothing missing: exit $code, $(cat "$tmp/out")"

# the demo's path, as the user, on the embedded instance
# (a clean environment: libpq's variables of the test cluster would name it)
user=$("${as_user[@]}" id -un)
cz() {
	(cd "$tmp" && "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$tmp" \
		./cruscotto "$@" --state-dir "$tmp/var" -q)
}
cz init >/dev/null || fail "cruscotto init as $user failed"
cz import demo >/dev/null || fail "import as the user failed"
cz report --policy QUA --period 2018-Q4 --out "$tmp/out.d" --format pdf,json,csv ||
	fail "report as the user failed"
for f in policy.pdf policy.json scorecards.csv dcat.json agreements/QUA-01.json; do
	[ -s "$tmp/out.d/QUA/2018-Q4/$f" ] || fail "the demo did not write $f"
done
owner=$(stat -c %U "$tmp/var/data")
[ "$owner" = "$user" ] || fail "the instance's data belongs to $owner"
cz db stop || fail "db stop as the user failed"
code=0
cz db status >/dev/null || code=$?
[ "$code" -eq 3 ] || fail "db status after stop exited $code, not 3"
echo "scripts: ok: deps.sh tells a user without sudo what root must install; the demo runs as $user"
