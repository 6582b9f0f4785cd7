#!/bin/bash
# SPDX-License-Identifier: MIT
# A running guest's xenstore, seen with Debian's own clients: tern-xl
# create starts tern-xenstored when none runs, writes the nodes a Xen
# toolstack writes for a PV guest with libxl's permissions, and attaches
# the guest's ring, on which the guest's own client (drivers/xen/xenbus)
# advertises its features; destroy removes it all.  Also: no daemon to be
# had is a clear error, and two creates racing to start one share it.
. "$(dirname "$0")/lib.sh"

if ! xs_clients; then
	fail "xenstore domain: cannot fetch Debian's xenstore-utils"
	exit 1
fi
sock=$TERN_RUN_DIR/xenstored.sock

# No daemon, and none to be started: a clear error, nothing left behind.
mkcfg "$TMP/k.cfg" 'extra = "keep_running"' 'vcpus = 2' 'maxvcpus = 3'
name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/k.cfg")
msg=$(TERN_XENSTORED=/nonexistent/tern-xenstored timeout 30 "$XL" create "$TMP/k.cfg" 2>&1)
rc=$?
echo "    | $msg"
check "no daemon: create fails with status 1" [ "$rc" -eq 1 ]
check "no daemon: says why" grep -q "no xenstore daemon on $sock, and cannot start one: /nonexistent/tern-xenstored: No such file or directory" <<<"$msg"
check "no daemon: nothing listed" bash -c "! '$XL' list | grep -q '^$name '"

# The first create starts the daemon.
msg=$(timeout 30 "$XL" create "$TMP/k.cfg" 2>&1)
check "create: starts and returns 0" grep -q "^Started domain $name" <<<"$msg"
id=$(sed -n 's/.*(id=\([0-9]*\))$/\1/p' <<<"$msg")
dp=/local/domain/$id
check "daemon: listening on \$TERN_RUN_DIR/xenstored.sock" [ -S "$sock" ]
check "daemon: pid file in the run directory" kill -0 "$(cat "$TERN_RUN_DIR/xenstored.pid" 2>/dev/null)"
xsd_pid=$(cat "$TERN_RUN_DIR/xenstored.pid")

feature_up() { [ "$("$XSB/xenstore-read" "$dp/control/feature-poweroff" 2>/dev/null)" = 1 ]; }
check "guest: advertises control/feature-poweroff" wait_until 20 feature_up
ls=$("$XSB/xenstore-ls" -fp "$dp")
echo "$ls" | sed 's/^/    | /'
has() { grep -qxF -- "$1" <<<"$ls"; }
check "xenstore-ls: name" has "$dp/name = \"$name\"   (n0,r$id)"
check "xenstore-ls: domid" has "$dp/domid = \"$id\"   (n0,r$id)"
check "xenstore-ls: the home is dom0's, readable by the domain" \
	bash -c "'$XSB/xenstore-ls' -fp /local/domain | grep -qxF '$dp = \"\"   (n0,r$id)'"
check "xenstore-ls: control/shutdown is the domain's (it acknowledges)" has "$dp/control/shutdown = \"\"   (n$id)"
check "xenstore-ls: feature-poweroff written by the guest" has "$dp/control/feature-poweroff = \"1\"   (n$id)"
check "xenstore-ls: feature-reboot written by the guest" has "$dp/control/feature-reboot = \"1\"   (n$id)"
check "xenstore-ls: feature-suspend written by the guest" has "$dp/control/feature-suspend = \"1\"   (n$id)"
check "xenstore-ls: data/ is the guest's" has "$dp/data = \"\"   (n$id)"
check "xenstore-ls: memory/target in KiB" has "$dp/memory/target = \"65536\"   (n0,r$id)"
check "xenstore-ls: vCPU 1 online" has "$dp/cpu/1/availability = \"online\"   (n0,r$id)"
check "xenstore-ls: vCPU 2 (maxvcpus) offline" has "$dp/cpu/2/availability = \"offline\"   (n0,r$id)"
check "xenstore-ls: store/port 1" has "$dp/store/port = \"1\"   (n0,r$id)"
check "xenstore-ls: console/port 2" has "$dp/console/port = \"2\"   (n0,r$id)"
check "xenstore-ls: console/type" has "$dp/console/type = \"xenconsoled\"   (n0,r$id)"
check "xenstore-read: name" [ "$("$XSB/xenstore-read" "$dp/name")" = "$name" ]
vm=$("$XSB/xenstore-read" "$dp/vm")
check "xenstore-read: vm path /vm/<uuid>" grep -qE '^/vm/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' <<<"$vm"
check "xenstore-read: the vm's name" [ "$("$XSB/xenstore-read" "$vm/name")" = "$name" ]
check "console backend: frontend" [ "$("$XSB/xenstore-read" "/local/domain/0/backend/console/$id/0/frontend")" = "$dp/console" ]
# Ring references are the builder's mfns, as the guest's banner says.
con=$(strip_printk < "$TERN_RUN_DIR/$id.console")
mfn=$(sed -n 's/^start_info: .*store_mfn \(0x[0-9a-f]*\) .*/\1/p' <<<"$con")
check "store/ring-ref is start_info.store_mfn ($mfn)" [ "$("$XSB/xenstore-read" "$dp/store/ring-ref")" = "$((mfn))" ]
mfn=$(sed -n 's/^start_info: console_mfn \(0x[0-9a-f]*\) .*/\1/p' <<<"$con")
check "console/ring-ref is start_info's console mfn ($mfn)" [ "$("$XSB/xenstore-read" "$dp/console/ring-ref")" = "$((mfn))" ]

# The console ring replaced the early console: every line once.
check "console: the ring driver took over" grep -q '^console: on the console ring (event channel 2)$' <<<"$con"
check "console: banner once" [ "$(grep -c '^tern .* booting$' <<<"$con")" -eq 1 ]
check "console: a line after the switch, once" [ "$(grep -c 'boot complete, staying up' <<<"$con")" -eq 1 ]

# An unprivileged domain may not touch the toolstack's nodes.
"$TOP/scripts/xen-tools" >/dev/null
ctl=$(dirname "$XSB")/lib/xen-4.17/bin/xenstore-control
check "xenstore-control: a domain socket for domain $id" \
	bash -c "'$ctl' domain-socket $id '$TMP/dom.sock' >/dev/null"
check "as the domain: reads its name (relative path)" \
	[ "$(XENSTORED_PATH=$TMP/dom.sock "$XSB/xenstore-read" name)" = "$name" ]
check "as the domain: cannot rename itself" \
	bash -c "! XENSTORED_PATH='$TMP/dom.sock' '$XSB/xenstore-write' name x 2>/dev/null"
check "as the domain: writes under data/" \
	env XENSTORED_PATH="$TMP/dom.sock" "$XSB/xenstore-write" data/x 1

# An unknown request is left in place and changes nothing.
check "unknown request: written" "$XSB/xenstore-write" "$dp/control/shutdown" frobnicate
seen() { grep -q "manage: ignoring unknown control/shutdown request 'frobnicate'" "$TERN_RUN_DIR/$id.console"; }
check "unknown request: the guest logs that it ignores it" wait_until 10 seen
check "unknown request: not acknowledged" [ "$("$XSB/xenstore-read" "$dp/control/shutdown")" = frobnicate ]
check "unknown request: the guest stays up" bash -c "'$XL' list | grep -qE '^$name +$id .* [r-][b-]---- '"

# Destroy: the domain's nodes go, the daemon stays.
check "destroy: succeeds" "$XL" destroy "$name"
check "destroy: the home is removed" bash -c "! '$XSB/xenstore-exists' '$dp' 2>/dev/null"
check "destroy: the vm path is removed" bash -c "! '$XSB/xenstore-exists' '$vm' 2>/dev/null"
check "destroy: the console backend is removed" \
	bash -c "! '$XSB/xenstore-exists' /local/domain/0/backend/console/$id 2>/dev/null"
check "destroy: the daemon keeps running" kill -0 "$xsd_pid"
check "daemon log: introduced and released" \
	bash -c "grep -q 'domain $id introduced' '$TERN_RUN_DIR/xenstored.log' && grep -q 'domain $id released' '$TERN_RUN_DIR/xenstored.log'"

# Two creates racing to start a daemon: both run, one daemon serves both.
kill "$xsd_pid"
wait_until 10 gone "$xsd_pid"
mkcfg "$TMP/a.cfg" 'extra = "keep_running"'
mkcfg "$TMP/b.cfg" 'extra = "keep_running"'
timeout 30 "$XL" create "$TMP/a.cfg" > "$TMP/a.out" 2>&1 &
timeout 30 "$XL" create "$TMP/b.cfg" > "$TMP/b.out" 2>&1 &
wait
sed 's/^/    | a: /' "$TMP/a.out"
sed 's/^/    | b: /' "$TMP/b.out"
check "race: both creates succeed" bash -c "grep -q '^Started' '$TMP/a.out' && grep -q '^Started' '$TMP/b.out'"
daemons=$(pgrep -f -- "--socket $sock" | wc -l)
check "race: exactly one daemon ($daemons)" [ "$daemons" -eq 1 ]
for f in a b; do
	n=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/$f.cfg")
	i=$("$XL" list | awk -v n="$n" '$1 == n { print $2 }')
	up() { [ "$("$XSB/xenstore-read" "/local/domain/$1/control/feature-poweroff" 2>/dev/null)" = 1 ]; }
	check "race: guest $f has its xenstore" wait_until 20 up "$i"
	"$XL" destroy "$n"
done
