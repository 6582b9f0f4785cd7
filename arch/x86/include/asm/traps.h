/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_TRAPS_H
#define _ASM_X86_TRAPS_H

#include <linux/percpu.h>
#include <asm/ptrace.h>

#define X86_TRAP_DE	0
#define X86_TRAP_DB	1
#define X86_TRAP_BP	3
#define X86_TRAP_OF	4
#define X86_TRAP_UD	6
#define X86_TRAP_GP	13
#define X86_TRAP_PF	14

#define X86_PF_PROT	(1 << 0)
#define X86_PF_WRITE	(1 << 1)
#define X86_PF_USER	(1 << 2)
#define X86_PF_INSTR	(1 << 4)

#define X86_EFLAGS_IF	(1 << 9)

/*
 * Exception fixups: an instruction that may fault on purpose (a probe, a
 * test) names where to continue.  On a fault at 'insn' the trap handler
 * records the trap in the faulting CPU's 'last_fixup_trap' and resumes at
 * 'fixup'.  One record per CPU, so probes on several CPUs at once each
 * see their own trap.
 */
struct exception_table_entry {
	unsigned long insn;
	unsigned long fixup;
};

#define _ASM_EXTABLE(from, to)						\
	".pushsection __ex_table, \"a\"\n"				\
	".balign 8\n"							\
	".quad " #from ", " #to "\n"					\
	".popsection\n"

struct trap_record {
	unsigned long vector;
	unsigned long error_code;
	unsigned long rip;
	unsigned long cr2;
	unsigned long count;
};

extern struct trap_record fixup_traps[NR_CPUS];
#define last_fixup_trap	(fixup_traps[this_cpu()->cpu])

void trap_init(void);
struct trap_info;
void xen_copy_trap_info(struct trap_info *ctxt);
void do_trap(struct pt_regs *regs);
void xen_evtchn_do_upcall(struct pt_regs *regs);
void xen_failsafe(struct pt_regs *regs);

#endif
