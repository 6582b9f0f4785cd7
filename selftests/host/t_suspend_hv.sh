#!/bin/bash
# SPDX-License-Identifier: MIT
# Suspend and resume on the host hypervisor as a toolstack user drives it
# (issue 11): SUSPEND_CYCLES (50) times, xenstore-write control/shutdown
# suspend -> the domain shuts down with reason suspend (@releaseDomain,
# tern-xl list shows it suspended, the request acknowledged) -> tern-xl
# resume -> it runs on, and the guest's own check after that resume
# passes before the next cycle (ptstress and ptchurn pages on all 4 vCPUs,
# the clock on every CPU, timers and IPIs on every CPU, xenstore and a
# watch, the console), with the hypervisor's MMU audit after every MMU
# hypercall.  make suspend-soak runs the same loop for 1,000 cycles.
exec "$(dirname "$0")/suspend-loop" -q -a -v 4 -n "${SUSPEND_CYCLES:-50}"
