#!/usr/bin/env bash
# Unpacks .local/gpu/payload.tar.xz (bench/gpu/pack.sh) and runs its run.sh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
tar -C "$dir" -xJf "$repo/.local/gpu/payload.tar.xz"
exec bash "$dir/run.sh"
