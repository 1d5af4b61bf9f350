#!/usr/bin/env bash
# Runs a Python test natively: under `meson test --wrap=valgrind` this shell
# runs under valgrind, which does not follow the exec.
exec python3 "$@"
