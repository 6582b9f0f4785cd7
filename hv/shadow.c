// SPDX-License-Identifier: MIT
/*
 * The shadow: host mappings that let guest code run at its own virtual
 * addresses.  The whole guest window is reserved PROT_NONE at start-up, so
 * the host never puts anything there and every first touch of a guest page
 * faults.  On that fault we walk the guest's pagetables; if they allow the
 * access we map the guest's frame (a page of the machine memfd) at the
 * faulting address with exactly the permission the guest's entries give
 * (read-only unless RW at every level, executable unless NX at some level)
 * and let the instruction run again.  If they do not, the fault is the
 * guest's and goes to its page-fault handler.  Changing a guest pagetable
 * entry or flushing a TLB drops the affected host mappings again.
 *
 * Each host mapping may cost a VMA; neighbouring guest pages backed by
 * neighbouring frames merge.  d->shadow_maps counts what we installed.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "private.h"

#define PF_PRESENT	0x01UL
#define PF_WRITE	0x02UL
#define PF_USER		0x04UL
#define PF_INSTR	0x10UL

int hv_shadow_reserve(char *err, size_t errlen)
{
	void *p = mmap((void *)HV_GUEST_VA_START,
		       HV_GUEST_VA_END - HV_GUEST_VA_START, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		       MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED) {
		snprintf(err, errlen,
			 "cannot reserve the guest window %#lx-%#lx in this process: %s",
			 HV_GUEST_VA_START, HV_GUEST_VA_END, strerror(errno));
		return -1;
	}
	return 0;
}

int hv_shadow_map(struct hv_domain *d, uint64_t va, mfn_t mfn, bool write,
		  bool exec)
{
	int prot = PROT_READ | (write ? PROT_WRITE : 0) | (exec ? PROT_EXEC : 0);
	void *p;

	p = mmap((void *)(va & ~(HV_PAGE_SIZE - 1)), HV_PAGE_SIZE, prot,
		 MAP_SHARED | MAP_FIXED, d->m->memfd, mfn_to_maddr(mfn));
	if (p == MAP_FAILED)
		return -errno;
	__atomic_fetch_add(&d->shadow_maps, 1, __ATOMIC_RELAXED);
	return 0;
}

void hv_shadow_unmap(struct hv_domain *d, uint64_t va, uint64_t len)
{
	va &= ~(HV_PAGE_SIZE - 1);
	mmap((void *)va, len, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

/*
 * A host page fault at a guest address va.  Either the shadow now allows
 * the access (HV_SHADOW_RETRY), or the guest's own tables forbid it
 * (HV_SHADOW_GUEST, *ec = the x86 error code the guest must see), or the
 * guest maps something this hypervisor cannot show it (HV_SHADOW_LIMIT).
 */
enum hv_shadow_result hv_shadow_fault(struct hv_vcpu *v, uint64_t va,
				      unsigned long hw_err, uint64_t *ec)
{
	struct hv_domain *d = v->d;
	bool write = hw_err & PF_WRITE, fetch = hw_err & PF_INSTR;
	uint64_t page = va & ~(HV_PAGE_SIZE - 1);
	struct hv_walk w;

	*ec = (write ? PF_WRITE : 0) | (fetch ? PF_INSTR : 0) |
	      (v->kernel_mode ? 0 : PF_USER);
	if (hv_guest_walk(d, v->cr3, va, &w))
		return HV_SHADOW_GUEST;
	if ((write && !w.writable) || (fetch && w.nx)) {
		*ec |= PF_PRESENT;
		return HV_SHADOW_GUEST;
	}
	if (va < HV_GUEST_VA_START || va >= HV_GUEST_VA_END)
		return HV_SHADOW_LIMIT;
	/* Mapped with these rights already and faulting again: not a miss. */
	if (v->last_fill_va == page && ++v->fill_repeats > 2) {
		*ec |= PF_PRESENT;
		return HV_SHADOW_GUEST;
	}
	if (v->last_fill_va != page) {
		v->last_fill_va = page;
		v->fill_repeats = 0;
	}
	if (hv_shadow_map(d, va, w.mfn, w.writable, !w.nx))
		return HV_SHADOW_LIMIT;
	return HV_SHADOW_RETRY;
}
