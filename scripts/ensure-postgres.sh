#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the test suite and the benchmark:
# start the local cluster if it is down, install it from Debian if it is missing, and load
# pg_stat_statements (the benchmark counts each server's statements with it). Restarts the
# server only when pg_stat_statements is not loaded yet.
set -euo pipefail

host=${PGHOST:-127.0.0.1}
port=${PGPORT:-5432}

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }
admin() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U postgres -d postgres "$@"; }
up() {
  for _ in $(seq 1 30); do
    ready && return 0
    sleep 1
  done
  echo "PostgreSQL did not come up on $host:$port" >&2
  exit 1
}

if ! command -v pg_isready >/dev/null || ! ready; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "PostgreSQL is not installed; installing it from Debian's packages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fresh=1
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [ "${fresh:-0}" = 1 ]; then
    # A throwaway test server: local connections as postgres without a password.
    hba=/etc/postgresql/$version/main/pg_hba.conf
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' >"$hba"
  fi
  echo "Starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  up
fi

loaded=$(admin -c "SHOW shared_preload_libraries")
case ",${loaded// /}," in
  *,pg_stat_statements,*) exit 0 ;;
esac
if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL on $host:$port does not load pg_stat_statements and is not ours to" \
    "restart: add it to shared_preload_libraries there" >&2
  exit 1
fi
# Keep what is loaded already: each library a quoted item of the list.
libraries=$(printf '%s' "${loaded// /}" | tr ',' '\n' | sed -e '/^$/d' -e "s/.*/'&', /" | tr -d '\n')
admin -c "ALTER SYSTEM SET shared_preload_libraries = ${libraries}'pg_stat_statements'"
version=$(ls /etc/postgresql | sort -V | tail -n 1)
echo "Restarting PostgreSQL $version to load pg_stat_statements" >&2
pg_ctlcluster --skip-systemctl-redirect "$version" main restart
up
