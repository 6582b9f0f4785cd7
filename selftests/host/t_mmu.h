/* SPDX-License-Identifier: MIT */
#ifndef TERN_T_MMU_H
#define TERN_T_MMU_H

/*
 * Helpers shared by the PV MMU host tests (t_mmu.c, t_xsa.c): a test
 * domain from hv/testing.h, hypercalls with their argument arrays placed
 * in the guest's scratch memory as a guest would, snapshots of the frame
 * table to prove a refused call changed nothing, and a probe that tells
 * whether the host can really read or write a guest address.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "hosttest.h"
#include "hv/arch/x86/mm/private.h"
#include "hv/testing.h"
#include "hv/common/private.h"
#include <xen/interface/memory.h>

struct tenv {
	struct hv_domain *d;
	struct hv_vcpu *v;
	uint64_t next_pfn;	/* next unused pfn above the mapped region */
	uint64_t arg_va;	/* scratch guest memory for arguments */
};

#define ARG_BYTES	(8 * HV_PAGE_SIZE)

static inline bool tenv_new(struct tenv *e, uint64_t nr_pages)
{
	static bool reserved;
	char err[256];

	/* No test domain is a failure of the test, never a quiet skip. */
	if (!reserved) {
		if (hv_shadow_reserve(err, sizeof(err))) {
			T_CHECK(false, "test domain: %s", err);
			return false;
		}
		reserved = true;
	}
	e->d = hv_test_domain_new(nr_pages, 2, err, sizeof(err));
	if (!e->d) {
		T_CHECK(false, "test domain: %s", err);
		return false;
	}
	e->d->mmu->audit = true;
	e->v = &e->d->vcpus[0];
	e->next_pfn = HV_TEST_REGION_PAGES;
	e->arg_va = HV_TEST_VA +
		    (HV_TEST_REGION_PAGES - ARG_BYTES / HV_PAGE_SIZE) *
		    HV_PAGE_SIZE;
	return true;
}

static inline uint64_t tenv_free(struct tenv *e)
{
	return hv_test_domain_free(e->d);
}

static inline mfn_t mfn_of(struct tenv *e, uint64_t pfn)
{
	return hv_p2m(e->d, _pfn(pfn));
}

static inline struct hv_frame *frame_of(struct tenv *e, mfn_t mfn)
{
	return hv_frame(e->d->m, mfn);
}

static inline uint64_t pte(mfn_t mfn, uint64_t flags)
{
	return mfn_to_maddr(mfn) | flags;
}

/* A fresh, unmapped, zeroed frame of the domain. */
static inline mfn_t new_frame(struct tenv *e)
{
	mfn_t mfn = mfn_of(e, e->next_pfn++);

	memset(hv_mfn_ptr(e->d->m, mfn), 0, HV_PAGE_SIZE);
	return mfn;
}

/* The guest filling a not-yet-pagetable frame (it may: type count 0). */
static inline void poke(struct tenv *e, mfn_t mfn, unsigned int idx,
			uint64_t val)
{
	((uint64_t *)hv_mfn_ptr(e->d->m, mfn))[idx] = val;
}

static inline uint64_t peek(struct tenv *e, mfn_t mfn, unsigned int idx)
{
	return ((uint64_t *)hv_mfn_ptr(e->d->m, mfn))[idx];
}

static inline long hcall(struct tenv *e, unsigned int nr, uint64_t a0,
			 uint64_t a1, uint64_t a2, uint64_t a3)
{
	return hv_test_hypercall(e->v, nr, a0, a1, a2, a3, 0);
}

/* mmu_update with the requests and *done in guest memory. */
static inline long mmu_update_dom(struct tenv *e, const struct mmu_update *r,
				  unsigned int n, unsigned int *done,
				  unsigned int dom)
{
	uint64_t done_va = e->arg_va + ARG_BYTES - 8;
	unsigned int zero = 0;
	long rc;

	hv_copy_to_guest(e->v, e->arg_va, r, n * sizeof(*r));
	hv_copy_to_guest(e->v, done_va, &zero, sizeof(zero));
	rc = hcall(e, __HYPERVISOR_mmu_update, e->arg_va, n, done_va, dom);
	if (done)
		hv_copy_from_guest(e->v, done, done_va, sizeof(*done));
	return rc;
}

static inline long mmu_update(struct tenv *e, const struct mmu_update *r,
			      unsigned int n, unsigned int *done)
{
	return mmu_update_dom(e, r, n, done, DOMID_SELF);
}

/* One NORMAL_PT_UPDATE of entry idx of table. */
static inline long set_entry(struct tenv *e, mfn_t table, unsigned int idx,
			     uint64_t val)
{
	struct mmu_update r = {
		.ptr = mfn_to_maddr(table) + idx * 8 + MMU_NORMAL_PT_UPDATE,
		.val = val,
	};

	return mmu_update(e, &r, 1, NULL);
}

static inline long mmuext(struct tenv *e, const struct mmuext_op *ops,
			  unsigned int n, unsigned int *done)
{
	uint64_t done_va = e->arg_va + ARG_BYTES - 8;
	unsigned int zero = 0;
	long rc;

	hv_copy_to_guest(e->v, e->arg_va, ops, n * sizeof(*ops));
	hv_copy_to_guest(e->v, done_va, &zero, sizeof(zero));
	rc = hcall(e, __HYPERVISOR_mmuext_op, e->arg_va, n, done_va,
		   DOMID_SELF);
	if (done)
		hv_copy_from_guest(e->v, done, done_va, sizeof(*done));
	return rc;
}

static inline long ext1(struct tenv *e, unsigned int cmd, uint64_t arg1)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = arg1 };

	return mmuext(e, &op, 1, NULL);
}

static inline long pin(struct tenv *e, mfn_t mfn, unsigned int level)
{
	return ext1(e, MMUEXT_PIN_L1_TABLE + level - 1, mfn_x(mfn));
}

static inline long unpin(struct tenv *e, mfn_t mfn)
{
	return ext1(e, MMUEXT_UNPIN_TABLE, mfn_x(mfn));
}

static inline long uvm(struct tenv *e, uint64_t va, uint64_t val,
		       uint64_t flags)
{
	return hcall(e, __HYPERVISOR_update_va_mapping, va, val, flags, 0);
}

/* The current L4 and the L3/L2/L1 chain of the test region. */
static inline mfn_t cur_l4(struct tenv *e)
{
	return e->v->cr3;
}

/*
 * Builds L3 -> L2 -> L1 for the 2 MiB at va under the current L4 (whose
 * slot for va must be free), by hypercalls; returns the L1.
 */
static inline mfn_t build_chain(struct tenv *e, uint64_t va, mfn_t *l3out,
				mfn_t *l2out)
{
	const uint64_t up = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
	mfn_t l3 = new_frame(e), l2 = new_frame(e), l1 = new_frame(e);

	poke(e, l2, (va >> 21) & 511, pte(l1, up));
	poke(e, l3, (va >> 30) & 511, pte(l2, up));
	if (set_entry(e, cur_l4(e), (va >> 39) & 511, pte(l3, up)))
		printf("# build_chain: L4 entry refused\n");
	if (l3out)
		*l3out = l3;
	if (l2out)
		*l2out = l2;
	return l1;
}

/* ---- proving that nothing changed ---- */

struct snap {
	struct hv_frame *frames;
	pfn_t *m2p;
	uint64_t n;
};

static inline void snap_take(struct tenv *e, struct snap *s)
{
	struct hv_machine *m = e->d->m;

	s->n = m->nr_frames;
	s->frames = malloc(s->n * sizeof(*s->frames));
	s->m2p = malloc(s->n * sizeof(*s->m2p));
	memcpy(s->frames, m->frames, s->n * sizeof(*s->frames));
	memcpy(s->m2p, m->m2p, s->n * sizeof(*s->m2p));
}

/*
 * True if every frame's owner, counts, type (while it has references),
 * pin, linear count, hypervisor holds and m2p entry are as before.  The
 * type of an unreferenced frame may change, as on Xen: it is free to.
 */
static inline bool snap_same(struct tenv *e, struct snap *s)
{
	const uint8_t keep = HV_PGF_ALLOCATED | HV_PGF_PINNED | HV_PGF_XENHEAP;
	struct hv_machine *m = e->d->m;
	bool same = !memcmp(s->m2p, m->m2p, s->n * sizeof(*s->m2p));
	uint64_t i;

	for (i = 0; i < s->n && same; i++) {
		const struct hv_frame *a = &s->frames[i], *b = &m->frames[i];

		same = a->owner == b->owner && a->count == b->count &&
		       a->type_count == b->type_count &&
		       (a->flags & keep) == (b->flags & keep) &&
		       a->linear == b->linear && a->hv_refs == b->hv_refs &&
		       (!a->type_count ||
			(a->type == b->type && a->flags == b->flags));
		if (!same)
			printf("# mfn %#lx changed: count %u->%u type %u->%u/%u->%u flags %#x->%#x\n",
			       (unsigned long)i, a->count, b->count, a->type,
			       b->type, a->type_count, b->type_count, a->flags,
			       b->flags);
	}
	free(s->frames);
	free(s->m2p);
	return same;
}

static inline bool audit_ok(struct tenv *e)
{
	char why[1024];

	if (!hv_mmu_audit(e->d, why, sizeof(why)))
		return true;
	printf("# audit: %s\n", why);
	return false;
}

static inline bool shadow_ok(struct tenv *e)
{
	char why[1024];

	if (!hv_shadow_audit(e->d, why, sizeof(why)))
		return true;
	printf("# shadow audit: %s\n", why);
	return false;
}

/* ---- what the host can really do at a guest address ---- */

static sigjmp_buf probe_jmp;

static void probe_segv(int sig)
{
	siglongjmp(probe_jmp, 1);
}

/* 1 if the access worked, 0 if it faulted. */
static inline int probe(uint64_t va, bool write)
{
	struct sigaction sa, old;
	volatile uint64_t *p = (volatile uint64_t *)va;
	int ok;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_segv;
	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(probe_jmp, 1) == 0) {
		if (write)
			*p = *p;
		else
			(void)*p;
		ok = 1;
	} else {
		ok = 0;
	}
	sigaction(SIGSEGV, &old, NULL);
	return ok;
}

/* A guest access through the shadow: returns the fault result. */
static inline enum hv_shadow_result touch(struct tenv *e, uint64_t va,
					  bool write)
{
	uint64_t ec;

	return hv_test_touch(e->v, va, write, false, &ec);
}

#endif
