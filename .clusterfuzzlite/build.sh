#!/bin/bash -eu
# Builds interp's fuzz targets for ClusterFuzzLite / OSS-Fuzz. The base image
# sets the sanitizer ($SANITIZER) and coverage flags that cargo-fuzz passes on.
cd "$SRC/interp"

cargo fuzz build -O --debug-assertions

release=fuzz/target/x86_64-unknown-linux-gnu/release
for target in differential execute validate; do
  cp "$release/$target" "$OUT/"
  # Seed corpus: the saved findings. Raw inputs replay as they are; modules
  # (.wasm) are valid inputs too, if not in the input format of every target.
  regressions="fuzz/regressions/$target"
  if compgen -G "$regressions/*" > /dev/null; then
    (cd "$regressions" && find . -maxdepth 1 -type f ! -name '*.wat' ! -name '*.md' -print0 \
      | xargs -0 -r zip -q "$OUT/${target}_seed_corpus.zip")
  fi
done
