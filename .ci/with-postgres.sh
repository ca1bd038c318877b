#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: a temporary folder, a free
# port on 127.0.0.1, TEST_DATABASE_URL exported, the cluster removed afterwards.
# Under pytest-xdist each worker makes its own database from it (tests/database.py).
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
  echo "######################################################################"
  echo "## PostgreSQL binaries not found: the PostgreSQL run is SKIPPED.    ##"
  echo "## Install Debian's 'postgresql' package (make system-packages).    ##"
  echo "######################################################################"
  exit 0
fi

# initdb refuses to run as root: run the server as an unprivileged user.
run_as=()
if [ "$(id -u)" = 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  run_as=(runuser -u postgres --)
fi

workdir=$(mktemp -d /tmp/eventmgr-pg.XXXXXX)
chmod 755 "$workdir"
[ "${#run_as[@]}" -gt 0 ] && chown postgres "$workdir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  # The server's CPU time (it and its ended backends), which the caller's timing does not see.
  pid=$(head -n 1 "$workdir/data/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; then
    awk -v hz="$(getconf CLK_TCK)" '{ printf "PostgreSQL server CPU time: %.1f s\n", ($14 + $15 + $16 + $17) / hz }' \
      "/proc/$pid/stat"
  fi
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$workdir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres eventmgr_test

export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/eventmgr_test"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
