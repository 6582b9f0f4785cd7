#!/bin/bash
# SPDX-License-Identifier: MIT
# tern-xl vcpu-list: one row per vCPU in xl's columns, for one domain by
# name or id, or for every domain; states as the hypervisor tracks them
# (r-- running, -b- blocked in SCHEDOP_block, --p offline); an unknown
# domain is a one-line error with status 1.
. "$(dirname "$0")/lib.sh"

state_re='^(r--|-b-|--p)$'
time_re='^[0-9]+\.[0-9]$'
affinity_re='^(all|[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*)$'

# start <cfg> [overrides...]: creates a domain in the background and waits
# until its guest is up; sets $dname and $did (not $name: check() has its own).
start() {
	local msg

	msg=$(timeout 30 "$XL" create "$@" 2>&1)
	echo "    | $msg"
	dname=$(sed -n 's/^Started domain \(.*\) (id=[0-9]*)$/\1/p' <<<"$msg")
	did=$(sed -n 's/^Started domain .* (id=\([0-9]*\))$/\1/p' <<<"$msg")
	[ -n "$did" ] &&
		wait_until 30 grep -q 'staying up' "$TERN_RUN_DIR/$did.console"
}

# vl [args...]: runs vcpu-list; sets $out (stdout), $err (stderr), $rc.
vl() {
	out=$("$XL" vcpu-list "$@" 2>"$TMP/err")
	rc=$?
	err=$(cat "$TMP/err")
	echo "$out" | sed 's/^/    | /'
	[ -n "$err" ] && echo "$err" | sed 's/^/    ! /'
	return 0
}

# rows_of <name>: the rows of $out that belong to domain <name>.
rows_of() { awk -v n="$1" 'NR > 1 && $1 == n' <<<"$out"; }

# all_fields <rows> <field> <regex>: there are rows, and every one's field
# matches.
all_fields() {
	[ -n "$1" ] &&
		awk -v f="$2" -v re="$3" '$f !~ re { bad = 1 } END { exit bad }' <<<"$1"
}

# header_ok: the first line of $out is xl's header.
header_ok() {
	head -1 <<<"$out" |
		grep -qE '^Name +ID +VCPU +CPU +State +Time\(s\) +Affinity$'
}

# ---- a domain with 4 vCPUs ----
mkcfg "$TMP/four.cfg" 'vcpus = 4' 'extra = "keep_running"'
check "start a 4-vCPU domain" start "$TMP/four.cfg"
name4=$dname id4=$did
check "4 vCPUs: the guest brought all of them up" \
	wait_until 10 grep -q 'smp: 4 of 4 CPUs online' "$TERN_RUN_DIR/$id4.console"

vl "$name4"
rows=$(rows_of "$name4")
check "4 vCPUs: status 0, nothing on stderr" [ "$rc" -eq 0 -a -z "$err" ]
check "4 vCPUs: xl's header" header_ok
check "4 vCPUs: four rows, nothing else" \
	[ "$(wc -l <<<"$out")" -eq 5 -a "$(wc -l <<<"$rows")" -eq 4 ]
check "4 vCPUs: IDs 0 1 2 3 in order" \
	[ "$(awk '{ printf "%s ", $3 }' <<<"$rows")" = "0 1 2 3 " ]
check "4 vCPUs: every row names the domain and its id" \
	all_fields "$rows" 2 "^$id4\$"
check "4 vCPUs: states are r--, -b- or --p" all_fields "$rows" 5 "$state_re"
check "4 vCPUs: all online after boot (none --p)" \
	all_fields "$rows" 5 '^(r--|-b-)$'
check "4 vCPUs: CPU is a host CPU number" all_fields "$rows" 4 '^[0-9]+$'
check "4 vCPUs: time is a number of seconds" all_fields "$rows" 6 "$time_re"
check "4 vCPUs: affinity is all or a CPU list" \
	all_fields "$rows" 7 "$affinity_re"
# The idle guest sleeps in SCHEDOP_block between timer ticks.
check "4 vCPUs: an idle vCPU shows as blocked" \
	wait_until 10 bash -c "'$XL' vcpu-list '$name4' | awk '\$5 == \"-b-\"' | grep -q ."

by_name=$(awk '{ print $1, $2, $3 }' <<<"$rows")
vl "$id4"
by_id=$(awk 'NR > 1 { print $1, $2, $3 }' <<<"$out")
check "4 vCPUs: by id, the same domain and vCPUs" \
	[ "$rc" -eq 0 -a "$by_id" = "$by_name" ]

# ---- errors ----
vl nosuch
check "unknown domain: status 1" [ "$rc" -eq 1 ]
check "unknown domain: one line on stderr, nothing on stdout" \
	[ -z "$out" -a "$err" = "tern-xl: no domain 'nosuch'" ]
vl "$name4" extra
check "two arguments: usage error, status 1" [ "$rc" -eq 1 -a -z "$out" ]

# ---- a second domain, with 1 vCPU ----
mkcfg "$TMP/one.cfg" 'vcpus = 1' 'extra = "keep_running"'
check "start a 1-vCPU domain" start "$TMP/one.cfg"
name1=$dname id1=$did

vl "$name1"
rows=$(rows_of "$name1")
check "1 vCPU: one row, vCPU 0 of the right domain" \
	[ "$rc" -eq 0 -a "$(wc -l <<<"$out")" -eq 2 -a \
	  "$(awk '{ print $1, $2, $3 }' <<<"$rows")" = "$name1 $id1 0" ]
check "1 vCPU: online, on a host CPU" \
	bash -c '[[ $(awk "{ print \$4, \$5 }" <<<"$1") =~ ^[0-9]+\ (r--|-b-)$ ]]' _ "$rows"
check "1 vCPU: time and affinity well formed" \
	bash -c '[[ $(awk "{ print \$6 }" <<<"$1") =~ $2 ]] &&
		 [[ $(awk "{ print \$7 }" <<<"$1") =~ $3 ]]' _ "$rows" "$time_re" "$affinity_re"

vl
check "no argument: status 0, one header" \
	[ "$rc" -eq 0 -a "$(grep -c '^Name ' <<<"$out")" -eq 1 ]
check "no argument: both domains, 4 + 1 rows" \
	[ "$(rows_of "$name4" | wc -l)" -eq 4 -a "$(rows_of "$name1" | wc -l)" -eq 1 \
	  -a "$(wc -l <<<"$out")" -eq 6 ]
ids=$(awk 'NR > 1 { print $2 }' <<<"$out" | uniq | tr '\n' ' ')
check "no argument: in domid order" [ "$ids" = "$id4 $id1 " ]

# ---- offline vCPUs: a crashed domain kept by on_crash = "preserve" ----
mkcfg "$TMP/crash.cfg" 'vcpus = 4' 'extra = "crash_test=panic_cpu"' \
	'on_crash = "preserve"'
msg=$(timeout 30 "$XL" create "$TMP/crash.cfg" 2>&1)
namec=$(sed -n 's/^Started domain \(.*\) (id=[0-9]*)$/\1/p' <<<"$msg")
check "preserved crash: domain kept (xl's ---sc-)" \
	wait_until 30 bash -c "'$XL' list | grep -qE '^$namec +[0-9]+ +64 .* ---sc- '"
vl "$namec"
rows=$(rows_of "$namec")
check "preserved crash: four rows, all --p with no CPU" \
	[ "$rc" -eq 0 -a "$(awk '$4 == "-" && $5 == "--p"' <<<"$rows" | wc -l)" -eq 4 ]
check "preserved crash: time is still a number" all_fields "$rows" 6 "$time_re"

# ---- gone ----
check "destroy the 1-vCPU domain" "$XL" destroy "$name1"
vl "$name1"
check "destroyed domain: status 1 and one error line" \
	[ "$rc" -eq 1 -a "$(wc -l <<<"$err")" -eq 1 -a -z "$out" ]
vl
check "no argument: the destroyed domain is gone, the others stay" \
	[ "$rc" -eq 0 -a -z "$(rows_of "$name1")" \
	  -a "$(rows_of "$name4" | wc -l)" -eq 4 ]
"$XL" destroy "$namec"
"$XL" destroy "$name4"
vl
only_header() { [ "$rc" -eq 0 -a "$(wc -l <<<"$out")" -eq 1 ] && header_ok; }
check "no domains: just the header" only_header
