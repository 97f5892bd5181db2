#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing, starts Redis and Postgres on
# loopback (leaving alone any already running), runs the whole suite, then the queue suite again
# against a local Redis Cluster (3 masters, 3 replicas), and stops what it started.
# Exits non-zero when any run failed and ends with one line: "Tests: N passed, N failed, N skipped".
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

# A package with a known high or critical advisory, direct or transitive, fails the run before
# any test does (the advisories come from the NuGet sources in use).
dotnet restore "$repo_root/NflCompute.sln" >/dev/null
audit=$(dotnet list "$repo_root/NflCompute.sln" package --vulnerable --include-transitive --format json)
if grep -qiE '"severity": *"(high|critical)"' <<<"$audit"; then
  log "a package has a high or critical advisory:"
  echo "$audit"
  exit 1
fi
log "no package has a high or critical advisory ($(grep -ciE '"severity"' <<<"$audit" || true) advisories of lower severity)"
set +e
dotnet test "$repo_root/NflCompute.sln" -c Release 2>&1 | tee "$log_file"
status=${PIPESTATUS[0]}
# The queue's behaviour suite (the tests on the shared Redis fixture) on a cluster: every script,
# the model-based property included. The topology tests with servers of their own ran above.
"$here/up.sh" --cluster >/dev/null && {
  NFLC_Redis__Configuration=$(cluster_configuration) dotnet test "$repo_root/tests/NflCompute.Queue.Tests" -c Release --no-build \
    --filter "FullyQualifiedName!~SentinelTests&FullyQualifiedName!~ClusterTests&FullyQualifiedName!~RollbackTests&FullyQualifiedName!~TransientReplyTests" 2>&1 | sed 's/^\(Passed!\|Failed!\)/\1 (on the cluster)/' | tee -a "$log_file"
  cluster_status=${PIPESTATUS[0]}
} || cluster_status=1
[ "$cluster_status" = 0 ] || status=1
"$here/up.sh" >/dev/null # nflc.json back to the single Redis
set -e
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log_file"
exit "$status"
