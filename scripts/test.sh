#!/usr/bin/env bash
# scripts/test.sh — the project's test command (README, .ci/run).
#
# It makes sure the services the tests need are there, then runs gofmt,
# go vet and `go test -race ./...` with every service required (CI=true:
# a test that needs a service fails instead of skipping).
#
#   Postgres:  uses one answering on 127.0.0.1:5432; else starts the local
#              cluster; else installs Debian's postgresql and starts it.
#   WordPress: scripts/wordpress/wp-up.sh installs and starts a real one on
#              loopback (MariaDB included) and exports WP_URL/WP_USER/WP_APP_PASSWORD.
#   Chromium:  installed from the distribution's packages for the dashboard's
#              browser test.
#
# Plain `go test ./...` needs none of this: without the services it runs the
# SQLite tests and skips the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'test.sh: %s\n' "$*" >&2; }

PGHOST_ADDR=127.0.0.1
PGPORT_NUM=5432

as_postgres() {
	if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
		su postgres -s /bin/sh -c "$*"
	else
		sh -c "$*"
	fi
}

pg_answers() {
	if command -v pg_isready >/dev/null 2>&1; then
		pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM"
	else
		(exec 3<>"/dev/tcp/$PGHOST_ADDR/$PGPORT_NUM") 2>/dev/null
	fi
}

start_cluster() {
	command -v pg_ctlcluster >/dev/null 2>&1 || return 1
	local ver
	ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
	[ -n "$ver" ] || return 1
	log "starting the local PostgreSQL $ver cluster"
	pg_ctlcluster --skip-systemctl-redirect "$ver" main start || return 1
}

install_postgres() {
	[ "$(id -u)" = 0 ] || { log "PostgreSQL is not installed and this is not root: install it (apt-get install postgresql) or start one on 127.0.0.1:5432"; return 1; }
	log "installing PostgreSQL from the distribution's packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends postgresql postgresql-client >&2
	local ver conf
	ver=$(ls /etc/postgresql | sort -V | tail -n1)
	conf=/etc/postgresql/$ver/main
	# Tests connect over TCP as postgres without a password: trust loopback only.
	if ! grep -q 'igny8-test' "$conf/pg_hba.conf"; then
		sed -i '1i host all all 127.0.0.1/32 trust # igny8-test\nhost all all ::1/128 trust # igny8-test' "$conf/pg_hba.conf"
	fi
	start_cluster
}

ensure_postgres() {
	if ! pg_answers; then
		start_cluster || install_postgres || return 1
		for _ in $(seq 1 60); do pg_answers && break; sleep 0.5; done
		pg_answers || { log "PostgreSQL did not come up on $PGHOST_ADDR:$PGPORT_NUM"; return 1; }
	fi
	if command -v psql >/dev/null 2>&1; then
		if ! psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
			log "creating database test"
			psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c 'create database test' >&2 ||
				as_postgres "psql -d postgres -c 'create database test'" >&2
		fi
	fi
	export IGNY8_POSTGRES_DSN="${IGNY8_POSTGRES_DSN:-postgres://postgres@$PGHOST_ADDR:$PGPORT_NUM/test?sslmode=disable}"
	log "Postgres: $IGNY8_POSTGRES_DSN"
}

ensure_wordpress() {
	[ -x scripts/wordpress/wp-up.sh ] || return 0
	if [ -z "${WP_URL:-}" ]; then
		local out
		out=$(scripts/wordpress/wp-up.sh) || { log "WordPress did not start (see above)"; return 1; }
		set -a
		eval "$out"
		set +a
	fi
	log "WordPress: $WP_URL"
}

ensure_chromium() {
	# The dashboard's browser test drives headless Chromium from the
	# distribution's packages.
	if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
		return 0
	fi
	[ "$(id -u)" = 0 ] || { log "Chromium is not installed and this is not root: apt-get install chromium"; return 1; }
	log "installing Chromium from the distribution's packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends chromium >&2
}

ensure_postgres
ensure_wordpress
ensure_chromium
export CI=true

log "gofmt"
unformatted=$(gofmt -l . | grep -v '^vendor/' || true)
if [ -n "$unformatted" ]; then
	log "these files are not gofmt'ed:"; printf '%s\n' "$unformatted" >&2
	exit 1
fi
log "go vet ./..."
go vet ./...
log "go test -race ./..."
go test -race -timeout 40m -count=1 ./... "$@"
