# web.sh — `ketnap serve` for the end-to-end web tests (tests/cli/web_*.sh):
# started on a free port, signed in to with curl, and always stopped, so
# that no server outlives its test. Sourced (bash), after db.sh.
#
#   kn_web_start DB [SERVE-ARGS…]
#        start `$KETNAP --db DB serve --listen 127.0.0.1:PORT SERVE-ARGS…` on
#        a free port and wait for /healthz (up to 30 s). Sets KN_WEB_URL
#        (http://127.0.0.1:PORT), KN_WEB_PORT and KN_WEB_PID: the PID of the
#        ketnap process itself, not of a subshell (checked). Its output goes
#        to $KN_WEB_LOG (default ./serve.out). kn_web_stop is put in front of
#        the script's EXIT trap (set the trap before calling this), and
#        SIGINT, SIGTERM and SIGHUP exit through it. Returns 1, the log on
#        stderr, when the server does not start.
#   kn_web_stop
#        SIGTERM the server and wait for it (15 s, then SIGKILL); again is
#        harmless.
#   kn_web_login JAR USER PASSWORD
#        sign in through the form into a fresh cookie jar JAR; prints the
#        status of the sign-in POST (303 when signed in).
#   kn_web_csrf JAR [PATH]
#        print the CSRF token of the session in JAR, from the page PATH
#        (default /candidates).

KN_WEB_PID=
KN_WEB_URL=
KN_WEB_PORT=
kn_web_trapped=

kn_web_stop() {
	local pid=$KN_WEB_PID i
	[ -n "$pid" ] || return 0
	KN_WEB_PID=
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 150); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "web.sh: ketnap serve ($pid) did not stop on SIGTERM within 15 s; killing it" >&2
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# Put kn_web_stop in front of the script's own EXIT trap, once.
kn_web_trap() {
	local prev
	[ -n "$kn_web_trapped" ] && return 0
	kn_web_trapped=1
	prev=$(trap -p EXIT)
	if [ -n "$prev" ]; then
		eval "set -- ${prev#trap -- }"	# $1: the script's command
		trap -- "kn_web_stop; $1" EXIT
	else
		trap -- kn_web_stop EXIT
	fi
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

kn_web_start() {
	local db=$1 log=${KN_WEB_LOG:-$PWD/serve.out} attempt port pid i
	shift
	: "${KETNAP:?set KETNAP to the ketnap binary}"
	kn_web_trap
	for attempt in 1 2 3 4 5; do
		port=
		for i in $(seq 50); do
			port=$(shuf -i 20000-32000 -n 1)
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
			port=
		done
		[ -n "$port" ] || { echo "web.sh: no free port" >&2; return 1; }
		# The binary itself in the background: $! is its PID.
		"$KETNAP" --db "$db" serve --listen "127.0.0.1:$port" "$@" >>"$log" 2>&1 &
		pid=$!
		KN_WEB_PID=$pid
		KN_WEB_PORT=$port
		KN_WEB_URL=http://127.0.0.1:$port
		for i in $(seq 300); do
			kill -0 "$pid" 2>/dev/null || break
			if curl -sf "$KN_WEB_URL/healthz" >/dev/null 2>&1; then
				if [ "$(readlink "/proc/$pid/exe")" != "$(readlink -f "$KETNAP")" ]; then
					echo "web.sh: PID $pid is not the ketnap binary" >&2
					kn_web_stop
					return 1
				fi
				return 0
			fi
			sleep 0.1
		done
		kn_web_stop	# died (the port was taken meanwhile?) or never answered
	done
	echo "web.sh: ketnap serve did not start:" >&2
	cat "$log" >&2
	return 1
}

kn_web_login() {
	local jar=$1 pre
	rm -f "$jar"
	pre=$(curl -s -c "$jar" -b "$jar" "$KN_WEB_URL/login" | grep -o 'name="pre" value="[^"]*"' |
		sed 's/.*value="//;s/"$//')
	curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "pre=$pre" \
		--data-urlencode "name=$2" --data-urlencode "password=$3" "$KN_WEB_URL/login"
}

kn_web_csrf() {
	curl -s -b "$1" "$KN_WEB_URL${2:-/candidates}" | grep -o 'name="csrf" value="[^"]*"' | head -1 |
		sed 's/.*value="//;s/"$//'
}
