#!/usr/bin/env bash
# Under `meson test --wrap=valgrind` this shell runs under valgrind, which
# does not follow the exec: the contract checks run natively.
exec python3 "$(dirname "$0")/contracts.py" "$@"
