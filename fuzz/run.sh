#!/usr/bin/env bash
# Runs one fuzz target with its seeds and dictionary.
#   fuzz/run.sh <target> [libFuzzer options...]
# e.g. fuzz/run.sh calendar -max_total_time=600      (a long run)
#      fuzz/run.sh sla -runs=20000 -seed=1           (the CI smoke)
# The working corpus grows in fuzz/corpus/<target> (ignored by git; FUZZ_CORPUS_DIR moves it); the committed seeds in
# fuzz/seeds/<target> are read, never written. Crashes land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
shift
dict=fuzz/target/$target.dict
corpus=${FUZZ_CORPUS_DIR:-fuzz/corpus}/$target
mkdir -p fuzz/target "$corpus" "fuzz/seeds/$target"
cat fuzz/dict/common.dict > "$dict"
case $target in
definitions_json | definitions_toml) cat fuzz/dict/definitions.dict >> "$dict" ;;
path_tables) cat fuzz/dict/path_tables.dict >> "$dict" ;;
human_units) cat fuzz/dict/human_units.dict >> "$dict" ;;
mql_rule) cat fuzz/dict/mql_rule.dict >> "$dict" ;;
agreement_load) cat fuzz/dict/agreement.dict fuzz/dict/definitions.dict fuzz/dict/human_units.dict fuzz/dict/mql_rule.dict >> "$dict" ;;
esac
# FUZZ_BUILD_FLAGS: extra `cargo fuzz run` flags; the CI smoke uses `--dev --sanitizer none`
# (a much shorter build; the targets are safe Rust, so AddressSanitizer finds nothing the
# panics and oracles don't). Long runs keep the default optimized build.
# shellcheck disable=SC2086
exec cargo +nightly fuzz run ${FUZZ_BUILD_FLAGS:-} "$target" "$corpus" "fuzz/seeds/$target" -- -dict="$dict" "$@"
