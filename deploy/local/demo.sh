#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, starts Redis and Postgres on
# loopback, and runs a local grid's queue under load (submit, claim, complete) with its figures.
# Extra arguments go to the load generator, e.g. --tasks 200000 --runs 3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

command -v dotnet >/dev/null || { log "the .NET 10 SDK (dotnet) is required and not on PATH"; exit 1; }
eval "$("$here/up.sh")"
dotnet build "$repo_root/bench/NflCompute.Bench" -c Release -v quiet -nologo >/dev/null
dotnet "$repo_root/bench/NflCompute.Bench/bin/Release/net10.0/NflCompute.Bench.dll" load --runs 1 --tasks 20000 --no-bullmq "$@"
log "Redis and Postgres are still running on loopback; stop them with deploy/local/down.sh"
