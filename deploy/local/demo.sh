#!/usr/bin/env bash
# The main job on a fresh machine: builds nflc and runs `nflc demo`, which installs what is
# missing, starts Redis and Postgres on loopback, migrates, loads the shipped NFL games, starts two
# workers and runs the NFL jobs through the grid, ending in a report. Extra arguments go to
# `nflc demo` (e.g. --quick). The servers stay up afterwards: deploy/local/down.sh stops them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

command -v dotnet >/dev/null || { log "the .NET 10 SDK (dotnet) is required and not on PATH"; exit 1; }
log "building nflc"
dotnet build "$repo_root/src/NflCompute.Cli" -c Release -v quiet -nologo >/dev/null
cd "$repo_root"
exec dotnet "$repo_root/src/NflCompute.Cli/bin/Release/net10.0/nflc.dll" demo "$@"
