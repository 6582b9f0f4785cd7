// SPDX-License-Identifier: MIT
/*
 * The register dump printed when the hypervisor crashes a domain: the
 * guest's registers as they were at the fault, its cr2/cr3, and the top of
 * its stack read through its own pagetables.
 */
#include "private.h"

void hv_dump_registers(struct hv_vcpu *v, const ucontext_t *uc)
{
	struct hv_domain *d = v->d;
	uint64_t stack[8];
	unsigned int i;

#define R(x) (unsigned long)UC_REG(uc, x)
	hv_console_printf(d, "(hv) RIP: %016lx  RSP: %016lx  RFLAGS: %08lx\n",
			  R(RIP), R(RSP), R(EFL));
	hv_console_printf(d, "(hv) RAX: %016lx  RBX: %016lx  RCX: %016lx\n",
			  R(RAX), R(RBX), R(RCX));
	hv_console_printf(d, "(hv) RDX: %016lx  RSI: %016lx  RDI: %016lx\n",
			  R(RDX), R(RSI), R(RDI));
	hv_console_printf(d, "(hv) RBP: %016lx  R8:  %016lx  R9:  %016lx\n",
			  R(RBP), R(R8), R(R9));
	hv_console_printf(d, "(hv) R10: %016lx  R11: %016lx  R12: %016lx\n",
			  R(R10), R(R11), R(R12));
	hv_console_printf(d, "(hv) R13: %016lx  R14: %016lx  R15: %016lx\n",
			  R(R13), R(R14), R(R15));
	hv_console_printf(d, "(hv) CR2: %016lx  CR3: %016lx  trap %lu error %#lx\n",
			  (unsigned long)v->vcpu_info->arch.cr2,
			  (unsigned long)mfn_to_maddr(v->cr3), R(TRAPNO), R(ERR));
#undef R
	if (hv_copy_from_guest(v, stack, UC_REG(uc, RSP), sizeof(stack))) {
		hv_console_printf(d, "(hv) stack: unreadable\n");
		return;
	}
	hv_console_printf(d, "(hv) stack:");
	for (i = 0; i < 8; i++)
		hv_console_printf(d, " %016lx", (unsigned long)stack[i]);
	hv_console_printf(d, "\n");
}
