#!/bin/bash
# SPDX-License-Identifier: MIT
# Every kernel variable that can hold a machine frame number (its type
# contains mfn_t) lives where the suspend audit reads it (__mfn_var or
# __mfn_published): scripts/check-mfn-vars on the image.  And the check
# can fail: on an object with a stray mfn_t global and a struct holding
# one, it names both, and not a pointer to one.
. "$(dirname "$0")/lib.sh"

out=$("$TOP/scripts/check-mfn-vars" "$KERNEL" "$TOP/System.map" 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "mfn vars: every mfn_t variable of the kernel is audited" [ "$rc" -eq 0 ]
check "mfn vars: the check found the kernel's (the suspend test's planted one at least)" \
	grep -qE '^check-mfn-vars: [1-9][0-9]* variable' <<<"$out"

cat > "$TMP/stray.c" <<'C'
typedef struct { unsigned long mfn; } mfn_t;
mfn_t stray_mfn;
struct { int a; mfn_t m[2]; } stray_struct;
mfn_t *stray_pointer;
unsigned long plain;
C
gcc -g -c -o "$TMP/stray.o" "$TMP/stray.c"
out=$("$TOP/scripts/check-mfn-vars" "$TMP/stray.o" 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "mfn vars: a stray mfn_t global fails the check" [ "$rc" -eq 1 ]
check "mfn vars: names the global" grep -q '^check-mfn-vars: stray_mfn ' <<<"$out"
check "mfn vars: names the struct holding an array of them" grep -q '^check-mfn-vars: stray_struct ' <<<"$out"
check "mfn vars: a pointer to one is not a frame number" bash -c '! grep -q stray_pointer <<<"$1"' _ "$out"
