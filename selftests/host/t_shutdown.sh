#!/bin/bash
# SPDX-License-Identifier: MIT
# control/shutdown end to end: a guest that stays up (keep_running) is
# asked, through xenstore, with Debian's xenstore-write and with tern-xl's
# shutdown and reboot verbs, to power off, halt, reboot and crash.  It
# must acknowledge first (the node reads back empty, seen on a domain kept
# with "preserve"), then do exactly that, with the outcome and exit status
# tern-xl gives for it.  tern-xl writes the request as xl does, whether or
# not the guest has advertised control/feature-* yet, so `create &&
# shutdown -w` works however early it comes; -w waits, -a asks every
# running domain, -F is accepted.
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
# state_is <name> <state>: the state its process keeps in its state file.
state_is() { grep -qx "state $2" $(grep -lx "name $1" "$TERN_RUN_DIR"/*.state 2>/dev/null) /dev/null; }

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
	check "reboot: then poweroff ends it" wait_until 20 gone "$pid"
	check "reboot: poweroff after the restart" \
		grep -q "(id $id): poweroff, action destroy" "$TERN_RUN_DIR/$id.console"
else
	fail "reboot: guest did not come up"
fi

# ---- tern-xl shutdown and reboot.
mkcfg "$TMP/v.cfg" 'extra = "keep_running"'
if start_bg "$TMP/v.cfg"; then
	out=$(timeout 60 "$XL" reboot -w "$name" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    | /'
	check "tern-xl reboot -w: exit status 0" [ "$rc" -eq 0 ]
	check "tern-xl reboot -w: says it" grep -q "^Rebooting domain $name (id $id)$" <<<"$out"
	check "tern-xl reboot -w: waited for the restart" \
		grep -q "^Domain $name (id $id) has shut down and was started again$" <<<"$out"
	check "tern-xl reboot -w: second boot" grep -q '^boot 2$' "$TERN_RUN_DIR/$id.state"
	# Not advertised: written all the same, as xl writes it.
	wait_until 20 feature_up "$id"
	"$XSB/xenstore-write" "/local/domain/$id/control/feature-poweroff" ""
	pid=$(sed -n 's/^pid //p' "$TERN_RUN_DIR/$id.state")
	out=$(timeout 60 "$XL" shutdown -F "$id" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    | /'
	check "tern-xl shutdown without feature-poweroff: exit status 0" [ "$rc" -eq 0 ]
	check "tern-xl shutdown: says it, and no more without -w" \
		[ "$out" = "Shutting down domain $name (id $id)" ]
	check "tern-xl shutdown: the guest acts on it" \
		wait_until 30 gone "$pid"
	check "tern-xl shutdown: outcome poweroff" \
		grep -q "(id $id): poweroff, action destroy" "$TERN_RUN_DIR/$id.console"
else
	fail "tern-xl verbs: guest did not come up"
fi

# create && shutdown -w, with no wait between: the request comes before
# the guest has set its watch (or advertised anything), and still works.
mkcfg "$TMP/early.cfg" 'extra = "keep_running"'
name=$(name_of "$TMP/early.cfg")
for i in 1 2 3; do
	out=$(timeout 30 "$XL" create "$TMP/early.cfg" 2>&1 &&
		timeout 60 "$XL" shutdown -w "$name" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    | /'
	check "create && shutdown -w ($i): exit status 0" [ "$rc" -eq 0 ]
	check "create && shutdown -w ($i): it has shut down" \
		grep -q "^Domain $name (id [0-9]*) has shut down$" <<<"$out"
	check "create && shutdown -w ($i): nothing left" bash -c "! '$XL' list '$name' >/dev/null 2>&1"
done

# -a -w: every running domain, each reported; a preserved one is not asked.
mkcfg "$TMP/a1.cfg" 'extra = "keep_running"'
mkcfg "$TMP/a2.cfg" 'extra = "keep_running"'
mkcfg "$TMP/a3.cfg" 'extra = "keep_running"' 'on_poweroff = "preserve"'
n1=$(name_of "$TMP/a1.cfg")
n2=$(name_of "$TMP/a2.cfg")
n3=$(name_of "$TMP/a3.cfg")
if start_bg "$TMP/a1.cfg" && start_bg "$TMP/a2.cfg" && start_bg "$TMP/a3.cfg"; then
	id3=$id
	"$XSB/xenstore-write" "/local/domain/$id3/control/shutdown" poweroff
	wait_until 20 state_is "$n3" poweroff
	out=$(timeout 60 "$XL" shutdown -a -w 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    | /'
	check "shutdown -a -w: exit status 0" [ "$rc" -eq 0 ]
	check "shutdown -a -w: both running domains asked and gone" \
		bash -c "grep -q '^Domain $n1 (id [0-9]*) has shut down$' <<<'$out' &&
			 grep -q '^Domain $n2 (id [0-9]*) has shut down$' <<<'$out'"
	check "shutdown -a -w: the preserved one was not asked" \
		bash -c "! grep -q '$n3' <<<'$out'"
	check "shutdown -a -w: the preserved one is still kept" state_is "$n3" poweroff
	"$XL" destroy "$n3"
	out=$(timeout 30 "$XL" shutdown -a -w 2>&1)
	check "shutdown -a with no running domain: status 0, nothing said" \
		bash -c "[ $? -eq 0 ] && [ -z '$out' ]"
else
	fail "shutdown -a: guests did not come up"
fi

check "tern-xl shutdown: an unknown domain is an error" \
	bash -c "'$XL' shutdown nosuchdomain 2>&1 | grep -q \"no domain 'nosuchdomain'\""
check "tern-xl reboot: a bad -t is an error" \
	bash -c "'$XL' reboot -t 0 x 2>&1 | grep -q -- '-t takes seconds'"
check "tern-xl shutdown: usage without a domain" \
	bash -c "! '$XL' shutdown 2>/dev/null"
check "tern-xl shutdown: -a takes no domain" \
	bash -c "! '$XL' shutdown -a x 2>/dev/null"
