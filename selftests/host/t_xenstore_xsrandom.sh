#!/bin/bash
# SPDX-License-Identifier: MIT
# Xen's test-xenstore in its random mode (-r <seconds>: random tests
# from its list until the time is up, here each three times, -i 3)
# against tern-xenstored: three instances at once, two as the toolstack
# and one as unprivileged domain 5, for 4, 5 and 6 seconds (test-xenstore
# seeds its generator with its stop time, so the three run different
# sequences).  Each must finish cleanly, with no retry loop exhausted;
# between them they must have used every request its tests send; the
# store must be consistent and clean afterwards; and every EAGAIN the
# daemon answered must be a real conflict: its verbose log names the
# node that changed, and some other request since the transaction
# started must have changed that node, removed it, or added or removed a
# child of it.  A wrong EAGAIN would otherwise go unseen, since
# test-xenstore retries its read-modify-write transaction quietly.
. "$(dirname "$0")/lib.sh"

xen_tools "test-xenstore -r"
XT=$XEN_BIN/test-xenstore
B=$XSB
CTL=$XEN_BIN/xenstore-control
sock=$TMP/xs.sock
log=$TMP/xsd.log

check "test-xenstore -r: daemon starts (verbose)" \
	"$TOP/tern-xenstored" -v -s "$sock" -p "$TMP/xsd.pid" -l "$log" \
	-D "5:$TMP/dom5.sock"
export XENSTORED_PATH=$sock
"$B/xenstore-write" /local/domain/5 ""
"$B/xenstore-chmod" /local/domain/5 n5

# random <label> <socket> <seconds>: one instance, in the background.
random() {
	XENSTORED_PATH=$2 timeout -k 5 120 "$XT" -r "$3" -i 3 \
		>"$TMP/$1.out" 2>&1
	echo $? >"$TMP/$1.rc"
}
started=$(date +%s)
random dom0-a "$sock" 4 &
random dom0-b "$sock" 5 &
random dom5 "$TMP/dom5.sock" 6 &
wait
for r in dom0-a:4 dom0-b:5 dom5:6; do
	i=${r%:*}
	out=$(cat "$TMP/$i.out")
	[ -n "$out" ] && echo "$out" | sed 's/^/    | /'
	check "test-xenstore -r ($i): exit 0" [ "$(cat "$TMP/$i.rc")" = 0 ]
	check "test-xenstore -r ($i): no test failed, no retry loop exhausted" \
		[ -z "$out" ]
	# To replay a failure: its seed was its stop time.
	[ -z "$out" ] || echo "    | seed: about $((started + ${r#*:}))"
done

for t in READ WRITE RM DIRECTORY TRANSACTION_START TRANSACTION_END; do
	n=$(grep -c ": $t([0-9]*) " "$log")
	check "test-xenstore -r: sent $t ($n times)" [ "$n" -gt 0 ]
done
eagain=$(grep -c 'conflicts: ' "$log")

# Every conflict justified by a change since its transaction began.
unjustified=$(awk '
	function arg(s) {		# the first argument, as sent
		sub(/^[^"]*"/, "", s)
		sub(/(\\0.*)?"$/, "", s)
		return s
	}
	# "<date> <time> xenstored: conn <c>: <TYPE>(<n>) req <r> tx <t> ..."
	/: TRANSACTION_START\(/ {
		start[$5] = n
	}
	/: (WRITE|MKDIR|RM|SET_PERMS)\(/ {
		conn[n] = $5; tx[n] = $10; path[n] = arg($0); n++
	}
	# "... conn <c>: transaction <t> conflicts: <path> changed"
	/ conflicts: / {
		c = $5; t = $7; x = $9
		ok = 0
		for (i = start[c]; i < n && !ok; i++) {
			if (conn[i] == c && tx[i] == t)
				continue;	# its own requests
			p = path[i]; d = p
			sub(/\/[^\/]*$/, "", d)
			ok = x == p ||				# the node...
			     (x "/") ~ ("/" p "/") ||		# ...or above it
			     (p != d && (x "/") ~ ("/" d "/$")) ||	# a child
			     (p == d && x ~ /^\/local\/domain\/[0-9]+$/)
		}
		if (!ok)
			print
	}' "$log")
[ -n "$unjustified" ] && head -5 <<<"$unjustified" | sed 's/^/    | /'
check "test-xenstore -r: every one of $eagain EAGAINs was a real conflict" \
	[ -z "$unjustified" ]

check "test-xenstore -r: store consistent (xenstore-control check)" \
	bash -c '"$1" check >/dev/null' _ "$CTL"
check "test-xenstore -r: nothing left in /local/domain/0" \
	bash -c '! "$1" /local/domain/0 2>/dev/null | grep -q xenstore-test' _ "$B/xenstore-list"
check "test-xenstore -r: nothing left in /local/domain/5" \
	bash -c '! "$1" /local/domain/5 2>/dev/null | grep -q xenstore-test' _ "$B/xenstore-list"
check "test-xenstore -r: daemon still running" kill -0 "$(cat "$TMP/xsd.pid")"
kill "$(cat "$TMP/xsd.pid")"
