#!/usr/bin/env bash
# Gives the tests the real components they run against (DESIGN.md), on loopback only:
#   - installs the Debian packages the suites use when they are missing and we are root
#     (PostgreSQL server; Python XGBoost / scikit-learn / ONNX for reference numbers;
#     Prometheus and promtool for the rules and scrape tests; Redis for the online feature
#     store; Chromium for the web UI's end-to-end tests);
#   - starts a throwaway PostgreSQL cluster (trust auth, fsync off) on
#     127.0.0.1:${GYRE_TEST_PG_PORT:-55432};
#   - starts a throwaway Redis (no persistence) on 127.0.0.1:${GYRE_TEST_REDIS_PORT:-56379}.
# S3 needs nothing here: the test setup starts s3rver itself.
#
#   scripts/test-services.sh start   # idempotent
#   scripts/test-services.sh stop
set -euo pipefail

PORT="${GYRE_TEST_PG_PORT:-55432}"
DATA="${GYRE_TEST_PG_DATA:-/tmp/gyre-test-pg}"
REDIS_PORT="${GYRE_TEST_REDIS_PORT:-56379}"
DEBIAN_PACKAGES=(postgresql python3-xgboost python3-sklearn python3-onnx prometheus redis-server chromium)

install_missing_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
    echo "missing Debian packages: ${missing[*]} (install them: apt-get install -y ${missing[*]})" >&2
    return
  fi
  echo "installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }

need_postgres() {
  PG_BIN="$(pg_bin)"
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL server binaries not found; install them with: apt-get install -y postgresql" >&2
    exit 1
  fi
}

# initdb refuses to run as root; use the postgres account then.
as_pg_user() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_redis() {
  if ! command -v redis-server >/dev/null; then
    echo "redis-server not found; install it with: apt-get install -y redis-server" >&2
    exit 1
  fi
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    echo "redis already running: redis://127.0.0.1:$REDIS_PORT"
    return
  fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --logfile /tmp/gyre-test-redis.log >/dev/null
  # --daemonize returns before the socket accepts; wait on the server's own answer.
  for _ in $(seq 1 100); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.05
  done
  echo "redis started: redis://127.0.0.1:$REDIS_PORT"
}

start() {
  install_missing_packages
  start_redis
  need_postgres
  if as_pg_user "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    echo "postgres already running: postgres://gyre@127.0.0.1:$PORT/postgres"
    return
  fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DATA"
    as_pg_user "$PG_BIN/initdb" -D "$DATA" -U gyre -A trust -E UTF8 >/dev/null
  fi
  as_pg_user "$PG_BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  echo "postgres started: postgres://gyre@127.0.0.1:$PORT/postgres"
}

stop() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  need_postgres
  as_pg_user "$PG_BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
  echo "postgres stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
