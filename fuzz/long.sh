#!/usr/bin/env bash
# fuzz/long.sh <seconds> <target>...: long runs, one target at a time, fork mode with one job
# so a crash is recorded (fuzz/artifacts/<target>/) and the run goes on to its time budget.
cd "$(dirname "$0")"
secs=$1
shift
for t in "$@"; do
  ./trial.sh "$t" "$secs" long -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -timeout=10 -rss_limit_mb=1536
done
