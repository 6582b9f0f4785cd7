// SPDX-License-Identifier: MIT
//
// Catches an unsigned value compared < 0 or >= 0: the test is always false
// (or always true), so the error path it guards never runs.  The usual
// cause is a function that returns -errno stored into a size_t, u32 or
// frame count; in a hypercall handler that turns a refused request into a
// success.

virtual report

@r depends on report@
typedef u8, u16, u32, u64, uint8_t, uint16_t, uint32_t, uint64_t;
{unsigned char, unsigned short, unsigned int, unsigned long,
 unsigned long long, u8, u16, u32, u64, size_t,
 uint8_t, uint16_t, uint32_t, uint64_t} x;
position p;
@@
(
 x@p < 0
|
 x@p >= 0
|
 0 > x@p
|
 0 <= x@p
)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "WARNING: unsigned value compared with 0 as if it could be negative")
