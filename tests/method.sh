#!/usr/bin/env bash
# docs/METHOD.md is what `cruscotto catalogue --format md` prints: the
# document that officers cite is the program's own methodology.
# Environment: CRUSCOTTO_BIN, CRUSCOTTO_SOURCE_ROOT.

# Under `meson test --wrap=valgrind` this shell would itself run under
# valgrind (and be judged by it): a fresh shell leaves valgrind behind (the
# binary is checked by the other tests under valgrind).
if [ -z "${CR_METHOD_NATIVE:-}" ]; then
	CR_METHOD_NATIVE=1 exec /bin/bash "$0" "$@"
fi
doc="$CRUSCOTTO_SOURCE_ROOT/docs/METHOD.md"
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$CRUSCOTTO_BIN" catalogue --format md >"$out" || { echo "method: FAIL: cruscotto catalogue failed" >&2; exit 1; }
if ! diff -u "$doc" "$out" >&2; then
	echo "method: FAIL: docs/METHOD.md differs from the program's catalogue (above);" \
		"regenerate it: build/cruscotto catalogue --format md > docs/METHOD.md" >&2
	exit 1
fi
