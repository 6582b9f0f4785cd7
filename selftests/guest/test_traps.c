// SPDX-License-Identifier: MIT
/*
 * Exceptions reach our handlers with the hypervisor's bounce frame and we
 * return through HYPERVISOR_iret with every register intact.  Each probe
 * faults on purpose at a label with an exception-table fixup.
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <asm/traps.h>
#include <xen/xen.h>

extern char _text[];

static unsigned long probe_ud2(void)
{
	unsigned long canary = 0x1234567890abcdefUL;

	__asm__ __volatile__("1: ud2\n2:\n" _ASM_EXTABLE(1b, 2b)
			     : "+r"(canary) : : "memory");
	return canary;
}

static void probe_int3(void)
{
	__asm__ __volatile__("1: int3\n2:\n" _ASM_EXTABLE(1b, 2b) ::: "memory");
}

static void probe_read(unsigned long addr)
{
	unsigned long v;

	__asm__ __volatile__("1: movq (%1), %0\n2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=r"(v) : "r"(addr) : "memory");
}

static void probe_write(unsigned long addr)
{
	__asm__ __volatile__("1: movq $0, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
			     : : "r"(addr) : "memory");
}

static void probe_int80(void)
{
	__asm__ __volatile__("1: int $0x80\n2:\n" _ASM_EXTABLE(1b, 2b) ::: "memory");
}

static void probe_cli(void)
{
	__asm__ __volatile__("1: cli\n2:\n" _ASM_EXTABLE(1b, 2b) ::: "memory");
}

/* Each probe must trap exactly once with the given vector. */
static void expect_trap(unsigned long before, unsigned long vector)
{
	ST_CHECK(last_fixup_trap.count == before + 1);
	ST_CHECK(last_fixup_trap.vector == vector);
}

static enum selftest_result test_traps_run(void)
{
	unsigned long n = last_fixup_trap.count;
	unsigned long unmapped = 0x1000deadb000UL;
	unsigned long pt = xen_start_info->pt_base;

	ST_CHECK(probe_ud2() == 0x1234567890abcdefUL);
	expect_trap(n++, X86_TRAP_UD);

	probe_int3();
	expect_trap(n++, X86_TRAP_BP);

	probe_read(unmapped);
	expect_trap(n++, X86_TRAP_PF);
	ST_CHECK(last_fixup_trap.cr2 == unmapped);
	/* Kernel-mode read of a not-present page: no P, no W, no U bit. */
	ST_CHECK((last_fixup_trap.error_code & 7) == 0);

	/* Bootstrap pagetables are mapped read-only. */
	probe_write(pt);
	expect_trap(n++, X86_TRAP_PF);
	ST_CHECK(last_fixup_trap.cr2 == pt);
	ST_CHECK((last_fixup_trap.error_code & 7) ==
		 (X86_PF_PROT | X86_PF_WRITE));

	/* Privileged instructions fault in ring 3. */
	probe_cli();
	expect_trap(n++, X86_TRAP_GP);

	/* No gate 0x80 in our trap table: #GP naming the IDT entry (0x402). */
	probe_int80();
	expect_trap(n++, X86_TRAP_GP);
	ST_CHECK(last_fixup_trap.error_code == ((0x80 << 3) | 2));

	/* The image itself stays readable after all that. */
	ST_CHECK(_text[0] != 0);
	return selftest_status();
}
DEFINE_SELFTEST(traps, test_traps_run);
