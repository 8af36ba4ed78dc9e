#!/usr/bin/env bash
# The ClusterFuzzLite build, run here: OSS-Fuzz's images cannot be pulled on
# this machine, so this runs .clusterfuzzlite/build.sh the way the builder
# image runs it (`bash -eux $SRC/build.sh` from the checkout, with SRC, OUT,
# WORK, SANITIZER, RUSTFLAGS and a nightly RUSTUP_TOOLCHAIN set as the
# builder sets them; CARGO_TARGET_DIR pointing at a target directory kept
# between runs), then checks $OUT:
#
#   - every target `cargo fuzz list` names is there and executable, with
#     T.dict (its dictionary in fuzz/targets.sh, byte for byte), T.options
#     naming that dictionary and its max_len, and T_seed_corpus.zip holding
#     only files of the seed folders fuzz/targets.sh gives it (client frames
#     for a client target, server frames for a server one), without
#     README.md or .expected files;
#   - every binary runs its whole seed corpus with its options, from $OUT
#     with no REALTIME_HARNESS_SPEC and nothing beside it (the schema
#     target reads the extract embedded in the library), exits 0 and
#     reports coverage;
#   - the check itself fails on an $OUT with a file missing.
#
#   tests/clusterfuzzlite_build.sh
#
# On the 2-core development machine: about 10 s when nothing changed, 2.5
# minutes in a fresh clone (CI's case: the dependencies are reused from the
# kept target directory, this crate is rebuilt), 7.5 minutes cold; 7.2
# minutes (3.1 min of CPU) for a fresh clone's case with other builds and a
# fuzz campaign sharing the two cores (load average 7).
#
# Needs Rust with cargo-fuzz (installed when missing, as scripts/fuzz-campaign
# does). With a nightly toolchain it builds as the builder does, with
# AddressSanitizer; with only stable it builds without a sanitizer, and says
# so (CFLITE_STABLE=1 takes that path where nightly exists). CFLITE_TARGET_DIR
# overrides the kept target directory (default
# ~/.cache/realtime-harness/clusterfuzzlite-target). Exits non-zero on any
# problem.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=../fuzz/targets.sh
. fuzz/targets.sh

say() { printf '==> %s\n' "$*" >&2; }

if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (cargo install cargo-fuzz --locked)"
  cargo install cargo-fuzz --locked
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export SRC=$TMP/src OUT=$TMP/out WORK=$TMP/work
mkdir -p "$SRC" "$OUT" "$WORK"
cp .clusterfuzzlite/build.sh "$SRC/build.sh"
export CARGO_TARGET_DIR=${CFLITE_TARGET_DIR:-$HOME/.cache/realtime-harness/clusterfuzzlite-target}
export FUZZING_ENGINE=libfuzzer FUZZING_LANGUAGE=rust ARCHITECTURE=x86_64
if [ "${CFLITE_STABLE:-0}" != 1 ] && cargo +nightly --version >/dev/null 2>&1; then
  # What the builder's `compile` exports for SANITIZER=address.
  export RUSTUP_TOOLCHAIN=nightly SANITIZER=address
  export RUSTFLAGS="--cfg fuzzing -Zsanitizer=address -Cdebuginfo=1 -Cforce-frame-pointers"
else
  say "no nightly toolchain: building without AddressSanitizer (the builder uses one)"
  export SANITIZER=none
  export RUSTFLAGS="--cfg fuzzing -Cdebuginfo=1 -Cforce-frame-pointers"
fi
say "$(cargo --version), $(cargo fuzz --version), SANITIZER=$SANITIZER, target dir $CARGO_TARGET_DIR"

start=$(date +%s)
if ! bash -eux "$SRC/build.sh" >"$TMP/build.log" 2>&1; then
  tail -n 40 "$TMP/build.log" >&2
  echo "clusterfuzzlite_build: build.sh failed (log above)" >&2
  exit 1
fi
say "build.sh took $(( $(date +%s) - start )) s"

mapfile -t TARGETS < <(cargo fuzz list)
[ ${#TARGETS[@]} -gt 0 ] || { echo "clusterfuzzlite_build: cargo fuzz list named no target" >&2; exit 1; }

# Prints one line per problem with target $2 in the output folder $1.
problems_with() {
  local out=$1 t=$2
  [ -x "$out/$t" ] || echo "$t: no executable $out/$t"
  if ! cmp -s "$out/$t.dict" "$(fuzz_dictionary_for "$t")"; then
    echo "$t: $t.dict missing or not $(fuzz_dictionary_for "$t")"
  fi
  grep -qx "dict = $t.dict" "$out/$t.options" 2>/dev/null ||
    echo "$t: $t.options missing or does not name $t.dict"
  grep -qx "max_len = $(fuzz_max_len "$t")" "$out/$t.options" 2>/dev/null ||
    echo "$t: $t.options missing or without max_len = $(fuzz_max_len "$t")"
  local zip=$out/${t}_seed_corpus.zip
  if [ ! -s "$zip" ]; then
    echo "$t: no ${t}_seed_corpus.zip"
    return
  fi
  # shellcheck disable=SC2046 # one argument per seed folder
  python3 - "$zip" "$t" $(fuzz_seed_dirs_for "$t") <<'PY'
import sys, zipfile
path, target, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    names = zipfile.ZipFile(path).namelist()
except zipfile.BadZipFile as e:
    sys.exit(print(f"{target}: {path} is not a zip: {e}"))
server = target.startswith("server_event_")
# build.sh names each seed <folder>-<file>, the folder's path under corpus/
# with '/' as '-'; only the folders fuzz/targets.sh gives the target.
folders = tuple(d.removeprefix("corpus/").replace("/", "-") + "-" for d in dirs)
if not any(n.startswith(("valid-", "server-valid-")) for n in names):
    print(f"{target}: its seed corpus has no valid frame")
for n in names:
    if "/" in n or not n.startswith(folders) or n.endswith((".expected", "README.md")):
        print(f"{target}: unexpected seed {n}")
# A server target's seeds are server frames, a client target's client frames.
want = "server" if server else "client"
marker = '"type": "response.' if server else '"type": "input_audio_buffer.'
z = zipfile.ZipFile(path)
if not any(marker in z.read(n).decode("utf-8", "replace") for n in names):
    print(f"{target}: no seed looks like a {want} frame ({marker!r})")
PY
}

failed=0
for t in "${TARGETS[@]}"; do
  found=$(problems_with "$OUT" "$t")
  if [ -n "$found" ]; then
    echo "$found" >&2
    failed=$((failed + 1))
    continue
  fi
  # The binary runs every seed with its options, as the runner would, and
  # away from the checkout: no REALTIME_HARNESS_SPEC, from $OUT.
  seeds=$TMP/seeds/$t
  mkdir -p "$seeds"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$OUT/${t}_seed_corpus.zip" "$seeds"
  options=$(sed -n 's/^\([a-z_]*\) = \(.*\)$/-\1=\2/p' "$OUT/$t.options")
  # shellcheck disable=SC2086 # one libFuzzer flag per options line
  if ! (cd "$OUT" && env -u REALTIME_HARNESS_SPEC "./$t" $options -runs=0 "$seeds" \
        >"$TMP/$t.run.log" 2>&1); then
    tail -n 20 "$TMP/$t.run.log" >&2
    echo "$t: the binary failed on its seed corpus (log above)" >&2
    failed=$((failed + 1))
    continue
  fi
  # libFuzzer's line after running the seeds: coverage above zero shows the
  # binary is instrumented and ran them.
  inited=$(grep -m 1 'INITED cov:' "$TMP/$t.run.log" || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$inited")
  if [ -z "$cov" ] || [ "$cov" -eq 0 ]; then
    tail -n 20 "$TMP/$t.run.log" >&2
    echo "$t: no coverage after its seed corpus (log above)" >&2
    failed=$((failed + 1))
    continue
  fi
  printf '%-30s ok: %s, options, %s seeds run (cov %s)\n' "$t" \
    "$(basename "$(fuzz_dictionary_for "$t")")" "$(ls "$seeds" | wc -l)" "$cov"
done

# Nothing else in $OUT: no target relies on a file beside it (a schema
# copy there would hide a target that cannot read the embedded extract).
extra=$(cd "$OUT" && ls | python3 -c '
import sys
targets = set(sys.argv[1:])
suffixes = ("", ".dict", ".options", "_seed_corpus.zip")
for name in sys.stdin.read().split():
    if not any(name.endswith(s) and name[: len(name) - len(s)] in targets for s in suffixes):
        print(name)' "${TARGETS[@]}")
if [ -n "$extra" ]; then
  echo "clusterfuzzlite_build: unexpected files in \$OUT: $extra" >&2
  failed=$((failed + 1))
fi

# Test the test: an $OUT with one file missing must be refused.
t=${TARGETS[0]}
cp -al "$OUT" "$TMP/broken"
rm "$TMP/broken/${t}_seed_corpus.zip"
if [ -z "$(problems_with "$TMP/broken" "$t")" ]; then
  echo "clusterfuzzlite_build: the check passed an \$OUT without ${t}_seed_corpus.zip" >&2
  failed=$((failed + 1))
fi

echo "clusterfuzzlite_build: $(( ${#TARGETS[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
