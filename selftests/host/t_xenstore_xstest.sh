#!/bin/bash
# SPDX-License-Identifier: MIT
# Xen's own xenstore test program, test-xenstore from Debian's
# xen-utils-4.17 (unpacked by scripts/xen-tools, never installed), run
# against tern-xenstored: once as the toolstack (dom0, privileged) and
# once as unprivileged domain 5 through a domain socket, every test twice
# (-i 2).  Its relative base path, xenstore-test/<pid>, lands in
# /local/domain/0 or /local/domain/5.  One PASS line per test it lists;
# its random mode (-r) is time-based and not run.
. "$(dirname "$0")/lib.sh"

xen_tools test-xenstore
XT=$XEN_BIN/test-xenstore
B=$XSB
sock=$TMP/xs.sock

check "test-xenstore: daemon starts" \
	"$TOP/tern-xenstored" -s "$sock" -p "$TMP/xsd.pid" -l "$TMP/xsd.log" \
	-D "5:$TMP/dom5.sock"
export XENSTORED_PATH=$sock
"$B/xenstore-write" /local/domain/5 ""
"$B/xenstore-chmod" /local/domain/5 n5

tests=$("$XT" -l | sed -E 's/ *:.*//')
check "test-xenstore: lists its tests" [ "$(echo "$tests" | wc -l)" -ge 12 ]

# run_as <label> <socket>: every test, each reported on its own.
run_as() {
	local label=$1 path=$2 t out rc
	while IFS= read -r t; do
		out=$(XENSTORED_PATH=$path timeout -k 5 60 "$XT" -i 2 -t "$t" 2>&1)
		rc=$?
		if [ "$rc" -eq 0 ] && grep -qE "^$t *: (avg: )?[0-9]+ ns" <<<"$out"; then
			pass "test-xenstore ($label): $t"
		else
			echo "$out" | sed 's/^/    | /'
			fail "test-xenstore ($label): $t (exit $rc)"
		fi
	done <<<"$tests"
}

run_as dom0 "$sock"
run_as "domain 5" "$TMP/dom5.sock"

check "test-xenstore: whole suite in one run" \
	bash -c 'XENSTORED_PATH=$1 "$2" >/dev/null 2>&1' _ "$sock" "$XT"
check "test-xenstore: it cleaned up after itself" \
	[ -z "$("$B/xenstore-list" /local/domain/0/xenstore-test 2>/dev/null)" ]
check "test-xenstore: daemon still running" kill -0 "$(cat "$TMP/xsd.pid")"
kill "$(cat "$TMP/xsd.pid")"
