#!/usr/bin/env bash
# browser: the council's page as a real browser renders it. Imports the demo
# into a fresh test database, publishes two periods (one of them twice),
# starts `cruscotto serve` on a free loopback port and loads / in headless
# Chromium: the rendered DOM must list the published periods and link every
# scorecard, the links must answer, and a phone-sized screenshot of the page
# is written to $CRUSCOTTO_SCREENSHOT (default: council-page.png in the
# working folder, the build folder under meson; the README shows the stored
# pages instead, see html_pages.sh). Skipped (exit 77) only
# when Chromium is not installed; `./deps.sh --test` installs it.
#
# Environment: CRUSCOTTO_BIN (the binary), CRUSCOTTO_SOURCE_ROOT, and the
# libpq variables of the throwaway cluster that test.sh starts.
set -euo pipefail

# Under `meson test --wrap=valgrind` this shell itself would run under
# valgrind (and be judged by it): exec'ing a fresh shell leaves valgrind
# behind, as it does not trace children.
if [ -z "${CR_BROWSER_NATIVE:-}" ]; then
	CR_BROWSER_NATIVE=1 exec /bin/bash "$0" "$@"
fi

bin=${CRUSCOTTO_BIN:?CRUSCOTTO_BIN is not set}
root=${CRUSCOTTO_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
pgbin=${CRUSCOTTO_TEST_PGBIN:-/usr/lib/postgresql/15/bin}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "browser: SKIP: chromium is not installed (./deps.sh --test installs it)"
	exit 77
fi

tmp=$(mktemp -d /tmp/crtest-browser.XXXXXX)
db=crtest_browser_$$
server=
cleanup() {
	if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
		kill -TERM "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	"$pgbin/dropdb" --if-exists --force "$db" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "browser: FAIL: $*" >&2
	for f in serve.log chromium.log; do
		[ -s "$tmp/$f" ] && { echo "--- $f" >&2; tail -30 "$tmp/$f" >&2; }
	done
	exit 1
}

cz() { "$bin" "$@" -q --db "dbname=$db"; }
"$pgbin/createdb" "$db"
cz init >/dev/null
cz import "$root/data/demo" >/dev/null
cz publish --policy QUA --period 2018-Q3 >/dev/null
cz publish --policy QUA --period 2018-Q4 >/dev/null
cz publish --policy QUA --period 2018-Q4 >/dev/null

# the log exists before the server does: the background job opens it later
: >"$tmp/serve.log"
"$bin" serve -q --db "dbname=$db" --listen 127.0.0.1:0 2>"$tmp/serve.log" &
server=$!
port=
for _ in $(seq 1 300); do
	port=$(sed -n 's|.*serving published revisions on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
		"$tmp/serve.log")
	[ -n "$port" ] && break
	kill -0 "$server" 2>/dev/null || fail "cruscotto serve exited"
	sleep 0.1
done
[ -n "$port" ] || fail "cruscotto serve did not start"
url="http://127.0.0.1:$port/"

# Chromium keeps its profile, caches and crash reports to itself.
browse() {
	HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache \
		timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" "$@" \
		2>>"$tmp/chromium.log"
}

browse --dump-dom "$url" >"$tmp/dom.html" || fail "chromium --dump-dom failed"
dom=$tmp/dom.html
expect() { # expect TEXT WHAT
	grep -qF -- "$1" "$dom" || fail "the rendered page lacks $2 ($1)"
}
expect '<html lang="it">' "the Italian language"
expect 'Risultati pubblicati' "the title"
expect 'data-period="2018-Q4"' "the period 2018-Q4"
expect 'data-period="2018-Q3"' "the period 2018-Q3"
expect '4º trimestre 2018' "the period's name"
expect 'revisione 2' "the latest revision of 2018-Q4"
expect 'href="api/v1/policies/QUA/scorecards/2018-Q4.pdf"' "the policy's PDF"
expect 'href="api/v1/policies/QUA/scorecards/2018-Q4"' "the policy's JSON"
expect 'href="api/v1/policies/QUA/scorecards/2018-Q4.pdf?revision=1"' "the earlier revision"
expect 'href="api/v1/agreements/' "the agreements' scorecards"

# every scorecard of the latest revisions has its PDF and JSON link
agreements=$(grep -o 'href="api/v1/agreements/[^"]*\.pdf"' "$dom" | sort -u | wc -l)
[ "$agreements" -ge 2 ] || fail "only $agreements agreement PDF link(s)"
pdfs=$(grep -o 'class="pdf"' "$dom" | wc -l)
jsons=$(grep -o 'class="json"' "$dom" | wc -l)
[ "$pdfs" -eq "$jsons" ] || fail "$pdfs PDF links but $jsons JSON links"

# the links answer, with the right types
if command -v curl >/dev/null; then
	check() { # check PATH TYPE
		local got
		got=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code} %{content_type}' "$url$1")
		[ "$got" = "200 $2" ] || fail "GET /$1: $got"
	}
	check api/v1/policies/QUA/scorecards/2018-Q4.pdf application/pdf
	check "api/v1/policies/QUA/scorecards/2018-Q4?revision=1" "application/json; charset=utf-8"
	first=$(grep -o 'href="api/v1/agreements/[^"]*\.pdf"' "$dom" | head -1 | sed 's/^href="//; s/"$//')
	check "$first" application/pdf
fi

# a phone-sized screenshot, replaced whole or not at all
shot=${CRUSCOTTO_SCREENSHOT:-$PWD/council-page.png}
browse --screenshot="$tmp/council-page.png" --window-size=412,900 --hide-scrollbars "$url" \
	>/dev/null || fail "chromium --screenshot failed"
[ "$(head -c 8 "$tmp/council-page.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
	fail "the screenshot is not a PNG"
cp "$tmp/council-page.png" "$shot.tmp"
mv "$shot.tmp" "$shot"

# the server logged the browser's request and stops cleanly on SIGTERM
grep -q ' GET / 200 ' "$tmp/serve.log" || fail "no access-log line for GET /"
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=
[ "$status" -eq 0 ] || fail "cruscotto serve exited with $status on SIGTERM"
grep -q 'SIGTERM received, stopping' "$tmp/serve.log" || fail "no graceful stop"
echo "browser: ok: the page lists 2 periods and $agreements agreement scorecard(s) on port $port;" \
	"screenshot in $shot"
