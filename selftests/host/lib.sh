# SPDX-License-Identifier: MIT
# Helpers for host test scripts: one PASS:/FAIL: line per check.
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
XL=$TOP/tern-xl
KERNEL=$TOP/tern
TMP=$(mktemp -d)
export TERN_RUN_DIR=$TMP/run
trap 'pkill -TERM -f "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }

# check <name> <command...>: PASS if the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# mkcfg <file> [extra lines...]: a minimal valid config for the test kernel.
mkcfg() {
	local f=$1
	shift
	{
		echo "name = \"t$$-$RANDOM\""
		echo "kernel = \"$KERNEL\""
		echo "memory = 64"
		for l in "$@"; do echo "$l"; done
	} > "$f"
}

# The guest prefixes each console line with "[  seconds.micros] [cpu N] ".
PRINTK_PREFIX_RE='^\[ *[0-9]+\.[0-9]{6}\] \[cpu [0-9]+\] '

# strip_printk: the guest's lines without that prefix (stdin to stdout).
strip_printk() { sed -E "s/$PRINTK_PREFIX_RE//"; }

# boot <cfg> [overrides...]: tern-xl -v create -c with a time limit;
# sets $raw (console + hypervisor output), $out (the same with the guest's
# printk prefixes stripped) and $rc.  A guest still running 5 s before the
# limit is asked how it is first, so that a hang names its cause: debug
# key q (each CPU answers with its task, where it was and its clock; one
# that does not answer has events masked or is stuck) and tern-xl
# vcpu-list, their output at the end of $raw.
boot() {
	local limit=${BOOT_TIMEOUT:-60} diag=$TMP/boot-diag.$BASHPID w
	: > "$diag"
	( sleep $((limit - 5)) &&
	  { echo "(harness) still running after $((limit - 5)) s: debug key q, then tern-xl vcpu-list"
	    "$XL" debug-keys q; sleep 2; "$XL" vcpu-list; } > "$diag" 2>&1 ) 2>/dev/null &
	w=$!
	raw=$(timeout -k 5 "$limit" "$XL" -v create -c "$@" 2>&1)
	rc=$?
	pkill -P "$w" 2>/dev/null
	wait "$w" 2>/dev/null
	[ -s "$diag" ] && raw+=$'\n'$(cat "$diag")
	rm -f "$diag"
	out=$(strip_printk <<<"$raw")
}

# wait_until <seconds> <command...>: poll every 0.1 s until the command
# succeeds; fails when the time is up.
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# gone <pid>: the process has ended.  One whose parent exited is reaped
# by init whenever init gets to it; until then it is a zombie, which kill
# -0 still finds, but which has ended all the same.
gone() {
	local s
	s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0
	[ -z "$s" ] || [ "${s%% *}" = Z ]
}

# xs_clients: Debian's xenstore-* clients (scripts/xen-tools) as $XSB/...,
# talking to the daemon tern-xl uses ($TERN_RUN_DIR/xenstored.sock).
xs_clients() {
	local root
	root=$("$TOP/scripts/xen-tools") || return 1
	export LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu
	export XENSTORED_PATH=$TERN_RUN_DIR/xenstored.sock
	XSB=$root/usr/bin
}

# xen_tools <test>: Debian's Xen 4.17 tools (scripts/xen-tools: unpacked,
# never installed) ready to run, or a FAIL for <test> and exit: the
# xenstore-* clients in $XSB, xen-4.17's own programs (test-xenstore,
# xenstore-control, verify-stream-v2) in $XEN_BIN, their Python library
# (PYTHONPATH) in $XEN_PY, their libraries on LD_LIBRARY_PATH.
xen_tools() {
	local root
	if ! root=$("$TOP/scripts/xen-tools"); then
		fail "$1: cannot fetch Debian's Xen 4.17 tools"
		exit 1
	fi
	export LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu
	XSB=$root/usr/bin
	XEN_BIN=$root/usr/lib/xen-4.17/bin
	XEN_PY=$root/usr/lib/xen-4.17/lib/python
}
