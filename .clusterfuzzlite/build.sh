#!/bin/bash -eu
# ClusterFuzzLite (and OSS-Fuzz) build script: builds every cargo-fuzz target
# and puts into $OUT, for each target T (each binary of fuzz/Cargo.toml, what
# `cargo fuzz list` lists):
#
#   T                   the libFuzzer binary (`cargo fuzz build -O`)
#   T.dict              its dictionary
#   T.options           libFuzzer options: that dictionary, max_len and the
#                       limits scripts/fuzz-campaign runs with
#   T_seed_corpus.zip   its committed seed folders, flat, each file named
#                       <folder>-<file> with the folder's path under corpus/
#                       ("valid-...", "server-valid-..."; never README.md or
#                       the .expected files)
#
# Dictionary, seed folders and limits come from fuzz/targets.sh, which
# scripts/fuzz-campaign reads too. No target needs a file beside it: the one
# that reads the official schema uses the extract embedded in the library.
#
# The builder runs it as `bash -eux $SRC/build.sh` from the Dockerfile's
# WORKDIR (the checkout), with SRC, OUT, WORK, RUSTFLAGS (sanitizer flags) and
# a nightly RUSTUP_TOOLCHAIN set; CARGO_TARGET_DIR is honoured when set, and
# SANITIZER=none (not a builder value) builds without a sanitizer, for a
# machine with only stable Rust.
# tests/clusterfuzzlite_build.sh runs it the same way on this machine.
set -euo pipefail

ROOT=$PWD
if [ ! -f "$ROOT/fuzz/Cargo.toml" ]; then
  ROOT=$SRC/realtime-harness
fi
cd "$ROOT"
# shellcheck source=../fuzz/targets.sh
. fuzz/targets.sh

# The builder asks for AddressSanitizer (the only one Rust supports there),
# which cargo-fuzz applies by default; SANITIZER=none is this repository's
# own value, for a machine with only a stable toolchain (the local test).
fuzz_flags=(-O --debug-assertions)
if [ "${SANITIZER:-address}" = none ]; then
  fuzz_flags+=(--sanitizer none)
fi
cargo fuzz build "${fuzz_flags[@]}"

# The targets (fuzz_targets reads `cargo metadata`: the builder's `cargo`
# wrapper turns every `cargo fuzz` into a build in coverage mode, so `cargo
# fuzz list` would list nothing there) and where cargo put them: the fuzz
# workspace's target directory (it follows CARGO_TARGET_DIR), the host
# triple, release. The coverage build copies its binaries to the same place.
mapfile -t targets < <(fuzz_targets)
target_dir=$(cargo metadata --manifest-path fuzz/Cargo.toml --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
triple=$(rustc -vV | sed -n 's/^host: //p')
bin_dir=$target_dir/$triple/release

# Writes the zip $1 holding the files of folders $2..., flat, each named
# <folder>-<file> with the folder's path under corpus/ ('/' as '-'), so that
# names from different folders cannot collide.
# Leaves out README.md and the .expected files (not inputs).
seed_zip() {
  local zip_path=$1
  shift
  local stage=$WORK/seeds/$(basename "$zip_path" .zip)
  rm -rf "$stage" "$zip_path"
  mkdir -p "$stage"
  local dir f
  for dir in "$@"; do
    [ -d "$dir" ] || continue
    for f in "$dir"/*; do
      [ -f "$f" ] || continue
      case "$f" in */README.md | *.expected) continue ;; esac
      local folder=${dir#corpus/}
      cp "$f" "$stage/${folder//\//-}-$(basename "$f")"
    done
  done
  if command -v zip >/dev/null; then
    (cd "$stage" && zip -q -X "$zip_path" ./*)
  else
    python3 - "$stage" "$zip_path" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(stage)):
        z.write(os.path.join(stage, name), name)
PY
  fi
}

for t in "${targets[@]}"; do
  cp "$bin_dir/$t" "$OUT/$t"
  cp "$(fuzz_dictionary_for "$t")" "$OUT/$t.dict"
  cat >"$OUT/$t.options" <<EOF
[libfuzzer]
dict = $t.dict
max_len = $(fuzz_max_len "$t")
timeout = $FUZZ_TIMEOUT
rss_limit_mb = $FUZZ_RSS_LIMIT_MB
malloc_limit_mb = $FUZZ_MALLOC_LIMIT_MB
EOF
  # shellcheck disable=SC2046 # the folder list is split on purpose
  seed_zip "$OUT/${t}_seed_corpus.zip" $(fuzz_seed_dirs_for "$t")
done
