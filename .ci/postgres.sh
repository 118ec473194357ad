#!/usr/bin/env bash
# A local PostgreSQL for the store tests: installs Debian's server when it is missing, starts a
# cluster on 127.0.0.1 only, and makes the role `gateway` (password `gateway`, CREATEDB so that each
# test suite can make its own database) and the database `gateway_test`. Safe to run again.
# Progress goes to stderr; the last line on stdout is TEST_DATABASE_URL=... for the caller to read.
# Runs as root (CI does); the server itself always runs as the `postgres` user.
set -euo pipefail

# initdb and psql fail on a locale that is not generated; C.UTF-8 always is on Debian.
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export DEBIAN_FRONTEND=noninteractive
# psql as postgres must not start in a directory it cannot read (e.g. /root).
cd /

log() { echo "postgres.sh: $*" >&2; }
as_postgres() { runuser -u postgres -- "$@"; }

if [[ $(id -u) -ne 0 ]]; then
  log "must run as root (it installs packages and switches to the postgres user)"
  exit 1
fi

# The newest installed server's major version, or nothing.
newest_version() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n $bin ]]; then basename "$(dirname "$(dirname "$bin")")"; fi
}

if ! command -v pg_ctlcluster >/dev/null || [[ -z $(newest_version) ]]; then
  # npm test's global setup only uses a PostgreSQL that is already installed.
  if [[ ${POSTGRES_NO_INSTALL:-} == 1 ]]; then
    log "PostgreSQL is not installed"
    exit 1
  fi
  log "installing PostgreSQL from Debian's packages"
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
fi
version=$(newest_version)
if [[ -z $version ]] || ! command -v pg_ctlcluster >/dev/null; then
  log "no PostgreSQL server found under /usr/lib/postgresql even after installing"
  exit 1
fi
log "PostgreSQL $version"

# Debian's postinst usually creates <version>/main; a bare machine or a removed cluster may have none.
cluster=$(pg_lsclusters -h | awk -v v="$version" '$1 == v { print $2; exit }')
if [[ -z $cluster ]]; then
  log "creating cluster $version/main"
  pg_createcluster --locale C.UTF-8 "$version" main >&2
  cluster=main
fi

status() { pg_lsclusters -h "$version" "$cluster" | awk '{ print $4 }'; }
configured_port() { pg_lsclusters -h "$version" "$cluster" | awk '{ print $3 }'; }
# Something already accepts connections on that port (another server or cluster).
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

confd="/etc/postgresql/$version/$cluster/conf.d"
dropin="$confd/gateway-ci.conf"
# Started by someone else (e.g. the package's postinst, listening on all of localhost): restart it
# with our settings. Started by an earlier run of this script: keep it and its port.
if [[ $(status) == online* && ! -f $dropin ]]; then
  log "cluster $version/$cluster runs without our settings; stopping it"
  as_postgres pg_ctlcluster "$version" "$cluster" stop >&2
fi

if [[ $(status) == online* ]]; then
  port=$(configured_port)
  log "cluster $version/$cluster is already running on port $port"
else
  port=5432
  while port_taken "$port"; do
    port=$((port + 1))
    if ((port > 5532)); then
      log "no free port in 5432-5532"
      exit 1
    fi
  done
  # A drop-in rather than edits to postgresql.conf: Debian's config includes conf.d last, so these win.
  install -d -o postgres -g postgres "$confd"
  printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$port" >"$dropin"
  chown postgres:postgres "$dropin"
  # /run is a tmpfs on many machines: the socket directory may be gone after a reboot.
  install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  log "starting cluster $version/$cluster on 127.0.0.1:$port"
  as_postgres pg_ctlcluster "$version" "$cluster" start >&2
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
if ! pg_isready -h 127.0.0.1 -p "$port" >&2; then
  log "server did not become ready; see /var/log/postgresql/postgresql-$version-$cluster.log"
  exit 1
fi

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"; }

psql_admin >&2 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gateway') THEN
    CREATE ROLE gateway LOGIN CREATEDB PASSWORD 'gateway';
  ELSE
    ALTER ROLE gateway LOGIN CREATEDB PASSWORD 'gateway';
  END IF;
END
$$;
SQL
if [[ -z $(psql_admin -At -c "SELECT 1 FROM pg_database WHERE datname = 'gateway_test'") ]]; then
  psql_admin -c 'CREATE DATABASE gateway_test OWNER gateway' >&2
fi

url="postgres://gateway:gateway@127.0.0.1:$port/gateway_test"
# The tests log in over TCP with the password; prove that works before handing the URL out.
psql -X -q -At "$url" -c 'SELECT 1' >/dev/null
log "ready"
echo "TEST_DATABASE_URL=$url"
