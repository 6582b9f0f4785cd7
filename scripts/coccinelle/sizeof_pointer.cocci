// SPDX-License-Identifier: MIT
//
// Catches memset(p, c, sizeof(p)) and memcpy/memmove/memcmp(p, q, sizeof(p))
// where p is a pointer: that clears or copies 8 bytes, not the object.
// A half-cleared vcpu_guest_context or start_info copy fails far away and
// only on some paths (save, restore, migrate), so it is worth a check.

virtual report

@r depends on report@
type T;
T *p;
expression c, q;
position pos;
@@
(
 memset@pos(p, c, sizeof(p))
|
 memcpy@pos(p, q, sizeof(p))
|
 memcpy@pos(q, p, sizeof(p))
|
 memmove@pos(p, q, sizeof(p))
|
 memmove@pos(q, p, sizeof(p))
|
 memcmp@pos(p, q, sizeof(p))
|
 memcmp@pos(q, p, sizeof(p))
)

@script:python depends on report@
pos << r.pos;
@@
coccilib.report.print_report(pos[0], "ERROR: size of a pointer used as the size of what it points to: use sizeof(*p)")
