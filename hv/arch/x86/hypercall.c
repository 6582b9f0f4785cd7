// SPDX-License-Identifier: MIT
/*
 * Hypercalls as the x86 guest makes them.  The hypercall page holds Xen's
 * 64-bit stubs, one per 32-byte slot, so that the page means the same on
 * Xen and here; the stub's syscall traps (seccomp) and arrives as SIGSYS
 * with the number the stub loaded into eax, the arguments in rdi, rsi,
 * rdx, r10, r8 as on Xen, and the result going back in rax.
 */
#include <string.h>

#include "private.h"

void hv_dispatch_hypercall(struct hv_vcpu *v, ucontext_t *uc, unsigned int nr)
{
	uint64_t a[5] = {
		UC_REG(uc, RDI), UC_REG(uc, RSI), UC_REG(uc, RDX),
		UC_REG(uc, R10), UC_REG(uc, R8),
	};

	UC_REG(uc, RAX) = hv_hypercall_invoke(v, uc, nr, a);
}

/*
 * Xen's hypercall_page_initialise for a 64-bit PV guest: each stub
 * preserves rcx and r11 (syscall clobbers them), loads its number, makes
 * the syscall, restores and returns.  The iret slot pushes rax as well
 * and never returns; unused bytes are int3.
 */
void hv_hypercall_page_init(struct hv_domain *d, mfn_t mfn)
{
	uint8_t *page = hv_mfn_ptr(d->m, mfn);
	unsigned int i;

	for (i = 0; i < HV_PAGE_SIZE / 32; i++) {
		uint8_t *p = page + i * 32;

		memset(p, 0xcc, 32);
		*p++ = 0x51;				/* push %rcx */
		*p++ = 0x41; *p++ = 0x53;		/* push %r11 */
		if (i == __HYPERVISOR_iret)
			*p++ = 0x50;			/* push %rax */
		*p++ = 0xb8;				/* mov $i, %eax */
		memcpy(p, &i, 4);
		p += 4;
		*p++ = 0x0f; *p++ = 0x05;		/* syscall */
		if (i == __HYPERVISOR_iret)
			continue;
		*p++ = 0x41; *p++ = 0x5b;		/* pop %r11 */
		*p++ = 0x59;				/* pop %rcx */
		*p++ = 0xc3;				/* ret */
	}
	hv_mark_dirty(d, mfn);
}
