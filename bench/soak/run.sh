#!/usr/bin/env bash
# The larger soak: the chaos test of the suite (tests/NflCompute.Worker.Tests/ChaosTests.cs) with
# more waves: tasks flow while worker processes are SIGKILLed every 2 s and replaced, Redis is
# killed with kill -9 and restarted from its AOF, and Postgres is cut off for 5 s. It prints the
# figures (tasks, kills, faults, states, results rewritten) and fails on a lost or stuck task, a
# task run again after its result was durable, an attempt left open, or a worker that died quietly.
#   bench/soak/run.sh [waves] [noops per wave]      (default 200 x 60: about 12,000 tasks, 2 minutes)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
eval "$("$repo/deploy/local/up.sh")"
dotnet build "$repo/NflCompute.sln" -c Release -v quiet -nologo >/dev/null
NFLC_CHAOS_WAVES=${1:-200} NFLC_CHAOS_NOOPS_PER_WAVE=${2:-60} dotnet test "$repo/tests/NflCompute.Worker.Tests" -c Release --no-build \
  --filter "FullyQualifiedName~ChaosTests" --logger "console;verbosity=detailed" | grep -E "chaos:|Passed!|Failed!|Error Message" -A1
