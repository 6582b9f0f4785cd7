// SPDX-License-Identifier: MIT
/*
 * Exceptions for a PV kernel.  The trap table we hand the hypervisor names
 * one entry stub per vector (entry_64.S); they all arrive in do_trap() with
 * a struct pt_regs.  A fault with an exception-table fixup resumes there;
 * anything else is fatal: we print the registers and crash the domain.
 */
#include <linux/kernel.h>
#include <asm/traps.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>

extern const struct exception_table_entry __start___ex_table[];
extern const struct exception_table_entry __stop___ex_table[];

struct trap_record fixup_traps[NR_CPUS];

#define STUB(name) extern char name[]
STUB(xen_divide_error); STUB(xen_debug); STUB(xen_int3); STUB(xen_overflow);
STUB(xen_bounds); STUB(xen_invalid_op); STUB(xen_device_not_available);
STUB(xen_double_fault); STUB(xen_invalid_tss);
STUB(xen_segment_not_present); STUB(xen_stack_segment);
STUB(xen_general_protection); STUB(xen_page_fault);
STUB(xen_spurious_interrupt); STUB(xen_coprocessor_error);
STUB(xen_alignment_check); STUB(xen_machine_check); STUB(xen_simd_error);
STUB(xen_hypervisor_callback); STUB(xen_failsafe_callback);

/*
 * DPL 3 for int3 and into so that they may be raised by the instruction
 * itself (the kernel runs in ring 3); DPL 0 elsewhere, meaning only the
 * hypervisor may deliver them.
 */
#define TRAP_ENTRY(v, dpl, fn) \
	{ .vector = (v), .flags = (dpl), .cs = FLAT_KERNEL_CS, \
	  .address = (unsigned long)(fn) }

static struct trap_info trap_table[] = {
	TRAP_ENTRY(0, 0, xen_divide_error),
	TRAP_ENTRY(1, 0, xen_debug),
	TRAP_ENTRY(3, 3, xen_int3),
	TRAP_ENTRY(4, 3, xen_overflow),
	TRAP_ENTRY(5, 0, xen_bounds),
	TRAP_ENTRY(6, 0, xen_invalid_op),
	TRAP_ENTRY(7, 0, xen_device_not_available),
	TRAP_ENTRY(8, 0, xen_double_fault),
	TRAP_ENTRY(10, 0, xen_invalid_tss),
	TRAP_ENTRY(11, 0, xen_segment_not_present),
	TRAP_ENTRY(12, 0, xen_stack_segment),
	TRAP_ENTRY(13, 0, xen_general_protection),
	TRAP_ENTRY(14, 0, xen_page_fault),
	TRAP_ENTRY(15, 0, xen_spurious_interrupt),
	TRAP_ENTRY(16, 0, xen_coprocessor_error),
	TRAP_ENTRY(17, 0, xen_alignment_check),
	TRAP_ENTRY(18, 0, xen_machine_check),
	TRAP_ENTRY(19, 0, xen_simd_error),
	{ 0, 0, 0, 0 }
};

/* Copies the trap table into a vcpu_guest_context's, indexed by vector. */
void xen_copy_trap_info(struct trap_info *ctxt)
{
	const struct trap_info *t;

	for (t = trap_table; t->address; t++)
		ctxt[t->vector] = *t;
}

static const char *const trap_names[] = {
	[0] = "divide error", [1] = "debug", [3] = "int3", [4] = "overflow",
	[5] = "bounds", [6] = "invalid opcode", [7] = "device not available",
	[8] = "double fault", [10] = "invalid TSS",
	[11] = "segment not present", [12] = "stack segment",
	[13] = "general protection", [14] = "page fault",
	[15] = "spurious interrupt", [16] = "x87 error",
	[17] = "alignment check", [18] = "machine check", [19] = "SIMD error",
};

static const char *trap_name(unsigned long vector)
{
	if (vector < ARRAY_SIZE(trap_names) && trap_names[vector])
		return trap_names[vector];
	return "unknown trap";
}

/* Registers the trap table and the event and failsafe callbacks. */
void trap_init(void)
{
	int rc;

	rc = HYPERVISOR_set_trap_table(trap_table);
	if (rc)
		panic("set_trap_table failed: %d", rc);
	rc = HYPERVISOR_set_callbacks((unsigned long)xen_hypervisor_callback,
				      (unsigned long)xen_failsafe_callback, 0);
	if (rc)
		panic("set_callbacks failed: %d", rc);
}

static const struct exception_table_entry *search_extable(unsigned long ip)
{
	const struct exception_table_entry *e;

	for (e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == ip)
			return e;
	return NULL;
}

static unsigned long read_cr2(void)
{
	/* A PV guest cannot read cr2; the hypervisor leaves it in vcpu_info. */
	return READ_ONCE(xen_vcpu_info()->arch.cr2);
}

void show_regs(const struct pt_regs *r)
{
	printk("RIP: %016lx  RSP: %016lx  RFLAGS: %08lx\n",
	       (unsigned long)r->rip, (unsigned long)r->rsp,
	       (unsigned long)r->rflags);
	printk("RAX: %016lx  RBX: %016lx  RCX: %016lx\n",
	       (unsigned long)r->rax, (unsigned long)r->rbx,
	       (unsigned long)r->rcx);
	printk("RDX: %016lx  RSI: %016lx  RDI: %016lx\n",
	       (unsigned long)r->rdx, (unsigned long)r->rsi,
	       (unsigned long)r->rdi);
	printk("RBP: %016lx  R8:  %016lx  R9:  %016lx\n",
	       (unsigned long)r->rbp, (unsigned long)r->r8,
	       (unsigned long)r->r9);
	printk("R10: %016lx  R11: %016lx  R12: %016lx\n",
	       (unsigned long)r->r10, (unsigned long)r->r11,
	       (unsigned long)r->r12);
	printk("R13: %016lx  R14: %016lx  R15: %016lx\n",
	       (unsigned long)r->r13, (unsigned long)r->r14,
	       (unsigned long)r->r15);
	printk("CS: %04lx  SS: %04lx\n", (unsigned long)(r->cs & 0xffff),
	       (unsigned long)(r->ss & 0xffff));
}

void do_trap(struct pt_regs *regs)
{
	const struct exception_table_entry *fix;
	unsigned long cr2 = 0;

	if (regs->vector == X86_TRAP_PF)
		cr2 = read_cr2();

	fix = search_extable(regs->rip);
	/* int3 and into report the address after the instruction. */
	if (!fix && (regs->vector == X86_TRAP_BP || regs->vector == X86_TRAP_OF))
		fix = search_extable(regs->rip - 1);
	if (fix) {
		last_fixup_trap.vector = regs->vector;
		last_fixup_trap.error_code = regs->error_code;
		last_fixup_trap.rip = regs->rip;
		last_fixup_trap.cr2 = cr2;
		last_fixup_trap.count++;
		regs->rip = fix->fixup;
		return;
	}

	printk("\n*** %s (vector %lu) error code %#lx", trap_name(regs->vector),
	       (unsigned long)regs->vector, (unsigned long)regs->error_code);
	if (regs->vector == X86_TRAP_PF)
		printk(" at address %016lx (%s, %s)", cr2,
		       regs->error_code & X86_PF_PROT ? "protection" : "not present",
		       regs->error_code & X86_PF_WRITE ? "write" : "read");
	printk("\n");
	show_regs(regs);
	panic("fatal exception in kernel");
}

void xen_failsafe(struct pt_regs *regs)
{
	show_regs(regs);
	panic("failsafe callback: the hypervisor could not restore a segment");
}
