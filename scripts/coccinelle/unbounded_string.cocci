// SPDX-License-Identifier: MIT
//
// Catches strcpy, strcat, sprintf, vsprintf and gets: nothing bounds what
// they write.  The kernel and the hypervisor both copy strings that come
// from the other side (xenstore paths and values, the command line, the
// console ring), so every copy must be bounded: strscpy or snprintf /
// scnprintf in the kernel, snprintf in host code.

virtual report

@r depends on report@
identifier f = {strcpy, strcat, sprintf, vsprintf, gets};
position p;
@@
 f@p(...)

@script:python depends on report@
p << r.p;
f << r.f;
@@
coccilib.report.print_report(p[0], "ERROR: unbounded %s(): use a bounded copy (strscpy, snprintf, scnprintf)" % f)
