#!/bin/bash
# SPDX-License-Identifier: MIT
# control/shutdown end to end: a guest that stays up (keep_running) is
# asked, through xenstore, with Debian's xenstore-write and with tern-xl's
# shutdown and reboot verbs, to power off, halt, reboot and crash.  It
# must acknowledge first (the node reads back empty, seen on a domain kept
# with "preserve"), then do exactly that, with the outcome and exit status
# tern-xl gives for it.  tern-xl refuses to ask a guest that has not
# advertised the feature, and leaves its node alone.
. "$(dirname "$0")/lib.sh"

if ! xs_clients; then
	fail "shutdown: cannot fetch Debian's xenstore-utils"
	exit 1
fi

name_of() { sed -n 's/^name = "\(.*\)"/\1/p' "$1"; }
id_of() { "$XL" list | awk -v n="$1" '$1 == n { print $2 }'; }
feature_up() {	# domid [feature]
	[ "$("$XSB/xenstore-read" "/local/domain/$1/control/${2:-feature-poweroff}" 2>/dev/null)" = 1 ]
}
state_is() { "$XL" list | grep -qE "^$1 +[0-9]+ .* $2 "; }

# start_bg <cfg> [overrides]: create in the background, wait for the
# guest's features; sets $name and $id.
start_bg() {
	local cfg=$1
	shift
	name=$(name_of "$cfg")
	timeout 30 "$XL" create "$cfg" "$@" >/dev/null 2>&1
	id=$(id_of "$name")
	[ -n "$id" ] && wait_until 20 feature_up "$id"
}

# ---- xenstore-write poweroff to a foreground guest: status 0, poweroff.
mkcfg "$TMP/fg.cfg" 'extra = "keep_running"'
name=$(name_of "$TMP/fg.cfg")
timeout 60 "$XL" create -c "$TMP/fg.cfg" > "$TMP/fg.out" 2>&1 &
xlpid=$!
wait_until 20 bash -c "'$XL' list | grep -q '^$name '"
id=$(id_of "$name")
check "poweroff: the guest advertises it" wait_until 20 feature_up "$id"
check "poweroff: xenstore-write control/shutdown poweroff" \
	"$XSB/xenstore-write" "/local/domain/$id/control/shutdown" poweroff
wait $xlpid
rc=$?
out=$(strip_printk < "$TMP/fg.out")
echo "$out" | tail -n 3 | sed 's/^/    | /'
check "poweroff: create -c exits with status 0" [ "$rc" -eq 0 ]
check "poweroff: the guest says why" grep -q '^manage: poweroff requested through control/shutdown$' <<<"$out"
check "poweroff: outcome poweroff" grep -q "(id $id): poweroff, action destroy" <<<"$out"
check "poweroff: its xenstore home is gone" \
	bash -c "! '$XSB/xenstore-exists' /local/domain/$id 2>/dev/null"

# ---- acknowledged before acted on: a preserved domain keeps its nodes.
for req in poweroff:poweroff halt:poweroff crash:crash; do
	value=${req%%:*}
	outcome=${req#*:}
	mkcfg "$TMP/p.cfg" 'extra = "keep_running"' 'on_poweroff = "preserve"' \
		'on_crash = "preserve"'
	if ! start_bg "$TMP/p.cfg"; then
		fail "$value: guest did not come up"
		continue
	fi
	"$XSB/xenstore-write" "/local/domain/$id/control/shutdown" "$value"
	check "$value: the domain ends as $outcome" wait_until 20 state_is "$name" "$outcome"
	check "$value: control/shutdown was cleared (acknowledged)" \
		[ "$("$XSB/xenstore-read" "/local/domain/$id/control/shutdown" 2>&1)" = "" ]
	case $value in
	crash)
		check "crash: the guest panicked on purpose" \
			grep -q 'Kernel panic - not syncing: crash requested through control/shutdown' \
			"$TERN_RUN_DIR/$id.console" ;;
	*)
		check "$value: the guest says why" \
			grep -q "manage: $value requested through control/shutdown" \
			"$TERN_RUN_DIR/$id.console" ;;
	esac
	"$XL" destroy "$name"
done

# crash, in the foreground: exit status 2.
mkcfg "$TMP/c.cfg" 'extra = "keep_running"'
name=$(name_of "$TMP/c.cfg")
timeout 60 "$XL" create -c "$TMP/c.cfg" > "$TMP/c.out" 2>&1 &
xlpid=$!
wait_until 20 bash -c "'$XL' list | grep -q '^$name '"
id=$(id_of "$name")
wait_until 20 feature_up "$id"
"$XSB/xenstore-write" "/local/domain/$id/control/shutdown" crash
wait $xlpid
rc=$?
check "crash: create -c exits with status 2" [ "$rc" -eq 2 ]
check "crash: outcome crash" grep -q "(id $id): crash, action destroy" "$TMP/c.out"

# ---- reboot restarts the guest (on_reboot = "restart"); then poweroff.
mkcfg "$TMP/r.cfg" 'extra = "keep_running"'
if start_bg "$TMP/r.cfg"; then
	booted_twice() {
		[ "$(strip_printk < "$TERN_RUN_DIR/$id.console" |
			grep -c '^tern .* booting$')" -eq 2 ]
	}
	"$XSB/xenstore-write" "/local/domain/$id/control/shutdown" reboot
	check "reboot: the guest boots again" wait_until 20 booted_twice
	check "reboot: outcome reboot, action restart" \
		grep -q "(id $id): reboot, action restart" "$TERN_RUN_DIR/$id.console"
	check "reboot: same domain id, second boot" grep -q '^boot 2$' "$TERN_RUN_DIR/$id.state"
	check "reboot: the new boot has its xenstore again" wait_until 20 feature_up "$id"
	check "reboot: control/shutdown is empty in the new boot" \
		[ "$("$XSB/xenstore-read" "/local/domain/$id/control/shutdown")" = "" ]
	pid=$(sed -n 's/^pid //p' "$TERN_RUN_DIR/$id.state")
	"$XSB/xenstore-write" "/local/domain/$id/control/shutdown" poweroff
	check "reboot: then poweroff ends it" wait_until 20 bash -c "! kill -0 $pid 2>/dev/null"
	check "reboot: poweroff after the restart" \
		grep -q "(id $id): poweroff, action destroy" "$TERN_RUN_DIR/$id.console"
else
	fail "reboot: guest did not come up"
fi

# ---- tern-xl shutdown and reboot.
mkcfg "$TMP/v.cfg" 'extra = "keep_running"'
if start_bg "$TMP/v.cfg"; then
	out=$(timeout 60 "$XL" reboot "$name" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    | /'
	check "tern-xl reboot: exit status 0" [ "$rc" -eq 0 ]
	check "tern-xl reboot: says it" grep -q "^Rebooting domain $name (id $id)$" <<<"$out"
	check "tern-xl reboot: waited for the restart" \
		grep -q "^Domain $name (id $id) has shut down and was started again$" <<<"$out"
	check "tern-xl reboot: second boot" grep -q '^boot 2$' "$TERN_RUN_DIR/$id.state"
	# Not advertised (yet): refused, and nothing written.
	wait_until 20 feature_up "$id"
	"$XSB/xenstore-write" "/local/domain/$id/control/feature-poweroff" ""
	out=$(timeout 60 "$XL" shutdown "$name" 2>&1)
	rc=$?
	echo "    | $out"
	check "tern-xl shutdown: refused without feature-poweroff" [ "$rc" -eq 1 ]
	check "tern-xl shutdown: says why" \
		grep -q "has not advertised control/feature-poweroff (not \"1\"): it would not act on the request" <<<"$out"
	check "tern-xl shutdown: wrote nothing" \
		[ "$("$XSB/xenstore-read" "/local/domain/$id/control/shutdown")" = "" ]
	check "tern-xl shutdown: the guest still runs" state_is "$name" running
	"$XSB/xenstore-write" "/local/domain/$id/control/feature-poweroff" 1
	pid=$(sed -n 's/^pid //p' "$TERN_RUN_DIR/$id.state")
	out=$(timeout 60 "$XL" shutdown -w "$id" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    | /'
	check "tern-xl shutdown: exit status 0" [ "$rc" -eq 0 ]
	check "tern-xl shutdown: waited until it was gone" \
		grep -q "^Domain $name (id $id) has shut down$" <<<"$out"
	check "tern-xl shutdown: the process is gone" bash -c "! kill -0 $pid 2>/dev/null"
	check "tern-xl shutdown: outcome poweroff" \
		grep -q "(id $id): poweroff, action destroy" "$TERN_RUN_DIR/$id.console"
else
	fail "tern-xl verbs: guest did not come up"
fi

check "tern-xl shutdown: an unknown domain is an error" \
	bash -c "'$XL' shutdown nosuchdomain 2>&1 | grep -q \"no domain 'nosuchdomain'\""
check "tern-xl reboot: a bad -t is an error" \
	bash -c "'$XL' reboot -t 0 x 2>&1 | grep -q -- '-t takes seconds'"
check "tern-xl shutdown: usage without a domain" \
	bash -c "! '$XL' shutdown 2>/dev/null"
