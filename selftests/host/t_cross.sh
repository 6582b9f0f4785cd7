#!/bin/bash
# SPDX-License-Identifier: MIT
# A guest that cannot cross from Xen to hv: one that kept Xen's m2p
# address (MACH2PHYS_VIRT_START, in the upper half no host process can
# map) and touches it here is stopped by the hypervisor with a message
# that says so and where this hypervisor's m2p is -- not a #PF the guest
# could fix up and carry on from with a wrong answer, and not a bare
# register dump.  (Documentation/two-hypervisors.rst.)
. "$(dirname "$0")/lib.sh"

mkcfg "$TMP/c.cfg"

boot "$TMP/c.cfg" 'extra="crash_test=xen_m2p"'
echo "$out" | grep -E 'crash_test|crashed' | sed 's/^/    | /'
check "xen m2p: exit status 2 (crash)" [ "$rc" -eq 2 ]
check "xen m2p: the guest got as far as the read" \
	grep -q "crash_test: reading Xen's m2p at 0xffff800000000000" <<<"$out"
check "xen m2p: the hypervisor names Xen's m2p and its own" \
	grep -q "crashed on vCPU 0: the guest touches 0xffff800000000000, in Xen's read-only m2p (0xffff800000000000-0xffff803fffffffff): it kept Xen's m2p address across a move to this hypervisor, whose m2p is at 0x3f8000000000-0x3fffffffffff" <<<"$out"
check "xen m2p: the read never returned (no #PF fixed up)" \
	bash -c "! grep -q 'crash_test: m2p\[0\] =' <<<\"\$1\"" _ "$out"
check "xen m2p: outcome crash" grep -q '): crash, action destroy' <<<"$out"
