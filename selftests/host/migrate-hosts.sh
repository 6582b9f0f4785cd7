# SPDX-License-Identifier: MIT
# Two or more "hosts" on one machine for the migration tests (sourced
# after lib.sh).  hosts A B ...: each gets a network namespace of its own
# (unshare -n, loopback only, kept by a sleeping holder process), a run
# directory ($TMP/<host>/run) and so its own tern-xenstored and domain
# ids.  Where namespaces cannot be made (no privilege), each host is only
# a run directory, and $HOSTS_NOTE says so.
#
#   on <host> <command...>    runs a command on that host
#   $TMP/to                   the command migrate -s runs: "to <host>
#                             tern-xl migrate-receive [args]" starts the
#                             receiver on <host> (ssh's place), with
#                             $TO_KILL_AFTER (seconds, fractional) set: the
#                             receiver is killed with SIGKILL after that
#                             long, and with $TO_FILTER: the stream goes
#                             through that command first
#   host_domid <host> <name>  the domain's id there, or nothing
#   host_guest_up <host> <name> <MiB> <vcpus> <extra> <ready>
#                             creates a guest there (config in
#                             $TMP/<name>.cfg) and waits up to 120 s for
#                             <ready> on its console; else says why
#                             (and sets $why)
#   arrived_ok <host> <name> <n> <grep>
#                             the guest's resume check #n there passed
#                             (rc 0); otherwise its last lines matching
#                             resume-check or <grep> are shown
#   host_audit <host> <name>  the MMU audit of the domain there
HOSTS_NOTE=
HOSTS=
# Every process of a host (its domains, receivers, xenstored) and the
# namespace holders go when the test ends.
hosts_cleanup() {
	local p h
	for p in $(pgrep -f 'tern-xl|tern-xenstored'); do
		for h in $HOSTS; do
			grep -qz "^TERN_RUN_DIR=$TMP/$h/run\$" "/proc/$p/environ" 2>/dev/null &&
				kill -9 "$p" 2>/dev/null
		done
	done
	for h in $HOSTS; do
		[ -f "$TMP/$h/ns.pid" ] && kill "$(cat "$TMP/$h/ns.pid")" 2>/dev/null
	done
	pkill -TERM -f "$TMP" 2>/dev/null
	rm -rf "$TMP"
}
trap hosts_cleanup EXIT

hosts() {
	local h pid
	if ! unshare -n true 2>/dev/null; then
		HOSTS_NOTE="network namespaces cannot be made here (unshare -n refused): each host is a run directory only"
	fi
	for h in "$@"; do
		HOSTS="$HOSTS $h"
		mkdir -p "$TMP/$h/run"
		[ -n "$HOSTS_NOTE" ] && continue
		unshare -n sleep 100000 &
		pid=$!
		echo "$pid" > "$TMP/$h/ns.pid"
		# In its namespace once unshare has exec'd sleep.
		if wait_until 10 bash -c "[ \"\$(readlink /proc/$pid/ns/net)\" != \"\$(readlink /proc/self/ns/net)\" ]"; then
			nsenter -t "$pid" -n ip link set lo up
		else
			HOSTS_NOTE="a network namespace did not come up: each host is a run directory only"
		fi
	done
	if [ -n "$HOSTS_NOTE" ]; then
		rm -f "$TMP"/*/ns.pid
		echo "hosts: $HOSTS_NOTE"
	fi
	cat > "$TMP/to" <<TO
#!/bin/bash
# to <host> tern-xl migrate-receive [args]: ssh's place for the tests
h=\$1
shift 2
pidf=$TMP/\$h/ns.pid
run() {
	if [ -f "\$pidf" ]; then
		exec nsenter -t "\$(cat "\$pidf")" -n env TERN_RUN_DIR=$TMP/\$h/run "$XL" "\$@"
	else
		exec env TERN_RUN_DIR=$TMP/\$h/run "$XL" "\$@"
	fi
}
# The receiver ends the channel as ssh would: when it exits.
if [ -n "\${TO_FILTER:-}" ]; then
	run "\$@" < <(\$TO_FILTER)
fi
if [ -n "\${TO_KILL_AFTER:-}" ]; then
	run "\$@" &
	r=\$!
	sleep "\$TO_KILL_AFTER"
	kill -9 \$r 2>/dev/null && echo "to: receiver killed after \$TO_KILL_AFTER s" >&2
	wait \$r
	exit 137
fi
run "\$@"
TO
	chmod +x "$TMP/to"
}

on() {
	local h=$1
	shift
	if [ -f "$TMP/$h/ns.pid" ]; then
		nsenter -t "$(cat "$TMP/$h/ns.pid")" -n env TERN_RUN_DIR="$TMP/$h/run" "$@"
	else
		env TERN_RUN_DIR="$TMP/$h/run" "$@"
	fi
}

host_domid() { on "$1" "$XL" list 2>/dev/null | awk -v n="$2" '$1 == n { print $2 }'; }

host_guest_up() {
	local h=$1 name=$2 log
	cat > "$TMP/$name.cfg" <<-CFG
	name = "$name"
	kernel = "$KERNEL"
	memory = $3
	vcpus = $4
	extra = "$5"
	CFG
	if ! on "$h" "$XL" create "$TMP/$name.cfg" > "$TMP/$name.create" 2>&1; then
		why="$h: $name does not start: $(cat "$TMP/$name.create")"
		echo "    | $why"
		return 1
	fi
	log=$TMP/$h/run/$(host_domid "$h" "$name").console
	wait_until 120 grep -aq "$6" "$log" && return 0
	why="$h: $name shows no '$6' within 120 s: $(tail -2 "$log" 2>/dev/null | tr '\n' ' ')"
	echo "    | $why"
	return 1
}

# host_clean <host>: nothing of a domain is left there -- no state file,
# no process of a receiver, no xenstore node but dom0's.
host_clean() {
	local h=$1 dir=$TMP/$1/run p nodes
	ls "$dir"/*.state >/dev/null 2>&1 && { why="$h: state files: $(ls "$dir"/*.state)"; return 1; }
	for p in $(pgrep -f 'migrate-receive'); do
		grep -qz "^TERN_RUN_DIR=$dir\$" "/proc/$p/environ" 2>/dev/null &&
			{ why="$h: a receiver process $p lives"; return 1; }
	done
	nodes=$(XENSTORED_PATH=$dir/xenstored.sock "$XSB/xenstore-list" /local/domain 2>/dev/null | tr '\n' ' ')
	[ -z "$nodes" ] || [ "$nodes" = "0 " ] || { why="$h: xenstore /local/domain holds $nodes"; return 1; }
	return 0
}

arrived_ok() {
	local log=$TMP/$1/run/$(host_domid "$1" "$2").console
	wait_until 90 grep -aqE "resume-check: (SUCCESS|FAILURE) #$3 " "$log" &&
		grep -aqE "resume-check: SUCCESS #$3 rc 0," "$log" && return 0
	grep -a "resume-check\|$4" "$log" | tail -4 | sed 's/^/    | /'
	return 1
}

host_audit() {
	local id=$(host_domid "$1" "$2")
	"$(dirname "${BASH_SOURCE[0]}")/bin/sr_tool" audit "$TMP/$1/run/$id.ctl" "$id"
}
