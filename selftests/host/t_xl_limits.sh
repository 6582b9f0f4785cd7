#!/bin/bash
# SPDX-License-Identifier: MIT
# Memory limits are checked by create before anything is built, each a
# one-line error with status 1 and nothing left in the run directory:
# below what start of day and the kernel need above it (read from the
# image's layout and its tern notes), above what the kernel can run in
# (its MAX_MEMKB note: the p2m limit), above what the host can give
# (MemAvailable less a sixteenth).  The smallest memory accepted boots.
# The limits are the image's own: a copy whose note says 8 MiB is held
# to 8 MiB.
. "$(dirname "$0")/lib.sh"

# refused <name> <want> <config> [overrides]: as create -c and as create.
refused() {
	local what=$1 want=$2 mode err rc
	shift 2
	for mode in -c ""; do
		err=$(timeout 60 "$XL" create $mode "$@" 2>&1 >/dev/null)
		rc=$?
		echo "    | $err"
		check "$what (create $mode): status 1, one line: '$want'" \
			bash -c "[ $rc -eq 1 ] && [ \$(wc -l <<<\"\$1\") -eq 1 ] && grep -qF -- \"\$2\" <<<\"\$1\"" _ "$err" "$want"
		check "$what (create $mode): nothing was built or left" \
			bash -c "[ -z \"\$(ls '$TERN_RUN_DIR' 2>/dev/null | grep -E 'state|json|ctl|console')\" ]"
	done
}

# with_note <copy> <note type> <value>: a copy of the kernel whose tern
# note of that type says value (8 bytes, little-endian).
with_note() {
	python3 - "$KERNEL" "$1" "$2" "$3" <<'PY'
import struct, sys
src, dst, ntype, value = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
img = bytearray(open(src, "rb").read())
hdr = struct.pack("<III", 5, 8, ntype) + b"tern\0\0\0\0"
at = img.find(hdr)
assert at > 0 and img.find(hdr, at + 1) < 0, "one tern note of that type"
img[at + len(hdr):at + len(hdr) + 8] = struct.pack("<Q", value)
open(dst, "wb").write(img)
PY
}

mkcfg "$TMP/m.cfg" 'extra = ""'
refused "below start of day" \
	"memory = 4 MiB is too small for this kernel: start of day takes 4096 KiB and the kernel needs 256 KiB above it, 5 MiB in all" \
	"$TMP/m.cfg" memory=4
refused "1 MiB" "memory = 1 MiB is too small for this kernel" "$TMP/m.cfg" memory=1
refused "above the kernel's p2m limit" \
	"memory = 65537 MiB is more than this kernel can run in: at most 65536 MiB (the limit its image states)" \
	"$TMP/m.cfg" memory=65537
refused "1 TiB" "memory = 1048576 MiB is more than this kernel can run in" \
	"$TMP/m.cfg" memory=1048576
refused "beyond what xl.cfg takes" "'memory' must be between 1 and 1048576, not 1048577" \
	"$TMP/m.cfg" memory=1048577

# The host: a kernel that states no limit below 1 TiB, and one MiB more
# than this host can give.
with_note "$TMP/big" 1 $((1 << 30))
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
over=$((avail - avail / 16 + 1))
refused "above what the host can give" \
	"memory = $over MiB is more than this host can give:" \
	"$TMP/m.cfg" "kernel=\"$TMP/big\"" memory=$over

# The image's own limit, whatever it is.
with_note "$TMP/small" 1 8192
refused "a kernel that states 8 MiB" \
	"memory = 16 MiB is more than this kernel can run in: at most 8 MiB" \
	"$TMP/m.cfg" "kernel=\"$TMP/small\"" memory=16
with_note "$TMP/needy" 2 2048
refused "a kernel that needs 8 MiB above start of day" \
	"memory = 8 MiB is too small for this kernel: start of day takes 4096 KiB and the kernel needs 8192 KiB above it, 12 MiB in all" \
	"$TMP/m.cfg" "kernel=\"$TMP/needy\"" memory=8

# The smallest memory accepted runs, and ends as it should.
boot "$TMP/m.cfg" memory=5
echo "$out" | tail -n 3 | sed 's/^/    | /'
check "memory = 5 MiB (the least this kernel takes): boots and powers off" \
	bash -c "[ $rc -eq 0 ] && grep -q 'nothing left to do, powering off' <<<\"\$1\"" _ "$out"
