#!/bin/bash
# SPDX-License-Identifier: MIT
# tern-xl list as xl list: xl's header and columns, the state as xl's six
# letters (r b p s c d) with Time(s) the CPU time used; `list <domain>...`
# lists just those, and a domain that does not exist is an error (status
# 1, the others still listed); `list -l` prints each domain's
# configuration as JSON in libxl's shape, [ { "domid", "config": {
# "c_info", "b_info", the on_* actions } } ], which any JSON reader takes.
. "$(dirname "$0")/lib.sh"

if ! xs_clients; then
	fail "list: cannot fetch Debian's xenstore-utils"
	exit 1
fi
name_of() { sed -n 's/^name = "\(.*\)"/\1/p' "$1"; }
id_of() { sed -n 's/.*(id=\([0-9]*\))$/\1/p' <<<"$1"; }
# row <name>: its line of tern-xl list <name>
row() { "$XL" list "$1" 2>/dev/null | tail -n +2; }
field() { row "$1" | awk -v f="$2" '{ print $f }'; }
feature_up() { [ "$("$XSB/xenstore-read" "/local/domain/$1/control/feature-poweroff" 2>/dev/null)" = 1 ]; }

mkcfg "$TMP/a.cfg" 'vcpus = 2' 'maxvcpus = 3' 'on_crash = "preserve"' \
	'on_poweroff = "preserve"' 'extra = "ptstress=8 keep_running"'
mkcfg "$TMP/b.cfg" 'memory = 96' 'extra = "keep_running"'
a=$(name_of "$TMP/a.cfg")
b=$(name_of "$TMP/b.cfg")
ida=$(id_of "$(timeout 30 "$XL" create "$TMP/a.cfg" 2>&1)")
idb=$(id_of "$(timeout 30 "$XL" create "$TMP/b.cfg" 2>&1)")
check "list: two guests up" [ -n "$ida" ] && [ -n "$idb" ]

out=$("$XL" list)
rc=$?
echo "$out" | sed 's/^/    | /'
check "list: status 0" [ "$rc" -eq 0 ]
check "list: xl's header, tabs and all" \
	[ "$(head -n 1 <<<"$out")" = "$(printf 'Name%40sID   Mem VCPUs\tState\tTime(s)' '')" ]
check "list: xl's columns (%-40s %5d %5lu %5d, 5 blanks, 6 letters, %8.1f)" \
	grep -qxE "$(printf '%-40s' "$b") +$idb +96 +1     [r-][b-]----  +[0-9]+\.[0-9]" <<<"$out"
check "list: a guest's memory and online vCPUs" \
	wait_until 30 bash -c "[ \"\$('$XL' list '$a' | awk 'NR == 2 { print \$3, \$4 }')\" = '64 2' ]"
# ptstress keeps both of a's vCPUs busy: its CPU time grows past a second.
cpu_past_one() { awk -v t="$(field "$a" 6)" 'BEGIN { exit !(t >= 1.0) }'; }
check "list: Time(s) is the CPU time the guest used" wait_until 60 cpu_past_one

# Filters, in the order asked, and unknown domains.
out=$("$XL" list "$b" "$ida")
rc=$?
check "list <b> <a's id>: status 0" [ "$rc" -eq 0 ]
check "list <b> <a's id>: just those two, in that order" \
	[ "$(awk 'NR > 1 { print $1 }' <<<"$out" | paste -sd ' ')" = "$b $a" ]
out=$("$XL" list nosuchdomain 2>"$TMP/err")
rc=$?
check "list <unknown>: status 1" [ "$rc" -eq 1 ]
check "list <unknown>: says so" grep -qx "tern-xl: no domain 'nosuchdomain'" "$TMP/err"
check "list <unknown>: prints no domain" [ "$(wc -l <<<"$out")" -eq 1 ]
out=$("$XL" list "$a" nosuchdomain 2>/dev/null)
rc=$?
check "list <a> <unknown>: status 1, a still listed" \
	bash -c "[ $rc -eq 1 ] && grep -q '^$a ' <<<'$out'"

# The state letters of a domain that ended and is kept.
feature_up "$ida" || wait_until 20 feature_up "$ida"
"$XSB/xenstore-write" "/local/domain/$ida/control/shutdown" poweroff
kept_off() { [ "$(field "$a" 5)" = "---s--" ]; }
check "list: a guest powered off and kept is ---s-- (shut down, reason poweroff)" \
	wait_until 20 kept_off
row "$a" | sed 's/^/    | /'

# list -l: libxl's JSON.
"$XL" list -l > "$TMP/l.json"
rc=$?
sed 's/^/    | /' "$TMP/l.json" | head -n 40
check "list -l: status 0" [ "$rc" -eq 0 ]
py() { python3 - "$TMP/l.json" "$@"; }
check "list -l: a JSON list of { domid, config } per domain" py "$ida" "$idb" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ids = sorted(int(x) for x in sys.argv[2:])
assert isinstance(d, list) and sorted(e["domid"] for e in d) == ids, d
assert all(set(e) == {"domid", "config"} for e in d)
PY
check "list -l: libxl's shape and a's values" py "$ida" "$a" "$KERNEL" <<'PY'
import json, sys
d = {e["domid"]: e["config"] for e in json.load(open(sys.argv[1]))}
c = d[int(sys.argv[2])]
assert set(c) == {"c_info", "b_info", "on_poweroff", "on_reboot", "on_crash"}, c.keys()
assert c["c_info"]["type"] == "pv" and c["c_info"]["name"] == sys.argv[3]
assert len(c["c_info"]["uuid"]) == 36
b = c["b_info"]
assert b["max_vcpus"] == 3 and b["avail_vcpus"] == [0, 1]
assert b["max_memkb"] == 65536 and b["target_memkb"] == 65536
assert b["kernel"] == sys.argv[4] and b["cmdline"] == "ptstress=8 keep_running"
assert b["type.pv"] == {} and b["sched_params"] == {}
assert c["on_poweroff"] == "preserve" and c["on_crash"] == "preserve"
assert c["on_reboot"] == "restart"
PY
uuid=$(python3 -c 'import json,sys; print([e for e in json.load(open(sys.argv[1])) if e["domid"] == int(sys.argv[2])][0]["config"]["c_info"]["uuid"])' "$TMP/l.json" "$idb")
check "list -l: the uuid is the domain's, as xenstore has it" \
	[ "$("$XSB/xenstore-read" "/local/domain/$idb/vm")" = "/vm/$uuid" ]
check "list -l <b>: just b" \
	bash -c "'$XL' list -l '$b' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [e[\"domid\"] for e in d] == [$idb]'"
check "list -l <unknown>: status 1" bash -c "! '$XL' list -l nosuchdomain 2>/dev/null >/dev/null"

"$XL" destroy "$a"
"$XL" destroy "$b"
out=$("$XL" list)
check "list: empty after destroy, header only" [ "$(wc -l <<<"$out")" -eq 1 ]
check "list -l: an empty list" [ "$("$XL" list -l | tr -d ' \n')" = "[]" ]
