#!/bin/bash
# SPDX-License-Identifier: MIT
# Which xenstore daemon tern-xl starts: the machine-wide one (root, no
# TERN_RUN_DIR, run directory /run/tern) is asked to serve Xen's default
# socket path too, with --xen-socket-if-free (never --xen-socket, which
# would refuse to start if a real xenstored held the path), so Debian's
# xenstore-* clients work with no XENSTORED_PATH; a daemon for a private
# run directory (the tests', TERN_RUN_DIR set) is never asked.  Either way
# dom0 is named as on a Xen host: /local/domain/0/name = "Domain-0".  All
# of it runs in a private mount namespace whose /run is a fresh tmpfs, so
# this machine's /run/tern and /run/xenstored are never touched.
. "$(dirname "$0")/lib.sh"
[ -d "$TMP" ] || { echo "FAIL: machine-wide daemon: no test directory"; exit 1; }

xen_tools "machine-wide daemon"
mkcfg "$TMP/k.cfg" 'extra = "keep_running"'
name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/k.cfg")
real_before=$(ls -d /run/tern /run/xenstored /var/run/xenstored 2>/dev/null)

out=$(unshare --mount --propagation private \
	env -u XENSTORED_PATH -u XENSTORED_RUNDIR XL="$XL" B="$XSB" \
	TMP="$TMP" NAME="$name" bash -c '
	mount -t tmpfs tern-test /run || exit 1
	touch /run/tern-test-marker
	stop_daemon() {	# <run dir>
		[ -e "$1/xenstored.pid" ] || return 0
		kill "$(cat "$1/xenstored.pid")"
		for i in $(seq 1 200); do [ -e "$1/xenstored.pid" ] || break; sleep 0.1; done
	}
	trap "\"$XL\" destroy \"$NAME\" >/dev/null 2>&1; stop_daemon /run/tern; stop_daemon \"$TMP/priv\"" EXIT
	args() { tr "\0" " " < "/proc/$(cat "$1/xenstored.pid")/cmdline"; }

	# A private run directory first.
	TERN_RUN_DIR=$TMP/priv "$XL" create "$TMP/k.cfg" > /dev/null || echo "private: create failed"
	echo "private args: $(args "$TMP/priv")"
	[ -e /var/run/xenstored/socket ] || echo "private: no socket at the default path"
	echo "private dom0: $(XENSTORED_PATH=$TMP/priv/xenstored.sock "$B/xenstore-read" /local/domain/0/name)"
	TERN_RUN_DIR=$TMP/priv "$XL" destroy "$NAME"
	stop_daemon "$TMP/priv"

	# Then the machine-wide daemon.
	[ -e /run/tern-test-marker ] || exit 1	# still our own /run
	unset TERN_RUN_DIR
	"$XL" create "$TMP/k.cfg" > /dev/null || echo "machine: create failed"
	echo "machine args: $(args /run/tern)"
	[ -S /var/run/xenstored/socket ] && echo "machine: a socket at /var/run/xenstored/socket"
	echo "machine dom0: $("$B/xenstore-read" /local/domain/0/name)"
	id=$("$XL" list "$NAME" | awk "NR == 2 { print \$2 }")
	echo "machine guest: $("$B/xenstore-read" /local/domain/$id/name)"
' 2>&1)
echo "$out" | sed 's/^/    | /'
check "private run dir: the daemon is started without any --xen-socket option" \
	bash -c "grep -q '^private args: .*tern-xenstored --socket ' <<<\"\$1\" && ! grep -q '^private args: .*--xen-socket' <<<\"\$1\"" _ "$out"
check "private run dir: nothing at Xen's default path" \
	grep -qx "private: no socket at the default path" <<<"$out"
check "private run dir: dom0 is Domain-0" grep -qx "private dom0: Domain-0" <<<"$out"
check "machine-wide: the daemon gets --xen-socket-if-free" \
	grep -q '^machine args: .* --xen-socket-if-free $' <<<"$out"
check "machine-wide: never --xen-socket itself" \
	bash -c "! grep -qE '^machine args: .*--xen-socket( |\$)' <<<\"\$1\"" _ "$out"
check "machine-wide: it serves Xen's default path" \
	grep -qx "machine: a socket at /var/run/xenstored/socket" <<<"$out"
check "machine-wide: Debian's clients need no XENSTORED_PATH: dom0 is Domain-0" \
	grep -qx "machine dom0: Domain-0" <<<"$out"
check "machine-wide: and they see the guest" grep -qx "machine guest: $name" <<<"$out"
check "this machine's /run/tern and /run/xenstored are as they were" \
	[ "$(ls -d /run/tern /run/xenstored /var/run/xenstored 2>/dev/null)" = "$real_before" ]
