#!/bin/bash
# SPDX-License-Identifier: MIT
# The guest publishes its p2m in shared_info (max_pfn and the 3-level
# frame list), and the hypervisor's audit -- reading it from outside, as
# save and migration will -- finds every entry consistent with the m2p.
# The mmu test makes MMU hypercalls after publication, so audits run then.
. "$(dirname "$0")/lib.sh"

for mem in 64 1024; do
	mkcfg "$TMP/p$mem.cfg" "memory = $mem" 'extra = "selftests=p2m,mmu keep_running"'
	name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/p$mem.cfg")
	TERN_HV_AUDIT=1 timeout 60 "$XL" create "$TMP/p$mem.cfg" >/dev/null 2>&1
	pages=$((mem * 256))
	for i in $(seq 100); do
		timeout 1 "$XL" console "$name" 2>/dev/null | grep -q "staying up" && break
		sleep 0.1
	done
	stats=$("$XL" stats "$name" 2>&1)
	echo "$stats" | grep -E 'p2m|audits' | sed 's/^/    | /'
	check "p2m $mem MiB: max_pfn published ($pages)" \
		grep -qE "^p2m frame list +max_pfn $pages," <<<"$stats"
	check "p2m $mem MiB: the audit read all $pages entries through the frame list" \
		grep -qE "entries checked by the last audit $pages$" <<<"$stats"
	check "p2m $mem MiB: audits ran and none failed" \
		grep -qE '^mmu audits +[1-9][0-9]*, failed 0$' <<<"$stats"
	"$XL" destroy "$name"
done
