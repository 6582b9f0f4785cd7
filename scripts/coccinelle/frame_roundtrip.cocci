// SPDX-License-Identifier: MIT
//
// Catches a frame number boxed and unboxed on the spot: mfn_x(_mfn(E)),
// _mfn(mfn_x(E)) and the same for pfn and gfn.  <xen/frame.h> boxes mfns,
// pfns and gfns so that the compiler refuses to mix them; a round trip
// either does nothing or, worse, is how a pfn gets relabelled as an mfn
// (_mfn(pfn_x(p)) is caught too), which is exactly the bug that breaks
// save/restore: translate with the p2m or m2p instead.

virtual report

@r depends on report@
expression E;
position p;
@@
(
 mfn_x@p(_mfn(E))
|
 _mfn@p(mfn_x(E))
|
 pfn_x@p(_pfn(E))
|
 _pfn@p(pfn_x(E))
|
 gfn_x@p(_gfn(E))
|
 _gfn@p(gfn_x(E))
)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "WARNING: pointless frame number round trip: use the value as it is")

@x depends on report@
expression E;
position p;
@@
(
 _mfn@p(pfn_x(E))
|
 _pfn@p(mfn_x(E))
|
 _mfn@p(gfn_x(E))
|
 _gfn@p(mfn_x(E))
|
 _pfn@p(gfn_x(E))
|
 _gfn@p(pfn_x(E))
)

@script:python depends on report@
p << x.p;
@@
coccilib.report.print_report(p[0], "ERROR: frame number relabelled from one space to another without translation (p2m/m2p)")
