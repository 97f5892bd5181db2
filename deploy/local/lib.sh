# Shared settings and helpers for the local Redis + Postgres used by development, tests and CI.
# Sourced by up.sh, down.sh and status.sh; every value can be overridden by the environment.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
local_dir=${NFLC_LOCAL_DIR:-$repo_root/.local}
redis_port=${NFLC_LOCAL_REDIS_PORT:-16379}
pg_port=${NFLC_LOCAL_PG_PORT:-15432}
redis_dir=$local_dir/redis
tls_dir=$local_dir/tls
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
  command -v openssl >/dev/null || want+=(openssl)
  if [ ${#want[@]} -gt 0 ]; then
    log "installing ${want[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  fi
}

# What only the tests need: Debian's chromium for the dashboard's browser test, pgBackRest for
# the backup test.
ensure_test_packages() {
  local want=()
  command -v chromium >/dev/null || want+=(chromium fonts-liberation)
  command -v pgbackrest >/dev/null || want+=(pgbackrest)
  [ ${#want[@]} -gt 0 ] || return 0
  log "installing ${want[*]} (for the tests)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
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

# Redis Sentinel (up.sh --sentinel): a master, two replicas and three sentinels watching them as
# the service "nflc", all on loopback, without persistence, for development and benchmarks.
sentinel_service=nflc
sentinel_data_ports=(${NFLC_LOCAL_SENTINEL_DATA_PORTS:-16380 16381 16382})
sentinel_ports=(${NFLC_LOCAL_SENTINEL_PORTS:-26380 26381 26382})
sentinel_dir=$local_dir/sentinel
sentinel_configuration() { local IFS=,; local eps=(); for p in "${sentinel_ports[@]}"; do eps+=("127.0.0.1:$p"); done; echo "${eps[*]},serviceName=$sentinel_service"; }
port_up() { redis-cli -p "$1" ping 2>/dev/null | grep -q PONG; }

start_sentinel_group() {
  local master=${sentinel_data_ports[0]} p
  mkdir -p "$sentinel_dir"
  for p in "${sentinel_data_ports[@]}"; do
    port_up "$p" && continue
    log "starting sentinel-watched redis on 127.0.0.1:$p"
    mkdir -p "$sentinel_dir/$p"
    local replica=()
    [ "$p" != "$master" ] && replica=(--replicaof 127.0.0.1 "$master")
    redis-server --port "$p" --bind 127.0.0.1 --dir "$sentinel_dir/$p" --save '' --appendonly no \
      --maxmemory-policy noeviction --daemonize yes --pidfile "$sentinel_dir/$p/redis.pid" \
      --logfile "$sentinel_dir/$p/redis.log" "${replica[@]}"
    wait_until 10 "redis $p" port_up "$p"
  done
  for p in "${sentinel_ports[@]}"; do
    port_up "$p" && continue
    log "starting sentinel on 127.0.0.1:$p"
    # A sentinel rewrites its file as it learns the topology: a fresh one each start.
    cat > "$sentinel_dir/sentinel-$p.conf" <<CONF
port $p
bind 127.0.0.1
dir $sentinel_dir
daemonize yes
pidfile $sentinel_dir/sentinel-$p.pid
logfile $sentinel_dir/sentinel-$p.log
sentinel monitor $sentinel_service 127.0.0.1 $master 2
sentinel down-after-milliseconds $sentinel_service 2000
sentinel failover-timeout $sentinel_service 10000
CONF
    redis-server "$sentinel_dir/sentinel-$p.conf" --sentinel
    wait_until 10 "sentinel $p" port_up "$p"
  done
}

stop_sentinel_group() {
  local p
  for p in "${sentinel_ports[@]}" "${sentinel_data_ports[@]}"; do
    port_up "$p" && { log "stopping redis/sentinel on $p"; redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; }
  done
  return 0
}

# Redis Cluster (up.sh --cluster): three masters and three replicas on loopback, without
# persistence, for development, benchmarks and the queue suite's cluster run.
cluster_ports=(${NFLC_LOCAL_CLUSTER_PORTS:-17000 17001 17002 17003 17004 17005})
cluster_dir=$local_dir/cluster
cluster_configuration() { local IFS=,; local eps=(); for p in "${cluster_ports[@]}"; do eps+=("127.0.0.1:$p"); done; echo "${eps[*]}"; }
cluster_ok() { redis-cli -p "${cluster_ports[0]}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; }

start_cluster() {
  local p nodes=()
  mkdir -p "$cluster_dir"
  for p in "${cluster_ports[@]}"; do
    nodes+=("127.0.0.1:$p")
    port_up "$p" && continue
    log "starting cluster node on 127.0.0.1:$p"
    mkdir -p "$cluster_dir/$p"
    redis-server --port "$p" --bind 127.0.0.1 --dir "$cluster_dir/$p" --save '' --appendonly no \
      --cluster-enabled yes --cluster-config-file "$cluster_dir/$p/nodes.conf" --cluster-node-timeout 2000 \
      --maxmemory-policy noeviction --daemonize yes --pidfile "$cluster_dir/$p/redis.pid" \
      --logfile "$cluster_dir/$p/redis.log"
    wait_until 10 "cluster node $p" port_up "$p"
  done
  if ! cluster_ok; then
    log "creating the cluster (3 masters, 3 replicas)"
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >/dev/null
    wait_until 30 "the cluster" cluster_ok
  fi
}

stop_cluster() {
  local p
  for p in "${cluster_ports[@]}"; do
    port_up "$p" && { log "stopping cluster node $p"; redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; }
  done
  # Node files name the old node ids: a new start makes a new cluster.
  rm -rf "$cluster_dir"
}
