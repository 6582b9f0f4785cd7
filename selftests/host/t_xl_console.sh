#!/bin/bash
# SPDX-License-Identifier: MIT
# The console as xl's, through a real terminal (a pty, with script(1)):
# tern-xl console and create -c put the terminal in raw mode, so Ctrl-C
# is a byte for the guest, never a signal that ends anything, and Ctrl-]
# detaches, leaving the guest running; create -c then returns 0.  Without
# a terminal, killing create -c (even with SIGKILL) takes the domain with
# it, as a foreground process would; SIGTERM destroys it (status 3).  A
# domain that is not running is reported, not followed, and a console
# following a domain stops when the domain ends and is kept.
. "$(dirname "$0")/lib.sh"

if ! xs_clients; then
	fail "console: cannot fetch Debian's xenstore-utils"
	exit 1
fi
name_of() { sed -n 's/^name = "\(.*\)"/\1/p' "$1"; }
running() { "$XL" list "$1" 2>/dev/null | grep -qE "^$1 +[0-9]+ .* [r-][b-]---- "; }
feature_up() { [ "$("$XSB/xenstore-read" "/local/domain/$1/control/feature-poweroff" 2>/dev/null)" = 1 ]; }

# on_tty <out> <command...>: the command on a pty, in the background
# ($tty_pid), typed input from $TMP/keys (fd 7 stays open for typing).
on_tty() {
	local out=$1
	shift
	rm -f "$TMP/keys"
	mkfifo "$TMP/keys"
	script -qfec "$*" /dev/null < "$TMP/keys" > "$out" 2>&1 &
	tty_pid=$!
	exec 7> "$TMP/keys"
}
type_keys() { printf "$1" >&7; }
# tty_wait: the status of the command on the pty once it has ended
# (within 30 s; else it is killed and the status is 124).
tty_wait() {
	if wait_until 30 gone "$tty_pid"; then
		wait "$tty_pid"
		rc=$?
	else
		kill -KILL "$tty_pid"
		wait "$tty_pid" 2>/dev/null
		rc=124
	fi
	exec 7>&-
}

mkcfg "$TMP/k.cfg" 'extra = "keep_running"'
name=$(name_of "$TMP/k.cfg")

# ---- tern-xl console on a terminal: Ctrl-C, then Ctrl-].
msg=$(timeout 30 "$XL" create "$TMP/k.cfg" 2>&1)
id=$(sed -n 's/.*(id=\([0-9]*\))$/\1/p' <<<"$msg")
pid=$(sed -n 's/^pid //p' "$TERN_RUN_DIR/$id.state" 2>/dev/null)
on_tty "$TMP/con.out" "'$XL' console '$name'; rc=\$?; stty -a; exit \$rc"
check "console on a tty: shows the guest's console" \
	wait_until 30 grep -q 'staying up' "$TMP/con.out"
type_keys '\003'
type_keys 'x\035'
tty_wait
check "console on a tty: Ctrl-C then Ctrl-] detaches, status 0 (no SIGINT)" [ "$rc" -eq 0 ]
check "console on a tty: the guest still runs" running "$name"
check "console on a tty: the same process" [ "$(sed -n 's/^pid //p' "$TERN_RUN_DIR/$id.state")" = "$pid" ]
check "console on a tty: the terminal is cooked again afterwards (icanon isig echo)" \
	bash -c "grep -qE '(^| )icanon( |\$)' '$TMP/con.out' && grep -qE '(^| )isig( |\$)' '$TMP/con.out' && grep -qE '(^| )echo( |\$)' '$TMP/con.out'"
"$XL" destroy "$name"

# ---- create -c on a terminal: Ctrl-C, then Ctrl-].
on_tty "$TMP/cc.out" "$XL" create -c "$TMP/k.cfg"
check "create -c on a tty: the console comes up" \
	wait_until 30 grep -q 'staying up' "$TMP/cc.out"
type_keys '\003'
check "create -c on a tty: Ctrl-C leaves the guest running" running "$name"
type_keys '\035'
tty_wait
sed 's/^/    | /' "$TMP/cc.out" | tail -n 3
check "create -c on a tty: Ctrl-] detaches, status 0" [ "$rc" -eq 0 ]
check "create -c on a tty: says how to get back" \
	grep -q "detached from $name (id [0-9]*), which runs on: tern-xl console $name" "$TMP/cc.out"
check "create -c on a tty: the guest runs on after the detach" running "$name"
id=$("$XL" list "$name" | awk 'NR == 2 { print $2 }')
check "create -c on a tty: and still answers xenstore" wait_until 20 feature_up "$id"
"$XL" destroy "$name"

# ---- create -c killed: the domain goes with it.
"$XL" create -c "$TMP/k.cfg" > "$TMP/kill.out" 2>&1 &
xlpid=$!
wait_until 30 grep -q 'staying up' "$TMP/kill.out"
dompid=$(sed -n 's/^pid //p' $(grep -lx "name $name" "$TERN_RUN_DIR"/*.state))
kill -KILL "$xlpid"
wait "$xlpid" 2>/dev/null
check "create -c SIGKILLed: the domain's process ends too" wait_until 30 gone "$dompid"
check "create -c SIGKILLed: nothing listed" bash -c "! '$XL' list '$name' >/dev/null 2>&1"

# ---- a domain that ended and is kept.
mkcfg "$TMP/p.cfg" 'extra = "keep_running"' 'on_poweroff = "preserve"'
pname=$(name_of "$TMP/p.cfg")
msg=$(timeout 30 "$XL" create "$TMP/p.cfg" 2>&1)
pid_=$(sed -n 's/.*(id=\([0-9]*\))$/\1/p' <<<"$msg")
wait_until 20 feature_up "$pid_"
timeout 60 "$XL" console "$pname" > "$TMP/follow.out" 2>&1 &
conpid=$!
wait_until 20 grep -q 'staying up' "$TMP/follow.out"
"$XSB/xenstore-write" "/local/domain/$pid_/control/shutdown" poweroff
wait "$conpid"
rc=$?
check "console following a guest that powers off and is kept: returns, status 0" [ "$rc" -eq 0 ]
check "console following: it showed the end" grep -q "): poweroff, action preserve" "$TMP/follow.out"
err=$(timeout 10 "$XL" console "$pname" 2>&1 >/dev/null)
rc=$?
echo "    | $err"
check "console on a kept domain: status 1" [ "$rc" -eq 1 ]
check "console on a kept domain: says it is not running" \
	grep -q "tern-xl: domain $pname (id $pid_) is not running (state poweroff); its console log is " <<<"$err"
"$XL" destroy "$pname"
