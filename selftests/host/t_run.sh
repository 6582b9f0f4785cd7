#!/bin/bash
# SPDX-License-Identifier: MIT
# make run, the first thing a new user sees (scripts/run-demo, here for 5
# seconds): tern boots on 4 vCPUs with ptstress on each, a status line
# shows the domain running and ptstress's totals growing with no mismatch,
# the guest is shut down through xenstore at the end, and nothing on the
# way reads like an alarm (no ERROR, FAIL, panic or crash line).
. "$(dirname "$0")/lib.sh"

out=$(RUN_SECONDS=5 timeout 120 "$TOP/scripts/run-demo" 2>&1)
rc=$?
echo "$out" | tail -n 6 | sed 's/^/    | /'
check "make run: status 0" [ "$rc" -eq 0 ]
check "make run: 4 vCPUs online" grep -q 'smp: 4 of 4 CPUs online' <<<"$out"
check "make run: ptstress on each" grep -q 'ptstress: 64 pages on each of 4 CPUs' <<<"$out"
check "make run: a status line, the domain running, pagetable updates counted, no mismatch" \
	grep -qE '^\[ *[0-9]+ s\] tern-run [r-][b-]----, CPU [0-9.]+ s \| ptstress: [1-9][0-9]* rounds, [1-9][0-9]* pagetable updates, 0 mismatches, 0 errors$' <<<"$out"
check "make run: shut down at the end" grep -qx 'Domain tern-run (id [0-9]*) has shut down' <<<"$out"
check "make run: no alarms" bash -c "! grep -qiE 'error:|fail|panic|crash|mismatch(es)? [1-9]' <<<\"\$1\"" _ "$out"
check "make run: nothing left running" bash -c "! '$XL' list tern-run >/dev/null 2>&1"
