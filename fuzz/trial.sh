#!/usr/bin/env bash
# fuzz/trial.sh <target> <seconds> <tag>: runs a built target binary directly (no rebuild).
cd "$(dirname "$0")"
t=$1; secs=$2; tag=$3
mkdir -p corpus/$t seeds/$t artifacts/$t logs target
cat dict/common.dict > target/$t.dict
case $t in
definitions_json | definitions_toml) cat dict/definitions.dict >> target/$t.dict ;;
path_tables) cat dict/path_tables.dict >> target/$t.dict ;;
esac
exec nice -n 10 ./target/x86_64-unknown-linux-gnu/release/$t corpus/$t seeds/$t -dict=target/$t.dict \
  -max_total_time=$secs -print_final_stats=1 -artifact_prefix=artifacts/$t/ "${@:4}" > logs/$t-$tag.log 2>&1
