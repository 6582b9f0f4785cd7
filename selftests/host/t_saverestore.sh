#!/bin/bash
# SPDX-License-Identifier: MIT
# Save, restore and checkpoint on the host hypervisor (tern-xl save and
# restore, Documentation/save-restore.rst), in CI-sized counts:
#
#  - sr-loop: SR_CYCLES (10) save/restore cycles and SR_CHECKPOINTS (50)
#    checkpoints of a guest under ptstress and ptchurn on 4 vCPUs, each
#    resume checked by the guest itself, each restore in a new process on
#    other frames (make sr-soak runs the issue's full counts);
#  - every kind of file tern-xl writes (save, save -c, save -p) passes
#    Xen's own verify-stream-v2, and tern's dry run reads it to the end;
#  - two saves of one suspended guest differ only where they must: the
#    TSC record's nanoseconds, which go on while it is suspended;
#  - failures: a save into a missing directory never touches the guest; a
#    guest that cannot acknowledge (paused) has the request withdrawn and
#    runs on; a save that fails after the suspend (a file size limit)
#    resumes the guest and leaves the good file that was there; a restore
#    of each kind of bad stream (truncated, reordered, oversized, wrong
#    version, wrong width, corrupted, a pagetable the hypervisor refuses)
#    is refused with the record and offset, leaving no domain, no process
#    and no xenstore nodes.
. "$(dirname "$0")/lib.sh"

here=$(dirname "$0")
TOOL=$here/bin/sr_tool
xen_tools saverestore
verify() {	# file: verify-stream-v2 -f xl, its output in $TMP/verify.out
	PYTHONPATH=$XEN_PY python3 "$XEN_BIN/verify-stream-v2" -f xl -i "$1" \
		> "$TMP/verify.out" 2>&1
}

"$here/sr-loop" "${SR_CYCLES:-10}" "${SR_CHECKPOINTS:-50}"

# ---- files, and failures, on a smaller guest ----
mkcfg "$TMP/g.cfg" "vcpus = 2" \
	'extra = "ptstress=16 ptchurn keep_running resume_check"'
guest=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/g.cfg")
domid() { "$XL" list 2>/dev/null | awk -v n="$guest" '$1 == n { print $2 }'; }
n=0
# The guest's check of the next resume: SUCCESS, and with which rc.
checked() {	# rc
	local log=$TERN_RUN_DIR/$(domid).console
	n=$((n + 1))
	wait_until 60 grep -aqE "resume-check: (SUCCESS|FAILURE) #$n " "$log" &&
		grep -aqE "resume-check: SUCCESS #$n rc $1," "$log" && return 0
	tail -5 "$log" | sed 's/^/    | /'
	return 1
}
running() { [[ $("$XL" list "$guest" 2>/dev/null | tail -1) =~ ^$guest\ +[0-9]+\ +[0-9]+\ +2\ +(r|-b) ]]; }
resumed() { checked "$1" && running; }
# verify-stream-v2 -v names each record kind tern writes.
kinds() {
	local k v
	v=$(PYTHONPATH=$XEN_PY python3 "$XEN_BIN/verify-stream-v2" -v -f xl -i "$1")
	for k in 'Libxl Header: little endian' 'Libxl Record: Libxc context' \
		'Libxc Image Header: Version 3' 'x86 PV from Xen 4.17' \
		'Libxc Record: x86 PV info' 'Libxc Record: Static data end' \
		'Libxc Record: x86 PV P2M frames' 'Libxc Record: TSC info' \
		'Libxc Record: Shared info' 'Libxc Record: x86 PV vcpu basic' \
		'Libxc Record: End' 'Libxl Record: End'; do
		grep -q "$k" <<<"$v" || { echo "    | missing: $k"; return 1; }
	done
}

"$XL" create "$TMP/g.cfg" >/dev/null 2>&1
check "files: the guest is up" wait_until 120 bash -c "grep -aq 'staying up' '$TERN_RUN_DIR/$(domid).console'"

out=$("$XL" save -p "$guest" "$TMP/p1.save" 2>&1)
check "save -p: the guest stays suspended" bash -c "[[ \$('$XL' list '$guest' | tail -1) =~ ---ss- ]]"
out2=$("$XL" save -p "$guest" "$TMP/p2.save" 2>&1)
check "save -p twice: both files written" test -s "$TMP/p1.save" -a -s "$TMP/p2.save"
diff=$("$TOOL" diff "$TMP/p1.save" "$TMP/p2.save")
echo "$diff" | sed 's/^/    | /'
check "two saves of one suspended guest differ only in X86_TSC_INFO's nsec" \
	[ "$diff" = "differ: libxc X86_TSC_INFO nsec" ]
check "verify-stream-v2 accepts a save -p file" verify "$TMP/p1.save"
"$XL" resume "$guest" >/dev/null 2>&1
check "resume after save -p: the guest checks itself (rc 1)" checked 1

check "save -c: rc 0" eval '"$XL" save -c "$guest" "$TMP/c.save" >/dev/null 2>&1'
check "save -c: the guest goes on in place (rc 1) and is listed running" resumed 1
check "verify-stream-v2 accepts a save -c file" verify "$TMP/c.save"
check "verify-stream-v2 -v: libxl v2 around libxc v3, x86 PV, every record kind tern writes" kinds "$TMP/c.save"

# Failures of the save.
check "save into a missing directory: refused" bash -c "! '$XL' save '$guest' '$TMP/no/such/dir/x.save' 2>'$TMP/err'"
check "  ... before the guest is touched (still running, no suspend seen)" \
	bash -c "grep -q 'cannot write beside' '$TMP/err' && ! grep -aq 'resume-check: .* #$((n + 1)) ' '$TERN_RUN_DIR/$(domid).console'"
id=$(domid)
"$TOOL" pause "$TERN_RUN_DIR/$id.ctl" "$id"
out=$("$XL" save -t 2 "$guest" "$TMP/t.save" 2>&1)
rc=$?
xs_clients
req=$("$XSB/xenstore-read" "/local/domain/$id/control/shutdown" 2>&1)
"$TOOL" unpause "$TERN_RUN_DIR/$id.ctl" "$id"
echo "    | $out"
check "save of a guest that cannot acknowledge (paused): refused after -t 2" \
	eval '[ $rc -ne 0 ] && grep -q "did not acknowledge" <<<"$out"'
check "  ... the request withdrawn (control/shutdown '$req'), no file" bash -c "[ -z '$req' ] && ! ls '$TMP'/t.save '$TMP'/.t.save.* 2>/dev/null"
check "  ... the guest runs on: a checkpoint works" eval '"$XL" save -c "$guest" "$TMP/c2.save" >/dev/null 2>&1'
check "  ... and checks itself (rc 1)" checked 1

cp "$TMP/c.save" "$TMP/good.save"
cp "$TMP/c.save" "$TMP/keep.save"
out=$( (ulimit -f 20000; "$XL" save "$guest" "$TMP/good.save") 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "save that fails after the suspend (a 20000-block file size limit): rc 1" [ $rc -eq 1 ]
check "  ... the guest resumed in place (rc 1), still listed running" resumed 1
check "  ... the good file at the target is unchanged" cmp -s "$TMP/good.save" "$TMP/keep.save"
check "  ... no partial file is left beside it" bash -c "! ls -a '$TMP' | grep -q 'tern-save'"

# A restore, checked by tern's own reader first.
check "save: rc 0, the domain gone" bash -c "'$XL' save '$guest' '$TMP/s.save' >/dev/null 2>&1 && [ -z \"\$('$XL' list '$guest' 2>/dev/null | grep '$guest')\" ]"
check "verify-stream-v2 accepts a save file" verify "$TMP/s.save"
out=$("$XL" restore -n "$TMP/s.save" 2>&1)
echo "$out" | sed 's/^/    | /'
check "restore -n reads every record and builds nothing" \
	bash -c "grep -q 'every record read and checked' <<<'$out' && [ -z \"\$('$XL' list 2>/dev/null | grep '$guest')\" ]"

# Bad streams: refused, named, and nothing left.
refused() { [ "$rc" -ne 0 ] && grep -q -- "$words" <<<"$out" && grep -q offset <<<"$out"; }
nothing_left() {
	[ -z "$("$XL" list 2>/dev/null | grep "$guest")" ] && [ -z "$left" ] &&
		[ "$nodes" = "$nodes_before" ] && ! ls "$TERN_RUN_DIR"/*.state 2>/dev/null
}
nodes_before=$("$XSB/xenstore-list" /local/domain 2>/dev/null | sort | tr '\n' ' ')
for kind in trunc-middle trunc-libxc trunc-libxl reorder-p2m reorder-vcpu \
	dup-info big-shinfo big-record libxc-version libxl-version xl-flags \
	width levels marker unknown pfn-beyond reserved-type pt-beyond \
	pt-writable json not-a-file; do
	words=$("$here/sr-mutate" "$kind" "$TMP/s.save" "$TMP/bad.save")
	out=$("$XL" restore "$TMP/bad.save" 2>&1)
	rc=$?
	left=$(pgrep -f "restore $TMP/bad.save" | tr '\n' ' ')
	nodes=$("$XSB/xenstore-list" /local/domain 2>/dev/null | sort | tr '\n' ' ')
	echo "    | $out"
	check "restore refuses a bad stream ($kind) naming the record or header and its offset" refused
	check "  ... leaving no domain, process or xenstore node ($kind)" nothing_left
done

# And the good file still restores.
check "restore of the good file: rc 0" eval '"$XL" restore "$TMP/s.save" >/dev/null 2>&1'
check "  ... the guest checks itself (rc 0), listed running" resumed 0
"$XL" destroy "$guest" >/dev/null 2>&1
