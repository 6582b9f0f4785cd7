#!/bin/bash
# SPDX-License-Identifier: MIT
# Guests that die: a fault before any trap handler is registered is
# crashed by the hypervisor with a register dump; a fault with handlers in
# place reaches the guest's own handler, which panics; both end as a crash
# with a non-zero exit status.
. "$(dirname "$0")/lib.sh"

mkcfg "$TMP/c.cfg"

boot "$TMP/c.cfg" 'extra="crash_test=early"'
echo "$out" | sed 's/^/    | /'
check "crash early: exit status 2 (crash)" [ "$rc" -eq 2 ]
check "crash early: hypervisor names the unhandled page fault" \
	grep -q 'crashed on vCPU 0: unhandled #PF (vector 14, error code 0x2)' <<<"$out"
check "crash early: register dump with RIP and RSP" grep -q '^(hv) RIP: 0000100000' <<<"$out"
check "crash early: register dump has cr2 of the bad address" grep -q 'CR2: 00001000deadb000' <<<"$out"
check "crash early: outcome crash" grep -q '): crash, action destroy' <<<"$out"

boot "$TMP/c.cfg" 'extra="crash_test=trap"'
echo "$out" | sed 's/^/    | /'
check "crash trap: exit status 2" [ "$rc" -eq 2 ]
check "crash trap: guest handler saw the page fault" \
	grep -q '^\*\*\* page fault (vector 14) error code 0x2 at address 00001000deadb000 (not present, write)' <<<"$out"
check "crash trap: guest printed its registers (CS with RPL 0, as Xen's frame for a kernel)" grep -q '^CS: e030  SS: e02b$' <<<"$out"
check "crash trap: guest panicked with a call trace" grep -q '^Call trace:' <<<"$out"

boot "$TMP/c.cfg" 'extra="crash_test=panic"'
check "crash panic: exit status 2" [ "$rc" -eq 2 ]
check "crash panic: panic message" grep -q 'Kernel panic - not syncing: crash_test=panic' <<<"$out"

# A kthread that recurses off the bottom of its stack hits the unmapped
# guard page below it: the page fault cannot be delivered (its frame would
# go on that same page), so the hypervisor crashes the domain at once,
# naming the fault address inside the guard page.
boot "$TMP/c.cfg" 'extra="crash_test=stack_overflow"'
echo "$out" | grep -E 'crash_test|crashed|CR2' | sed 's/^/    | /'
check "crash stack_overflow: exit status 2" [ "$rc" -eq 2 ]
base=$(sed -n 's/^crash_test: recursing off the bottom of this stack (0x\([0-9a-f]*\))$/\1/p' <<<"$out")
cr2=$(sed -n 's/.*CR2: \([0-9a-f]*\) .*/\1/p' <<<"$out")
check "crash stack_overflow: the bounce frame could not be written" \
	grep -q 'crashed on vCPU 0: cannot write the #PF bounce frame below rsp' <<<"$out"
check "crash stack_overflow: the fault is in the guard page below the stack" \
	bash -c '[ -n "$1" ] && [ -n "$2" ] && (( 16#$2 < 16#$1 && 16#$2 >= 16#$1 - 4096 ))' _ "$base" "$cr2"

# on_crash = "restart" reboots it; a second crash ends when we destroy it.
mkcfg "$TMP/r.cfg" 'on_crash = "preserve"' 'extra = "crash_test=panic"'
"$XL" create "$TMP/r.cfg" >/dev/null 2>&1
name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/r.cfg")
kept_crashed() { "$XL" list "$1" 2>/dev/null | grep -qE "^$1 +[0-9]+ .* ---sc- "; }
check "crash preserve: domain is kept, shut down by a crash (xl's ---sc-)" \
	wait_until 20 kept_crashed "$name"
"$XL" list "$name" | sed "s/^/    | /"
derr=$("$XL" destroy "$name" 2>&1)
check "crash preserve: destroy stops it cleanly (no forced kill)" [ -z "$derr" ]
check "crash preserve: destroy removes it" bash -c "! '$XL' list | grep -q '^$name '"
