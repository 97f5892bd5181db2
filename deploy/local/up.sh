#!/usr/bin/env bash
# Starts Redis and Postgres on loopback, in .local/ of this checkout, installing what is missing.
# Idempotent: servers already running are left alone. Prints the connection settings as NFLC_* exports.
#   up.sh              one Redis (16379) and Postgres (15432)
#   up.sh --sentinel   also a Sentinel deployment (redis 16380-16382, sentinels 26380-26382, service
#                      "nflc"); the printed Redis setting then names the sentinels
#   up.sh --cluster    also a Redis Cluster (3 masters, 3 replicas on 17000-17005); the printed
#                      Redis setting then names its nodes
set -euo pipefail
source "$(dirname "$0")/lib.sh"
topology=single
case "${1:-}" in
  "") ;;
  --sentinel) topology=sentinel ;;
  --cluster) topology=cluster ;;
  *) log "unknown option ${1}; use --sentinel, --cluster or nothing"; exit 2 ;;
esac

ensure_packages
mkdir -p "$redis_dir" "$pg_dir"

if ! redis_up; then
  log "starting redis on 127.0.0.1:$redis_port"
  # No persistence: this Redis serves development and tests. Production guidance is in the README
  # (AOF, maxmemory-policy noeviction); noeviction is set here too, since an evicted key is a lost task.
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$redis_dir" --save '' --appendonly no \
    --maxmemory-policy noeviction --daemonize yes --pidfile "$redis_dir/redis.pid" \
    --logfile "$redis_dir/redis.log"
  wait_until 10 redis redis_up
fi

# A Postgres on our port that is not our cluster (another checkout's) would not know our password.
if pg_up && ! { [ -s "$pg_data/PG_VERSION" ] && run_pg "$(pg_bin)/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; }; then
  log "port $pg_port is taken by a Postgres that is not this checkout's ($pg_data); stop it or set NFLC_LOCAL_PG_PORT"
  exit 1
fi

if ! pg_up; then
  bin=$(pg_bin)
  if [ "$(id -u)" = 0 ]; then
    # The cluster belongs to the postgres user, who exists only once the package is installed:
    # resolve its folder again now.
    source "$(dirname "$0")/lib.sh"
    mkdir -p "$pg_dir"; chown postgres: "$pg_dir"
  fi
  if [ ! -s "$pg_data/PG_VERSION" ]; then
    log "creating a postgres cluster in $pg_data"
    # The superuser password is generated here and kept in a file only its owner can read.
    umask 077
    head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$pg_dir/superuser.password"
    [ "$(id -u)" = 0 ] && chown postgres: "$pg_dir/superuser.password"
    run_pg "$bin/initdb" -D "$pg_data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
      --pwfile="$pg_dir/superuser.password" -E UTF8 --locale=C.UTF-8 >/dev/null
    umask 022
  fi
  # TLS with a local CA (made once): clients that verify the server give Postgres:RootCertificateFile
  # = the CA printed below (NFLC_LOCAL_TLS_CA); the others may still connect in the clear on loopback.
  if [ ! -s "$tls_dir/server.crt" ]; then
    log "making a local CA and a certificate for localhost / 127.0.0.1 in $tls_dir"
    (umask 077; mkdir -p "$tls_dir"
     openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=nflcompute local CA" \
       -keyout "$tls_dir/ca.key" -out "$tls_dir/ca.crt" 2>/dev/null
     openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls_dir/server.key" -out "$tls_dir/server.csr" 2>/dev/null
     printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$tls_dir/san.ext"
     openssl x509 -req -in "$tls_dir/server.csr" -CA "$tls_dir/ca.crt" -CAkey "$tls_dir/ca.key" -CAcreateserial \
       -days 3650 -extfile "$tls_dir/san.ext" -out "$tls_dir/server.crt" 2>/dev/null)
    chmod 644 "$tls_dir/ca.crt" "$tls_dir/server.crt"
  fi
  # Postgres reads its key as its own user, from a file only that user can read.
  install -m 600 "$tls_dir/server.key" "$pg_dir/server.key"; install -m 644 "$tls_dir/server.crt" "$pg_dir/server.crt"
  [ "$(id -u)" = 0 ] && chown postgres: "$pg_dir/server.key" "$pg_dir/server.crt"
  log "starting postgres on 127.0.0.1:$pg_port"
  run_pg "$bin/pg_ctl" -D "$pg_data" -l "$pg_dir/postgres.log" -w -t 30 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_dir -c ssl=on -c ssl_cert_file=$pg_dir/server.crt -c ssl_key_file=$pg_dir/server.key" start >/dev/null
  wait_until 30 postgres pg_up
fi

# The grid's database (tests make their own); the schema itself comes from `nflc db migrate`.
if ! run_pg "$(pg_bin)/psql" -h "$pg_dir" -p "$pg_port" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'nflcompute'" | grep -q 1; then
  run_pg "$(pg_bin)/createdb" -h "$pg_dir" -p "$pg_port" nflcompute
fi

redis_configuration=127.0.0.1:$redis_port
if [ "$topology" = sentinel ]; then
  start_sentinel_group
  redis_configuration=$(sentinel_configuration)
elif [ "$topology" = cluster ]; then
  start_cluster
  redis_configuration=$(cluster_configuration)
fi

# Passwords for the grid's least-privilege roles (nflc_worker, nflc_reader): generated once, each
# file created readable by its owner only (umask in a subshell, never chmod-ed after the fact).
# The migrations make the roles; `nflc db migrate` (or the demo) gives them these logins.
secrets_dir=$local_dir/secrets
(umask 077; mkdir -p "$secrets_dir"
 for role in nflc_worker nflc_reader; do
   [ -s "$secrets_dir/$role.password" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$secrets_dir/$role.password"
 done)

# nflc finds these settings by itself when run inside the checkout (no NFLC_* needed).
mkdir -p "$local_dir"; cat > "$local_dir/nflc.json" <<JSON
{
  "Redis": { "Configuration": "$redis_configuration" },
  "Postgres": { "Host": "127.0.0.1", "Port": $pg_port, "PasswordFile": "$pg_dir/superuser.password", "SslMode": "Disable" },
  "Roles": { "WorkerPasswordFile": "$secrets_dir/nflc_worker.password", "ReaderPasswordFile": "$secrets_dir/nflc_reader.password", "RedisPasswordsDir": "$secrets_dir/redis" }
}
JSON

echo "export NFLC_Redis__Configuration=$redis_configuration"
echo "export NFLC_Postgres__Host=127.0.0.1 NFLC_Postgres__Port=$pg_port NFLC_Postgres__PasswordFile=$pg_dir/superuser.password"
echo "export NFLC_Roles__WorkerPasswordFile=$secrets_dir/nflc_worker.password NFLC_Roles__ReaderPasswordFile=$secrets_dir/nflc_reader.password NFLC_Roles__RedisPasswordsDir=$secrets_dir/redis"
echo "export NFLC_LOCAL_TLS_CA=$tls_dir/ca.crt"
