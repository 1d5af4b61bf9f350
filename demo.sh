#!/usr/bin/env bash
# From a fresh Debian 12 machine to the demo's scorecards: installs what is
# missing, builds cruscotto, starts its embedded PostgreSQL (state in
# var/demo), loads the bundled demo data (data/demo) afresh and writes the
# 2018-Q4 scorecards of policy QUA, PDF, JSON and the open-data CSV, into
# ./out. It leaves the embedded instance running, and says how to stop it.
set -euo pipefail
cd "$(dirname "$0")"

./deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null || { ninja -C build; exit 1; }

state=var/demo
# The demo is loaded afresh each time: importing the same files twice is
# refused by design, and the demo must always show the same figures.
build/cruscotto db destroy --state-dir "$state"
cz() { build/cruscotto "$@" --state-dir "$state"; }
cz init
cz import data/demo
cz report --policy QUA --period 2018-Q4 --out out --format pdf,json,csv
echo
echo "Demo scorecards written to out/QUA/2018-Q4/ (policy.pdf, policy.json, agreements/,"
echo "scorecards.csv and dcat.json)."
echo "Try: build/cruscotto compute --state-dir $state --policy QUA --period 2018-Q4"
echo
echo "Left running: the demo's embedded PostgreSQL (data in $state, Unix socket only, no TCP port)."
echo "Stop it with: build/cruscotto db stop --state-dir $state"
