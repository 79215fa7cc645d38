#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs one libFuzzer target for a bounded time from its committed seed corpus (new inputs go to a scratch
# directory, never into the source tree) and prints how many inputs it executed. Crashes, leaks, UBSan
# reports and timeouts fail; the reproducer is kept in ARTIFACT_DIR.
#   run-fuzzer.sh FUZZER SEED_DIR ARTIFACT_DIR      (IMAPID_FUZZ_SECONDS: default 20)
set -uo pipefail

FUZZER=$1
SEEDS=$2
ARTIFACTS=$3
SECONDS_=${IMAPID_FUZZ_SECONDS:-20}
NAME=$(basename "$FUZZER")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ARTIFACTS" "$WORK/corpus"

[ -n "$(ls -A "$SEEDS" 2>/dev/null)" ] || { echo "$NAME: no seed corpus in $SEEDS"; exit 1; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$FUZZER" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$ARTIFACTS/$NAME-" "$WORK/corpus" "$SEEDS" >"$WORK/log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/log" | tail -1)
if [ $rc != 0 ] || [ -z "$runs" ]; then
        tail -n 80 "$WORK/log"
        echo "$NAME: FAILED (rc $rc); reproducer under $ARTIFACTS"
        exit 1
fi
echo "$NAME: $runs executions in ${SECONDS_} s, corpus $(ls "$WORK/corpus" | wc -l) new + $(ls "$SEEDS" | wc -l) seeds"
