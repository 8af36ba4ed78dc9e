#!/bin/bash -eu
# ClusterFuzzLite (and OSS-Fuzz) build script: builds every cargo-fuzz target
# and puts into $OUT, for each target T (each binary of fuzz/Cargo.toml, what
# `cargo fuzz list` lists):
#
#   T                   the libFuzzer binary (`cargo fuzz build -O`)
#   T.dict              its dictionary: fuzz/<prefix>.dict for the longest
#                       <prefix>_ that starts T, else fuzz/client_event.dict
#                       (the one scripts/fuzz-campaign gives every target)
#   T.options           libFuzzer options: that dictionary and the limits
#                       scripts/fuzz-campaign runs with
#   T_seed_corpus.zip   the committed frames, flat: corpus/server/{valid,invalid}
#                       for server_event_* targets, corpus/{valid,invalid,
#                       regressions} for the others (never the .expected files)
#
# The builder runs it as `bash -eux $SRC/build.sh` from the Dockerfile's
# WORKDIR (the checkout), with SRC, OUT, WORK, RUSTFLAGS (sanitizer flags) and
# a nightly RUSTUP_TOOLCHAIN set; CARGO_TARGET_DIR is honoured when set, and
# SANITIZER=none (not a builder value) builds without a sanitizer, for a
# machine with only stable Rust.
# tests/clusterfuzzlite_build.sh runs it the same way on this machine.
#
# Targets that read the official schema (SPEC_TARGETS, the same list as in
# scripts/fuzz-campaign) are copied only when the schema is found at build
# time ($REALTIME_HARNESS_SPEC, else ../shared/spec beside the checkout); the
# schema is then copied beside them, where the binary looks for it. Without it
# such a target would report a crash on its first passing frame, so it is left
# out, and the log says so.
set -euo pipefail

ROOT=$PWD
if [ ! -f "$ROOT/fuzz/Cargo.toml" ]; then
  ROOT=$SRC/realtime-harness
fi
cd "$ROOT"

SPEC_TARGETS="validator_schema_agrees"
# The largest input libFuzzer builds; scripts/fuzz-campaign's default.
MAX_LEN=65536

# The builder asks for AddressSanitizer (the only one Rust supports there),
# which cargo-fuzz applies by default; SANITIZER=none is this repository's
# own value, for a machine with only a stable toolchain (the local test).
fuzz_flags=(-O --debug-assertions)
if [ "${SANITIZER:-address}" = none ]; then
  fuzz_flags+=(--sanitizer none)
fi
cargo fuzz build "${fuzz_flags[@]}"

# The targets and where cargo put them, from `cargo metadata`: the fuzz
# crate's binaries (what `cargo fuzz list` lists; that command itself cannot
# be used, since the builder's `cargo` wrapper turns every `cargo fuzz` into
# a build in coverage mode) and its target directory (it follows
# CARGO_TARGET_DIR), under the host triple, release. The coverage build
# copies its binaries to the same place.
metadata=$WORK/fuzz-metadata.json
cargo metadata --manifest-path fuzz/Cargo.toml --format-version 1 --no-deps >"$metadata"
target_dir=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["target_directory"])' "$metadata")
mapfile -t targets < <(python3 - "$metadata" <<'PY'
import json, sys
for package in json.load(open(sys.argv[1]))["packages"]:
    for target in package["targets"]:
        if "bin" in target["kind"]:
            print(target["name"])
PY
)
triple=$(rustc -vV | sed -n 's/^host: //p')
bin_dir=$target_dir/$triple/release

spec=${REALTIME_HARNESS_SPEC:-$ROOT/../shared/spec/openai-realtime.openapi.json}
spec_found=0
if [ -f "$spec" ]; then
  spec_found=1
  cp "$spec" "$OUT/openai-realtime.openapi.json"
fi

# The dictionary of target $1: the longest fuzz/<prefix>.dict whose prefix
# and an underscore start the target's name.
dictionary_for() {
  local t=$1 best="" d prefix
  for d in fuzz/*.dict; do
    prefix=$(basename "$d" .dict)
    case "$t" in
      "$prefix"_*) [ ${#prefix} -gt ${#best} ] && best=$prefix ;;
    esac
  done
  echo "fuzz/${best:-client_event}.dict"
}

# The seed folders of target $1.
seed_dirs_for() {
  case "$1" in
    server_event_*) echo corpus/server/valid corpus/server/invalid ;;
    *) echo corpus/valid corpus/invalid corpus/regressions ;;
  esac
}

# Writes the zip $1 holding the files of folders $2..., flat, each named
# <folder>-<file> so that names from different folders cannot collide.
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
      cp "$f" "$stage/$(basename "$dir")-$(basename "$f")"
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
  case " $SPEC_TARGETS " in *" $t "*)
    if [ "$spec_found" = 0 ]; then
      echo "build.sh: NOT COPIED: $t needs the official schema, absent at $spec (set REALTIME_HARNESS_SPEC)" >&2
      continue
    fi ;;
  esac
  cp "$bin_dir/$t" "$OUT/$t"
  cp "$(dictionary_for "$t")" "$OUT/$t.dict"
  # The limits scripts/fuzz-campaign runs with: a slow or memory-hungry
  # input is a finding like a panic.
  cat >"$OUT/$t.options" <<EOF
[libfuzzer]
dict = $t.dict
max_len = $MAX_LEN
timeout = 10
rss_limit_mb = 2048
malloc_limit_mb = 256
EOF
  # shellcheck disable=SC2046 # the folder list is split on purpose
  seed_zip "$OUT/${t}_seed_corpus.zip" $(seed_dirs_for "$t")
done
