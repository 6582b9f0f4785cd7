# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2154,SC2034  # rig-check defines and reads them
#
# One guest, two hypervisors (issue 15; Documentation/two-hypervisors.rst):
# the part of rig-check that moves a saved tern guest between the host
# hypervisor and real Xen, sourced by rig-check (it uses its pass, fail,
# run_qemu, build_dom0, report_steps).  Three crossings, on every run:
#
#   hv -> Xen   before QEMU starts, a tern guest is booted and saved on hv
#               (tern-xl create, tern-xl save); the file is dom0's second
#               disk, and dom0's hv-file step restores it with xl restore,
#               waits for the guest's own check, and saves and restores it
#               once more with xl.
#   Xen -> hv   after the run, the xl save file of the xen-save-file step
#               (check_xen_save_file cut it out of dom0's disk) is
#               restored with tern-xl restore; the guest's own check must
#               pass (xen-to-hv); then it is saved again with tern-xl save
#               (hv-resave).
#   round trip  that file goes back to Xen in a second, short QEMU run
#               (dom0's round-trip step: xl restore, the check, xl save and
#               xl restore again).
#
# The guest's check after each resume ("resume_check") covers what a
# crossing could break: its memory and pagetables under ptstress and
# ptchurn, the clock monotonic on every CPU (the offset that carries it
# across hosts), xenstore and a watch, the console, every CPU's timer,
# IPIs.  Linux cannot run on hv at all, so its rows say so.

# MiB of the guest born on hv: smaller than the suspend steps' guest, as
# xl restore reads it from an emulated disk under TCG (about 1 MiB/s).
CROSS_MEMORY=${CROSS_MEMORY:-64}
CROSS_IN_DISK=		# dom0's second disk for this QEMU run, if any
CROSS_HV_FILE=$WORK/hv-born.save
CROSS_RESAVE=$WORK/hv-resave.save
CROSS_RUN=$WORK/tern-run	# tern-xl's run dir (stop_host_xenstored stops it)
CROSS_ROWS=
CROSS_NA="Linux cannot run on the host hypervisor (guest user mode, an FS base)"
XEN_SAVE_FILE=		# set by check_xen_save_file once it cut this run's file

cross_wanted() {	# step
	case " $RIG_STEPS " in *" $1 "*) ;; *) return 1 ;; esac
	case " $GUESTS_ON_XEN " in *" tern "*) return 0 ;; esac
	return 1
}

# A raw disk image holding one file, padded to whole MiB (QEMU reads whole
# sectors; xl restore stops at the stream's end).
cross_disk() {	# file image
	cp "$1" "$2" && truncate -s %1M "$2"
}

# The id of a domain of tern-xl's run dir, by name.
cross_domid() {
	TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" list 2>/dev/null | awk -v n="$1" '$1 == n { print $2 }'
}

# Waits until the console of domain $1 (by name) has a line matching $2;
# the line, or nothing after $3 seconds or once the domain is gone.
cross_wait_line() {	# name regex seconds
	local end=$((SECONDS + $3)) id line
	while [ "$SECONDS" -lt "$end" ]; do
		id=$(cross_domid "$1")
		[ -n "$id" ] || return 1
		line=$(grep -aE -m 1 "$2" "$CROSS_RUN/$id.console" 2>/dev/null)
		[ -n "$line" ] && { echo "$line"; return 0; }
		sleep 0.2
	done
	return 1
}

cross_console_tail() {	# name
	local id
	id=$(cross_domid "$1")
	[ -n "$id" ] && tail -n 3 "$CROSS_RUN/$id.console" 2>/dev/null | tr '\n' ' '
}

# Before QEMU: a tern guest booted on hv, loaded, and saved there.
cross_make_hv_file() {
	local cfg=$WORK/tern-hv.cfg out t0
	[ -x "$TERN_XL" ] || { REASON="$TERN_XL not found (make tern-xl)"; return 1; }
	# kernel: this host's path.  libxl does not run the bootloader for a
	# restore and never opens the kernel then; only a reboot would.
	cat > "$cfg" <<-EOF2
	name = "tern-hv"
	type = "pv"
	kernel = "$TERN_IMAGE"
	extra = "$TERN_SR_EXTRA"
	memory = $CROSS_MEMORY
	vcpus = $TERN_VCPUS
	on_crash = "preserve"
	EOF2
	mkdir -p "$CROSS_RUN"
	if ! out=$(TERN_RUN_DIR=$CROSS_RUN timeout -k 5 "$HOST_TIMEOUT" "$TERN_XL" create "$cfg" 2>&1); then
		REASON="tern-xl create tern-hv: $(tail -n 1 <<<"$out")"
		return 1
	fi
	if ! cross_wait_line tern-hv 'staying up' "$HOST_TIMEOUT" > /dev/null ||
	   ! cross_wait_line tern-hv "$SR_READY_tern" "$HOST_TIMEOUT" > /dev/null; then
		REASON="tern-hv not up and loaded on hv within $HOST_TIMEOUT s: $(cross_console_tail tern-hv)"
		TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" destroy tern-hv > /dev/null 2>&1
		return 1
	fi
	t0=$(now_us)
	if ! out=$(TERN_RUN_DIR=$CROSS_RUN timeout -k 5 "$HOST_TIMEOUT" "$TERN_XL" save -t 60 tern-hv "$CROSS_HV_FILE" 2>&1); then
		REASON="tern-xl save tern-hv: $(tail -n 1 <<<"$out")"
		TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" destroy tern-hv > /dev/null 2>&1
		return 1
	fi
	log "tern-hv saved on hv in $(secs_since "$t0") s: $CROSS_HV_FILE ($(stat -c %s "$CROSS_HV_FILE") bytes)"
	CROSS_IN_DISK=$WORK/hv-in.img
	cross_disk "$CROSS_HV_FILE" "$CROSS_IN_DISK" || { REASON="cannot write $CROSS_IN_DISK"; return 1; }
}

# The guest's clock in ms on vCPU 0, as debug key q prints it ("debug: cpu
# 0: ... clock N ms"), the K-th such line of the domain's console.
cross_guest_clock() {	# name k
	local id
	id=$(cross_domid "$1")
	grep -a 'debug: cpu 0: ' "$CROSS_RUN/$id.console" 2>/dev/null |
		sed -n "$2{s/.*; clock \([0-9]*\) ms.*/\1/p}"
}

cross_clock_line() { [ -n "$(cross_guest_clock "$1" "$2")" ]; }

# Does the guest's clock run at the host's rate on hv after the move (the
# TSC record from the other host honoured)?  Debug key q twice, at least
# 5 s apart on the host; the host's interval is bounded from both sides by
# the times before asking and after seeing each answer.  Sets $why.
cross_clock_rate() {	# name
	local n0 a0 b0 a1 b1 g0 g1 i
	n0=$(grep -ac 'debug: cpu 0: ' "$CROSS_RUN/$(cross_domid "$1").console" 2>/dev/null)
	a0=$(now_us)
	TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" debug-keys q > /dev/null 2>&1
	for ((i = 0; i < 100; i++)); do cross_clock_line "$1" $((n0 + 1)) && break; sleep 0.1; done
	b0=$(now_us)
	sleep 5
	a1=$(now_us)
	TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" debug-keys q > /dev/null 2>&1
	for ((i = 0; i < 100; i++)); do cross_clock_line "$1" $((n0 + 2)) && break; sleep 0.1; done
	b1=$(now_us)
	g0=$(cross_guest_clock "$1" $((n0 + 1)))
	g1=$(cross_guest_clock "$1" $((n0 + 2)))
	if [ -z "$g0" ] || [ -z "$g1" ]; then
		why="no answer to debug key q"
		return 1
	fi
	# guest ms against the host's shortest and longest possible interval
	why="the guest's clock went $((g1 - g0)) ms while the host's went $(((a1 - b0) / 1000))..$(((b1 - a0) / 1000)) ms"
	[ $(((g1 - g0) * 1000 * 10)) -ge $(((a1 - b0) * 9)) ] &&
		[ $(((g1 - g0) * 1000 * 10)) -le $(((b1 - a0) * 11)) ]
}

# After QEMU: Xen's file restored on hv, checked by the guest, saved again.
cross_host() {
	local out t0 line id
	if [ -z "$XEN_SAVE_FILE" ]; then
		fail tern xen-to-hv "no xl save file from Xen in this run (see xen-save-file)"
		return
	fi
	t0=$(now_us)
	if ! out=$(TERN_RUN_DIR=$CROSS_RUN timeout -k 5 "$HOST_TIMEOUT" "$TERN_XL" restore "$XEN_SAVE_FILE" 2>&1); then
		fail tern xen-to-hv "tern-xl restore of Xen's file: $(tail -n 1 <<<"$out")"
		return
	fi
	line=$(cross_wait_line tern-sr 'resume-check: (SUCCESS|FAILURE|ERROR) #' "$HOST_TIMEOUT")
	id=$(cross_domid tern-sr)
	echo
	echo "Xen's xl save file restored on hv (tern-xl restore), the guest's console:"
	[ -n "$id" ] && sed 's/^/    | /' "$CROSS_RUN/$id.console"
	case $line in
	*"resume-check: SUCCESS #"*)
		local el why=
		el=$(secs_since "$t0")
		if cross_clock_rate tern-sr; then
			echo "    clock on hv: $why (within 10%)"
			pass tern xen-to-hv "$el"
			STEP_SECS["tern.xen-to-hv"]=$el
		else
			fail tern xen-to-hv "the clock after the move: $why"
			STEP_SECS["tern.xen-to-hv"]=FAIL
			TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" destroy tern-sr > /dev/null 2>&1
			return
		fi ;;
	'')
		fail tern xen-to-hv "no resume-check from tern-sr on hv within $HOST_TIMEOUT s: $(cross_console_tail tern-sr)"
		STEP_SECS["tern.xen-to-hv"]=FAIL
		TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" destroy tern-sr > /dev/null 2>&1
		return ;;
	*)
		fail tern xen-to-hv "the guest's check on hv: ${line#*resume-check: }"
		STEP_SECS["tern.xen-to-hv"]=FAIL
		TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" destroy tern-sr > /dev/null 2>&1
		return ;;
	esac
	t0=$(now_us)
	if ! out=$(TERN_RUN_DIR=$CROSS_RUN timeout -k 5 "$HOST_TIMEOUT" "$TERN_XL" save -t 60 tern-sr "$CROSS_RESAVE" 2>&1); then
		fail tern hv-resave "tern-xl save of the guest restored from Xen: $(tail -n 1 <<<"$out")"
		STEP_SECS["tern.hv-resave"]=FAIL
		TERN_RUN_DIR=$CROSS_RUN "$TERN_XL" destroy tern-sr > /dev/null 2>&1
		return
	fi
	pass tern hv-resave "$(secs_since "$t0")"
	STEP_SECS["tern.hv-resave"]=$(secs_since "$t0")
}

# The second QEMU run: the file hv saved of Xen's guest, back on Xen.
cross_round_trip() {
	local serial=$SERIAL markers=$MARKERS REASON=
	if [ ! -s "$CROSS_RESAVE" ]; then
		fail tern round-trip "not run: no file saved on hv of Xen's guest (see xen-to-hv, hv-resave)"
		STEP_SECS["tern.round-trip"]=-
		return
	fi
	CROSS_IN_DISK=$WORK/rt-in.img
	cross_disk "$CROSS_RESAVE" "$CROSS_IN_DISK"
	SERIAL=$WORK/serial-round-trip.log
	MARKERS=$WORK/markers-round-trip
	if ! RIG_STEPS=round-trip GUESTS_ON_XEN=tern build_dom0; then
		fail tern round-trip "dom0 for the second run: $REASON"
		STEP_SECS["tern.round-trip"]=FAIL
	else
		log "booting Xen again for the round trip (the file hv saved of Xen's guest on dom0's disk)"
		if ! boot; then
			log "second run: $REASON"
		fi
		log "QEMU ended ($QEMU_END, exit status $QEMU_RC) after $QEMU_SECS s"
		cp "$SERIAL" "$TERN_RIG_CACHE/last-run-round-trip.log"
		RIG_STEPS=round-trip GUESTS_ON_XEN=tern report_steps
		echo
		echo "round trip on Xen (dom0's view):"
		markers | grep -aE '^(STEP|TIME) tern|^CON tern-sr' | sed 's/^/    | /'
	fi
	SERIAL=$serial
	MARKERS=$markers
}

# Rows of the step table for what ran beside dom0's steps.
cross_rows() {
	local g s
	CROSS_ROWS="xen-to-hv hv-resave round-trip"
	for g in $GUESTS_ON_XEN; do
		[ "$g" = tern ] && continue
		for s in $CROSS_ROWS; do STEP_SECS["$g.$s"]=n/a; done
		RESULT_LINES+=("N/A: rig $g $CROSS_ROWS: $CROSS_NA")
	done
}
