// SPDX-License-Identifier: MIT
//
// Catches sizeof(a) / sizeof(a[0]) and sizeof(a) / sizeof(*a): use
// ARRAY_SIZE(a), from <linux/kernel.h> in the kernel and from the
// program's own common header in host code.  The open-coded division is
// easy to get subtly wrong (sizeof(a) / sizeof(b[0]) after a rename, or a
// table that became a pointer), and the tables walked here (hypercalls,
// VIRQs, page types, seccomp filters) must never be one entry short or
// long; one spelling makes such slips stand out in review.

virtual report

@r depends on report@
expression a;
position p;
@@
(
 sizeof(a)@p / sizeof(a[...])
|
 sizeof(a)@p / sizeof(*a)
|
 sizeof a@p / sizeof a[...]
|
 sizeof a@p / sizeof *a
)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "WARNING: use ARRAY_SIZE()")
