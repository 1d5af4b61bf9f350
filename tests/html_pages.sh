#!/usr/bin/env bash
# html_pages: the HTML scorecards of the demo, written by `report --format
# html` in both locales, checked as a council member's browser and a
# validator see them:
#   - every agreement's title is `<script>alert(1)</script> & "quotes"`: it
#     shows as text on the agreements' pages (h1, the charts' text
#     alternative), on the policy page and on the ranking page, and no page
#     holds a <script>;
#   - every page passes `tidy -errors -quiet` (no error, no warning);
#   - the policy page with its stylesheet weighs at most 150 kB;
#   - axe-core in headless Chromium finds zero WCAG 2.0/2.1 A and AA
#     violations on the policy, an agreement, a neighbourhood and a ranking
#     page, in Italian and in English;
#   - the same pages published and served by `serve` (the period's page, an
#     agreement's and a neighbourhood's, with the council's home page, the policy's
#     revisions page and a search's results) escape the title, carry CSP and
#     nosniff, and pass tidy and axe;
#   - a keyboard user tabs through the policy page and reaches every link
#     and control, with visible focus, and the skip link leads to the content;
#   - CRUSCOTTO_SCREENSHOTS=DIR also writes phone (390 px) and desktop
#     (1280 px) pictures of the policy page to DIR (the README's).
# axe-core and puppeteer-core come from npm into $CRUSCOTTO_TEST_NODE
# (test.sh installs them from tests/a11y/package.json); nothing is loaded
# from the network while the test runs, and their absence fails the test.
#
# Environment: CRUSCOTTO_BIN, CRUSCOTTO_SOURCE_ROOT, CRUSCOTTO_TEST_NODE,
# and the libpq variables of the throwaway cluster that test.sh starts.
set -euo pipefail

# Under `meson test --wrap=valgrind` this shell would itself run under
# valgrind: a fresh shell leaves it behind (the binary is checked by the
# other tests under valgrind).
if [ -z "${CR_HTML_NATIVE:-}" ]; then
	CR_HTML_NATIVE=1 exec /bin/bash "$0" "$@"
fi

bin=${CRUSCOTTO_BIN:?CRUSCOTTO_BIN is not set}
root=${CRUSCOTTO_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
pgbin=${CRUSCOTTO_TEST_PGBIN:-/usr/lib/postgresql/15/bin}
node_dir=${CRUSCOTTO_TEST_NODE:-}

fail() {
	echo "html_pages: FAIL: $*" >&2
	exit 1
}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || fail "chromium is not installed (./deps.sh --test installs it)"
command -v tidy >/dev/null || fail "tidy is not installed (./deps.sh --test installs it)"
command -v node >/dev/null || fail "node is not installed (./deps.sh --test installs it)"
[ -n "$node_dir" ] || fail "CRUSCOTTO_TEST_NODE is not set (test.sh installs axe-core there)"
[ -f "$node_dir/node_modules/axe-core/axe.min.js" ] ||
	fail "axe-core is missing in $node_dir (test.sh installs it from tests/a11y/package.json)"
[ -d "$node_dir/node_modules/puppeteer-core" ] ||
	fail "puppeteer-core is missing in $node_dir (test.sh installs it)"

tmp=$(mktemp -d /tmp/crtest-html.XXXXXX)
db=crtest_html_$$
cleanup() {
	"$pgbin/dropdb" --if-exists --force "$db" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# The demo, with a hostile title for every agreement (so that it is also
# among the policy page's first ranks).
hostile='<script>alert(1)</script> & "quotes"'
escaped='&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;'
cp -r "$root/data/demo" "$tmp/data"
python3 - "$root/data/demo/agreements.csv" "$tmp/data/agreements.csv" "$hostile" <<'PY'
import csv, sys
src, dst, title = sys.argv[1:4]
with open(src, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
col = rows[0].index("title")
for r in rows[1:]:
    r[col] = title
with open(dst, "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
PY
grep -qF "$hostile" <(sed 's/""/"/g' "$tmp/data/agreements.csv") || fail "could not plant the title"

cz() { "$bin" "$@" -q --db "dbname=$db"; }
"$pgbin/createdb" "$db"
cz init >/dev/null
cz import "$tmp/data" >/dev/null || fail "import of the demo failed"
for loc in it en; do
	cz report --policy QUA --period 2018-Q4 --out "$tmp/$loc" --format pdf,json,html \
		--locale "$loc" || fail "report --format html --locale $loc failed"
done
dir_it=$tmp/it/QUA/2018-Q4
dir_en=$tmp/en/QUA/2018-Q4
for d in "$dir_it" "$dir_en"; do
	for f in index.html cruscotto.css ranking/1.html agreements/QUA-03.html \
		agreements/QUA-03.pdf policy.json; do
		[ -s "$d/$f" ] || fail "$d/$f was not written"
	done
	# one page per quartiere the demo's agreements cover
	for f in "$d"/neighbourhoods/*.json; do
		[ -s "${f%.json}.html" ] || fail "${f%.json}.html was not written"
	done
done
pages=$(find "$tmp/it" "$tmp/en" -name '*.html' | sort)
n_pages=$(echo "$pages" | wc -l)
# pages a locale: the policy, 1 ranking page, 24 agreements in scope, and
# the neighbourhoods' pages
[ "$n_pages" -ge 20 ] || fail "only $n_pages pages"

# --- escaping -------------------------------------------------------------
for f in $pages; do
	if grep -qi '<script' "$f"; then fail "$f holds a <script>"; fi
done
for d in "$dir_it" "$dir_en"; do
	for f in "$d"/agreements/*.html; do
		grep -qF "<h1>$escaped</h1>" "$f" || fail "no escaped h1 in $f"
		# in the text alternative of the charts (the SVG <title>)
		grep -o '<svg[^>]*><title>[^<]*' "$f" | grep -qF "$escaped" ||
			fail "the SVG of $f lacks the title as text"
	done
	grep -qF "$escaped" "$d/index.html" || fail "the policy page lacks the escaped title"
	grep -qF "$escaped" "$d/ranking/1.html" || fail "the ranking page lacks the escaped title"
done

# --- tidy ------------------------------------------------------------------
for f in $pages; do
	if ! out=$(tidy -errors -quiet "$f" 2>&1); then
		fail "tidy: $f: $(echo "$out" | head -5)"
	fi
done

# --- weight ----------------------------------------------------------------
for d in "$dir_it" "$dir_en"; do
	bytes=$(($(stat -c %s "$d/index.html") + $(stat -c %s "$d/cruscotto.css")))
	[ "$bytes" -le 153600 ] || fail "$d/index.html with its stylesheet weighs $bytes bytes (> 150 kB)"
	grep -q '<img\|<link rel="stylesheet" href="http\|src="http' "$d/index.html" &&
		fail "the policy page loads an asset from elsewhere"
done
echo "html_pages: policy page $(stat -c %s "$dir_it/index.html") bytes + stylesheet" \
	"$(stat -c %s "$dir_it/cruscotto.css") bytes"

# --- the same pages published and served --------------------------------------
# `serve` sends the stored pages (and its own pages: the council's, a
# policy's revisions); they are saved with the served layout so that the
# browser below reads them as the council would.
cz publish --policy QUA --period 2018-Q4 >/dev/null || fail "publish failed"
# the log exists before the server does: the background job opens it later
: >"$tmp/serve.log"
"$bin" serve --db "dbname=$db" --listen 127.0.0.1:0 2>"$tmp/serve.log" >/dev/null &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; cleanup' EXIT
served=$tmp/served
neighbourhood=$(basename "$(find "$dir_it/neighbourhoods" -name '*.html' | sort | head -1)")
[ -n "$neighbourhood" ] || fail "no neighbourhood page was written"
python3 - "$tmp/serve.log" "$served" "$escaped" "$neighbourhood" <<'PY' ||
import os, re, sys, time, urllib.request
log, out, escaped, neighbourhood = sys.argv[1:5]
port = None
for _ in range(300):
    m = re.search(r'http://127\.0\.0\.1:(\d+)/', open(log, encoding='utf-8').read())
    if m:
        port = int(m.group(1))
        break
    time.sleep(0.1)
if not port:
    sys.exit('html_pages: cruscotto serve did not start')
for path, name in [('/', 'home.html'), ('/QUA/', 'QUA/index.html'),
                   ('/QUA/2018-Q4/', 'QUA/2018-Q4/index.html'),
                   ('/QUA/2018-Q4/cruscotto.css', 'QUA/2018-Q4/cruscotto.css'),
                   ('/QUA/2018-Q4/agreements/QUA-03.html', 'QUA/2018-Q4/agreements/QUA-03.html'),
                   ('/QUA/2018-Q4/neighbourhoods/' + neighbourhood,
                    'QUA/2018-Q4/neighbourhoods/' + neighbourhood),
                   ('/search?q=%3Cscript%3E&policy=QUA', 'search.html')]:
    with urllib.request.urlopen(f'http://127.0.0.1:{port}{path}') as r:
        body = r.read()
        if r.status != 200 or r.headers.get('X-Content-Type-Options') != 'nosniff':
            sys.exit(f'html_pages: GET {path}: {r.status} {dict(r.headers)}')
        if name.endswith('.html') and (b'<script' in body.lower()):
            sys.exit(f'html_pages: GET {path} holds a <script>')
        # every title is the hostile one: the search finds them, escaped
        if path.startswith('/search') and (b'<li>' not in body or escaped.encode() not in body):
            sys.exit(f'html_pages: GET {path} found nothing, or not escaped')
        if path.startswith('/QUA/2018-Q4/') and name.endswith('.html'):
            if "default-src 'self'" not in r.headers.get('Content-Security-Policy', ''):
                sys.exit(f'html_pages: GET {path}: no CSP default-src self')
            # a neighbourhood's page names its covering agreements by title
            if escaped.encode() not in body:
                sys.exit(f'html_pages: GET {path} lacks the escaped title')
    os.makedirs(os.path.dirname(os.path.join(out, name)), exist_ok=True)
    with open(os.path.join(out, name), 'wb') as f:
        f.write(body)
PY
	fail "the served pages are not right"
kill "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
trap cleanup EXIT
for f in "$served/home.html" "$served/QUA/index.html" "$served/search.html"; do
	if ! out=$(tidy -errors -quiet "$f" 2>&1); then
		fail "tidy: served $(basename "$f"): $(echo "$out" | head -5)"
	fi
done

# --- axe-core and the keyboard, in Chromium ---------------------------------
export CRUSCOTTO_TEST_NODE=$node_dir
browse() {
	HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache \
		timeout 300 node "$root/tests/a11y/check.mjs" "$@"
}
agreement_en=$(find "$dir_en/agreements" -name '*.html' | sort | head -1)
browse axe "$chromium" "$dir_it/index.html" "$dir_it/agreements/QUA-03.html" \
	"$dir_it/ranking/1.html" "$dir_it/neighbourhoods/$neighbourhood" "$dir_en/index.html" \
	"$agreement_en" "$dir_en/ranking/1.html" "$dir_en/neighbourhoods/$neighbourhood" \
	"$served/home.html" "$served/QUA/index.html" "$served/QUA/2018-Q4/index.html" \
	"$served/QUA/2018-Q4/agreements/QUA-03.html" \
	"$served/QUA/2018-Q4/neighbourhoods/$neighbourhood" "$served/search.html" ||
	fail "axe-core found violations"
browse keys "$chromium" "$dir_it/index.html" || fail "the keyboard test failed"

if [ -n "${CRUSCOTTO_SCREENSHOTS:-}" ]; then
	browse shot "$chromium" "$dir_it/index.html" "$CRUSCOTTO_SCREENSHOTS/html-phone.png" 390 &&
		browse shot "$chromium" "$dir_it/index.html" "$CRUSCOTTO_SCREENSHOTS/html-desktop.png" 1280 ||
		fail "screenshots failed"
fi
echo "html_pages: ok: $n_pages pages pass tidy and escape the data; the served pages too;" \
	"zero axe violations" \
	"in both locales; keyboard reaches every link and control"
