#!/bin/bash
# SPDX-License-Identifier: MIT
# SMP on the host hypervisor: the same kernel with 1, 2, 4 and 8 vCPUs
# brings every vCPU up, passes every in-guest test and powers off with
# status 0; its console lines all carry the printk prefix, come from every
# CPU and are never interleaved; a panic on one CPU stops the others and
# crashes the domain.
. "$(dirname "$0")/lib.sh"

tests=$(nm "$KERNEL" | sed -n 's/.* __selftest_\(.*\)$/\1/p')
console_lines=20
console_re='console: cpu ([0-9]+) line [0-9]+ of [0-9]+ abcdefghijklmnopqrstuvwxyz-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ end$'

for n in 1 2 4 8; do
	mkcfg "$TMP/smp$n.cfg" "vcpus = $n" 'extra = "selftests=all"'
	BOOT_TIMEOUT=120 boot "$TMP/smp$n.cfg"
	echo "$raw" | grep -v 'console: cpu' | sed 's/^/    | /'

	check "smp $n: exit status 0 after poweroff" [ "$rc" -eq 0 ]
	check "smp $n: outcome is poweroff" grep -q '): poweroff, action destroy' <<<"$out"
	check "smp $n: the guest found $n vCPUs" \
		grep -qE "^smp: the domain has $n vCPUs?$" <<<"$out"
	check "smp $n: $n of $n CPUs online" grep -q "^smp: $n of $n CPUs online$" <<<"$out"
	for t in $tests; do
		check "smp $n: in-guest test $t" grep -q "^$t: SUCCESS$" <<<"$out"
	done
	check "smp $n: no in-guest test failed or was skipped" \
		bash -c '! grep -qE ": (FAILURE|ERROR|SKIP)$" <<<"$1"' _ "$out"

	# Every line the guest printed has the prefix; hypervisor and
	# toolstack lines are the only others.
	bad=$(grep -vE "$PRINTK_PREFIX_RE" <<<"$raw" | grep -vE '^\((hv|tern-xl)\) ')
	[ -n "$bad" ] && echo "$bad" | head -5 | sed 's/^/    | unprefixed: /'
	check "smp $n: every guest line has the time and CPU prefix" [ -z "$bad" ]
	for ((c = 0; c < n; c++)); do
		check "smp $n: CPU $c printed whole lines under its own prefix" \
			[ "$(grep -cE "^\[ *[0-9]+\.[0-9]{6}\] \[cpu $c\] $console_re" <<<"$raw" |
			     sed -n 1p)" -eq "$console_lines" ]
	done
	# A line whose prefix names another CPU than its text, or with
	# anything else mixed in, is an interleaving.
	mixed=$(grep 'console: cpu' <<<"$raw" |
		grep -vE "^\[ *[0-9]+\.[0-9]{6}\] \[cpu ([0-9]+)\] console: cpu \1 line [0-9]+ of [0-9]+ [A-Za-z0-9-]+ end$")
	[ -n "$mixed" ] && echo "$mixed" | head -5 | sed 's/^/    | mixed: /'
	check "smp $n: no console line mixes output of two CPUs" [ -z "$mixed" ]
done

# A panic on the last CPU while the others run: they are stopped, the
# report comes from that CPU, the domain crashes.
mkcfg "$TMP/panic.cfg" 'vcpus = 4' 'extra = "crash_test=panic_cpu"'
boot "$TMP/panic.cfg"
echo "$raw" | sed 's/^/    | /'
check "smp panic: exit status 2 (crash)" [ "$rc" -eq 2 ]
check "smp panic: outcome crash" grep -q '): crash, action destroy' <<<"$out"
check "smp panic: the message comes from CPU 3" \
	grep -qE '\[cpu 3\] Kernel panic - not syncing: crash_test=panic_cpu on CPU 3$' <<<"$raw"
check "smp panic: names the task" grep -q '^CPU 3, task crash_test$' <<<"$out"
check "smp panic: the three other CPUs were stopped" \
	grep -q '^panic: stopped 3 other CPUs$' <<<"$out"
check "smp panic: prints a call trace" grep -q '^Call trace:$' <<<"$out"
check "smp panic: the trace has kernel addresses" \
	grep -qE '^  \[<0000100000[0-9a-f]{6}>\]$' <<<"$out"
check "smp panic: nothing is printed after the trace but the outcome" \
	bash -c 'sed -n "/^Call trace:/,\$p" <<<"$1" | grep -vE "^(Call trace:|  \[<[0-9a-f]+>\]|\(tern-xl\) .*)$" | grep -q . && exit 1 || exit 0' _ "$out"
