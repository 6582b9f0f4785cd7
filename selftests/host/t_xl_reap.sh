#!/bin/bash
# SPDX-License-Identifier: MIT
# A domain process killed with SIGKILL (as the OOM killer would) cleans up
# nothing: its state file, its configuration, its control socket and its
# xenstore nodes stay.  tern-xl notices the dead process the next time it
# looks -- list, or a create -- and removes what it left, in the run
# directory and in xenstore; a create of the same name then gets the same
# domain id and runs.  A state file naming a live process that is not the
# domain's (its start time differs: the pid was reused) is reaped too.
. "$(dirname "$0")/lib.sh"

if ! xs_clients; then
	fail "reap: cannot fetch Debian's xenstore-utils"
	exit 1
fi
name_of() { sed -n 's/^name = "\(.*\)"/\1/p' "$1"; }
feature_up() { [ "$("$XSB/xenstore-read" "/local/domain/$1/control/feature-poweroff" 2>/dev/null)" = 1 ]; }
xs_has() { "$XSB/xenstore-exists" "$1" 2>/dev/null; }
left() {	# id: what a dead domain leaves behind, one word each
	local id=$1 f
	for f in state json ctl; do [ -e "$TERN_RUN_DIR/$id.$f" ] && echo -n "$f "; done
	xs_has "/local/domain/$id" && echo -n "home "
	xs_has "/local/domain/0/backend/console/$id" && echo -n "backend "
	[ -n "$vm" ] && xs_has "$vm" && echo -n "vm "
	echo
}

# start <cfg>: create, wait until the guest has its xenstore up; sets
# $id, $pid, $vm.
start() {
	local msg
	msg=$(timeout 30 "$XL" create "$1" 2>&1)
	id=$(sed -n 's/.*(id=\([0-9]*\))$/\1/p' <<<"$msg")
	pid=$(sed -n 's/^pid //p' "$TERN_RUN_DIR/$id.state" 2>/dev/null)
	vm=$("$XSB/xenstore-read" "/local/domain/$id/vm" 2>/dev/null)
	[ -n "$id" ] && [ -n "$pid" ] && wait_until 20 feature_up "$id"
}

mkcfg "$TMP/k.cfg" 'extra = "keep_running"'
name=$(name_of "$TMP/k.cfg")

# ---- list reaps.
if start "$TMP/k.cfg"; then
	kill -KILL "$pid"
	check "SIGKILL: the process is gone" wait_until 20 gone "$pid"
	check "SIGKILL: it left its files and its xenstore nodes" \
		[ "$(left "$id")" = "state json ctl home backend vm " ]
	out=$("$XL" list)
	echo "$out" | sed 's/^/    | /'
	check "list: the dead domain is not listed" bash -c "! grep -q '^$name ' <<<'$out'"
	check "list: and everything it left is gone" [ -z "$(left "$id" | tr -d ' ')" ]
	check "list: its console log stays, for the post-mortem" \
		grep -q 'staying up' "$TERN_RUN_DIR/$id.console"
else
	fail "reap: the guest did not come up"
fi

# ---- create reaps, and reuses the id.
if start "$TMP/k.cfg"; then
	first=$id
	kill -KILL "$pid"
	wait_until 20 gone "$pid"
	if start "$TMP/k.cfg"; then
		check "create after SIGKILL: the same name starts again" [ -n "$id" ]
		check "create after SIGKILL: with the same domain id" [ "$id" = "$first" ]
		check "create after SIGKILL: its nodes are the new domain's" \
			[ "$("$XSB/xenstore-read" "/local/domain/$id/vm")" = "$vm" ]
		"$XL" destroy "$name"
	else
		fail "create after SIGKILL: the guest did not come up"
	fi
else
	fail "reap: the guest did not come up"
fi

# ---- a reused pid: alive, but not the domain's process.
if start "$TMP/k.cfg"; then
	kill -KILL "$pid"
	wait_until 20 gone "$pid"
	sleep 1000 &
	other=$!
	sed -i "s/^pid .*/pid $other/" "$TERN_RUN_DIR/$id.state"
	check "reused pid: the state file now names a live process" kill -0 "$other"
	check "reused pid: that process is not the domain's: not listed" \
		bash -c "! '$XL' list | grep -q '^$name '"
	check "reused pid: and reaped" [ -z "$(left "$id" | tr -d ' ')" ]
	check "reused pid: the other process was left alone" kill -0 "$other"
	kill "$other"
else
	fail "reused pid: the guest did not come up"
fi
