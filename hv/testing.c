// SPDX-License-Identifier: MIT
/*
 * Test-only entry points (hv/testing.h): a small domain laid out without
 * a kernel image, for host tests and the fuzzer, which need many domains
 * quickly and know their layout by heart.  Its pagetables are written as
 * plain memory and then pinned and loaded through the PV MMU, exactly as
 * the real builder does, so they carry the counts a guest's would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hv/arch/x86/mm/private.h"
#include "testing.h"

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), (struct hv_domain *)NULL)

uint64_t hv_test_scratch_pfn(const struct hv_domain *d)
{
	return HV_TEST_P2M_PFN + d->mmu->p2m_frames;
}

static uint64_t table_entry(struct hv_domain *d, uint64_t pfn, uint64_t flags)
{
	return mfn_to_maddr(d->p2m[pfn]) | flags;
}

/* Writes the region's four tables and the p2m list, then pins and loads. */
static int lay_out(struct hv_domain *d)
{
	const uint64_t upper = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
	uint64_t *l4 = hv_mfn_ptr(d->m, d->p2m[HV_TEST_L4_PFN]);
	uint64_t *l3 = hv_mfn_ptr(d->m, d->p2m[HV_TEST_L3_PFN]);
	uint64_t *l2 = hv_mfn_ptr(d->m, d->p2m[HV_TEST_L2_PFN]);
	uint64_t *l1 = hv_mfn_ptr(d->m, d->p2m[HV_TEST_L1_PFN]);
	uint64_t va = HV_TEST_VA, pfn;
	unsigned int i;
	int rc;

	l4[(va >> 39) & 511] = table_entry(d, HV_TEST_L3_PFN, upper);
	l3[(va >> 30) & 511] = table_entry(d, HV_TEST_L2_PFN, upper);
	l2[(va >> 21) & 511] = table_entry(d, HV_TEST_L1_PFN, upper);
	for (pfn = 0; pfn < HV_TEST_REGION_PAGES; pfn++)
		l1[((va >> 12) + pfn) & 511] =
			table_entry(d, pfn, pfn <= HV_TEST_L1_PFN ?
					    PTE_P | PTE_A :
					    PTE_P | PTE_RW | PTE_A | PTE_D);
	for (pfn = 0; pfn < d->nr_pages; pfn++)
		((uint64_t *)hv_mfn_ptr(d->m, d->p2m[HV_TEST_P2M_PFN +
						    pfn / 512]))[pfn % 512] =
			mfn_x(d->p2m[pfn]);
	hv_mmu_lock(d);
	rc = hv_pin(d, d->p2m[HV_TEST_L4_PFN], HV_PGT_L4);
	for (i = 0; !rc && i < d->nr_vcpus; i++)
		rc = hv_set_baseptr(&d->vcpus[i], d->p2m[HV_TEST_L4_PFN], false);
	hv_mmu_unlock(d);
	return rc;
}

struct hv_domain *hv_test_domain_new(uint64_t nr_pages, unsigned int nr_vcpus,
				     char *err, size_t errlen)
{
	struct hv_domain *d = calloc(1, sizeof(*d));
	mfn_t foreign[HV_TEST_FOREIGN_PAGES], si;
	struct hv_frame *sf;
	uint64_t pfn;
	unsigned int i;

	if (!d)
		return ERR("out of host memory");
	if (nr_pages < HV_TEST_REGION_PAGES + 1 ||
	    HV_TEST_P2M_PFN + (nr_pages * 8 + HV_PAGE_SIZE - 1) / HV_PAGE_SIZE >=
	    HV_TEST_REGION_PAGES) {
		free(d);
		return ERR("test domain: %lu pages do not fit the layout",
			   (unsigned long)nr_pages);
	}
	d->domid = HV_TEST_DOMID;
	d->nr_pages = nr_pages;
	d->nr_vcpus = nr_vcpus;
	d->console_fd = -1;
	d->console_fd2 = -1;
	d->state = HV_DOM_BUILDING;
	d->m = hv_machine_create(nr_pages * 2 + 64, 0x7e57, err, errlen);
	d->p2m = calloc(nr_pages, sizeof(*d->p2m));
	d->vcpus = calloc(nr_vcpus, sizeof(*d->vcpus));
	if (!d->m || !d->p2m || !d->vcpus || hv_mmu_init(d, err, errlen))
		goto fail;
	for (i = 0; i < nr_vcpus; i++) {
		d->vcpus[i].d = d;
		d->vcpus[i].id = i;
		d->vcpus[i].kernel_mode = true;
		d->vcpus[i].vcpu_info_mfn = INVALID_MFN;
	}
	if (hv_alloc_frames(d->m, d->domid, nr_pages, d->p2m) ||
	    hv_alloc_frames(d->m, d->domid, 1, &si) ||
	    hv_alloc_frames(d->m, HV_TEST_FOREIGN, HV_TEST_FOREIGN_PAGES,
			    foreign)) {
		snprintf(err, errlen, "test domain: out of machine memory");
		goto fail;
	}
	for (pfn = 0; pfn < nr_pages; pfn++)
		d->m->m2p[mfn_x(d->p2m[pfn])] = pfn;
	d->shared_info_mfn = si;
	d->shared_info = hv_mfn_ptr(d->m, si);
	sf = hv_frame(d->m, si);
	sf->type = HV_PGT_WRITABLE;
	sf->type_count = 1;
	sf->flags |= HV_PGF_XENHEAP | HV_PGF_VALIDATED;
	for (i = 0; i < nr_vcpus && i < XEN_LEGACY_MAX_VCPUS; i++)
		d->vcpus[i].vcpu_info = &d->shared_info->vcpu_info[i];
	d->mmu->p2m_pfn = HV_TEST_P2M_PFN;
	d->mmu->p2m_frames = (nr_pages * 8 + HV_PAGE_SIZE - 1) / HV_PAGE_SIZE;
	d->v_start = HV_TEST_VA;
	d->v_end = HV_TEST_VA + HV_TEST_REGION_PAGES * HV_PAGE_SIZE;
	d->l4_mfn = d->p2m[HV_TEST_L4_PFN];
	if (lay_out(d)) {
		snprintf(err, errlen, "test domain: start of day does not validate");
		goto fail;
	}
	return d;
fail:
	hv_test_domain_free(d);
	return NULL;
}

uint64_t hv_test_domain_free(struct hv_domain *d)
{
	uint64_t left = 0;

	if (!d)
		return 0;
	if (d->mmu)
		left = hv_mmu_relinquish(d);
	hv_mmu_destroy(d);
	hv_machine_destroy(d->m);
	free(d->p2m);
	free(d->vcpus);
	free(d);
	return left;
}

long hv_test_hypercall(struct hv_vcpu *v, unsigned int nr, uint64_t a0,
		       uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	const uint64_t a[5] = { a0, a1, a2, a3, a4 };
	ucontext_t uc;

	memset(&uc, 0, sizeof(uc));
	UC_REG(&uc, RDI) = a0;
	UC_REG(&uc, RSI) = a1;
	UC_REG(&uc, RDX) = a2;
	UC_REG(&uc, R10) = a3;
	UC_REG(&uc, R8) = a4;
	return hv_hypercall_invoke(v, &uc, nr, a);
}

enum hv_shadow_result hv_test_touch(struct hv_vcpu *v, uint64_t va, bool write,
				    bool exec, uint64_t *error_code)
{
	unsigned long hw = 0x04 | (write ? 0x02 : 0) | (exec ? 0x10 : 0);

	return hv_shadow_fault(v, va, hw, error_code);
}
