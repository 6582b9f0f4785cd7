#!/bin/bash
# SPDX-License-Identifier: MIT
# ptstress under the hypervisor's audit, with 1, 2, 4 and 8 vCPUs: for a
# set time every CPU keeps mapping, rewriting, remapping and unmapping its
# pages through the PV MMU; no page ever reads back different from its
# checksum, no pagetable hypercall is refused, and the audit that runs
# after every MMU hypercall (TERN_HV_AUDIT=1) never finds the frame
# table, the shadow or the p2m inconsistent.
. "$(dirname "$0")/lib.sh"

ms=${PTSTRESS_MS:-2000}

for n in 1 2 4 8; do
	mkcfg "$TMP/pt$n.cfg" "vcpus = $n" \
		"extra = \"selftests=ptstress ptstress_ms=$ms keep_running\""
	name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/pt$n.cfg")
	TERN_HV_AUDIT=1 timeout 60 "$XL" create "$TMP/pt$n.cfg" >/dev/null 2>&1
	wait_until 240 bash -c "timeout 1 '$XL' console '$name' 2>/dev/null | grep -q 'staying up'"
	con=$(timeout 1 "$XL" console "$name" 2>/dev/null | strip_printk)
	stats=$("$XL" stats "$name" 2>&1)
	"$XL" destroy "$name" >/dev/null 2>&1
	grep -E '^  ' <<<"$con" | sed 's/^/    | /'
	grep -E '^mmu audits' <<<"$stats" | sed 's/^/    | /'

	check "ptstress $n: the test passed" grep -q '^ptstress: SUCCESS$' <<<"$con"
	check "ptstress $n: workers on $n CPUs" \
		grep -q "^ptstress: 64 pages on each of $n CPUs$" <<<"$con"
	for ((c = 0; c < n; c++)); do
		check "ptstress $n: CPU $c completed rounds" \
			grep -qE "^  cpu $c: [1-9][0-9]* rounds, [1-9][0-9]* updates" <<<"$con"
	done
	check "ptstress $n: $ms ms, no mismatch and no refused hypercall" \
		grep -qE "^  $ms ms: [1-9][0-9]* rounds, [0-9]+ updates, 0 mismatches, 0 errors$" <<<"$con"
	check "ptstress $n: the MMU audit ran after every hypercall and never failed" \
		grep -qE '^mmu audits +[1-9][0-9]*, failed 0$' <<<"$stats"
	check "ptstress $n: no audit failure on the console" \
		bash -c '! grep -q "MMU audit failed" <<<"$1"' _ "$con"
done

# "ptstress=16" on the command line: the workload keeps running after
# boot and reports clean totals every 10 seconds.
mkcfg "$TMP/bg.cfg" 'vcpus = 2' 'extra = "ptstress=16 keep_running"'
name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/bg.cfg")
TERN_HV_AUDIT=1 timeout 60 "$XL" create "$TMP/bg.cfg" >/dev/null 2>&1
wait_until 60 bash -c "timeout 1 '$XL' console '$name' 2>/dev/null | grep -q 'ptstress: 1[0-9] s'"
con=$(timeout 1 "$XL" console "$name" 2>/dev/null | strip_printk)
"$XL" destroy "$name" >/dev/null 2>&1
grep '^ptstress' <<<"$con" | sed 's/^/    | /'
check "ptstress=16: started after boot on both CPUs" \
	grep -q '^ptstress: 16 pages on each of 2 CPUs$' <<<"$con"
check "ptstress=16: still running after 10 s, clean" \
	grep -qE '^ptstress: 1[0-9] s, [1-9][0-9]* rounds, [1-9][0-9]* updates, 0 mismatches, 0 errors$' <<<"$con"

# Bad page counts are refused as options, and nothing starts.
for bad in 0 257 lots; do
	mkcfg "$TMP/bad.cfg" "extra = \"ptstress=$bad\""
	boot "$TMP/bad.cfg"
	check "ptstress=$bad: refused as an invalid option" \
		grep -q "^Invalid value for ptstress: $bad (-22)$" <<<"$out"
	check "ptstress=$bad: nothing started, clean poweroff" \
		bash -c '[ "$1" -eq 0 ] && ! grep -q "pages on each" <<<"$2"' _ "$rc" "$out"
done
