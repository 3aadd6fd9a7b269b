#!/usr/bin/env bash
# Rebuilds the guests of the compiled-program benchmark and checks them.
#
#   interp/benches/compiled/build.sh
#
# 1. Builds every program in src/bin/ for wasm32-wasip1 in release mode and
#    copies the modules to wasm/ (committed; rebuilding with the same rustc
#    gives the same bytes, so `git status` shows nothing after a rebuild).
# 2. Builds the same source natively (x86_64) and runs every program of
#    programs.txt at its `quick` and `full` sizes, writing what each
#    printed to checksums.txt. That file is the reference: the runner
#    (benches/runner/) checks both engines against it at those sizes, and
#    interp/tests/compiled_programs.rs checks interp at the quick size.
#
# Needs the Rust toolchain recorded in checksums.txt (another rustc gives
# other .wasm bytes, though it must give the same checksums) with the
# wasm32-wasip1 target (`rustup target add wasm32-wasip1`).
# Builds into $CARGO_TARGET_DIR/bench-guests, or target/ beside this file.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
target_dir=${CARGO_TARGET_DIR:-$here/target}/bench-guests
rustc_version=$(rustc -V)
recorded=$(sed -n 's/^# built with //p' checksums.txt 2>/dev/null || true)
if [[ -n "$recorded" && "$recorded" != "$rustc_version" ]]; then
    echo "build.sh: note: wasm/ was built with $recorded, this is $rustc_version;" >&2
    echo "build.sh: the .wasm bytes will change (the checksums must not)." >&2
fi

# A fixed environment: no flags from the caller's RUSTFLAGS.
export RUSTFLAGS=""
export CARGO_ENCODED_RUSTFLAGS=""
cargo build --quiet --locked --release --target wasm32-wasip1 --target-dir "$target_dir"
cargo build --quiet --locked --release --target-dir "$target_dir"

mkdir -p wasm
rm -f wasm/*.wasm
for source in src/bin/*.rs; do
    name=$(basename "$source" .rs)
    install -m 644 "$target_dir/wasm32-wasip1/release/$name.wasm" "wasm/$name.wasm"
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
{
    echo "# What the native (x86_64) build of each program prints, by build.sh."
    echo "# built with $rustc_version"
    echo "# name size checksum"
    grep -v '^#' programs.txt | while read -r name full quick _; do
        [[ -n "$name" ]] || continue
        for size in "$quick" "$full"; do
            echo "$name $size $("$target_dir/release/$name" "$size")"
        done
    done
} > "$out"
mv "$out" checksums.txt
trap - EXIT
echo "build.sh: $(ls wasm | wc -l) modules in wasm/, $(grep -vc '^#' checksums.txt) native checksums in checksums.txt"
