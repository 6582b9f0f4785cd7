#!/bin/bash
# SPDX-License-Identifier: MIT
# Live migration's failures and its other transport (tern-xl migrate,
# Documentation/migration.rst), between hosts A and B (network
# namespaces, each its own run directory and tern-xenstored):
#
#  - a connection refused (TCP, nobody listening) and a receiver command
#    that does not exist: migrate exits 1 before the guest is touched,
#    and the guest runs on;
#  - a corrupt stream, refused by the receiver early (a PAGE_DATA record
#    in the first round) and late (a record after the suspend): migrate
#    exits 1, the guest runs on at the source under its name -- resumed
#    in place and checked by itself (rc 1) when it had been suspended --
#    and the destination is left with no domain, process or xenstore node;
#  - the destination's memory exhausted (the receiver under an address
#    space limit that leaves no room for the guest): the same;
#  - TCP: migrate -p PORT to migrate-receive -l, within one host's
#    namespace (its loopback), arrives and the guest checks itself;
#  - Xen's own verify-stream-v2 accepts a migration stream captured on
#    its way (the xl header, libxl's stream, libxc's live rounds).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/migrate-hosts.sh"

here=$(dirname "$0")
xen_tools migrate_failures
hosts A B
[ -n "$HOSTS_NOTE" ] && echo "note: $HOSTS_NOTE"
guest=mf$$
n=0
where=A

# The guest's next check on host $where, with rc $1.
checked() {
	local log line
	n=$((n + 1))
	log=$TMP/$where/run/$(host_domid $where "$guest").console
	wait_until 90 grep -aqE "resume-check: (SUCCESS|FAILURE) #$n " "$log" &&
		line=$(grep -aE "resume-check: (SUCCESS|FAILURE) #$n " "$log") &&
		[[ $line == *"SUCCESS #$n rc $1,"* ]] && return 0
	tail -3 "$log" | sed 's/^/    | /'
	return 1
}
running() {
	local row
	row=$(on $where "$XL" list "$guest" 2>&1 | tail -1)
	[[ $row =~ ^$guest\ +[0-9]+\ +64\ +2\ +(r|-b) ]] && return 0
	echo "    | $where lists: $row"
	return 1
}
suspends() { grep -acE "resume-check: (SUCCESS|FAILURE)" "$TMP/$where/run/$(host_domid $where "$guest").console"; }
# After a failed migration: on $where only, resumed if it had been suspended.
ran_on() {	# output of migrate
	if grep -q 'Resumed OK' <<<"$1"; then
		checked 1 || return 1
	fi
	running && [ -z "$(host_domid $other "$guest")$(host_domid $other "$guest--incoming")" ]
}

check "the guest is up on A" \
	host_guest_up A "$guest" 64 2 "ptstress=16 ptchurn keep_running resume_check" "staying up"
other=B

s0=$(suspends)
out=$(on A "$XL" migrate -p 9 "$guest" 127.0.0.1 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "connection refused: rc 1, said so" eval '[ $rc -eq 1 ] && grep -q "Connection refused" <<<"$out"'
s1=$(suspends)
echo "    | resume checks before: $s0, after: $s1"
check "  ... the guest never suspended, runs on" eval '[ "$s1" = "$s0" ] && running'

out=$(on A "$XL" migrate -s "$TMP/no-such-command" "$guest" B 2>&1)
rc=$?
echo "$out" | tail -2 | sed 's/^/    | /'
check "a receiver command that does not run: rc 1, the guest untouched" \
	eval '[ $rc -eq 1 ] && [ "$(suspends)" = "$s0" ] && running'

for kind in pagedata late; do
	out=$(TO_FILTER="$here/mig-corrupt $kind" on A "$XL" migrate -s "$TMP/to" "$guest" B 2>&1)
	rc=$?
	echo "$out" | grep -v '^migration sender: round' | sed 's/^/    | /'
	check "a corrupt stream ($kind): rc 1, refused by the receiver" \
		eval '[ $rc -eq 1 ] && grep -q "mandatory record type\|PAGE_DATA" <<<"$out"'
	check "  ... the guest runs on at A only$([ $kind = late ] && echo ', resumed and checked by itself (rc 1)')" ran_on "$out"
	[ $kind = late ] && check "  ... it had been suspended (the defect came after the suspend)" \
		grep -q 'Resumed OK' <<<"$out"
	check "  ... nothing left on B" wait_until 60 host_clean B
done

# A destination whose host has 32 MiB available for a 64 MiB guest: the
# receiver, in a mount namespace whose /proc/meminfo says so, refuses
# before it builds anything.
grep -v MemAvailable /proc/meminfo > "$TMP/meminfo"
echo "MemAvailable:      32768 kB" >> "$TMP/meminfo"
cat > "$TMP/to-small" <<TO
#!/bin/bash
exec unshare -m bash -c 'mount --bind "$TMP/meminfo" /proc/meminfo && exec "$TMP/to" "\$@"' to "\$@"
TO
chmod +x "$TMP/to-small"
s0=$(suspends)
out=$(on A "$XL" migrate -s "$TMP/to-small" "$guest" B 2>&1)
rc=$?
echo "$out" | grep -v '^migration sender: round' | sed 's/^/    | /'
check "the destination out of memory (32 MiB available): rc 1, said so" \
	eval '[ $rc -eq 1 ] && grep -q "more than this host can give" <<<"$out"'
check "  ... the guest runs on at A only" ran_on "$out"
check "  ... nothing left on B" wait_until 60 host_clean B

# TCP on A's loopback, into B's run directory.
on A ip link set lo up
port=$((20000 + RANDOM % 20000))
nsenter -t "$(cat "$TMP/A/ns.pid" 2>/dev/null || echo $$)" -n \
	env TERN_RUN_DIR="$TMP/B/run" "$XL" migrate-receive -l "127.0.0.1:$port" \
	> "$TMP/recv.out" 2>&1 &
recv=$!
wait_until 10 grep -q listening "$TMP/recv.out"
out=$(on A "$XL" migrate -p $port "$guest" 127.0.0.1 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
wait "$recv"
rrc=$?
where=B
other=A
check "TCP (migrate -p $port, migrate-receive -l): both rc 0" eval '[ $rc -eq 0 ] && [ $rrc -eq 0 ]'
check "  ... the guest arrived and checks itself (rc 0)" checked 0
check "  ... nothing left on A" wait_until 60 host_clean A

# A stream captured on its way back to A: Xen's verify-stream-v2 reads it.
out=$(TO_FILTER="tee $TMP/captured.stream" on B "$XL" migrate -s "$TMP/to" "$guest" A 2>&1)
rc=$?
where=A
other=B
check "migration B -> A with the stream captured: rc 0, the guest checks itself (rc 0)" \
	eval '[ $rc -eq 0 ] && checked 0'
# What follows libxl's END on the wire is the handshake, not the stream.
python3 - "$TMP/captured.stream" "$TMP/stream.xl" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
go = b"domain is yours, you are cleared to unpause\0"
open(sys.argv[2], "wb").write(d[:len(d) - len(go)] if d.endswith(go) else d)
PY
PYTHONPATH=$XEN_PY python3 "$XEN_BIN/verify-stream-v2" -f xl -i "$TMP/stream.xl" > "$TMP/verify.out" 2>&1
vrc=$?
tail -2 "$TMP/verify.out" | sed 's/^/    | /'
check "verify-stream-v2 accepts the captured migration stream" [ $vrc -eq 0 ]
on A "$XL" destroy "$guest" >/dev/null 2>&1
