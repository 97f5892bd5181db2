#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing, starts Redis and Postgres on
# loopback (leaving alone any already running), runs the whole suite, and stops what it started.
# Exits with the test run's status and ends with one line: "Tests: N passed, N failed, N skipped".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

command -v dotnet >/dev/null || { log "the .NET 10 SDK (dotnet) is required and not on PATH"; exit 1; }
was_up=0
redis_up && pg_up && was_up=1
# A server that cannot start stops the run here (eval alone would swallow up.sh's failure).
settings=$("$here/up.sh")
eval "$settings"
ensure_test_packages
[ $was_up = 1 ] || trap '"$here/down.sh"' EXIT

mkdir -p "$local_dir/test-logs"
log_file=$local_dir/test-logs/dotnet-test.log
set +e
dotnet test "$repo_root/NflCompute.sln" -c Release 2>&1 | tee "$log_file"
status=${PIPESTATUS[0]}
set -e
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log_file"
exit "$status"
