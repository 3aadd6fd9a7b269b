#!/bin/sh
# Builds fileops.wasm from fileops.c with Debian's clang and wasi-libc:
#   apt-get install clang lld wasi-libc libclang-rt-dev-wasm32
# The .wasm is committed so tests never need the toolchain. expected.txt is
# what the same source prints when built for the host (cc fileops.c) and run
# on a fresh copy of the test's directory.
set -eu
cd "$(dirname "$0")"
clang --target=wasm32-wasi -O2 -Wall -Wl,--strip-all -o fileops.wasm fileops.c
