# What each fuzz target is given, in one place: sourced (from the repository
# root) by scripts/fuzz-campaign, .clusterfuzzlite/build.sh and
# tests/clusterfuzzlite_build.sh, so that a local campaign, ClusterFuzzLite
# and the test of its build give a target the same dictionary, seeds and
# limits.

# Limits every run has: a slow or memory-hungry input is a finding like a
# panic (seconds per input; MiB).
FUZZ_TIMEOUT=10
FUZZ_RSS_LIMIT_MB=2048
FUZZ_MALLOC_LIMIT_MB=256

# The largest input libFuzzer builds for a target that reads JSON bytes: a
# 1 MiB frame, so that the large seeds scripts/fuzz-campaign generates (64 KiB
# to 1 MiB frames of audio) are kept whole and the size-dependent paths of
# the scanner and the parsers are reached.
FUZZ_JSON_MAX_LEN=1048576
# For a target that reads `arbitrary` bytes (no JSON): enough for a large
# event, without the cost of mutating megabyte inputs.
FUZZ_ARBITRARY_MAX_LEN=65536

# Targets whose input is `arbitrary` bytes, not JSON.
FUZZ_ARBITRARY_TARGETS="client_event_roundtrip server_event_roundtrip"

# The targets: the binaries of fuzz/Cargo.toml (what `cargo fuzz list`
# lists), read with `cargo metadata` because the ClusterFuzzLite builder's
# `cargo` wrapper turns every `cargo fuzz` command into a build.
fuzz_targets() {
  cargo metadata --manifest-path fuzz/Cargo.toml --format-version 1 --no-deps |
    python3 -c '
import json, sys
for package in json.load(sys.stdin)["packages"]:
    for target in package["targets"]:
        if "bin" in target["kind"]:
            print(target["name"])'
}

# True when target $1 reads JSON bytes (every target but the `arbitrary` ones).
fuzz_reads_json() {
  case " $FUZZ_ARBITRARY_TARGETS " in *" $1 "*) return 1 ;; esac
  return 0
}

# The max_len of target $1.
fuzz_max_len() {
  if fuzz_reads_json "$1"; then echo "$FUZZ_JSON_MAX_LEN"; else echo "$FUZZ_ARBITRARY_MAX_LEN"; fi
}

# The dictionary of target $1: the longest fuzz/<prefix>.dict whose prefix
# and an underscore start the target's name, else fuzz/client_event.dict.
fuzz_dictionary_for() {
  local t=$1 best="" d prefix
  for d in fuzz/*.dict; do
    prefix=$(basename "$d" .dict)
    case "$t" in
      "$prefix"_*) [ ${#prefix} -gt ${#best} ] && best=$prefix ;;
    esac
  done
  echo "fuzz/${best:-client_event}.dict"
}

# The committed seed folders of target $1, by its family (its name's
# prefix): client frames for client_event_*, server frames for
# server_event_*, both for a target of both (validator_schema_agrees).
fuzz_seed_dirs_for() {
  local client="corpus/valid corpus/invalid corpus/regressions"
  local server="corpus/server/valid corpus/server/invalid"
  case "$1" in
    client_event_*) echo "$client" ;;
    server_event_*) echo "$server corpus/regressions" ;;
    *) echo "$client $server" ;;
  esac
}
