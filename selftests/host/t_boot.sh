#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot the kernel on the host hypervisor: banner with the real start_info
# values, in-guest tests, clean poweroff with exit status 0.
. "$(dirname "$0")/lib.sh"

mkcfg "$TMP/ok.cfg" 'extra = "selftests=all"'
boot "$TMP/ok.cfg"
echo "$out" | sed 's/^/    | /'

check "boot: exit status 0 after poweroff" [ "$rc" -eq 0 ]
check "boot: banner printed" grep -q '^tern .* (Xen PV x86-64) booting$' <<<"$out"
check "boot: outcome is poweroff" grep -q '): poweroff, action destroy' <<<"$out"

# Every value the builder reports must be what the guest read from start_info.
field() { grep -o "$1 [^ ]*" <<<"$2" | head -1 | cut -d' ' -f2; }
hv=$(grep '^(hv) start of day' <<<"$out" | tr '\n' ' ')
guest=$(grep '^start_info:' <<<"$out" | tr '\n' ' ')
same() { [ -n "$1" ] && [ "$1" = "$2" ]; }
for f in nr_pages shared_info store_mfn store_evtchn console_mfn console_evtchn \
	 pt_base nr_pt_frames mfn_list; do
	h=$(field "$f" "$hv")
	g=$(field "$f" "$guest")
	check "boot: start_info $f ($g) is what the builder set ($h)" same "$h" "$g"
done
check "boot: 64 MiB is 16384 pages" [ "$(field nr_pages "$guest")" = 16384 ]
check "boot: start_info magic" grep -q 'magic xen-3.0-x86_64' <<<"$out"
check "boot: command line reached the guest" grep -q '^command line: selftests=all$' <<<"$out"

# Machine frames are scrambled: the console page's mfn is not its pfn.
con=$(( $(field console_mfn "$guest") ))
list=$(( $(field mfn_list "$guest") ))
check "boot: console mfn is not 1:1 with its pfn" [ "$con" -ne $(( (list - 0x100000000000) >> 12 )) ]

# Every in-guest test built into the image ran and passed.
tests=$(nm "$KERNEL" | sed -n 's/.* __selftest_\(.*\)$/\1/p')
check "boot: the image has in-guest tests" [ -n "$tests" ]
for t in $tests; do
	check "boot: in-guest test $t" grep -q "^$t: SUCCESS$" <<<"$out"
done
check "boot: no in-guest test failed" bash -c '! grep -qE ": (FAILURE|ERROR)$" <<<"$1"' _ "$out"

# More memory and vCPUs: start of day scales, guest still powers off.
mkcfg "$TMP/big.cfg" 'memory = 1024' 'vcpus = 2'
boot "$TMP/big.cfg"
check "boot: 1 GiB guest powers off cleanly" [ "$rc" -eq 0 ]
check "boot: 1 GiB guest sees 262144 pages" grep -q 'nr_pages 262144 ' <<<"$out"
