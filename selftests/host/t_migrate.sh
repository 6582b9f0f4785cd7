#!/bin/bash
# SPDX-License-Identifier: MIT
# Live migration on the host hypervisor (tern-xl migrate,
# Documentation/migration.rst), in CI-sized counts: migrate-loop moves a
# guest under ptstress and ptchurn on 4 vCPUs A -> B -> C -> A ...
# MIGRATE_CYCLES (10) times between three hosts (network namespaces, each
# its own run directory and tern-xenstored), each arrival checked by the
# guest itself and by the hypervisor's MMU audit, then kills the receiver
# at MIGRATE_KILLS (3) random points: the source runs on each time and
# the destination is left clean.  make migrate-soak runs the issue's
# counts (100 and 10).
"$(dirname "$0")/migrate-loop" "${MIGRATE_CYCLES:-10}" "${MIGRATE_KILLS:-3}"
