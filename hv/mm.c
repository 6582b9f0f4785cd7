// SPDX-License-Identifier: MIT
/*
 * Pagetable hypercalls.  For now only update_va_mapping, with the checks
 * Xen makes on an L1 entry of an unprivileged guest: the frame must be the
 * domain's own, no cache-attribute bits, and a writable mapping may not
 * point at a page that is a pagetable.  The full type system (counted type
 * references, mmu_update, mmuext_op, pinning) belongs to the PV MMU work;
 * see Documentation/hv.rst.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "private.h"

#define PTE_P		0x001UL
#define PTE_RW		0x002UL
#define PTE_PWT		0x008UL
#define PTE_PCD		0x010UL
#define PTE_PAT		0x080UL
#define PTE_GLOBAL	0x100UL
#define PTE_ADDR	0x000ffffffffff000UL
/* Bits 52-62 are available to software except where Xen reserves them. */
#define PTE_RESERVED	0x7ff0000000000000UL

static long check_l1e(struct hv_domain *d, uint64_t e)
{
	struct hv_frame *f;

	if (!(e & PTE_P))
		return 0;
	if (e & (PTE_PWT | PTE_PCD | PTE_PAT))
		return -EINVAL;
	f = hv_frame(d->m, maddr_to_mfn(e & PTE_ADDR));
	if (!f || f->owner != d->domid)
		return -EINVAL;
	if ((e & PTE_RW) && f->type >= HV_PGT_L1 && f->type <= HV_PGT_L4)
		return -EINVAL;
	return 0;
}

/* update_va_mapping(va, new L1 entry, flags). */
long hv_do_update_va_mapping(struct hv_vcpu *v, ucontext_t *uc,
			     const uint64_t a[5])
{
	struct hv_domain *d = v->d;
	uint64_t va = a[0], e = a[1];
	struct hv_walk w;
	long rc;

	if (!hv_is_canonical(va))
		return -EINVAL;
	hv_guest_walk(d, v->cr3, va, &w);
	if (!w.l1e)
		return -EINVAL;		/* no L1 table covers va */
	rc = check_l1e(d, e);
	if (rc)
		return rc;
	__atomic_store_n(w.l1e, e & ~PTE_GLOBAL, __ATOMIC_RELEASE);
	if (va >= HV_GUEST_VA_START && va < HV_GUEST_VA_END)
		hv_shadow_unmap(d, va, HV_PAGE_SIZE);
	return 0;
}

/*
 * set_segment_base(which, base).  The host's FS base is the hypervisor's
 * thread pointer, so a guest may not have one here (a documented limit);
 * the kernel GS base is loaded at once, the user one kept for user mode.
 */
long hv_do_set_segment_base(struct hv_vcpu *v, ucontext_t *uc,
			    const uint64_t a[5])
{
	uint64_t base = a[1];

	if (!hv_is_canonical(base))
		return -EINVAL;
	switch (a[0]) {
	case SEGBASE_GS_KERNEL:
		v->gs_base_kernel = base;
		syscall(SYS_arch_prctl, ARCH_SET_GS, base);
		return 0;
	case SEGBASE_GS_USER:
		v->gs_base_user = base;
		return 0;
	case SEGBASE_FS:
		hv_console_printf(v->d, "(hv) guest asked for an FS base: not available on this hypervisor\n");
		return -EOPNOTSUPP;
	}
	return -EINVAL;
}
