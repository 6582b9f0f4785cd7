#!/bin/bash
# SPDX-License-Identifier: MIT
# A guest that keeps dirtying memory as fast as it can be sent (dirty=:
# 64 MiB rewritten at up to 1024 MiB/s, beside ptstress on 4 vCPUs) never
# lets the dirty set fall below the threshold, so only the round limit
# (--max-rounds 3) ends the live rounds: every round after the first
# sends at least 50 pages, and the last, after the suspend, carries what
# is left.  The guest arrives intact -- its own check passes, which
# includes every dirtier page holding the value it wrote last (a page
# the last round missed would hold an older one), and the MMU audit is
# clean.  The same guest with --max-downtime stops as soon as the
# predicted last round fits, or at the round limit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/migrate-hosts.sh"

hosts A B
guest=md$$
check "the dirtying guest is up on A" \
	host_guest_up A "$guest" 256 4 "ptstress=16 keep_running resume_check dirty=1024 dirty_mem=64" "dirty: 1024 MiB/s"

checked() { arrived_ok "$1" "$guest" "$2" dirty:; }
audit() { host_audit "$1" "$guest"; }

out=$(on A "$XL" migrate --max-rounds 3 -s "$TMP/to" "$guest" B 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
sum=$(grep '^migrated' <<<"$out")
rounds=$(sed -n 's/.*: \([0-9]*\) rounds.*/\1/p' <<<"$sum")
last=$(sed -n 's/.* \([0-9]*\)), total.*/\1/p' <<<"$sum")
# Pages of rounds 2.. (each what the CLEAN before it found dirty).
fewest=$(sed -n 's/.*pages (\([0-9 ]*\)).*/\1/p' <<<"$sum" | tr ' ' '\n' | tail -n +2 | sort -n | head -1)
check "a guest dirtying as fast as it is sent, --max-rounds 3: rc 0" [ $rc -eq 0 ]
check "  ... stopped by the round limit: 3 rounds while running and the last ($rounds rounds), every round after the first at least 50 pages (fewest $fewest), the last $last" \
	eval '[ "$rounds" = 4 ] && [ "${fewest:-0}" -ge 50 ]'
check "  ... arrived intact: the guest's check passes (rc 0), every dirtier page as last written" checked B 1
check "  ... MMU audit clean" audit B

out=$(on B "$XL" migrate --max-downtime 50 --max-rounds 8 -s "$TMP/to" "$guest" A 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "--max-downtime 50: rc 0, back on A, intact (rc 0)" eval '[ $rc -eq 0 ] && checked A 2'
on A "$XL" destroy "$guest" >/dev/null 2>&1
