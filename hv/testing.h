/* SPDX-License-Identifier: MIT */
#ifndef _HV_TESTING_H
#define _HV_TESTING_H

/*
 * Test-only entry points into the hypervisor, for host tests and the
 * fuzzer (hv/testing.c): a small domain built without a kernel image
 * (through the domctls the builder uses),
 * hypercalls made from a vCPU's point of view with a fake ucontext, and
 * guest accesses simulated through the shadow's fault path.  Nothing here
 * runs guest code, so no seccomp filter or signal handler is needed; the
 * guest window must be reserved (hv_shadow_reserve()) before a shadow
 * entry point is used.
 *
 * The test domain (domid HV_TEST_DOMID) maps HV_TEST_REGION_PAGES pages at
 * HV_TEST_VA, pfn n at HV_TEST_VA + n pages:
 *   pfn 0..3   its L4, L3, L2 and L1 (mapped read-only; L4 pinned, vCPU
 *              base pointer on every vCPU, each initialised but down)
 *   pfn 4..    the p2m list, nr_pages entries
 *   then       scratch pages, writable, up to HV_TEST_REGION_PAGES
 * and every pfn from HV_TEST_REGION_PAGES up is unmapped and free for a
 * test to turn into pagetables or map anywhere.  The machine also holds
 * HV_TEST_FOREIGN_PAGES frames owned by another domain (HV_TEST_FOREIGN).
 */
#include <stdbool.h>
#include <stdint.h>

#include "hv/private.h"

#define HV_TEST_DOMID		1
#define HV_TEST_FOREIGN		2
#define HV_TEST_FOREIGN_PAGES	16
#define HV_TEST_VA		HV_GUEST_VA_START
#define HV_TEST_REGION_PAGES	32
#define HV_TEST_L4_PFN		0
#define HV_TEST_L3_PFN		1
#define HV_TEST_L2_PFN		2
#define HV_TEST_L1_PFN		3
#define HV_TEST_P2M_PFN		4

/* The test domain's L4, pinned and every vCPU's base pointer at creation. */
static inline mfn_t hv_test_l4(const struct hv_domain *d)
{
	return hv_p2m(d, _pfn(HV_TEST_L4_PFN));
}

struct hv_domain *hv_test_domain_new(uint64_t nr_pages, unsigned int nr_vcpus,
				     char *err, size_t errlen);
/*
 * A domain of nr_pages with every pfn mapped at HV_TEST_VA + pfn pages:
 * data pages writable from pfn 0, then its own tables, read-only, in the
 * last hv_test_flat_tables(nr_pages) pfns (L4 first).  For tests of a
 * guest's worth of memory (a 1 GiB one: 262144 pages).
 */
struct hv_domain *hv_test_domain_flat(uint64_t nr_pages, unsigned int nr_vcpus,
				      char *err, size_t errlen);
uint64_t hv_test_flat_tables(uint64_t nr_pages);

/* Destroys the domain as Xen would; returns how many of its frames leaked. */
uint64_t hv_test_domain_free(struct hv_domain *d);
/* The first scratch pfn of the test domain's mapped region. */
uint64_t hv_test_scratch_pfn(const struct hv_domain *d);

/* A hypercall from vCPU v, dispatched and counted as from the guest. */
long hv_test_hypercall(struct hv_vcpu *v, unsigned int nr, uint64_t a0,
		       uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
/* A guest access at va through the shadow's fault path. */
enum hv_shadow_result hv_test_touch(struct hv_vcpu *v, uint64_t va, bool write,
				    bool exec, uint64_t *error_code);
/*
 * A host page fault at va taken by v's thread with the guest's registers
 * in uc (rip at the faulting instruction): filled through the shadow,
 * emulated (ptwr) with uc moved past it, or delivered to the guest's #PF
 * handler through its trap table, on its stack, as a vCPU would.  False
 * if it could not be delivered and the domain was crashed (Xen's
 * domain_crash); a vCPU thread would have exited there, so the caller
 * stands in for its exit point.
 */
bool hv_test_page_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t va,
			bool write);

#endif
