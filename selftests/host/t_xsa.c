// SPDX-License-Identifier: MIT
/*
 * The Xen security advisories that hit the PV MMU, as must-reject tests:
 * one function per advisory, each doing what the exploit did and checking
 * that the hypervisor refuses with Xen's error, that no count, type, flag
 * or m2p entry changed (a snapshot of the whole frame table), and that the
 * audit still finds every reference where it belongs.
 */
#include "t_mmu.h"

#define UP	(PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define LEAF_RW	(PTE_P | PTE_RW | PTE_A | PTE_D)
#define LEAF_RO	(PTE_P | PTE_A)

/* A spare VA in an L4 slot of its own (the test region is in slot 32). */
#define VA_X	(HV_TEST_VA + (1UL << 39))
#define REGION_SLOT	((HV_TEST_VA >> 39) & 511)

/*
 * XSA-148: a PV guest could make a writable superpage over its own
 * pagetables by setting PSE in an L2 entry, also by changing only the
 * flags of an existing entry (the fast path skipped the check).
 */
static void xsa148(void)
{
	struct tenv e;
	struct snap s;
	mfn_t l2, l1, l1b;
	unsigned int idx = (VA_X >> 21) & 511;

	if (!tenv_new(&e, 256))
		return;
	l1 = build_chain(&e, VA_X, NULL, &l2);
	l1b = new_frame(&e);

	snap_take(&e, &s);
	T_CHECK(set_entry(&e, l2, idx + 1, pte(l1b, UP | PTE_PSE)) == -EINVAL,
		"xsa-148: new L2 entry with PSE refused with -EINVAL");
	T_CHECK(snap_same(&e, &s), "xsa-148: ... and no count changed");
	T_CHECK(peek(&e, l2, idx + 1) == 0, "xsa-148: ... and the entry stays empty");

	snap_take(&e, &s);
	T_CHECK(set_entry(&e, l2, idx, pte(l1, UP | PTE_PSE)) == -EINVAL,
		"xsa-148: PSE added to an existing L2 entry (flags only) refused");
	T_CHECK(snap_same(&e, &s), "xsa-148: ... and no count changed");
	T_CHECK(!(peek(&e, l2, idx) & PTE_PSE),
		"xsa-148: ... and the entry keeps no PSE");

	snap_take(&e, &s);
	T_CHECK(uvm(&e, HV_TEST_VA, pte(mfn_of(&e, 40), LEAF_RW | PTE_PSE), 0) ==
		-EINVAL, "xsa-148: PAT/PSE bit in an L1 entry refused too");
	T_CHECK(snap_same(&e, &s), "xsa-148: ... and no count changed");

	snap_take(&e, &s);
	T_CHECK(set_entry(&e, cur_l4(&e), (VA_X >> 39) & 511,
			  peek(&e, cur_l4(&e), (VA_X >> 39) & 511) | PTE_PSE) ==
		-EINVAL, "xsa-148: PSE in an L4 entry refused");
	T_CHECK(snap_same(&e, &s), "xsa-148: ... and no count changed");
	T_CHECK(audit_ok(&e), "xsa-148: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-148: every frame freed");
}

/*
 * XSA-182: a read-only recursive L4 entry could be made writable through
 * the flags-only fast path, giving the guest write access to its own L4.
 */
static void xsa182(void)
{
	struct tenv e;
	struct snap s;
	mfn_t l4;
	unsigned int slot = 40;

	if (!tenv_new(&e, 256))
		return;
	l4 = cur_l4(&e);
	T_CHECK(set_entry(&e, l4, slot, pte(l4, PTE_P | PTE_US | PTE_A)) == 0,
		"xsa-182: read-only self-map in the L4 accepted (linear pagetables)");
	T_CHECK(audit_ok(&e), "xsa-182: audit clean with the self-map");

	snap_take(&e, &s);
	T_CHECK(set_entry(&e, l4, slot, pte(l4, PTE_P | PTE_RW | PTE_US | PTE_A)) ==
		-EINVAL, "xsa-182: making the self-map writable refused with -EINVAL");
	T_CHECK(snap_same(&e, &s), "xsa-182: ... and no count changed");
	T_CHECK(!(peek(&e, l4, slot) & PTE_RW), "xsa-182: ... and the entry stays read-only");

	snap_take(&e, &s);
	T_CHECK(set_entry(&e, l4, slot + 1,
			  pte(l4, PTE_P | PTE_RW | PTE_US | PTE_A)) == -EINVAL,
		"xsa-182: a new writable self-map refused");
	T_CHECK(snap_same(&e, &s), "xsa-182: ... and no count changed");

	/* The same through an L2: a read-only L2 self-map, then RW. */
	{
		mfn_t l2, l1 = build_chain(&e, VA_X, NULL, &l2);

		(void)l1;
		T_CHECK(set_entry(&e, l2, 7, pte(l2, PTE_P | PTE_US | PTE_A)) == 0,
			"xsa-182: read-only L2 self-map accepted");
		snap_take(&e, &s);
		T_CHECK(set_entry(&e, l2, 7, pte(l2, UP)) == -EINVAL,
			"xsa-182: L2 self-map made writable refused");
		T_CHECK(snap_same(&e, &s), "xsa-182: ... and no count changed");
	}
	T_CHECK(audit_ok(&e), "xsa-182: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-182: every frame freed");
}

/*
 * XSA-113: MMU_MACHPHYS_UPDATE on a frame the caller did not own leaked a
 * reference.  It must fail (-EINVAL) and change nothing.  A normal update
 * aimed at a page of writable type is a plain write on Xen, and here too.
 */
static void xsa113(void)
{
	struct tenv e;
	struct snap s;
	struct mmu_update r;
	mfn_t foreign = INVALID_MFN, freef = INVALID_MFN, mine;
	uint64_t i, val = 0x1122334455667788UL;
	unsigned int done = 99;

	if (!tenv_new(&e, 256))
		return;
	for (i = 1; i < e.d->m->nr_frames; i++) {
		struct hv_frame *f = &e.d->m->frames[i];

		if (f->owner == HV_TEST_FOREIGN && !mfn_valid_raw(foreign))
			foreign = _mfn(i);
		if (f->owner == DOMID_INVALID && !mfn_valid_raw(freef))
			freef = _mfn(i);
	}
	r.ptr = mfn_to_maddr(foreign) | MMU_MACHPHYS_UPDATE;
	r.val = 5;
	snap_take(&e, &s);
	T_CHECK(mmu_update(&e, &r, 1, &done) == -EINVAL && done == 0,
		"xsa-113: MACHPHYS_UPDATE on another domain's frame refused, done 0");
	T_CHECK(snap_same(&e, &s), "xsa-113: ... and no count or m2p entry changed");

	r.ptr = mfn_to_maddr(freef) | MMU_MACHPHYS_UPDATE;
	snap_take(&e, &s);
	T_CHECK(mmu_update(&e, &r, 1, NULL) == -EINVAL,
		"xsa-113: MACHPHYS_UPDATE on a free frame refused");
	T_CHECK(snap_same(&e, &s), "xsa-113: ... and nothing changed");

	r.ptr = ((e.d->m->nr_frames + 5) << 12) | MMU_MACHPHYS_UPDATE;
	snap_take(&e, &s);
	T_CHECK(mmu_update(&e, &r, 1, NULL) == -EINVAL,
		"xsa-113: MACHPHYS_UPDATE beyond the frame table refused");
	T_CHECK(snap_same(&e, &s), "xsa-113: ... and nothing changed");

	mine = mfn_of(&e, 50);
	r.ptr = mfn_to_maddr(mine) | MMU_MACHPHYS_UPDATE;
	r.val = 50;
	T_CHECK(mmu_update(&e, &r, 1, NULL) == 0,
		"xsa-113: MACHPHYS_UPDATE on an own frame accepted");

	/* Plain writes: own writable page yes, another domain's page no. */
	mine = mfn_of(&e, hv_test_scratch_pfn(e.d));
	r.ptr = mfn_to_maddr(mine) + 24 + MMU_NORMAL_PT_UPDATE;
	r.val = val;
	T_CHECK(mmu_update(&e, &r, 1, NULL) == 0 && peek(&e, mine, 3) == val,
		"xsa-113: NORMAL_PT_UPDATE on an own writable page is a plain write (as Xen)");
	r.ptr = mfn_to_maddr(foreign) + MMU_NORMAL_PT_UPDATE;
	snap_take(&e, &s);
	T_CHECK(mmu_update(&e, &r, 1, NULL) == -EINVAL,
		"xsa-113: NORMAL_PT_UPDATE on another domain's page refused");
	T_CHECK(snap_same(&e, &s), "xsa-113: ... and nothing changed");
	T_CHECK(audit_ok(&e), "xsa-113: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-113: every frame freed");
}

/*
 * XSA-32 / XSA-167: mmuext ops dereferenced frames they had not checked
 * (pin of an invalid mfn; the superpage ops).  Every such op fails with
 * Xen's code and changes nothing.
 */
static void xsa32_167(void)
{
	static const uint64_t bad[] = { 0x7fffffffUL, 1UL << 40, ~0UL, 0 };
	struct tenv e;
	struct snap s;
	unsigned int i, level;

	if (!tenv_new(&e, 256))
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		for (level = 1; level <= 4; level++) {
			snap_take(&e, &s);
			T_CHECK(pin(&e, _mfn(bad[i]), level) == -EINVAL,
				"xsa-32: pin L%u of mfn %#lx refused with -EINVAL",
				level, bad[i]);
			T_CHECK(snap_same(&e, &s), "xsa-32: ... and nothing changed");
		}
		snap_take(&e, &s);
		T_CHECK(ext1(&e, MMUEXT_UNPIN_TABLE, bad[i]) == -EINVAL,
			"xsa-32: unpin of mfn %#lx refused", bad[i]);
		T_CHECK(ext1(&e, MMUEXT_NEW_BASEPTR, bad[i]) == -EINVAL,
			"xsa-32: new base pointer %#lx refused", bad[i]);
		T_CHECK(ext1(&e, MMUEXT_MARK_SUPER, bad[i]) == -EOPNOTSUPP &&
			ext1(&e, MMUEXT_UNMARK_SUPER, bad[i]) == -EOPNOTSUPP,
			"xsa-167: (un)mark superpage of %#lx gives -EOPNOTSUPP", bad[i]);
		T_CHECK(ext1(&e, MMUEXT_CLEAR_PAGE, bad[i]) == -EINVAL,
			"xsa-32: clear page %#lx refused", bad[i]);
		T_CHECK(snap_same(&e, &s), "xsa-32: ... and nothing changed");
	}
	T_CHECK(mfn_eq(e.v->cr3, hv_test_l4(e.d)), "xsa-32: base pointer unchanged");
	T_CHECK(audit_ok(&e), "xsa-32: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-32: every frame freed");
}

static volatile uint64_t host_canary = 0xfeedfacecafebeefUL;

/*
 * XSA-279: update_va_mapping with a non-canonical address went on to
 * flush it after failing.  It must fail with -EINVAL before any flush; and
 * on hv no flush of any address may ever touch the host's own memory.
 */
static void xsa279(void)
{
	static const uint64_t noncanon[] = {
		0x0000800000000000UL, 0x8000000000000000UL,
		0xffff7fffffffe000UL, 0x00ff000000000000UL,
	};
	struct tenv e;
	struct snap s;
	struct mmuext_op op;
	unsigned long mask = 1;
	uint64_t host = (uint64_t)&host_canary;
	unsigned int i;

	if (!tenv_new(&e, 256))
		return;
	for (i = 0; i < ARRAY_SIZE(noncanon); i++) {
		snap_take(&e, &s);
		T_CHECK(uvm(&e, noncanon[i], pte(mfn_of(&e, 40), LEAF_RW),
			    UVMF_INVLPG | UVMF_ALL) == -EINVAL,
			"xsa-279: update_va_mapping at %#lx with INVLPG|ALL refused with -EINVAL",
			noncanon[i]);
		T_CHECK(snap_same(&e, &s), "xsa-279: ... and nothing changed");
	}
	snap_take(&e, &s);
	T_CHECK(uvm(&e, VA_X, pte(mfn_of(&e, 40), LEAF_RW),
		    UVMF_INVLPG | UVMF_LOCAL) == -EINVAL,
		"xsa-279: update_va_mapping where no L1 exists refused");
	T_CHECK(snap_same(&e, &s), "xsa-279: ... and nothing changed");

	/* Flushes naming the host's own memory must leave it alone. */
	T_CHECK(ext1(&e, MMUEXT_INVLPG_LOCAL, host) == 0 &&
		ext1(&e, MMUEXT_INVLPG_ALL, host) == 0,
		"xsa-279: invlpg of a host address accepted (a no-op)");
	hv_copy_to_guest(e.v, e.arg_va + 256, &mask, sizeof(mask));
	op.cmd = MMUEXT_INVLPG_MULTI;
	op.arg1.linear_addr = host;
	set_xen_guest_handle(op.arg2.vcpumask, (void *)(e.arg_va + 256));
	T_CHECK(mmuext(&e, &op, 1, NULL) == 0, "xsa-279: invlpg-multi of a host address accepted");
	T_CHECK(ext1(&e, MMUEXT_INVLPG_LOCAL, 0x8000000000000000UL) == 0,
		"xsa-279: invlpg of a non-canonical address is a no-op, as on Xen");
	T_CHECK(probe(host, true) && host_canary == 0xfeedfacecafebeefUL,
		"xsa-279: host memory at the named address still mapped and intact");
	T_CHECK(audit_ok(&e), "xsa-279: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-279: every frame freed");
}

/*
 * XSA-286: an L3 change between two update_va_mapping calls of one
 * multicall; the second must act on the new hierarchy, not a stale view.
 */
static void xsa286(void)
{
	struct tenv e;
	struct multicall_entry mc[3];
	mfn_t l3, l2, l1, l2b, l1b, p1, p2;
	uint64_t list, va = VA_X;
	unsigned int l3i = (va >> 30) & 511, l1i = (va >> 12) & 511;
	struct mmu_update r;
	uint64_t a, b;

	if (!tenv_new(&e, 256))
		return;
	l1 = build_chain(&e, va, &l3, &l2);
	/* A second L2 -> L1 for the same slot, pinned so it validates alone. */
	l2b = new_frame(&e);
	l1b = new_frame(&e);
	poke(&e, l2b, (va >> 21) & 511, pte(l1b, UP));
	T_CHECK(pin(&e, l2b, 2) == 0, "xsa-286: second hierarchy pinned");
	p1 = mfn_of(&e, 60);
	p2 = mfn_of(&e, 61);
	a = pte(p1, LEAF_RW | PTE_US);
	b = pte(p2, LEAF_RW | PTE_US);

	r.ptr = mfn_to_maddr(l3) + l3i * 8 + MMU_NORMAL_PT_UPDATE;
	r.val = pte(l2b, UP);
	list = e.arg_va + 1024;
	hv_copy_to_guest(e.v, e.arg_va, &r, sizeof(r));
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_update_va_mapping;
	mc[0].args[0] = va;
	mc[0].args[1] = a;
	mc[1].op = __HYPERVISOR_mmu_update;
	mc[1].args[0] = e.arg_va;
	mc[1].args[1] = 1;
	mc[1].args[3] = DOMID_SELF;
	mc[2].op = __HYPERVISOR_update_va_mapping;
	mc[2].args[0] = va;
	mc[2].args[1] = b;
	hv_copy_to_guest(e.v, list, mc, sizeof(mc));
	/* The shadow has seen the old hierarchy before the switch. */
	touch(&e, HV_TEST_VA, false);
	T_CHECK(hcall(&e, __HYPERVISOR_multicall, list, 3, 0, 0) == 0,
		"xsa-286: multicall ran");
	hv_copy_from_guest(e.v, mc, list, sizeof(mc));
	T_CHECK(mc[0].result == 0 && mc[1].result == 0 && mc[2].result == 0,
		"xsa-286: each entry succeeded");
	T_CHECK((peek(&e, l1, l1i) & PTE_ADDR) == mfn_to_maddr(p1),
		"xsa-286: first update landed in the old L1");
	T_CHECK((peek(&e, l1b, l1i) & PTE_ADDR) == mfn_to_maddr(p2),
		"xsa-286: second update acted on the new hierarchy");
	T_CHECK(touch(&e, va, true) == HV_SHADOW_RETRY && probe(va, true),
		"xsa-286: the shadow shows the new mapping");
	T_CHECK(shadow_ok(&e), "xsa-286: shadow matches the new tables");
	T_CHECK(audit_ok(&e), "xsa-286: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-286: every frame freed");
}

/*
 * XSA-402: guest-chosen cache attributes created non-coherent mappings of
 * RAM.  An unprivileged guest may set none: PWT, PCD, PAT at any level.
 */
static void xsa402(void)
{
	static const uint64_t attrs[] = {
		PTE_PWT, PTE_PCD, PTE_PSE, PTE_PWT | PTE_PCD, PTE_PSE | PTE_PWT,
		PTE_PSE | PTE_PCD | PTE_PWT,
	};
	struct tenv e;
	struct snap s;
	mfn_t page;
	unsigned int i;
	uint64_t va = HV_TEST_VA + 20 * HV_PAGE_SIZE;

	if (!tenv_new(&e, 256))
		return;
	page = mfn_of(&e, 70);
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		snap_take(&e, &s);
		T_CHECK(uvm(&e, va, pte(page, LEAF_RW | attrs[i]), 0) == -EINVAL,
			"xsa-402: L1 entry with cache bits %#lx refused with -EINVAL",
			attrs[i]);
		T_CHECK(snap_same(&e, &s), "xsa-402: ... and nothing changed");
	}
	snap_take(&e, &s);
	T_CHECK(set_entry(&e, cur_l4(&e), REGION_SLOT,
			  peek(&e, cur_l4(&e), REGION_SLOT) | PTE_PCD) == -EINVAL,
		"xsa-402: cache bits in an upper-level entry refused");
	T_CHECK(snap_same(&e, &s), "xsa-402: ... and nothing changed");
	T_CHECK(audit_ok(&e), "xsa-402: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-402: every frame freed");
}

/*
 * XSA-401 / XSA-408: a race in the type change let a writable mapping
 * survive a page becoming a pagetable.  Here the host's real mapping is
 * probed: while a page is mapped writable it cannot become a pagetable,
 * and once it is one, no writable host mapping of it is left anywhere.
 */
static void xsa401_408(void)
{
	struct tenv e;
	struct snap s;
	mfn_t page;
	uint64_t va1 = HV_TEST_VA + 20 * HV_PAGE_SIZE;
	uint64_t va2 = HV_TEST_VA + 21 * HV_PAGE_SIZE;

	if (!tenv_new(&e, 256))
		return;
	page = new_frame(&e);
	T_CHECK(uvm(&e, va1, pte(page, LEAF_RW), 0) == 0 &&
		uvm(&e, va2, pte(page, LEAF_RW), 0) == 0,
		"xsa-401: page mapped writable at two addresses");
	T_CHECK(touch(&e, va1, true) == HV_SHADOW_RETRY &&
		touch(&e, va2, true) == HV_SHADOW_RETRY &&
		probe(va1, true) && probe(va2, true),
		"xsa-401: the host can write it at both");

	snap_take(&e, &s);
	T_CHECK(pin(&e, page, 1) == -EINVAL,
		"xsa-401: pinning it as an L1 while writable refused with -EINVAL");
	T_CHECK(snap_same(&e, &s), "xsa-401: ... and nothing changed");

	T_CHECK(uvm(&e, va1, 0, 0) == 0, "xsa-401: first writable mapping removed");
	T_CHECK(!probe(va1, false) && probe(va2, true),
		"xsa-401: the host mapping went with it, the other stays");
	snap_take(&e, &s);
	T_CHECK(pin(&e, page, 1) == -EINVAL,
		"xsa-408: still refused while one writable mapping is left");
	T_CHECK(snap_same(&e, &s), "xsa-408: ... and nothing changed");

	T_CHECK(uvm(&e, va2, pte(page, LEAF_RO), 0) == 0,
		"xsa-408: last mapping made read-only");
	T_CHECK(pin(&e, page, 1) == 0, "xsa-408: now it may become an L1");
	T_CHECK(!probe(va2, true), "xsa-408: no writable host mapping survived");
	T_CHECK(touch(&e, va2, true) == HV_SHADOW_GUEST && !probe(va2, true),
		"xsa-408: a guest write faults to the guest, the host page stays read-only");
	T_CHECK(touch(&e, va2, false) == HV_SHADOW_RETRY && probe(va2, false),
		"xsa-408: reading the pagetable is fine");

	snap_take(&e, &s);
	T_CHECK(uvm(&e, va1, pte(page, LEAF_RW), 0) == -EBUSY,
		"xsa-408: a writable mapping of the pagetable refused with -EBUSY");
	T_CHECK(snap_same(&e, &s), "xsa-408: ... and nothing changed");
	T_CHECK(hv_copy_to_guest(e.v, va2, "x", 1) == -EFAULT,
		"xsa-408: the hypervisor will not write it for the guest either");
	T_CHECK(shadow_ok(&e), "xsa-401: shadow matches tables and types");
	T_CHECK(audit_ok(&e), "xsa-401: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-401: every frame freed");
}

/*
 * XSA-242: a type reference dropped the wrong way kept frames from being
 * freed, leaving a zombie domain.  Destroying a domain in any state of
 * pins, base pointers, linear entries and mappings frees every frame.
 */
static void xsa242(void)
{
	struct tenv e;
	struct hv_machine *m;
	mfn_t l4b, l1, l3, l2, pl1;
	uint64_t left, expect_free;
	unsigned int i;

	if (!tenv_new(&e, 256))
		return;
	l1 = build_chain(&e, VA_X, &l3, &l2);
	for (i = 0; i < 16; i++)
		uvm(&e, VA_X + i * HV_PAGE_SIZE,
		    pte(mfn_of(&e, 100 + i), i & 1 ? LEAF_RO : LEAF_RW), 0);
	l4b = new_frame(&e);
	poke(&e, l4b, (VA_X >> 39) & 511, pte(l3, UP));
	poke(&e, l4b, 50, pte(l4b, PTE_P | PTE_A));
	T_CHECK(pin(&e, l4b, 4) == 0, "xsa-242: second L4 sharing the L3 pinned");
	T_CHECK(set_entry(&e, cur_l4(&e), 51, pte(l4b, PTE_P | PTE_A)) == 0,
		"xsa-242: linear entry to it");
	T_CHECK(ext1(&e, MMUEXT_NEW_USER_BASEPTR, mfn_x(l4b)) == 0,
		"xsa-242: user base pointer set");
	pl1 = new_frame(&e);
	poke(&e, pl1, 3, pte(mfn_of(&e, 120), LEAF_RW));
	T_CHECK(pin(&e, pl1, 1) == 0, "xsa-242: a pinned L1 holding a writable mapping");
	T_CHECK(set_entry(&e, l2, 9, pte(l2, PTE_P | PTE_A)) == 0,
		"xsa-242: an L2 self-map");
	e.v = &e.d->vcpus[1];
	T_CHECK(ext1(&e, MMUEXT_NEW_BASEPTR, mfn_x(l4b)) == 0,
		"xsa-242: vCPU 1 on the second L4");
	e.v = &e.d->vcpus[0];
	T_CHECK(hv_mmu_hold_page(e.d, mfn_of(&e, 130)) == 0,
		"xsa-242: a page held by the hypervisor");
	touch(&e, VA_X, true);
	T_CHECK(audit_ok(&e), "xsa-242: audit clean before destruction");

	m = e.d->m;
	expect_free = m->nr_domheap - HV_TEST_FOREIGN_PAGES;
	left = hv_mmu_relinquish(e.d);
	T_CHECK(left == 0, "xsa-242: relinquish leaves no frame owned (%lu left)",
		(unsigned long)left);
	T_CHECK(m->nr_free == expect_free,
		"xsa-242: every frame back in the free pool (%lu of %lu)",
		(unsigned long)m->nr_free, (unsigned long)expect_free);
	T_CHECK(audit_ok(&e), "xsa-242: audit clean after destruction");
	T_CHECK(tenv_free(&e) == 0, "xsa-242: freeing the domain finds nothing left");
	(void)l1;
}

/*
 * XSA-240: chains of linear pagetables (a table that points at a table
 * that points at ...) could be made arbitrarily deep and recurse Xen's
 * stack.  A table may hold linear entries or be the target of them, never
 * both; self-maps are always fine.
 */
static void xsa240(void)
{
	struct tenv e;
	struct snap s;
	mfn_t a, b, c, d4;
	const uint64_t ro = PTE_P | PTE_US | PTE_A;

	if (!tenv_new(&e, 256))
		return;
	a = cur_l4(&e);
	b = new_frame(&e);
	c = new_frame(&e);
	d4 = new_frame(&e);
	T_CHECK(pin(&e, b, 4) == 0 && pin(&e, c, 4) == 0 && pin(&e, d4, 4) == 0,
		"xsa-240: three spare L4s pinned");
	T_CHECK(set_entry(&e, a, 60, pte(b, ro)) == 0,
		"xsa-240: A -> B linear entry accepted");

	snap_take(&e, &s);
	T_CHECK(set_entry(&e, b, 60, pte(c, ro)) == -EINVAL,
		"xsa-240: B (a target) may not point at C: -EINVAL");
	T_CHECK(snap_same(&e, &s), "xsa-240: ... and nothing changed");

	snap_take(&e, &s);
	T_CHECK(set_entry(&e, d4, 60, pte(a, ro)) == -EINVAL,
		"xsa-240: D may not point at A (which holds linear entries): -EINVAL");
	T_CHECK(snap_same(&e, &s), "xsa-240: ... and nothing changed");

	T_CHECK(set_entry(&e, b, 61, pte(b, ro)) == 0 &&
		set_entry(&e, a, 62, pte(a, ro)) == 0,
		"xsa-240: self-maps are always accepted");
	T_CHECK(set_entry(&e, a, 63, pte(c, ro)) == 0,
		"xsa-240: A may point at several targets");
	T_CHECK(audit_ok(&e), "xsa-240: audit clean with linear entries");

	T_CHECK(set_entry(&e, a, 60, 0) == 0 && set_entry(&e, a, 63, 0) == 0,
		"xsa-240: A's linear entries removed");
	T_CHECK(frame_of(&e, a)->linear == 0 && frame_of(&e, b)->linear == 0,
		"xsa-240: linear counts back to zero");
	T_CHECK(set_entry(&e, b, 60, pte(c, ro)) == 0,
		"xsa-240: now B may hold one");
	T_CHECK(audit_ok(&e), "xsa-240: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-240: every frame freed");
}

int main(void)
{
	xsa148();
	xsa182();
	xsa113();
	xsa32_167();
	xsa279();
	xsa286();
	xsa402();
	xsa401_408();
	xsa242();
	xsa240();
	T_DONE();
}
