// SPDX-License-Identifier: MIT
//
// Catches "if (p) free(p);" in host code (hv/, tools/): free(NULL) does
// nothing, so the test only adds a branch and suggests that NULL needed
// care.  Cleanup paths in the hypervisor and toolstack are long; keeping
// them to plain free() calls keeps them readable and reviewable.

virtual report

@r depends on report@
expression E;
position p;
@@
(
 if@p (E)
  free(E);
|
 if@p (E != NULL)
  free(E);
|
 if@p (E) {
  free(E);
 }
|
 if@p (E != NULL) {
  free(E);
 }
)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "WARNING: free(NULL) is fine: drop the test")
