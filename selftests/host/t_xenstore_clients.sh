#!/bin/bash
# SPDX-License-Identifier: MIT
# Debian's own xenstore clients (xenstore-utils and libxenstore 4.17,
# unpacked by scripts/xen-tools, never installed) against tern-xenstored:
# write, read, exists, list, ls, rm, watch, chmod, xenstore-control; the
# transactions the clients wrap their work in; and a client acting as an
# unprivileged domain through a domain socket, to see permissions set
# with xenstore-chmod take effect.
. "$(dirname "$0")/lib.sh"

xen_tools "xenstore clients"
B=$XSB
CTL=$XEN_BIN/xenstore-control
XSD=$TOP/tern-xenstored
log=$TMP/xenstored.log

# The default socket is $TERN_RUN_DIR/xenstored.sock.
started=$(date +%s)
check "clients: daemon starts (default socket)" \
	"$XSD" --pid-file "$TMP/xsd.pid" --log-file "$log" --verbose
sock=$TERN_RUN_DIR/xenstored.sock
check "clients: socket at \$TERN_RUN_DIR/xenstored.sock" [ -S "$sock" ]
export XENSTORED_PATH=$sock

# as_dom <domid> <command...>: run a client as unprivileged domain <domid>.
as_dom() {
	local d=$1
	shift
	XENSTORED_PATH=$TMP/dom$d.sock "$@"
}

check "clients: xenstore-write of three keys" \
	"$B/xenstore-write" /vm/a 1 /vm/b "two words" /vm/c/d deep
check "clients: xenstore-read" \
	[ "$("$B/xenstore-read" /vm/a /vm/b)" = "1
two words" ]
check "clients: xenstore-exists yes" "$B/xenstore-exists" /vm/c/d
check "clients: xenstore-exists no" bash -c '! "$1" /vm/nope 2>/dev/null' _ "$B/xenstore-exists"
check "clients: xenstore-read of a missing key fails" \
	bash -c '! "$1" /vm/nope 2>/dev/null' _ "$B/xenstore-read"
check "clients: xenstore-list" [ "$("$B/xenstore-list" /vm | tr '\n' ' ')" = "a b c " ]
ls=$("$B/xenstore-ls" -f /vm)
check "clients: xenstore-ls -f" [ "$ls" = '/vm/a = "1"
/vm/b = "two words"
/vm/c = ""
/vm/c/d = "deep"' ]
check "clients: xenstore-rm" "$B/xenstore-rm" /vm/c
check "clients: removed subtree is gone" \
	bash -c '! "$1" /vm/c/d 2>/dev/null' _ "$B/xenstore-exists"

# A long directory goes through DIRECTORY_PART.
args=()
for i in $(seq 1 300); do args+=("/big/child-with-a-long-name-$i" "$i"); done
"$B/xenstore-write" "${args[@]}"
check "clients: xenstore-list of 300 children (DIRECTORY_PART)" \
	[ "$("$B/xenstore-list" /big | wc -l)" -eq 300 ]
check "clients: DIRECTORY answered E2BIG, then DIRECTORY_PART used" \
	bash -c 'grep -q "E2BIG" "$1" && grep -q "DIRECTORY_PART" "$1"' _ "$log"

# The clients wrap their work in a transaction.
check "clients: xenstore-write used a transaction" \
	bash -c 'grep -q "TRANSACTION_START" "$1" && grep -q "TRANSACTION_END.*\"T\\\\0\"" "$1"' _ "$log"

# Watches: the initial event, a write below, a removal.
"$B/xenstore-watch" -n 3 /w >"$TMP/watch.out" 2>&1 &
wpid=$!
# The initial event on its output says the watch is in place.
for i in $(seq 1 200); do
	[ -s "$TMP/watch.out" ] && break
	sleep 0.05
done
"$B/xenstore-write" /w/x 1
"$B/xenstore-rm" /w
wait "$wpid"
check "clients: xenstore-watch saw initial, write and removal" \
	[ "$(cat "$TMP/watch.out")" = "/w
/w/x
/w" ]

# Permissions, with domain 5 as an unprivileged client.
quiet() { "$@" >/dev/null; }
check "clients: xenstore-control domain-socket 5" \
	quiet "$CTL" domain-socket 5 "$TMP/dom5.sock"
"$B/xenstore-write" /perm/node secret /local/domain/5 ""
"$B/xenstore-chmod" /local/domain/5 n5
check "clients: domain 5 cannot read an n0 node" \
	bash -c '! XENSTORED_PATH=$1 "$2" /perm/node 2>/dev/null' _ "$TMP/dom5.sock" "$B/xenstore-read"
check "clients: xenstore-chmod /perm/node n0 r5" "$B/xenstore-chmod" /perm/node n0 r5
check "clients: now domain 5 reads it" \
	[ "$(as_dom 5 "$B/xenstore-read" /perm/node)" = secret ]
check "clients: but cannot write it" \
	bash -c '! XENSTORED_PATH=$1 "$2" /perm/node x 2>/dev/null' _ "$TMP/dom5.sock" "$B/xenstore-write"
check "clients: xenstore-chmod /perm/node n0 b5" "$B/xenstore-chmod" /perm/node n0 b5
check "clients: now domain 5 writes it" as_dom 5 "$B/xenstore-write" /perm/node "by five"
check "clients: xenstore-ls -p shows the permissions" \
	bash -c '"$1" -p /perm | grep -q "node = \"by five\".*(n0,b5)"' _ "$B/xenstore-ls"
check "clients: domain 5 writes its home with a relative path" \
	as_dom 5 "$B/xenstore-write" data/x relative
check "clients: owned by domain 5" \
	bash -c '"$1" -p /local/domain/5 | grep -q "x = \"relative\".*(n5)"' _ "$B/xenstore-ls"
check "clients: domain 5 cannot chmod dom0's node" \
	bash -c '! XENSTORED_PATH=$1 "$2" /perm/node b5 2>/dev/null' _ "$TMP/dom5.sock" "$B/xenstore-chmod"
check "clients: xenstore-chmod -r (recursive)" "$B/xenstore-chmod" -r /vm n0 r5
check "clients: domain 5 reads below /vm after chmod -r" \
	[ "$(as_dom 5 "$B/xenstore-read" /vm/b)" = "two words" ]
check "clients: domain 5 cannot remove /vm/a (r5)" \
	bash -c '! XENSTORED_PATH=$1 "$2" /vm/a 2>/dev/null' _ "$TMP/dom5.sock" "$B/xenstore-rm"

check "clients: xenstore-control quota nodes 2000" quiet "$CTL" quota nodes 2000
check "clients: xenstore-control quota shows it" \
	bash -c '"$1" quota | grep -q "^nodes 2000$"' _ "$CTL"
check "clients: xenstore-control check" quiet "$CTL" check
check "clients: usr/bin/xenstore-control (re-pointed by scripts/xen-tools)" \
	bash -c '[ "$("$1" quota | head -1)" = "nodes 2000" ]' _ "$B/xenstore-control"
check "clients: daemon still running at the end" kill -0 "$(cat "$TMP/xsd.pid")"
kill "$(cat "$TMP/xsd.pid")"

# The log's lines carry the local date and time, to the millisecond.
stamp='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}'
check "log: every line starts with the local date and time" \
	bash -c '! grep -qvE "^$1 xenstored: " "$2"' _ "$stamp" "$log"
first=$(head -1 "$log")
echo "    | $first"
when=$(date -d "$(cut -c1-19 <<<"$first")" +%s)
check "log: the first line's time is when the daemon started" \
	[ "$when" -ge "$started" -a "$when" -le "$(date +%s)" ]
