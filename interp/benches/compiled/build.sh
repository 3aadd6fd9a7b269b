#!/usr/bin/env bash
# Rebuilds the compiled guests and records what their native builds print.
#
#   interp/benches/compiled/build.sh
#
# 1. Builds every program in src/bin/ and simd/src/bin/ for wasm32-wasip1 in
#    release mode and copies the modules to wasm/ (committed; rebuilding with
#    the same rustc gives the same bytes, so `git status` shows nothing after
#    a rebuild). The programs of simd/ (the `simd-guests` package) are built
#    with `-C target-feature=+simd128`, in a target folder of their own.
# 2. Builds the same source natively (x86_64) and runs every program of
#    programs.txt at its `quick` and `full` sizes, writing what each
#    printed to checksums.txt. That file is the reference: the runner
#    (benches/runner/) checks both engines against it at those sizes, and
#    interp/tests/compiled_programs.rs checks interp at the quick size.
# 3. Runs every line of real-programs.txt natively in this folder and writes
#    its stdout to expected/NAME.txt, which the same test compares with
#    interp's.
#
# Needs the Rust toolchain recorded in checksums.txt (another rustc gives
# other .wasm bytes, though it must give the same checksums) with the
# wasm32-wasip1 target (`rustup target add wasm32-wasip1`), and the crates
# of Cargo.lock (fetched by cargo from crates.io).
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

# A fixed environment: no flags from the caller. (Cargo reads
# CARGO_ENCODED_RUSTFLAGS before RUSTFLAGS, so each build sets the former.)
unset RUSTFLAGS
CARGO_ENCODED_RUSTFLAGS="" cargo build --quiet --locked --release --target wasm32-wasip1 \
    --target-dir "$target_dir" -p bench-guests
# The SIMD guests use a crates.io crate: its source paths (in panic
# locations) are written relative to a fixed name, not this machine's
# cargo home. (Flags in CARGO_ENCODED_RUSTFLAGS are separated by 0x1f.)
cargo_home=${CARGO_HOME:-$HOME/.cargo}
simd_flags=$(printf '%s\x1f%s' "-Ctarget-feature=+simd128" "--remap-path-prefix=$cargo_home=/cargo-home")
CARGO_ENCODED_RUSTFLAGS="$simd_flags" cargo build --quiet --locked --release \
    --target wasm32-wasip1 --target-dir "$target_dir/simd128" -p simd-guests
CARGO_ENCODED_RUSTFLAGS="" cargo build --quiet --locked --release --target-dir "$target_dir" --workspace

mkdir -p wasm
rm -f wasm/*.wasm
for source in src/bin/*.rs; do
    name=$(basename "$source" .rs)
    install -m 644 "$target_dir/wasm32-wasip1/release/$name.wasm" "wasm/$name.wasm"
done
for source in simd/src/bin/*.rs; do
    name=$(basename "$source" .rs)
    install -m 644 "$target_dir/simd128/wasm32-wasip1/release/$name.wasm" "wasm/$name.wasm"
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

mkdir -p expected
rm -f expected/*.txt
grep -v '^#' real-programs.txt | while read -r name guest args; do
    [[ -n "$name" ]] || continue
    # Word splitting of $args is intended: the arguments contain no spaces.
    # shellcheck disable=SC2086
    "$target_dir/release/$guest" $args > "expected/$name.txt"
done
echo "build.sh: $(ls wasm | wc -l) modules in wasm/, $(grep -vc '^#' checksums.txt) native checksums in checksums.txt, $(ls expected | wc -l) native outputs in expected/"
