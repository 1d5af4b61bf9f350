#!/usr/bin/env bash
# Runs every test of cruscotto: installs what is missing, builds the project
# twice (plain, and with AddressSanitizer + UndefinedBehaviorSanitizer),
# starts a throwaway PostgreSQL cluster, runs the unit and db suites in both
# builds and once more under valgrind, then removes the cluster. Every test
# the project defines must run in each of the three: one that did not (or
# skipped) fails the run, named. Ends with one line:
#   tests: N passed, N failed
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

./deps.sh --test

# The OpenAPI linter of the contract tests, from npm, kept in a folder of
# this tree (ignored by git) and reused while it is the pinned version.
redocly_version=2.77.0
tools=$root/build-tools/npm
redocly=$tools/node_modules/.bin/redocly
if ! { [ -x "$redocly" ] && "$redocly" --version 2>/dev/null | grep -qx "$redocly_version"; }; then
	mkdir -p "$tools"
	if ! npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
		"@redocly/cli@$redocly_version" >"$tools/install.log" 2>&1; then
		cat "$tools/install.log"
		echo "tests: 0 passed, 1 failed (npm could not install @redocly/cli)"
		exit 1
	fi
fi
export CRUSCOTTO_REDOCLY=$redocly

build() { # build DIR [meson options...]: quiet, but the whole log on failure
	local dir=$1 log
	shift
	log=$(mktemp)
	# an existing build is reconfigured: the packages found may have changed
	# since it was set up (e.g. by ./demo.sh, before the test packages)
	if [ -f "$dir/build.ninja" ]; then
		set -- --reconfigure "$@"
	fi
	if ! meson setup "$dir" "$@" >"$log" 2>&1 || ! ninja -C "$dir" >>"$log" 2>&1; then
		cat "$log"
		echo "tests: 0 passed, 1 failed (the build in $dir failed)"
		rm -f "$log"
		exit 1
	fi
	rm -f "$log"
}
build build
build build-asan -Db_sanitize=address,undefined -Db_lundef=false

# Test-only tools from npm (axe-core, puppeteer-core) into a folder of the
# build: installed once per package.json, never fetched while tests run.
node_dir=$root/build/test-node
if ! cmp -s tests/a11y/package.json "$node_dir/package.json" ||
	[ ! -f "$node_dir/node_modules/axe-core/axe.min.js" ]; then
	rm -rf "$node_dir"
	mkdir -p "$node_dir"
	cp tests/a11y/package.json "$node_dir/package.json"
	if ! (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error >npm.log 2>&1); then
		cat "$node_dir/npm.log"
		rm -f "$node_dir/package.json"
		echo "tests: 0 passed, 1 failed (npm install of the browser test tools failed)"
		exit 1
	fi
fi
export CRUSCOTTO_TEST_NODE=$node_dir

# The throwaway cluster: Unix socket only, in its own folder. initdb and
# postgres refuse to run as root, so as root they run as Debian's postgres;
# anyone else runs them as themselves.
pgbin=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
[ -x "$pgbin/initdb" ] || pgbin=/usr/lib/postgresql/15/bin
cluster=$(mktemp -d /tmp/cruscotto-test.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	chown postgres: "$cluster"
	as_pg=(runuser -u postgres --)
fi
stop_cluster() {
	"${as_pg[@]}" "$pgbin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$cluster"
}
trap stop_cluster EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 \
	--locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 || { cat "$cluster/initdb.log"; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
	-o "-c listen_addresses='' -c unix_socket_directories=$cluster -c fsync=off -c max_connections=200" \
	start >/dev/null
export PGHOST=$cluster PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
export CRUSCOTTO_TEST_PGBIN=$pgbin CRUSCOTTO_TEST_CLUSTER=$cluster

# The suites the project defines: each must have tests in every build.
suites=(unit db)

passed=0 failed=0
run() { # run LABEL -C DIR meson-test-args...
	local label=$1 dir=$3 log defined ran name suite
	shift
	log=$(mktemp)
	defined=$(meson test -C "$dir" --no-rebuild --list 2>/dev/null | grep -E '^[^ ]+:[^ ]+ / ' || true)
	if meson test "$@" --print-errorlogs >"$log" 2>&1; then :; fi
	grep -E '^ *[0-9]+/[0-9]+ ' "$log" | sed "s/^/[$label] /" || true
	local ok fail
	ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	fail=$(awk '/^(Fail|Timeout|Unexpected Pass): */ {s += $NF} END {print s + 0}' "$log")
	if [ "${fail:-0}" -ne 0 ] || [ -z "$ok" ]; then
		sed -n '/^=* *[0-9]*\/[0-9]* .*FAIL\|stderr\|stdout/,$p' "$log" | tail -80
	fi
	passed=$((passed + ${ok:-0}))
	failed=$((failed + ${fail:-0}))
	[ -n "$ok" ] || failed=$((failed + 1))
	# a test that is defined but reported no result, or skipped, did not run
	ran=$(grep -E '^ *[0-9]+/[0-9]+ ' "$log" | grep -vE ' SKIP ' |
		sed -E 's/^ *[0-9]+\/[0-9]+ +([^ ]+ \/ [^ ]+) .*/\1/' || true)
	for suite in "${suites[@]}"; do
		if ! grep -q ":$suite / " <<<"$defined"; then
			echo "[$label] suite $suite: no test defined (is the build configured?)"
			failed=$((failed + 1))
		fi
	done
	while IFS= read -r name; do
		[ -n "$name" ] || continue
		if ! grep -qxF -- "$name" <<<"$ran"; then
			echo "[$label] $name did not run"
			failed=$((failed + 1))
		fi
	done <<<"$defined"
	rm -f "$log"
}
run plain -C build
run asan -C build-asan
CK_FORK=no run valgrind -C build --no-rebuild --timeout-multiplier 10 \
	--wrap="valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --quiet"

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
