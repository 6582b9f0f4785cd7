#!/bin/bash
# SPDX-License-Identifier: MIT
# tern-xenstored on Xen's default socket path (--xen-socket), where
# Debian's clients look when XENSTORED_PATH is not set: they work with no
# XENSTORED_PATH at all; a path a live daemon answers on is never taken
# (--xen-socket refuses to start, --xen-socket-if-free carries on without
# it), nor is a file that is not a socket; a dead daemon's socket is
# replaced; at exit the socket and the directory made for it go, unless
# someone else's socket has replaced ours.  Everything runs under
# $XENSTORED_RUNDIR in the test's directory, and the last part (the real
# /var/run/xenstored/socket, no variable set) in a private mount
# namespace with its own /run: this machine's /run/xenstored is never
# touched.
. "$(dirname "$0")/lib.sh"
# Everything below lives in $TMP, and some of it is removed: be sure.
[ -d "$TMP" ] || { echo "FAIL: xen socket: no test directory"; exit 1; }

xen_tools "xen socket"
B=$XSB
XSD=$TOP/tern-xenstored
unset XENSTORED_PATH
export XENSTORED_RUNDIR=$TMP/xsrun
xsock=$XENSTORED_RUNDIR/socket

# A client as libxenstore finds the daemon by itself.
xs() { local c=$1; shift; "$B/xenstore-$c" "$@"; }
# A client on a given socket.
xs_on() { local s=$1 c=$2; shift 2; XENSTORED_PATH=$s "$B/xenstore-$c" "$@"; }
# stop <pid file>: SIGTERM; the daemon removes its pid file last thing.
stop() { kill "$(cat "$1")"; wait_until 20 bash -c "[ ! -e '$1' ]"; }

check "xen socket: daemon A starts with --xen-socket" \
	"$XSD" --xen-socket -s "$TMP/a.sock" -p "$TMP/a.pid" -l "$TMP/a.log"
check "xen socket: \$XENSTORED_RUNDIR/socket is a socket" [ -S "$xsock" ]
check "xen socket: a client without XENSTORED_PATH writes" xs write /where "on xen's path"
check "xen socket: the same store as the daemon's own socket" \
	[ "$(xs_on "$TMP/a.sock" read /where)" = "on xen's path" ]
check "xen socket: it is privileged (a dom0 client)" xs write /local/domain/0/x 1
check "xen socket: the log says so" \
	grep -q "serving on $xsock too (Xen's default path)" "$TMP/a.log"
ino=$(stat -c %i "$xsock")

# A live daemon there is never displaced.
msg=$("$XSD" --xen-socket -s "$TMP/b.sock" -p "$TMP/b.pid" -l "$TMP/b.log" 2>&1)
rc=$?
echo "    | $msg"
check "live daemon: --xen-socket refuses to start" [ "$rc" -ne 0 ]
check "live daemon: says why" \
	grep -qxF "tern-xenstored: $xsock: a running xenstore daemon answers there; not taking it" <<<"$msg"
check "live daemon: the refused daemon left nothing behind" \
	bash -c "[ ! -e '$TMP/b.sock' ] && [ ! -e '$TMP/b.pid' ]"
check "live daemon: --xen-socket-if-free starts without it" \
	"$XSD" --xen-socket-if-free -s "$TMP/c.sock" -p "$TMP/c.pid" -l "$TMP/c.log"
# The daemon detaches before its log line is surely written: wait for it.
check "live daemon: and logs why" \
	wait_until 30 grep -q "not serving on $xsock: a running xenstore daemon answers there" "$TMP/c.log"
check "live daemon: C serves its own socket" xs_on "$TMP/c.sock" write /c here
stop "$TMP/c.pid"
check "live daemon: A's socket is the same file after C came and went" \
	[ "$(stat -c %i "$xsock" 2>/dev/null)" = "$ino" ]
check "live daemon: and still reaches A" [ "$(xs read /where)" = "on xen's path" ]

stop "$TMP/a.pid"
check "exit: A removed the socket" [ ! -e "$xsock" ]
check "exit: and the directory it made" [ ! -e "$XENSTORED_RUNDIR" ]

# A socket nobody listens on (a dead daemon's) is replaced.
mkdir -p "$XENSTORED_RUNDIR"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$xsock"
check "dead socket: left behind by a dead daemon" [ -S "$xsock" ]
check "dead socket: --xen-socket takes it over" \
	"$XSD" --xen-socket -s "$TMP/d.sock" -p "$TMP/d.pid" -l "$TMP/d.log"
check "dead socket: clients reach the new daemon" xs write /d 1
stop "$TMP/d.pid"
check "dead socket: the directory it did not make stays" \
	bash -c "[ -d '$XENSTORED_RUNDIR' ] && [ ! -e '$xsock' ]"

# Someone else rebinding the path meanwhile keeps it when we exit.
check "replaced: daemon E starts" \
	"$XSD" --xen-socket -s "$TMP/e.sock" -p "$TMP/e.pid" -l "$TMP/e.log"
rm "$xsock"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$xsock"
ino=$(stat -c %i "$xsock")
stop "$TMP/e.pid"
check "replaced: E left the other socket in place" \
	[ "$(stat -c %i "$xsock" 2>/dev/null)" = "$ino" ]
rm "$xsock"

# Anything that is not a socket is left alone.
echo precious > "$xsock"
msg=$("$XSD" --xen-socket -s "$TMP/f.sock" -l "$TMP/f.log" 2>&1)
rc=$?
echo "    | $msg"
check "not a socket: --xen-socket refuses" [ "$rc" -ne 0 ]
check "not a socket: says why" \
	grep -qxF "tern-xenstored: $xsock: something other than a socket is there; leaving it alone" <<<"$msg"
check "not a socket: the file is untouched" [ "$(cat "$xsock")" = precious ]
rm -r "$XENSTORED_RUNDIR"

# A path that cannot be made.
touch "$TMP/plain"
msg=$(XENSTORED_RUNDIR=$TMP/plain/xs "$XSD" --xen-socket -s "$TMP/g.sock" -l "$TMP/g.log" 2>&1)
rc=$?
echo "    | $msg"
check "cannot make: --xen-socket refuses" [ "$rc" -ne 0 ]
check "cannot make: says why" grep -qxF "tern-xenstored: $TMP/plain/xs/socket: Not a directory" <<<"$msg"
check "cannot make: --xen-socket-if-free carries on" \
	env XENSTORED_RUNDIR="$TMP/plain/xs" "$XSD" --xen-socket-if-free \
	-s "$TMP/g.sock" -p "$TMP/g.pid" -l "$TMP/g.log"
check "cannot make: and serves its own socket" xs_on "$TMP/g.sock" write /g 1
stop "$TMP/g.pid"

# The real default, /var/run/xenstored/socket, with no variable at all,
# inside a private mount namespace whose /run is a fresh tmpfs.
real_before=$(ls -d /run/xenstored /var/run/xenstored 2>/dev/null)
out=$(unshare --mount --propagation private env -u XENSTORED_RUNDIR \
	XSD="$XSD" B="$B" TMP="$TMP" bash -ec '
	mount -t tmpfs tern-test /run
	"$XSD" --xen-socket -s "$TMP/h.sock" -p "$TMP/h.pid" -l "$TMP/h.log"
	[ -S /var/run/xenstored/socket ] && echo "socket at /var/run/xenstored/socket"
	"$B/xenstore-write" /ns "no variables"
	echo "read: $(XENSTORED_PATH=$TMP/h.sock "$B/xenstore-read" /ns)"
	"$B/xenstore-ls" / | grep -q "^ns = \"no variables\"" && echo "xenstore-ls sees it"
	kill "$(cat "$TMP/h.pid")"
	for i in $(seq 1 200); do [ -e "$TMP/h.pid" ] || break; sleep 0.1; done
	[ ! -e /var/run/xenstored ] && echo "cleaned up"
' 2>&1)
echo "$out" | sed 's/^/    | /'
check "namespace: a socket at the real default path" grep -qx "socket at /var/run/xenstored/socket" <<<"$out"
check "namespace: clients need no variable" grep -qx "read: no variables" <<<"$out"
check "namespace: xenstore-ls too" grep -qx "xenstore-ls sees it" <<<"$out"
check "namespace: /var/run/xenstored removed at exit" grep -qx "cleaned up" <<<"$out"
check "namespace: this machine's /run/xenstored is as it was" \
	[ "$(ls -d /run/xenstored /var/run/xenstored 2>/dev/null)" = "$real_before" ]
