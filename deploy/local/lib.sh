# Shared settings and helpers for the local Redis + Postgres used by development, tests and CI.
# Sourced by up.sh, down.sh and status.sh; every value can be overridden by the environment.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
local_dir=${NFLC_LOCAL_DIR:-$repo_root/.local}
redis_port=${NFLC_LOCAL_REDIS_PORT:-16379}
pg_port=${NFLC_LOCAL_PG_PORT:-15432}
redis_dir=$local_dir/redis
pg_dir=$local_dir/pg
# Postgres runs as the postgres user, who may not be able to reach a checkout under /root: then
# its cluster lives in a folder of this checkout's own under /var/tmp instead.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$repo_root" 2>/dev/null; then
  pg_dir=/var/tmp/nflcompute-$(printf '%s' "$repo_root" | md5sum | cut -c1-12)/pg
fi
pg_data=$pg_dir/data

log() { printf '[local] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

pg_bin() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$v" ] && echo "/usr/lib/postgresql/$v/bin"
}

# Installs only what is missing, so a warm machine pays nothing.
ensure_packages() {
  local want=()
  command -v redis-server >/dev/null || want+=(redis-server)
  [ -n "$(pg_bin)" ] || want+=(postgresql)
  command -v node >/dev/null || want+=(nodejs npm)
  command -v promtool >/dev/null || want+=(prometheus)
  if [ ${#want[@]} -gt 0 ]; then
    log "installing ${want[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  fi
}

# What only the tests need: Debian's chromium for the dashboard's browser test.
ensure_test_packages() {
  command -v chromium >/dev/null && return 0
  log "installing chromium (the dashboard's browser test)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
}

# Postgres refuses to run as root: as root, its commands run as the postgres user, from / so that
# an unreadable working directory does not matter.
run_pg() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

redis_up() { redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; }
pg_up() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$pg_port" 2>/dev/null; }

wait_until() { # wait_until SECONDS WHAT COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { log "$what did not come up in time"; return 1; }
    sleep 0.1
  done
}
