#!/bin/bash
# SPDX-License-Identifier: MIT
# The toolstack's shape: create returns once the guest runs in the
# background; list, console and destroy find it by name or id.
. "$(dirname "$0")/lib.sh"

mkcfg "$TMP/bg.cfg" 'extra = "keep_running"'
name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/bg.cfg")
msg=$(timeout 30 "$XL" create "$TMP/bg.cfg" 2>&1)
rc=$?
echo "    | $msg"
check "xl create: returns 0 once the guest runs" [ "$rc" -eq 0 ]
check "xl create: reports the domain" grep -q "^Started domain $name (id=[0-9]*)$" <<<"$msg"
id=$(sed -n 's/.*(id=\([0-9]*\))$/\1/p' <<<"$msg")

list=$("$XL" list)
echo "$list" | sed 's/^/    | /'
check "xl list: xl's header" grep -qxP 'Name {40}ID   Mem VCPUs\tState\tTime\(s\)' <<<"$list"
check "xl list: shows the guest running (r or b) with 64 MiB" \
	grep -qE "^$name +$id +64 +1 +[r-][b-]---- +[0-9]+\.[0-9]$" <<<"$list"

again=$(timeout 30 "$XL" create "$TMP/bg.cfg" 2>&1)
check "xl create: refuses a second domain of the same name" \
	grep -q "domain '$name' already exists (id $id)" <<<"$again"

for i in $(seq 50); do
	timeout 1 "$XL" console "$name" > "$TMP/con" 2>&1
	grep -q 'staying up' "$TMP/con" && break
	sleep 0.1
done
check "xl console: shows the guest's banner" \
	bash -c "grep -qE '${PRINTK_PREFIX_RE}tern .* booting\$' '$TMP/con'"
check "xl console: guest is up and idle" grep -q 'boot complete, staying up (keep_running)' "$TMP/con"

stats=$("$XL" stats "$name" 2>&1)
echo "$stats" | sed 's/^/    | /'
check "xl stats: hypercall counts from the running domain" \
	bash -c '[[ $1 =~ console_io\ +[1-9][0-9]*\ +0 ]]' _ "$stats"
check "xl stats: event channel calls counted" grep -qE '^event_channel_op +[1-9]' <<<"$stats"
check "xl stats: PV MMU counters" grep -q '^mmu operation' <<<"$stats"
check "xl stats: unknown domain is an error" bash -c "! '$XL' stats nosuch 2>/dev/null"

pid=$(sed -n 's/^pid //p' "$TERN_RUN_DIR/$id.state")
check "xl destroy: by id succeeds" "$XL" destroy "$id"
check "xl destroy: the hypervisor process is gone" gone "$pid"
check "xl destroy: list no longer shows it" bash -c "! '$XL' list | grep -q '^$name '"
check "xl destroy: an unknown domain is an error" bash -c "! '$XL' destroy '$name' 2>/dev/null"

# A foreground guest that never ends is destroyed by a signal: status 3.
mkcfg "$TMP/fg.cfg" 'extra = "keep_running"'
timeout 30 "$XL" create -c "$TMP/fg.cfg" > "$TMP/fg.out" 2>&1 &
xlpid=$!
for i in $(seq 100); do grep -q 'staying up' "$TMP/fg.out" && break; sleep 0.1; done
kill -TERM $xlpid
wait $xlpid
rc=$?
check "xl create -c: a destroyed guest exits with status 3" [ "$rc" -eq 3 ]
check "xl create -c: says destroyed" grep -q '): destroyed, action destroy' "$TMP/fg.out"

# Four creates of one name at once: exactly one wins, the others are
# refused with the name, and one domain of that name runs.
mkcfg "$TMP/race.cfg" 'extra = "keep_running"'
race=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/race.cfg")
for i in 1 2 3 4; do
	timeout 60 "$XL" create "$TMP/race.cfg" > "$TMP/race$i.out" 2>&1 &
done
wait
won=$(cat "$TMP"/race?.out | grep -c "^Started domain $race ")
lost=$(cat "$TMP"/race?.out | grep -c "domain '$race' already exists")
cat "$TMP"/race?.out | sed 's/^/    | /'
check "xl create race: exactly one of four creates of one name started" [ "$won" -eq 1 ]
check "xl create race: the other three were refused for the name" [ "$lost" -eq 3 ]
check "xl create race: one domain of that name is listed" \
	[ "$("$XL" list | grep -c "^$race ")" -eq 1 ]
"$XL" destroy "$race"

check "xl help: lists the commands" bash -c "'$XL' help | grep -q 'create \[-c\]'"
check "xl: unknown command is an error" bash -c "! '$XL' frobnicate 2>/dev/null"
