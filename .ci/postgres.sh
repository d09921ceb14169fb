# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the tests, sourced by .ci/run: `start_postgres` installs the
# distribution's server when missing (as .ci/run does for Chromium), runs initdb into a temporary
# folder and starts it on a free port on 127.0.0.1 (beside any cluster already on 5432), creates a
# superuser role and database for the tests and exports TEST_DATABASE_URL; `stop_postgres` stops
# it and removes the folder. A TEST_DATABASE_URL set beforehand is used as it is.

ci_pg_dir=''

ci_pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -z "$dir" ]] && command -v pg_config >/dev/null; then dir="$(pg_config --bindir)"; fi
  echo "$dir"
}

# Runs a command as the cluster's owner: `postgres` when we are root (the server refuses to run
# as root), else ourselves.
ci_pg_as_owner() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
    echo "CI: PostgreSQL from TEST_DATABASE_URL" >&2
    return 0
  fi
  local bin
  bin="$(ci_pg_bindir)"
  if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null
    bin="$(ci_pg_bindir)"
  fi
  ci_pg_dir="$(mktemp -d /tmp/ci-postgres.XXXXXX)"
  if ((EUID == 0)); then chown postgres: "$ci_pg_dir"; fi
  local port
  port="$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
  # trust on 127.0.0.1 only: a cluster of this run, gone when it ends
  ci_pg_as_owner "$bin/initdb" -D "$ci_pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  ci_pg_as_owner "$bin/pg_ctl" -D "$ci_pg_dir/data" -l "$ci_pg_dir/server.log" -w \
    -o "-p $port -k $ci_pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "create role jz_ci login superuser password 'jz_ci'" -c 'create database jz_ci owner jz_ci'
  export TEST_DATABASE_URL="postgres://jz_ci:jz_ci@127.0.0.1:$port/jz_ci"
  echo "CI: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

stop_postgres() {
  if [[ -z "$ci_pg_dir" ]]; then return 0; fi
  ci_pg_as_owner "$(ci_pg_bindir)/pg_ctl" -D "$ci_pg_dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$ci_pg_dir"
  ci_pg_dir=''
  unset TEST_DATABASE_URL
}
