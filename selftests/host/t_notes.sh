#!/bin/bash
# SPDX-License-Identifier: MIT
# Xen's own note reader (Debian's xen-utils-4.17 readnotes, unpacked into a
# cache, never installed) must decode every Xen ELF note of the image.
. "$(dirname "$0")/lib.sh"

if ! root=$("$TOP/scripts/xen-tools"); then
	fail "notes: cannot fetch Debian's xen-utils-4.17 for readnotes"
	exit 1
fi
export LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu
notes=$("$root/usr/lib/xen-4.17/bin/readnotes" "$KERNEL" 2>&1)
rc=$?
echo "$notes" | sed 's/^/    | /'
check "notes: readnotes exits 0" [ "$rc" -eq 0 ]

entry=0x$(nm "$KERNEL" | awk '$3 == "startup_xen" { print $1 }')
hcall=0x$(nm "$KERNEL" | awk '$3 == "hypercall_page" { print $1 }')
note() { grep -E "^$1:" <<<"$notes" | head -1 | sed -E "s/^$1: *//; s/ \(.*\)$//"; }
num_is() { [ -n "$(note "$1")" ] && [ $(( $(note "$1") )) -eq $(( $2 )) ]; }

check "notes: GUEST_OS is tern" [ "$(note GUEST_OS)" = tern ]
check "notes: GUEST_VERSION is the kernel version" [ "$(note GUEST_VERSION)" = "$(make -s -C "$TOP" kernelversion)" ]
check "notes: XEN_VERSION is xen-3.0" [ "$(note XEN_VERSION)" = xen-3.0 ]
check "notes: LOADER is generic" [ "$(note LOADER)" = generic ]
check "notes: VIRT_BASE is 16 TiB" num_is VIRT_BASE 0x100000000000
check "notes: PADDR_OFFSET is 0" num_is PADDR_OFFSET 0
check "notes: ENTRY is startup_xen ($entry)" num_is ENTRY "$entry"
check "notes: HYPERCALL_PAGE is hypercall_page ($hcall)" num_is HYPERCALL_PAGE "$hcall"
check "notes: hypercall page is page aligned" [ $(( hcall & 0xfff )) -eq 0 ]
check "notes: FEATURES names no required feature" bash -c '[ -n "$1" ] && [[ $1 != *"!"* ]]' _ "$(note FEATURES)"
check "notes: PAE_MODE is yes" [ "$(note PAE_MODE)" = yes ]
check "notes: SUSPEND_CANCEL is 1" num_is SUSPEND_CANCEL 1
check "notes: all eleven notes present" [ "$(grep -cE '^(GUEST_OS|GUEST_VERSION|XEN_VERSION|LOADER|VIRT_BASE|PADDR_OFFSET|ENTRY|HYPERCALL_PAGE|FEATURES|PAE_MODE|SUSPEND_CANCEL):' <<<"$notes")" -eq 11 ]
check "notes: all in one source file" [ "$(grep -rl 'XEN_ELFNOTE_' "$TOP"/arch "$TOP"/init "$TOP"/kernel "$TOP"/drivers --include='*.S' --include='*.c' | wc -l)" -eq 1 ]
