// SPDX-License-Identifier: MIT
/*
 * Test-only entry points (hv/testing.h): a small domain laid out without
 * a kernel image, for host tests and the fuzzer, which need many domains
 * quickly and know their layout by heart.  It is made the way the domain
 * builder makes one (tools/libs/guest/xg_dom_build.c), through the same
 * domctls: createdomain, populate_physmap, the tables written as plain
 * memory, the L4 pinned through mmuext_op and loaded by setvcpucontext on
 * every vCPU, so its frames carry the counts a guest's would.  Only the
 * other domain's frames (HV_TEST_FOREIGN) are put in by hand: one machine
 * never holds two domains otherwise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hv/arch/x86/private.h"
#include "hv/common/private.h"
#include "hv/arch/x86/mm/private.h"
#include "testing.h"

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), (struct hv_domain *)NULL)

uint64_t hv_test_scratch_pfn(const struct hv_domain *d)
{
	return HV_TEST_P2M_PFN + (d->max_pages * 8 + HV_PAGE_SIZE - 1) /
				 HV_PAGE_SIZE;
}

static long domctl(unsigned int cmd, struct hv_domctl *op,
		   struct hv_domctl_payload *p)
{
	op->cmd = cmd;
	op->domain = HV_TEST_DOMID;
	op->interface_version = HV_DOMCTL_INTERFACE_VERSION;
	return hv_domctl(op, p);
}

static uint64_t table_entry(struct hv_domain *d, uint64_t pfn, uint64_t flags)
{
	return mfn_to_maddr(hv_p2m(d, _pfn(pfn))) | flags;
}

static uint64_t *table(struct hv_domain *d, uint64_t pfn)
{
	return hv_mfn_ptr(d->m, hv_p2m(d, _pfn(pfn)));
}

/* Writes the region's four tables and the p2m list as plain memory. */
static void write_tables(struct hv_domain *d)
{
	const uint64_t upper = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
	uint64_t va = HV_TEST_VA, pfn;

	table(d, HV_TEST_L4_PFN)[(va >> 39) & 511] =
		table_entry(d, HV_TEST_L3_PFN, upper);
	table(d, HV_TEST_L3_PFN)[(va >> 30) & 511] =
		table_entry(d, HV_TEST_L2_PFN, upper);
	table(d, HV_TEST_L2_PFN)[(va >> 21) & 511] =
		table_entry(d, HV_TEST_L1_PFN, upper);
	for (pfn = 0; pfn < HV_TEST_REGION_PAGES; pfn++)
		table(d, HV_TEST_L1_PFN)[((va >> 12) + pfn) & 511] =
			table_entry(d, pfn, pfn <= HV_TEST_L1_PFN ?
					    PTE_P | PTE_A :
					    PTE_P | PTE_RW | PTE_A | PTE_D);
	for (pfn = 0; pfn < d->max_pages; pfn++)
		table(d, HV_TEST_P2M_PFN + pfn / 512)[pfn % 512] =
			mfn_x(hv_p2m(d, _pfn(pfn)));
}

/* The L4 pinned, and every vCPU on it (a context each, as the builder's). */
static long load_tables(struct hv_domain *d, mfn_t l4)
{
	struct vcpu_guest_context *c = calloc(1, sizeof(*c));
	struct hv_domctl_payload p = { .in = c, .in_len = sizeof(*c),
				       .fd_in = -1 };
	struct hv_domctl op = { 0 };
	unsigned int i;
	long rc;

	if (!c)
		return -ENOMEM;
	op.u.mmuext_op.cmd = MMUEXT_PIN_L4_TABLE;
	op.u.mmuext_op.mfn = mfn_x(l4);
	rc = domctl(HV_DOMCTL_mmuext_op, &op, NULL);
	c->flags = VGCF_in_kernel;
	c->user_regs.rip = HV_TEST_VA;
	c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(l4));
	for (i = 0; !rc && i < d->nr_vcpus; i++) {
		memset(&op, 0, sizeof(op));
		op.u.vcpu.vcpu = i;
		rc = domctl(HV_DOMCTL_setvcpucontext, &op, &p);
	}
	free(c);
	return rc;
}

struct hv_domain *hv_test_domain_new(uint64_t nr_pages, unsigned int nr_vcpus,
				     char *err, size_t errlen)
{
	mfn_t foreign[HV_TEST_FOREIGN_PAGES];
	struct hv_domctl op = { 0 };
	struct hv_domctl_payload p = { .fd_in = -1 };
	struct hv_domain *d;
	uint64_t *mfns;
	long rc;

	if (nr_pages < HV_TEST_REGION_PAGES + 1 ||
	    HV_TEST_P2M_PFN + (nr_pages * 8 + HV_PAGE_SIZE - 1) / HV_PAGE_SIZE >=
	    HV_TEST_REGION_PAGES)
		return ERR("test domain: %lu pages do not fit the layout",
			   (unsigned long)nr_pages);
	op.u.createdomain.max_pages = nr_pages;
	op.u.createdomain.max_vcpus = nr_vcpus;
	op.u.createdomain.seed = 0x7e57;
	rc = domctl(HV_DOMCTL_createdomain, &op, NULL);
	if (rc)
		return ERR("test domain: createdomain: %s", strerror(-rc));
	pthread_mutex_lock(&hv_domctl_lock);
	d = hv_domain_find(HV_TEST_DOMID);
	pthread_mutex_unlock(&hv_domctl_lock);
	mfns = malloc(nr_pages * sizeof(*mfns));
	memset(&op, 0, sizeof(op));
	op.u.pfns.first_pfn = 0;
	op.u.pfns.nr = nr_pages;
	p.out = mfns;
	p.out_max = nr_pages * sizeof(*mfns);
	rc = mfns ? domctl(HV_DOMCTL_populate_physmap, &op, &p) : -ENOMEM;
	free(mfns);
	if (!rc && hv_alloc_frames(d->m, HV_TEST_FOREIGN,
				   HV_TEST_FOREIGN_PAGES, foreign))
		rc = -ENOMEM;
	if (rc) {
		snprintf(err, errlen, "test domain: out of machine memory");
		goto fail;
	}
	write_tables(d);
	if (load_tables(d, hv_test_l4(d))) {
		snprintf(err, errlen, "test domain: start of day does not validate");
		goto fail;
	}
	return d;
fail:
	hv_test_domain_free(d);
	return NULL;
}

/* ---- the flat test domain ---- */

uint64_t hv_test_flat_tables(uint64_t nr_pages)
{
	uint64_t l1 = (nr_pages + 511) / 512, l2 = (l1 + 511) / 512;
	uint64_t l3 = (l2 + 511) / 512;

	return l1 + l2 + l3 + 1;
}

/*
 * Entry i of the level-`level` tables, which sit in order from pfn first:
 * the tables of one level are consecutive pfns, entry n of the level as
 * a whole at table n / 512, slot n % 512.
 */
static uint64_t *flat_slot(struct hv_domain *d, uint64_t first, uint64_t n)
{
	return &table(d, first + n / 512)[n % 512];
}

struct hv_domain *hv_test_domain_flat(uint64_t nr_pages, unsigned int nr_vcpus,
				      char *err, size_t errlen)
{
	const uint64_t upper = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
	uint64_t nt = hv_test_flat_tables(nr_pages), data = nr_pages - nt;
	uint64_t l1 = (nr_pages + 511) / 512, l2 = (l1 + 511) / 512;
	uint64_t l3 = (l2 + 511) / 512;
	/* Table pfns from the top: L4, then the L3s, L2s and L1s. */
	uint64_t p4 = data, p3 = p4 + 1, p2 = p3 + l3, p1 = p2 + l2, n;
	struct hv_domctl op = { 0 };
	struct hv_domctl_payload p = { .fd_in = -1 };
	struct hv_domain *d;
	uint64_t *mfns;
	long rc;

	if (nr_pages <= nt || nr_pages * HV_PAGE_SIZE >
	    HV_M2P_VIRT_START - HV_TEST_VA)
		return ERR("flat test domain: %lu pages do not fit",
			   (unsigned long)nr_pages);
	op.u.createdomain.max_pages = nr_pages;
	op.u.createdomain.max_vcpus = nr_vcpus;
	op.u.createdomain.seed = 0xf1a7;
	rc = domctl(HV_DOMCTL_createdomain, &op, NULL);
	if (rc)
		return ERR("flat test domain: createdomain: %s", strerror(-rc));
	pthread_mutex_lock(&hv_domctl_lock);
	d = hv_domain_find(HV_TEST_DOMID);
	pthread_mutex_unlock(&hv_domctl_lock);
	mfns = malloc(HV_DOMCTL_MAX_BATCH * sizeof(*mfns));
	for (n = 0; mfns && !rc && n < nr_pages; n += HV_DOMCTL_MAX_BATCH) {
		memset(&op, 0, sizeof(op));
		op.u.pfns.first_pfn = n;
		op.u.pfns.nr = nr_pages - n < HV_DOMCTL_MAX_BATCH ?
			       nr_pages - n : HV_DOMCTL_MAX_BATCH;
		p.out = mfns;
		p.out_max = HV_DOMCTL_MAX_BATCH * sizeof(*mfns);
		rc = domctl(HV_DOMCTL_populate_physmap, &op, &p);
	}
	if (!mfns || rc) {
		free(mfns);
		snprintf(err, errlen, "flat test domain: out of machine memory");
		goto fail;
	}
	free(mfns);
	for (n = 0; n < nr_pages; n++)
		*flat_slot(d, p1, n) = table_entry(d, n, n < data ?
				PTE_P | PTE_RW | PTE_A | PTE_D : PTE_P | PTE_A);
	for (n = 0; n < l1; n++)
		*flat_slot(d, p2, n) = table_entry(d, p1 + n, upper);
	for (n = 0; n < l2; n++)
		*flat_slot(d, p3, n) = table_entry(d, p2 + n, upper);
	for (n = 0; n < l3; n++)
		table(d, p4)[((HV_TEST_VA >> 39) & 511) + n] =
			table_entry(d, p3 + n, upper);
	if (load_tables(d, hv_p2m(d, _pfn(p4)))) {
		snprintf(err, errlen, "flat test domain: its tables do not validate");
		goto fail;
	}
	return d;
fail:
	hv_test_domain_free(d);
	return NULL;
}

uint64_t hv_test_domain_free(struct hv_domain *d)
{
	uint64_t left;

	if (!d)
		return 0;
	pthread_mutex_lock(&hv_domctl_lock);
	left = hv_domain_destroy(d);
	pthread_mutex_unlock(&hv_domctl_lock);
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

bool hv_test_page_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t va,
			bool write)
{
	/* hv_vcpu_exit() lands here, as in a vCPU thread's vcpu_main(). */
	if (sigsetjmp(v->exit_jmp, 1))
		return false;
	hv_guest_page_fault(v, uc, va, 0x05 | (write ? 0x02 : 0));
	return true;
}
