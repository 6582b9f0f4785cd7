#!/bin/bash
# SPDX-License-Identifier: MIT
# Page offline on the host hypervisor (issue 14): a guest under ptstress
# and ptchurn on 4 vCPUs, with the MMU audit after every MMU hypercall,
# is suspended OFFLINE_PAGES (52) times; each time one of its frames,
# chosen in turn among pagetables of levels 1 to 3, an L1 that maps its
# own frame (the direct map's tables do), data pages, pages of
# its p2m, its frame lists and frame list list, start_info, a vCPU's
# stack page, the xenstore ring (tern-xenstored's mapping moves), the
# console ring (hv's backend's) and the L4 every vCPU runs on (their
# base pointers move), is taken away with tern-xl offline-page; the old
# frame must be offlined, the audit clean, store/ring-ref must name the
# xenstore ring's new frame, and after tern-xl resume the guest's own
# check (no checksum mismatch, ptchurn, clock, a xenstore round trip
# through its ring, its output through the console ring) must pass.
# Then what must be refused is: a frame of the hypervisor (shared_info)
# and a free frame, each with its message and the guest's state
# unchanged.  Then fault injection at each step of the method
# (TERN_TEST_OFFLINE_FAULT), on frames the step matters for: before the
# exchange the guest is exactly as before (every pfn's frame, type,
# counts and contents, every vCPU's context; the xenstore ring thawed
# where it was, which the guest's check after the last resume proves by
# its round trip); after it, the retried steps complete the move.  A pinned table (pinned by
# the test on the guest's behalf) is unpinned for the move and its new
# frame pinned again.
# make offline-soak runs the first part OFFLINE_PAGES=1000 times.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
TOOL=$here/bin/offline_tool
pages=${OFFLINE_PAGES:-52}
BOUND=60
what="offline-page"
# verdict <status> <name>: PASS if the status is 0.
verdict() { local rc=$1; shift; if [ "$rc" = 0 ]; then pass "$*"; else fail "$*"; fi; }

if ! xs_clients; then
	fail "$what: cannot fetch Debian's xenstore-utils"
	exit 1
fi
name=op$$
cat > "$TMP/op.cfg" <<-EOF2
name = "$name"
kernel = "$KERNEL"
memory = 128
vcpus = 4
extra = "ptstress=16 ptchurn keep_running resume_check"
EOF2
export TERN_HV_AUDIT=1
msg=$(timeout 60 "$XL" create "$TMP/op.cfg" 2>&1)
id=$(sed -n 's/.*(id=\([0-9]*\))$/\1/p' <<<"$msg")
if [ -z "$id" ]; then
	fail "$what: the domain did not start: $msg"
	exit 1
fi
con=$TERN_RUN_DIR/$id.console
ctl=$TERN_RUN_DIR/$id.ctl
dp=/local/domain/$id
listed() { "$XL" list 2>/dev/null | awk -v n="$name" '$1 == n { print $5 }'; }
booted() { grep -q 'boot complete, staying up' "$con" 2>/dev/null &&
	   [ "$("$XSB/xenstore-read" "$dp/control/feature-suspend" 2>/dev/null)" = 1 ]; }
is_suspended() { [ "$(listed | cut -c4-5)" = ss ]; }
if ! wait_until "$BOUND" booted; then
	fail "$what: the guest did not come up"
	"$XL" destroy "$name" >/dev/null 2>&1
	exit 1
fi

cycle=0
# Suspends the guest the way a toolstack user does.
suspend() {
	"$XSB/xenstore-write" "$dp/control/shutdown" suspend &&
		wait_until "$BOUND" is_suspended
}
# Resumes it and waits for the guest's check after this resume.
resume_ok() {
	local out
	cycle=$((cycle + 1))
	out=$("$XL" resume "$name" 2>&1) || { why="tern-xl resume: $out"; return 1; }
	if ! wait_until "$BOUND" grep -qE "resume-check: (SUCCESS|FAILURE|ERROR) #$cycle " "$con"; then
		why="no resume-check #$cycle"
		return 1
	fi
	hit=$(grep -E "resume-check: (SUCCESS|FAILURE|ERROR) #$cycle " "$con" | strip_printk)
	[[ $hit == *SUCCESS* ]] || { why=$hit; return 1; }
}

kinds=(l1 l2 l3 selfmap data p2m framelist fll start_info stack store console l4)
declare -A done_kind
ok=0 why=
for ((n = 0; n < pages; n++)); do
	kind=${kinds[n % ${#kinds[@]}]}
	suspend || { why="cycle $n: the guest did not suspend"; break; }
	mfn=$("$TOOL" pick "$ctl" "$id" "$kind" "$RANDOM") ||
		{ why="cycle $n: no $kind frame to pick"; break; }
	out=$("$XL" offline-page "$name" "$mfn" 2>&1) ||
		{ why="cycle $n: offlining $kind mfn $mfn: $out"; break; }
	st=$("$TOOL" status "$ctl" "$id" "$mfn")
	[ "$st" = offlined ] || { why="cycle $n: $kind mfn $mfn is $st after the exchange"; break; }
	new=$(sed -n 's/.* is now mfn \(0x[0-9a-f]*\) .*/\1/p' <<<"$out")
	if [ "$kind" = store ]; then
		ref=$("$XSB/xenstore-read" "$dp/store/ring-ref" 2>&1)
		[ "$ref" = "$((new))" ] || { why="cycle $n: store/ring-ref is $ref, the ring's new frame $new"; break; }
	fi
	au=$("$TOOL" audit "$ctl" "$id") || { why="cycle $n: audit after $kind mfn $mfn: $au"; break; }
	resume_ok || { why="cycle $n ($kind mfn $mfn): $why"; break; }
	done_kind[$kind]=$(( ${done_kind[$kind]:-0} + 1 ))
	ok=$((ok + 1))
done
summary=$(for k in "${kinds[@]}"; do printf '%s %s, ' "$k" "${done_kind[$k]:-0}"; done)
[ "$ok" = "$pages" ]; verdict $? "$what: $ok of $pages frames offlined under ptstress on 4 vCPUs, audit clean, the guest's check passed after each (${summary%, })${why:+: $why}"
if [ "$ok" != "$pages" ]; then
	tail -n 15 "$con" | sed 's/^/    | /'
	"$XL" destroy "$name" >/dev/null 2>&1
	exit 1
fi

# ---- refusals: the message, and nothing changed ----
suspend || { fail "$what: the guest did not suspend for the refusals"; "$XL" destroy "$name"; exit 1; }
"$TOOL" state "$ctl" "$id" > "$TMP/before"
refuse() {
	local label=$1 mfn=$2 want=$3 out
	out=$("$XL" offline-page "$name" "$mfn" 2>&1)
	[ $? != 0 ] && grep -q -- "$want" <<<"$out"
	verdict $? "$what: $label (mfn $mfn) refused: ${out#tern-xl: }"
	"$TOOL" state "$ctl" "$id" > "$TMP/after"
	cmp -s "$TMP/before" "$TMP/after"
	verdict $? "$what: ... and the guest's frames, types, counts, contents and contexts are unchanged"
}
refuse "the hypervisor's shared_info" "$("$TOOL" pick "$ctl" "$id" shinfo 0)" "hypervisor"
refuse "a frame not the guest's" "$("$TOOL" pick "$ctl" "$id" free 0)" "not owned"

# The daemon's ring commands: a move by a connection that did not freeze
# the ring is refused; a freeze ends with the connection that made it.
CTL=$("$TOP/scripts/xen-tools")/usr/lib/xen-4.17/bin/xenstore-control
out=$("$CTL" ring-move "$id" "$("$TOOL" pick "$ctl" "$id" data 0)" 2>&1)
rc=$?
"$TOOL" state "$ctl" "$id" > "$TMP/after"
[ $rc != 0 ] && cmp -s "$TMP/before" "$TMP/after"
verdict $? "$what: tern-xenstored refuses ring-move from a connection that did not freeze the ring (EINVAL), nothing changed (${out%%$'\n'*})"
"$CTL" ring-freeze "$id" >/dev/null 2>&1
verdict $? "$what: tern-xenstored's ring-freeze of the suspended guest's ring"
wait_until 10 grep -q "domain $id: ring thawed: the connection that froze it closed" "$TERN_RUN_DIR/xenstored.log"
verdict $? "$what: ... thawed when that connection closed (the guest's round trip after the last resume proves it served)"

# ---- a pinned table: unpinned for the move, pinned again after ----
# tern pins only its L4s; the toolstack pins an L1 in use on the guest's
# behalf (the guest is suspended throughout) and unpins it afterwards.
mfn=$("$TOOL" pick "$ctl" "$id" l1 "$RANDOM")
"$TOOL" pin "$ctl" "$id" "$mfn" 1
out=$("$XL" offline-page "$name" "$mfn" 2>&1)
new=$(sed -n 's/.* is now mfn \(0x[0-9a-f]*\) .*/\1/p' <<<"$out")
pinned=$("$TOOL" pick "$ctl" "$id" pinned 0)
[ -n "$new" ] && [ "$pinned" = "$new" ]
verdict $? "$what: a pinned L1 (mfn $mfn) is moved and its new frame ($new) pinned again (pinned now: ${pinned:-none}; $out)"
[ -n "$new" ] && "$TOOL" unpin "$ctl" "$id" "$new"

# ---- fault injection ----
for sk in offline:data freeze:store release:l4 release:console unpin:l1 \
	  clear:selfmap check:data check:l4 exchange:data exchange:store \
	  exchange:console exchange:l4; do
	step=${sk%:*} kind=${sk#*:}
	mfn=$("$TOOL" pick "$ctl" "$id" "$kind" "$RANDOM")
	[ "$step" = unpin ] && "$TOOL" pin "$ctl" "$id" "$mfn" 1
	"$TOOL" state "$ctl" "$id" > "$TMP/before"
	out=$(TERN_TEST_OFFLINE_FAULT=$step "$XL" offline-page "$name" "$mfn" 2>&1)
	rc=$?
	"$TOOL" state "$ctl" "$id" > "$TMP/after"
	st=$("$TOOL" status "$ctl" "$id" "$mfn")
	[ $rc != 0 ] && cmp -s "$TMP/before" "$TMP/after" && [ "$st" = online ]
	verdict $? "$what: a fault at '$step' ($kind mfn $mfn) rolls back: the guest exactly as before, the frame online (${out#tern-xl: })"
	au=$("$TOOL" audit "$ctl" "$id")
	[ "$au" = clean ]
	verdict $? "$what: ... and the audit is clean ($au)"
	[ "$step" = unpin ] && "$TOOL" unpin "$ctl" "$id" "$mfn"
done
for sk in copy:l1 p2m:l1 repoint:l1 pin:l1 take:l4 take:console ring:store; do
	step=${sk%:*} kind=${sk#*:}
	mfn=$("$TOOL" pick "$ctl" "$id" "$kind" "$RANDOM")
	out=$(TERN_TEST_OFFLINE_FAULT=$step "$XL" offline-page "$name" "$mfn" 2>&1)
	rc=$?
	st=$("$TOOL" status "$ctl" "$id" "$mfn")
	au=$("$TOOL" audit "$ctl" "$id")
	[ $rc = 0 ] && [ "$st" = offlined ] && [ "$au" = clean ]
	verdict $? "$what: a fault at '$step' after the exchange ($kind mfn $mfn): retried and completed, offlined, audit $au${out:+ ($out)}"
done
why=
resume_ok
verdict $? "$what: after the refusals and faults the guest resumes and its check passes${why:+: $why}"
"$XL" destroy "$name" >/dev/null 2>&1
exit 0
