#!/bin/bash
# SPDX-License-Identifier: MIT
# A guest that moves its own pages to new machine frames while it runs
# (p2mswap: XENMEM_exchange on one of its 16 pages every millisecond,
# beside ptstress on 4 vCPUs) is migrated A -> B -> A -> B.  Its p2m
# changes under the migration, up to the moment it suspends, so the last
# round must find the pfns whose frame changed (it reads the p2m leaves
# that were written again) and send them on their new frames.  Each
# arrival is checked by the guest -- every p2mswap page holds the value
# written last; a pfn sent on its old frame arrives as a page nobody
# filled -- and by the MMU audit, and over the migrations the last
# rounds did send pfns on new frames (tern-xl -v's count), so the path
# was driven; hv refused none of the exchanges (Xen may, under log-dirty;
# the guest then keeps the page where it was).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/migrate-hosts.sh"

hosts A B
guest=mp$$
check "the guest moving its pages is up on A" \
	host_guest_up A "$guest" 256 4 "ptstress=16 keep_running resume_check p2mswap" "p2mswap: moving"

checked() { arrived_ok "$1" "$guest" "$2" p2mswap:; }
audit() { host_audit "$1" "$guest"; }

moved=0 n=0 from=A
for to in B A B; do
	n=$((n + 1))
	out=$(on $from "$XL" -v migrate -s "$TMP/to" "$guest" $to 2>&1)
	rc=$?
	[ $rc = 0 ] && out=$(grep -E "^migrated|new frames" <<<"$out")
	echo "$out" | sed "s/^/    | /"
	k=$(sed -n 's/.*, \([0-9]*\) pfns on new frames.*/\1/p' <<<"$out")
	moved=$((moved + ${k:-0}))
	check "migration $n ($from -> $to): rc 0, the guest's check passes (every moved page as written last)" \
		eval '[ $rc -eq 0 ] && checked $to $n'
	check "  ... MMU audit clean" audit $to
	from=$to
done
check "the last rounds sent pfns on new frames ($moved over $n migrations)" [ "$moved" -gt 0 ]
refused=$(cat "$TMP"/[AB]/run/*.console 2>/dev/null | grep -ac 'p2mswap: .*exchange refused')
check "hv refused none of the guest's exchanges ($refused refused)" [ "$refused" = 0 ]
on B "$XL" destroy "$guest" >/dev/null 2>&1
