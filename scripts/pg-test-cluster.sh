#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the benchmark (issue #21): `start DIR [durable]` creates
# and starts one in DIR and prints its URL; `stop DIR` stops it and removes DIR. The server binaries come from Debian's `postgresql`
# package (/usr/lib/postgresql/<version>/bin; .ci/run installs it). PostgreSQL refuses to run as root, so
# under root the cluster belongs to the package's `postgres` user. It listens on 127.0.0.1 only, on a free
# port, with its socket in DIR; anyone on the loopback may connect as `coslocal` (trust): a test machine's
# cluster, gone with DIR.
#
# Without `durable`, fsync is off: the tests kill coslocal processes, never PostgreSQL, and a lost machine
# loses DIR anyway. The benchmark asks for `durable`: PostgreSQL's default, every commit flushed.
set -euo pipefail

usage() { echo "usage: $0 start DIR [durable] | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
action=$1
dir=$2
settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${3:-}" = durable ] && settings=""

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$found" ] && command -v pg_config >/dev/null 2>&1; then found=$(pg_config --bindir); fi
  [ -n "$found" ] && [ -x "$found/initdb" ] || { echo "no PostgreSQL server binaries (Debian package postgresql)" >&2; exit 1; }
  echo "$found"
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

case $action in
  start)
    bin=$(bindir)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U coslocal -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # A port found free may be taken before the server binds it: try a few.
    for _ in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start -o \
        "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 $settings" \
        >/dev/null 2>&1; then
        echo "postgres://coslocal@127.0.0.1:$port/postgres"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
