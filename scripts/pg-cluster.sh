#!/bin/sh
# pg-cluster.sh — a private PostgreSQL 15 cluster for tests and benchmarks.
#
#   scripts/pg-cluster.sh start DIR [bench]   initdb into DIR/data, listen only on a
#                                             unix socket in DIR, print the base URL
#   scripts/pg-cluster.sh stop DIR            stop it and remove DIR
#   scripts/pg-cluster.sh url DIR             print the base URL again
#
# The cluster never touches the Debian system cluster (/var/lib/postgresql) and
# opens no TCP port. PostgreSQL refuses to run as root, so when we are root the
# server runs as the `postgres` user the Debian package creates (DIR is handed
# to it). Tests run with fsync off (a crashed test cluster is thrown away);
# `bench` keeps fsync on and sets synchronous_commit off, which is what
# SQLite's WAL with synchronous=NORMAL promises (durable against a crash of
# the program, not of the machine).
set -eu

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR [bench]" >&2; exit 2; }

bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/initdb" ] || bindir=/usr/lib/postgresql/15/bin
[ -x "$bindir/initdb" ] || { echo "pg-cluster: no initdb (install postgresql-15)" >&2; exit 3; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

url() {
	echo "postgresql:///postgres?host=$dir&user=postgres"
}

case $cmd in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	chmod 700 "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 3; }
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$dir'"
		echo "max_connections = 200"
		echo "shared_buffers = 128MB"
		if [ "${3:-}" = bench ]; then
			echo "synchronous_commit = off"
		else
			echo "fsync = off"
			echo "synchronous_commit = off"
			echo "full_page_writes = off"
		fi
	} | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 3; }
	url
	;;
stop)
	[ -d "$dir" ] || exit 0
	dir=$(cd "$dir" && pwd)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
url)
	dir=$(cd "$dir" && pwd)
	url
	;;
*)
	echo "usage: $0 start|stop|url DIR [bench]" >&2
	exit 2
	;;
esac
