#!/usr/bin/env bash
# Packs what the GPU machine needs into .local/gpu/payload.tar.xz (it has CUDA but no .NET): the
# .NET runtime of this machine, the benchmark app and the kernel test suite, framework-dependent so
# the two share one runtime. ILGPU reads IL and remaps framework methods by reflection, so nothing
# is trimmed; xz keeps the payload well under the device tool's 64 MiB.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$repo/.local/gpu
rm -rf "$out"
mkdir -p "$out/app/dotnet/shared"
dotnet publish "$repo/bench/NflCompute.Bench" -c Release -r linux-x64 --self-contained false -o "$out/app/bench" -v quiet -nologo >/dev/null
dotnet publish "$repo/tests/NflCompute.Kernels.Tests" -c Release -r linux-x64 --self-contained false -o "$out/app/tests" -v quiet -nologo >/dev/null
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }')
cp "$root/dotnet" "$out/app/dotnet/"
cp -r "$root/host" "$out/app/dotnet/"
cp -r "$root/shared/Microsoft.NETCore.App" "$out/app/dotnet/shared/"
find "$out/app/dotnet/shared/Microsoft.NETCore.App" -mindepth 1 -maxdepth 1 ! -name "$version" -exec rm -rf {} +
cp "$repo/bench/gpu/run.sh" "$out/app/"
tar -C "$out/app" -cJf "$out/payload.tar.xz" .
rm -rf "$out/app"
echo "$out/payload.tar.xz: $(du -h "$out/payload.tar.xz" | cut -f1) (runtime $version)"
