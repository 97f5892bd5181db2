#!/usr/bin/env bash
# The device check, on the GPU machine (or here, with DEVICE=ilgpu-cpu, to try it first):
#   bench/gpu/pack.sh                                        # here: builds .local/gpu/payload.tar.xz
#   device run, carry [".local/gpu"], timeout_s 560: bash bench/gpu/run-packed.sh
# (at most 200 + 120 + 200 s of commands: one call of the device tool; a task has 15 minutes in all)
# Runs the kernel suite on the device (the golden suite, cross-backend identity, PTX), then the
# statistics and NFL benchmarks on cpu and the device, each figure beside the cpu's from the same
# run. Everything it prints lands in $OUT (or ./gpu-out).
set -uo pipefail
device=${DEVICE:-cuda:0}
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$PWD/gpu-out}
mkdir -p "$out"
export DOTNET_ROOT=$here/dotnet PATH=$here/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
{ nvidia-smi -q 2>/dev/null | head -40 || echo "no nvidia-smi"; } > "$out/gpu.txt"
suite=CudaBackendTests
[ "$device" = ilgpu-cpu ] && suite=IlgpuCpuBackendTests
timeout 200 dotnet "$here/tests/NflCompute.Kernels.Tests.dll" -class "NflCompute.Kernels.Tests.$suite" \
  -class NflCompute.Kernels.Tests.CrossBackendTests -class NflCompute.Kernels.Tests.DeviceKernelsTests > "$out/tests.txt" 2>&1
echo "tests rc=$?" >> "$out/tests.txt"
timeout 120 dotnet "$here/bench/NflCompute.Bench.dll" stats --runs 5 --no-scipy --devices "$device" > "$out/stats.txt" 2>&1
echo "stats rc=$?" >> "$out/stats.txt"
timeout 200 dotnet "$here/bench/NflCompute.Bench.dll" nfl 3 --large --devices "$device" > "$out/nfl.txt" 2>&1
echo "nfl rc=$?" >> "$out/nfl.txt"
tail -n 3 "$out/tests.txt"; cat "$out/stats.txt" "$out/nfl.txt"
