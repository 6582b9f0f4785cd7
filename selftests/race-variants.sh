# SPDX-License-Identifier: MIT
#
# The test builds that each lack one suspend safeguard (sourced by
# selftests/rig/race-check, on Xen, and by selftests/host/race-check-hv
# and sr-race-check, on the host hypervisor).  A variant is caught when the loop that suspends
# and resumes it fails: its own check after a resume, a fault, or the
# suspend audit refusing to suspend.
#
#   parking-audit     CONFIG_SUSPEND_SAFE_PARKING=n, audit on
#   parking           CONFIG_SUSPEND_SAFE_PARKING=n, audit off: only real
#                     damage (a refused or wrong mapping) can catch it
#   freezer-audit     CONFIG_FREEZER=n, audit on
#   freezer           CONFIG_FREEZER=n, audit off
RACE_VARIANTS="parking-audit parking freezer-audit freezer"

# options_of <variant>: the options it turns off
options_of() {
	case $1 in
	parking-audit) echo "SUSPEND_SAFE_PARKING=n" ;;
	parking) echo "SUSPEND_SAFE_PARKING=n XEN_SUSPEND_AUDIT=n" ;;
	freezer-audit) echo "FREEZER=n" ;;
	freezer) echo "FREEZER=n XEN_SUSPEND_AUDIT=n" ;;
	*) return 1 ;;
	esac
}

# build_variant <srctree> <workdir> <variant> <opts> [targets]: a copy of
# the tree (sources only) in <workdir>/<variant>, configured with opts
# off and built (tern, or the targets given); prints the copy's path.
build_variant() {
	local d=$2/$3 o
	mkdir -p "$d"
	(cd "$1" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 tar cf - 2>/dev/null) | tar xf - -C "$d" || return 1
	make -s -C "$d" defconfig > /dev/null || return 1
	for o in $4; do
		sed -i "/^CONFIG_${o%=n}=/d" "$d/.config"
		echo "# CONFIG_${o%=n} is not set" >> "$d/.config"
	done
	make -s -C "$d" olddefconfig > /dev/null || return 1
	for o in $4; do
		grep -q "^# CONFIG_${o%=n} is not set" "$d/.config" ||
			{ echo "race: $o did not stick in $3's .config" >&2; return 1; }
	done
	make -s -C "$d" -j2 ${5:-tern} > /dev/null || return 1
	echo "$d"
}
