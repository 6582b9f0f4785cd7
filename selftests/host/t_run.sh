#!/bin/bash
# SPDX-License-Identifier: MIT
# make run, the first thing a new user sees (scripts/run-demo, here for 5
# seconds): tern boots on 4 vCPUs with ptstress on each, a status line
# shows the domain running and ptstress's totals growing with no mismatch,
# the guest is saved and restored onto other machine frames and its totals
# go on from where they were, it is shut down through xenstore at the
# end, and nothing on the way reads like an alarm (no ERROR, FAIL, panic
# or crash line).
. "$(dirname "$0")/lib.sh"

out=$(RUN_SECONDS=5 RUN_AFTER_SECONDS=3 timeout 180 "$TOP/scripts/run-demo" 2>&1)
rc=$?
echo "$out" | tail -n 6 | sed 's/^/    | /'
check "make run: status 0" [ "$rc" -eq 0 ]
check "make run: 4 vCPUs online" grep -q 'smp: 4 of 4 CPUs online' <<<"$out"
check "make run: ptstress on each" grep -q 'ptstress: 64 pages on each of 4 CPUs' <<<"$out"
check "make run: a status line, the domain running, pagetable updates counted, no mismatch" \
	grep -qE '^\[ *[0-9]+ s\] tern-run [r-][b-]----, CPU [0-9.]+ s \| ptstress: [1-9][0-9]* rounds, [1-9][0-9]* pagetable updates, 0 mismatches, 0 errors$' <<<"$out"
sr=$(grep -E '^saved in [0-9]+ ms \([0-9]+ MiB file, tern-xl save\), restored in [0-9]+ ms \(tern-xl restore\); xenstore ring: machine frame 0x[0-9a-f]+ before, 0x[0-9a-f]+ now$' <<<"$out")
check "make run: saved and restored, with the times" [ -n "$sr" ]
check "make run: the restored guest's xenstore ring is on another machine frame" \
	bash -c '[[ $1 =~ frame\ (0x[0-9a-f]+)\ before,\ (0x[0-9a-f]+)\ now ]] && [ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]' _ "$sr"
# ptstress's rounds: the last status line before the save, and the last one.
rounds() { sed -n 's/^\[ *[0-9]* s\] .* ptstress: \([0-9]*\) rounds,.*/\1/p'; }
before=$(sed -n '1,/^saving /p' <<<"$out" | rounds | tail -n 1)
after=$(sed -n '/^saved in /,$p' <<<"$out" | rounds | tail -n 1)
check "make run: ptstress carried on after the restore ($before rounds, then $after)" \
	[ "${after:-0}" -gt "${before:-0}" -a "${before:-0}" -gt 0 ]
check "make run: shut down at the end" grep -qx 'Domain tern-run (id [0-9]*) has shut down' <<<"$out"
check "make run: no alarms" bash -c "! grep -qiE 'error:|fail|panic|crash|mismatch(es)? [1-9]' <<<\"\$1\"" _ "$out"
check "make run: nothing left running" bash -c "! '$XL' list tern-run >/dev/null 2>&1"
