#!/usr/bin/env bash
# Stops the local Redis (and Sentinel deployment) and Postgres started by up.sh. Data stays in .local/ unless --purge is given.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

stop_sentinel_group
stop_cluster
if redis_up; then
  log "stopping redis"
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
fi
if [ -s "$pg_data/PG_VERSION" ] && [ -n "$(pg_bin)" ]; then
  run_pg "$(pg_bin)/pg_ctl" -D "$pg_data" status >/dev/null 2>&1 && { log "stopping postgres"; run_pg "$(pg_bin)/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null; }
fi
if [ "${1:-}" = --purge ]; then log "removing $local_dir and $pg_dir"; rm -rf "$local_dir" "$pg_dir"; fi
