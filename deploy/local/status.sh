#!/usr/bin/env bash
# Says whether the local Redis and Postgres are up; exits non-zero when either is down.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
rc=0
if redis_up; then echo "redis    up    127.0.0.1:$redis_port"; else echo "redis    down  127.0.0.1:$redis_port"; rc=1; fi
if [ -n "$(pg_bin)" ] && pg_up; then echo "postgres up    127.0.0.1:$pg_port"; else echo "postgres down  127.0.0.1:$pg_port"; rc=1; fi
exit $rc
