#!/bin/bash
# SPDX-License-Identifier: MIT
# tern-xl debug-keys q, as xl debug-keys q on Xen: every vCPU of every
# running domain gets VIRQ_DEBUG and answers on the console for itself,
# CPU 0 with the memory and ptstress totals too; the domain runs on.  An
# unknown key is refused before anything is sent.
. "$(dirname "$0")/lib.sh"

mkcfg "$TMP/a.cfg" 'vcpus = 2' 'extra = "ptstress=8 keep_running"'
mkcfg "$TMP/b.cfg" 'extra = "keep_running"'
a=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/a.cfg")
b=$(sed -n 's/^name = "\(.*\)"/\1/p' "$TMP/b.cfg")
for c in a b; do
	timeout 60 "$XL" create "$TMP/$c.cfg" >/dev/null 2>&1
done
for n in "$a" "$b"; do
	wait_until 60 bash -c "timeout 1 '$XL' console '$n' 2>/dev/null | grep -q 'staying up'"
done
con() { timeout 1 "$XL" console "$1" 2>/dev/null | strip_printk; }

out=$("$XL" debug-keys q 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "debug-keys q: status 0" [ "$rc" -eq 0 ]
check "debug-keys q: both vCPUs of $a notified" \
	[ "$(grep -cE "^$a \(id [0-9]+\): notifying vCPU [01] \(virq 1, port [1-9][0-9]*\)$" <<<"$out")" -eq 2 ]
check "debug-keys q: the vCPU of $b notified" \
	grep -qE "^$b \(id [0-9]+\): notifying vCPU 0 \(virq 1, port [1-9][0-9]*\)$" <<<"$out"
wait_until 10 bash -c "timeout 1 '$XL' console '$a' 2>/dev/null | grep -q 'debug: ptstress'"
ca=$(con "$a")
grep '^debug' <<<"$ca" | sed 's/^/    | /'
for cpu in 0 1; do
	check "debug-keys q: CPU $cpu of $a answered, with where it was (a kernel address)" \
		grep -qE "^debug: cpu $cpu: running [^ ]+, [0-9]+ queued, [0-9]+ switches, at 0x1000[0-9a-f]{8}, preempt count there (0|0x[0-9a-f]+); clock [0-9]+ ms, by its record [0-9]+ ms$" <<<"$ca"
	check "debug-keys q: CPU $cpu's clock agrees with its own time record (within 1 s)" \
		awk -v c="$cpu" '$0 ~ "^debug: cpu " c ": " { n++; sub(/.*; clock /, ""); if ($1 - $6 > 1000 || $6 - $1 > 1000) bad++ } END { exit !(n && !bad) }' <<<"$ca"
done
check "debug-keys q: CPU 0 gave the memory totals" \
	grep -qE '^debug: memory: [0-9]+ of [0-9]+ pages free, ' <<<"$ca"
check "debug-keys q: and ptstress's, clean" \
	grep -qE '^debug: ptstress: [0-9]+ rounds, [0-9]+ updates, 0 mismatches, 0 errors$' <<<"$ca"
wait_until 10 bash -c "timeout 1 '$XL' console '$b' 2>/dev/null | grep -q 'debug: memory'"
check "debug-keys q: $b answered too" grep -q '^debug: cpu 0: ' <<<"$(con "$b")"
check "debug-keys q: both domains still run" \
	bash -c '"$1" list | grep -q "^$2 " && "$1" list | grep -q "^$3 "' _ "$XL" "$a" "$b"

before=$(con "$a" | grep -c '^debug: cpu')
out=$("$XL" debug-keys qx 2>&1)
rc=$?
sleep 0.5
check "debug-keys qx: status 1" [ "$rc" -eq 1 ]
check "debug-keys qx: names the unknown key and lists the known ones" \
	bash -c 'grep -q "^tern-xl: unknown debug key .x.; known keys:$" <<<"$1" && grep -q "^  q " <<<"$1"' _ "$out"
check "debug-keys qx: nothing was sent, not even the q" \
	[ "$(con "$a" | grep -c '^debug: cpu')" -eq "$before" ]
check "debug-keys with no key: usage, status 1" \
	bash -c '! "$1" debug-keys >/dev/null 2>&1' _ "$XL"
"$XL" destroy "$a"
"$XL" destroy "$b"
