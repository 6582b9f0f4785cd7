#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad input to tern-xl create: each case gives exactly one line on stderr
# naming the problem, exits 1, starts nothing and leaves nothing behind.
. "$(dirname "$0")/lib.sh"

# expect_error <name> <substring> <config> [overrides...]
expect_error() {
	local name=$1 want=$2 err
	shift 2
	err=$(timeout 30 "$XL" create -c "$@" 2>&1 >/dev/null)
	local rc=$?
	echo "    | $err"
	check "$name: exit status 1" [ "$rc" -eq 1 ]
	check "$name: one line" [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]
	check "$name: says '$want'" grep -qF -- "$want" <<<"$err"
	check "$name: nothing left running" bash -c "[ -z \"\$(ls '$TERN_RUN_DIR' 2>/dev/null | grep state)\" ]"
}

# Config files shipped with the tests, each naming its expected error.
for f in "$TOP"/selftests/host/configs/bad-*.cfg; do
	want=$(sed -n '1s/^# expect: //p' "$f")
	expect_error "config $(basename "$f")" "$want" "$f"
done
expect_error "missing config file" "No such file or directory" "$TMP/nonexistent.cfg"

mkcfg "$TMP/base.cfg"
expect_error "unknown key override" "unknown key 'colour'" "$TMP/base.cfg" 'colour="blue"'
expect_error "missing kernel" "kernel '$TMP/none': No such file or directory" \
	"$TMP/base.cfg" "kernel=\"$TMP/none\""
expect_error "too many vCPUs" "vcpus = 33: this hypervisor runs at most 32 vCPUs" "$TMP/base.cfg" vcpus=33
expect_error "memory too small" "is too small for this kernel" "$TMP/base.cfg" memory=1

# Kernel images that are not 64-bit Xen PV kernels, or are damaged.
head -c 3000 /dev/urandom > "$TMP/garbage"
expect_error "garbage kernel" "not an ELF file" "$TMP/base.cfg" "kernel=\"$TMP/garbage\""
: > "$TMP/empty"
expect_error "empty kernel" "not a regular file of 1 byte" "$TMP/base.cfg" "kernel=\"$TMP/empty\""
expect_error "host program as kernel" "not a Xen PV kernel: the ELF image has no Xen notes" \
	"$TMP/base.cfg" 'kernel="/bin/true"'
printf 'int _start(void) { for (;;); }\n' > "$TMP/s.c"
gcc -m32 -nostdlib -static -o "$TMP/elf32" "$TMP/s.c" 2>/dev/null ||
	{ printf '\177ELF\001\001\001' > "$TMP/elf32"; head -c 200 /dev/zero >> "$TMP/elf32"; }
expect_error "32-bit ELF" "not a 64-bit x86 ELF image" "$TMP/base.cfg" "kernel=\"$TMP/elf32\""
head -c 2000 "$KERNEL" > "$TMP/truncated"
expect_error "truncated kernel" "corrupt ELF image" "$TMP/base.cfg" "kernel=\"$TMP/truncated\""
cp "$KERNEL" "$TMP/badphoff"
printf '\377\377\377\377' | dd of="$TMP/badphoff" bs=1 seek=32 conv=notrunc 2>/dev/null
expect_error "program headers out of the file" "bad program header table" \
	"$TMP/base.cfg" "kernel=\"$TMP/badphoff\""
sed 's/xen-3\.0/xen-2.0/' "$KERNEL" > "$TMP/oldabi"
expect_error "wrong XEN_VERSION note" "not built for Xen 3.0 ABI (XEN_VERSION 'xen-2.0')" \
	"$TMP/base.cfg" "kernel=\"$TMP/oldabi\""
sed 's/generic/generix/' "$KERNEL" > "$TMP/loader"
expect_error "wrong LOADER note" "not for the generic loader" "$TMP/base.cfg" "kernel=\"$TMP/loader\""

# Without -c the error comes from the background process, still one line.
err=$(timeout 30 "$XL" create "$TMP/base.cfg" 'kernel="/bin/true"' 2>&1 >/dev/null)
rc=$?
echo "    | $err"
check "background create: exit status 1" [ "$rc" -eq 1 ]
check "background create: reports why" grep -q "not a Xen PV kernel" <<<"$err"
check "background create: one line" [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]

# The good kernel still boots after all that.
boot "$TMP/base.cfg"
check "good config still boots and powers off" [ "$rc" -eq 0 ]
