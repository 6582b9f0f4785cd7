// SPDX-License-Identifier: MIT
/*
 * Host tests for the PV MMU contract: what each pagetable hypercall does,
 * the return codes Xen gives (Documentation/pv-mmu.rst lists them), the
 * partial-progress count, the entries Xen rewrites, the reference counts
 * the audit recounts, the shadow against the host's real mappings, the
 * read-only m2p, multicall, the counters, and a domain built from the real
 * kernel image.  The advisories are in t_xsa.c.
 */
#include <stdlib.h>

#include "t_mmu.h"
#include "tools/libs/guest/xg.h"

#define UP	(PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define LEAF_RW	(PTE_P | PTE_RW | PTE_A | PTE_D)
#define LEAF_RO	(PTE_P | PTE_A)
#define VA_X	(HV_TEST_VA + (1UL << 39))	/* L4 slot 33, free */

static uint64_t region_va(uint64_t pfn)
{
	return HV_TEST_VA + pfn * HV_PAGE_SIZE;
}

/* The builder (tools/libs/guest) through the domctls, with the real kernel. */
static void builder(void)
{
	xc_interface *xch = xc_interface_open_local();
	struct xg_dom dom;
	struct hv_domain *d;
	struct hv_frame *l4, *si, *con;
	char err[512];
	const char *top = getenv("TOP");
	char kernel[4096], why[1024];

	snprintf(kernel, sizeof(kernel), "%s/tern", top ? top : "../..");
	xg_dom_init(&dom);
	dom.kernel = kernel;
	dom.domid = 7;
	dom.nr_pages = 64 << 8;
	dom.nr_vcpus = 2;
	dom.seed = 0x7e57;
	T_CHECK(xg_dom_build(xch, &dom, err, sizeof(err)) == 0,
		"builder: domain built from the kernel image (%s)", err);
	pthread_mutex_lock(&hv_domctl_lock);
	d = hv_domain_find(7);
	pthread_mutex_unlock(&hv_domctl_lock);
	if (!d)
		return;
	T_CHECK(hv_mmu_audit(d, why, sizeof(why)) == 0,
		"builder: start of day passes the audit %s", why);
	l4 = hv_frame(d->m, dom.l4_mfn);
	T_CHECK(l4->type == HV_PGT_L4 && (l4->flags & HV_PGF_PINNED) &&
		l4->type_count == 2 && l4->count == 4,
		"builder: L4 pinned and loaded (type count 2; count 4 with allocation and its read-only mapping)");
	T_CHECK(mfn_eq(d->vcpus[0].cr3, dom.l4_mfn) &&
		!mfn_valid_raw(d->vcpus[1].cr3),
		"builder: vCPU 0 on the L4, vCPU 1 without a base pointer yet");
	si = hv_frame(d->m, d->shared_info_mfn);
	T_CHECK(si->type == HV_PGT_WRITABLE && (si->flags & HV_PGF_XENHEAP) &&
		pfn_eq(hv_m2p(d->m, d->shared_info_mfn), INVALID_PFN),
		"builder: shared_info shared writable, not in the m2p");
	con = hv_frame(d->m, d->console_mfn);
	T_CHECK(con->hv_refs == 1 &&
		hv_frame(d->m, d->store_mfn)->hv_refs == 1,
		"builder: console and xenstore rings held for their backends");
	T_CHECK(hv_frame(d->m, _mfn(0))->owner == DOMID_IO,
		"builder: frame 0 is an I/O frame, never the guest's");
	T_CHECK(dom.store_evtchn == 1 && dom.console_evtchn == 2 &&
		mfn_eq(dom.store_mfn, d->store_mfn) &&
		mfn_eq(dom.console_mfn, d->console_mfn),
		"builder: the rings got ports 1 (xenstore) and 2 (console)");
	xg_dom_release(&dom);
	pthread_mutex_lock(&hv_domctl_lock);
	T_CHECK(hv_domain_destroy(d) == 0,
		"builder: relinquishing frees every frame of the domain");
	pthread_mutex_unlock(&hv_domctl_lock);
	xc_interface_close(xch);
}

static void test_domain(void)
{
	struct tenv e;

	if (!tenv_new(&e, 256))
		return;
	T_CHECK(audit_ok(&e), "test domain: audit clean at start");
	T_CHECK(frame_of(&e, mfn_of(&e, HV_TEST_L1_PFN))->type == HV_PGT_L1 &&
		frame_of(&e, mfn_of(&e, HV_TEST_L1_PFN))->type_count == 1,
		"test domain: its L1 validated through the pinned L4");
	T_CHECK(frame_of(&e, mfn_of(&e, 40))->type == HV_PGT_NONE &&
		frame_of(&e, mfn_of(&e, 40))->count == 1,
		"test domain: an unmapped page holds just its allocation reference");
	T_CHECK(tenv_free(&e) == 0, "test domain: freed without a leak");
}

/* Mapping and unmapping pages by mmu_update, with partial progress. */
static void mmu_update_contract(void)
{
	struct tenv e;
	struct mmu_update r[3];
	struct snap s;
	mfn_t l1, p = INVALID_MFN, q;
	unsigned int done;
	unsigned int idx = (VA_X >> 12) & 511;

	if (!tenv_new(&e, 256))
		return;
	l1 = build_chain(&e, VA_X, NULL, NULL);
	T_CHECK(frame_of(&e, l1)->type == HV_PGT_L1 &&
		frame_of(&e, l1)->type_count == 1,
		"mmu_update: hooking a zeroed table validates it as an L1");
	p = mfn_of(&e, 40);
	q = mfn_of(&e, 41);
	r[0].ptr = mfn_to_maddr(l1) + idx * 8;
	r[0].val = pte(p, LEAF_RW);
	r[1].ptr = mfn_to_maddr(l1) + (idx + 1) * 8;
	r[1].val = pte(mfn_of(&e, HV_TEST_L1_PFN), LEAF_RW);
	r[2].ptr = mfn_to_maddr(l1) + (idx + 2) * 8;
	r[2].val = pte(q, LEAF_RO);
	done = 77;
	T_CHECK(mmu_update(&e, r, 3, &done) == -EBUSY && done == 1,
		"mmu_update: a writable mapping of a pagetable fails with -EBUSY, done = its index");
	T_CHECK((peek(&e, l1, idx) & PTE_ADDR) == mfn_to_maddr(p) &&
		!peek(&e, l1, idx + 1) && !peek(&e, l1, idx + 2),
		"mmu_update: entries before the failure applied, after it not");
	T_CHECK(frame_of(&e, p)->type == HV_PGT_WRITABLE &&
		frame_of(&e, p)->type_count == 1 && frame_of(&e, p)->count == 2,
		"mmu_update: the writable mapping holds a writable type reference");
	T_CHECK(touch(&e, VA_X, true) == HV_SHADOW_RETRY && probe(VA_X, true),
		"mmu_update: the new page is writable at its address");

	/* PRESERVE_AD keeps the accessed and dirty bits already there. */
	r[0].ptr = mfn_to_maddr(l1) + idx * 8 + MMU_PT_UPDATE_PRESERVE_AD;
	r[0].val = pte(p, PTE_P | PTE_RW);
	T_CHECK(mmu_update(&e, r, 1, &done) == 0 && done == 1 &&
		(peek(&e, l1, idx) & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
		"mmu_update: PRESERVE_AD keeps A and D");

	/* Xen's rewrites: kernel entries get USER|GUEST_KERNEL, user ones G. */
	T_CHECK((peek(&e, l1, idx) & (PTE_US | PTE_GUEST_KERNEL)) ==
		(PTE_US | PTE_GUEST_KERNEL) && !(peek(&e, l1, idx) & PTE_G),
		"mmu_update: a kernel mapping is stored as USER + guest-kernel bit");
	r[0].ptr = mfn_to_maddr(l1) + idx * 8;
	r[0].val = pte(p, LEAF_RW | PTE_US);
	T_CHECK(mmu_update(&e, r, 1, NULL) == 0 &&
		(peek(&e, l1, idx) & PTE_G),
		"mmu_update: a user mapping is stored global");

	r[0].val = 0;
	T_CHECK(mmu_update(&e, r, 1, NULL) == 0 &&
		frame_of(&e, p)->type_count == 0 && frame_of(&e, p)->count == 1,
		"mmu_update: unmapping drops both references");
	T_CHECK(!probe(VA_X, false), "mmu_update: ... and the host mapping");

	/* Unknown command bits, foreign domains. */
	r[0].ptr = mfn_to_maddr(l1) + 4;
	snap_take(&e, &s);
	T_CHECK(mmu_update(&e, r, 1, NULL) == -ENOSYS,
		"mmu_update: command 4 gives -ENOSYS");
	T_CHECK(snap_same(&e, &s), "mmu_update: ... changing nothing");
	r[0].ptr = mfn_to_maddr(l1) + idx * 8;
	r[0].val = pte(p, LEAF_RO);
	T_CHECK(mmu_update_dom(&e, r, 1, &done, HV_TEST_DOMID) == -ESRCH &&
		done == 0, "mmu_update: own domid as foreign domain gives -ESRCH");
	T_CHECK(mmu_update_dom(&e, r, 1, NULL, DOMID_IO) == -EPERM,
		"mmu_update: DOMID_IO gives -EPERM");
	T_CHECK(mmu_update_dom(&e, r, 1, NULL, (5 << 16) | DOMID_SELF) == -ESRCH,
		"mmu_update: an unknown pagetable owner gives -ESRCH");
	T_CHECK(mmu_update_dom(&e, r, 1, NULL,
			       ((HV_TEST_DOMID + 1) << 16) | DOMID_SELF) == 0,
		"mmu_update: naming itself as pagetable owner works");
	T_CHECK(hcall(&e, __HYPERVISOR_mmu_update, 0x0000900000000000UL, 1, 0,
		      DOMID_SELF) == -EFAULT,
		"mmu_update: a request list outside guest space gives -EFAULT");
	T_CHECK(hcall(&e, __HYPERVISOR_mmu_update, VA_X + 0x100000, 1, 0,
		      DOMID_SELF) == -EFAULT,
		"mmu_update: an unmapped request list gives -EFAULT");

	/* Upper levels: hypervisor slots, slots outside the window. */
	snap_take(&e, &s);
	T_CHECK(set_entry(&e, cur_l4(&e), 256, pte(l1, UP)) == -EINVAL &&
		set_entry(&e, cur_l4(&e), 271, 0) == -EINVAL &&
		set_entry(&e, cur_l4(&e), HV_M2P_SLOT, 0) == -EINVAL,
		"mmu_update: Xen's L4 slots 256-271 and hv's m2p slot 127 refused");
	T_CHECK(snap_same(&e, &s), "mmu_update: ... changing nothing");
	{
		mfn_t l3 = new_frame(&e);

		T_CHECK(set_entry(&e, cur_l4(&e), 300, pte(l3, UP)) == 0 &&
			frame_of(&e, l3)->type == HV_PGT_L3,
			"mmu_update: an L4 slot outside hv's window is validated and counted");
		T_CHECK(set_entry(&e, cur_l4(&e), 300, 0) == 0 &&
			frame_of(&e, l3)->type_count == 0 &&
			!(frame_of(&e, l3)->flags & HV_PGF_VALIDATED),
			"mmu_update: removing it devalidates the L3");
	}
	T_CHECK(audit_ok(&e), "mmu_update: audit clean");
	T_CHECK(tenv_free(&e) == 0, "mmu_update: no leak");
}

/* update_va_mapping's checks, in Xen's order, with Xen's codes. */
static void uvm_contract(void)
{
	struct tenv e;
	struct snap s;
	uint64_t va = region_va(20), foreign = 0, i;
	unsigned long mask = 1;

	if (!tenv_new(&e, 256))
		return;
	for (i = 1; i < e.d->m->nr_frames && !foreign; i++)
		if (e.d->m->frames[i].owner == HV_TEST_FOREIGN)
			foreign = i;
	snap_take(&e, &s);
	T_CHECK(uvm(&e, va, pte(_mfn(foreign), LEAF_RO), 0) == -EBUSY,
		"uvm: another domain's frame gives -EBUSY");
	T_CHECK(uvm(&e, va, pte(_mfn(0), LEAF_RO), 0) == -EPERM,
		"uvm: an I/O frame gives -EPERM");
	T_CHECK(uvm(&e, va, pte(_mfn(e.d->m->nr_frames + 10), LEAF_RO), 0) ==
		-EPERM, "uvm: a frame beyond RAM gives -EPERM");
	T_CHECK(uvm(&e, va, PTE_ADDR | LEAF_RO, 0) == -EINVAL,
		"uvm: the all-ones frame gives -EINVAL");
	T_CHECK(uvm(&e, va, pte(mfn_of(&e, HV_TEST_L2_PFN), LEAF_RW), 0) ==
		-EBUSY, "uvm: a writable mapping of a pagetable gives -EBUSY");
	T_CHECK(uvm(&e, va, pte(mfn_of(&e, 40), LEAF_RW | (1UL << 51)), 0) ==
		-EPERM, "uvm: an address bit beyond RAM gives -EPERM");
	T_CHECK(uvm(&e, VA_X, pte(mfn_of(&e, 40), LEAF_RW), 0) == -EINVAL,
		"uvm: no L1 for the address gives -EINVAL");
	T_CHECK(snap_same(&e, &s), "uvm: refusals change nothing");

	T_CHECK(uvm(&e, va, pte(mfn_of(&e, HV_TEST_L2_PFN), LEAF_RO),
		    UVMF_INVLPG | UVMF_LOCAL) == 0,
		"uvm: a read-only mapping of a pagetable is fine");
	hv_copy_to_guest(e.v, e.arg_va, &mask, sizeof(mask));
	T_CHECK(uvm(&e, va, pte(mfn_of(&e, 40), LEAF_RW),
		    UVMF_TLB_FLUSH | e.arg_va) == 0,
		"uvm: flush with a vCPU mask in guest memory");
	T_CHECK(uvm(&e, va, pte(mfn_of(&e, 41), LEAF_RW),
		    UVMF_INVLPG | (VA_X + 0x1000)) == -EFAULT &&
		(peek(&e, mfn_of(&e, HV_TEST_L1_PFN), 20) & PTE_ADDR) ==
		mfn_to_maddr(mfn_of(&e, 41)),
		"uvm: an unreadable vCPU mask gives -EFAULT after the update is done (as Xen)");
	T_CHECK(audit_ok(&e), "uvm: audit clean");
	T_CHECK(tenv_free(&e) == 0, "uvm: no leak");
}

/* Pins, base pointers, flushes and the rest of mmuext_op. */
static void mmuext_contract(void)
{
	struct tenv e;
	struct snap s;
	struct mmuext_op ops[3];
	mfn_t l1, bad_l1, l4b, page;
	unsigned int done;

	if (!tenv_new(&e, 256))
		return;
	l1 = new_frame(&e);
	poke(&e, l1, 0, pte(mfn_of(&e, 40), LEAF_RW));
	T_CHECK(pin(&e, l1, 1) == 0 && (frame_of(&e, l1)->flags & HV_PGF_PINNED),
		"mmuext: pin L1");
	T_CHECK(frame_of(&e, mfn_of(&e, 40))->type == HV_PGT_WRITABLE,
		"mmuext: ... which validated its entry");
	snap_take(&e, &s);
	T_CHECK(pin(&e, l1, 1) == -EINVAL, "mmuext: pinning twice gives -EINVAL");
	T_CHECK(snap_same(&e, &s), "mmuext: ... and takes no reference");
	snap_take(&e, &s);
	T_CHECK(pin(&e, l1, 2) == -EINVAL, "mmuext: pinning as another level gives -EINVAL");
	T_CHECK(snap_same(&e, &s), "mmuext: ... and takes no reference");

	bad_l1 = new_frame(&e);
	poke(&e, bad_l1, 0, pte(mfn_of(&e, 41), LEAF_RW));
	poke(&e, bad_l1, 1, pte(mfn_of(&e, 42), LEAF_RW | PTE_PCD));
	snap_take(&e, &s);
	T_CHECK(pin(&e, bad_l1, 1) == -EINVAL,
		"mmuext: pinning an L1 with a bad entry gives that entry's error");
	T_CHECK(snap_same(&e, &s), "mmuext: ... and gives back the entries before it");

	T_CHECK(unpin(&e, l1) == 0 && frame_of(&e, l1)->type_count == 0 &&
		frame_of(&e, mfn_of(&e, 40))->type_count == 0,
		"mmuext: unpin devalidates and releases the entries");
	T_CHECK(unpin(&e, l1) == -EINVAL, "mmuext: unpin of an unpinned page gives -EINVAL");

	/* A batch with a failure in the middle. */
	memset(ops, 0, sizeof(ops));
	ops[0].cmd = MMUEXT_PIN_L1_TABLE;
	ops[0].arg1.mfn = mfn_x(l1);
	ops[1].cmd = 14;
	ops[2].cmd = MMUEXT_UNPIN_TABLE;
	ops[2].arg1.mfn = mfn_x(l1);
	T_CHECK(mmuext(&e, ops, 3, &done) == -ENOSYS && done == 1,
		"mmuext: an unknown command gives -ENOSYS, done = its index");
	T_CHECK(frame_of(&e, l1)->flags & HV_PGF_PINNED,
		"mmuext: ... the op before it done, the one after not");

	/* Base pointers. */
	l4b = new_frame(&e);
	poke(&e, l4b, (HV_TEST_VA >> 39) & 511,
	     peek(&e, cur_l4(&e), (HV_TEST_VA >> 39) & 511));
	poke(&e, l4b, 300, pte(mfn_of(&e, HV_TEST_L1_PFN), UP));
	snap_take(&e, &s);
	T_CHECK(ext1(&e, MMUEXT_NEW_BASEPTR, mfn_x(l4b)) == -EINVAL,
		"mmuext: a base pointer whose L4 does not validate is refused");
	T_CHECK(snap_same(&e, &s), "mmuext: ... changing nothing");
	poke(&e, l4b, 300, 0);
	poke(&e, l4b, 256, pte(mfn_of(&e, 43), UP));
	T_CHECK(ext1(&e, MMUEXT_NEW_BASEPTR, mfn_x(l4b)) == 0 &&
		mfn_eq(e.v->cr3, l4b) && peek(&e, l4b, 256) == 0,
		"mmuext: new base pointer; Xen's slots ignored and cleared");
	T_CHECK(frame_of(&e, hv_test_l4(e.d))->type_count == 2,
		"mmuext: the old L4 keeps its pin and vCPU 1's reference");
	T_CHECK(hv_copy_to_guest(e.v, e.arg_va, "ok", 2) == 0,
		"mmuext: guest memory reachable through the new L4");
	T_CHECK(ext1(&e, MMUEXT_NEW_BASEPTR, mfn_x(hv_test_l4(e.d))) == 0 &&
		frame_of(&e, l4b)->type_count == 0,
		"mmuext: switching back drops the new L4's last reference");
	T_CHECK(ext1(&e, MMUEXT_NEW_USER_BASEPTR, mfn_x(hv_test_l4(e.d))) == 0 &&
		mfn_eq(e.v->cr3_user, hv_test_l4(e.d)) &&
		ext1(&e, MMUEXT_NEW_USER_BASEPTR, 0) == 0 &&
		!mfn_valid_raw(e.v->cr3_user),
		"mmuext: user base pointer set, and cleared with 0");

	/* Flushes, cache, LDT, page clearing and copying. */
	T_CHECK(ext1(&e, MMUEXT_TLB_FLUSH_LOCAL, 0) == 0 &&
		ext1(&e, MMUEXT_TLB_FLUSH_ALL, 0) == 0 &&
		ext1(&e, MMUEXT_INVLPG_LOCAL, HV_TEST_VA) == 0,
		"mmuext: flushes accepted");
	memset(ops, 0, sizeof(ops));
	ops[0].cmd = MMUEXT_TLB_FLUSH_MULTI;
	set_xen_guest_handle(ops[0].arg2.vcpumask, (void *)(VA_X + 0x3000));
	T_CHECK(mmuext(&e, ops, 1, NULL) == -EINVAL,
		"mmuext: an unreadable vCPU mask gives -EINVAL");
	T_CHECK(ext1(&e, MMUEXT_FLUSH_CACHE, 0) == -EACCES &&
		ext1(&e, MMUEXT_FLUSH_CACHE_GLOBAL, 0) == -EINVAL,
		"mmuext: cache flushes refused for an unprivileged guest");
	ops[0].cmd = MMUEXT_SET_LDT;
	ops[0].arg1.linear_addr = 0;
	ops[0].arg2.nr_ents = 0;
	T_CHECK(mmuext(&e, ops, 1, NULL) == 0, "mmuext: an empty LDT is fine");
	ops[0].arg2.nr_ents = 8193;
	T_CHECK(mmuext(&e, ops, 1, NULL) == -EINVAL, "mmuext: an LDT over 8192 entries gives -EINVAL");
	page = mfn_of(&e, 44);
	poke(&e, page, 5, 0x55);
	memset(ops, 0, sizeof(ops));
	ops[0].cmd = MMUEXT_COPY_PAGE;
	ops[0].arg1.mfn = mfn_x(mfn_of(&e, 45));
	ops[0].arg2.src_mfn = mfn_x(page);
	T_CHECK(mmuext(&e, ops, 1, NULL) == 0 && peek(&e, mfn_of(&e, 45), 5) == 0x55,
		"mmuext: copy page");
	T_CHECK(ext1(&e, MMUEXT_CLEAR_PAGE, mfn_x(page)) == 0 && peek(&e, page, 5) == 0,
		"mmuext: clear page");
	T_CHECK(ext1(&e, MMUEXT_CLEAR_PAGE, mfn_x(l1)) == -EINVAL,
		"mmuext: clearing a pagetable gives -EINVAL");
	T_CHECK(hcall(&e, __HYPERVISOR_mmuext_op, e.arg_va, 1, 0, DOMID_XEN) ==
		-EPERM && hcall(&e, __HYPERVISOR_mmuext_op, e.arg_va, 1, 0, 9) == -ESRCH,
		"mmuext: foreign domains refused (-EPERM, -ESRCH)");
	T_CHECK(audit_ok(&e), "mmuext: audit clean");
	T_CHECK(tenv_free(&e) == 0, "mmuext: no leak");
}

/* The read-only m2p: where XENMEM_machphys_mapping says, served by the shadow. */
static void m2p(void)
{
	struct xen_machphys_mapping map;
	struct tenv e;
	uint64_t ec, mfn, va;

	if (!tenv_new(&e, 256))
		return;
	T_CHECK(hcall(&e, __HYPERVISOR_memory_op, XENMEM_machphys_mapping,
		      e.arg_va, 0, 0) == 0, "m2p: XENMEM_machphys_mapping answers");
	hv_copy_from_guest(e.v, &map, e.arg_va, sizeof(map));
	T_CHECK(map.v_start == HV_M2P_VIRT_START && map.v_end == HV_M2P_VIRT_END &&
		map.max_mfn == (map.v_end - map.v_start) / 8 - 1,
		"m2p: at the top of the guest window, max_mfn from its size");
	T_CHECK(hcall(&e, __HYPERVISOR_memory_op, XENMEM_machphys_mapping,
		      VA_X, 0, 0) == -EFAULT,
		"m2p: an unwritable argument gives -EFAULT");
	T_CHECK(hcall(&e, __HYPERVISOR_memory_op, 63, e.arg_va, 0, 0) == -ENOSYS,
		"m2p: other memory_op commands are not this file's: -ENOSYS");
	mfn = mfn_x(mfn_of(&e, 42));
	va = map.v_start + mfn * 8;
	T_CHECK(hv_test_touch(e.v, va, false, false, &ec) == HV_SHADOW_RETRY &&
		*(volatile uint64_t *)va == 42,
		"m2p: reading it gives the pfn of a frame");
	T_CHECK(hv_test_touch(e.v, va, true, false, &ec) == HV_SHADOW_GUEST &&
		(ec & 3) == 3 && !probe(va, true),
		"m2p: writing it is a protection fault for the guest");
	T_CHECK(hv_test_touch(e.v, map.v_start + e.d->m->m2p_bytes, false,
			      false, &ec) == HV_SHADOW_GUEST && !(ec & 1),
		"m2p: past the machine's frames is not present");
	T_CHECK(shadow_ok(&e), "m2p: shadow audit clean");
	T_CHECK(tenv_free(&e) == 0, "m2p: no leak");
}

/* The shadow follows every change, at the right granularity. */
static void shadow(void)
{
	struct tenv e;
	mfn_t l1, l2, l3;
	uint64_t va = VA_X;

	if (!tenv_new(&e, 256))
		return;
	l1 = build_chain(&e, va, &l3, &l2);
	T_CHECK(uvm(&e, va, pte(mfn_of(&e, 40), LEAF_RW), 0) == 0 &&
		uvm(&e, va + HV_PAGE_SIZE, pte(mfn_of(&e, 41), LEAF_RW), 0) == 0,
		"shadow: two pages mapped");
	T_CHECK(touch(&e, va, false) == HV_SHADOW_RETRY && probe(va, false),
		"shadow: a read fault fills the page");
	T_CHECK(probe(va, true),
		"shadow: ... with the tables' full rights, so a write needs no second fault");
	T_CHECK(touch(&e, va + HV_PAGE_SIZE, true) == HV_SHADOW_RETRY,
		"shadow: second page filled");
	T_CHECK(uvm(&e, va, pte(mfn_of(&e, 40), LEAF_RO), 0) == 0 &&
		!probe(va, false) && probe(va + HV_PAGE_SIZE, true),
		"shadow: an L1 change drops that page only");
	T_CHECK(touch(&e, va, true) == HV_SHADOW_GUEST,
		"shadow: a write to the now read-only page is the guest's fault");
	T_CHECK(uvm(&e, va, pte(mfn_of(&e, 40), LEAF_RW | PTE_NX), 0) == 0 &&
		touch(&e, va, true) == HV_SHADOW_RETRY &&
		hv_test_touch(e.v, va, false, true, &(uint64_t){ 0 }) ==
		HV_SHADOW_GUEST, "shadow: NX is honoured");
	T_CHECK(set_entry(&e, l2, (va >> 21) & 511, pte(l1, PTE_P | PTE_US | PTE_A)) == 0 &&
		!probe(va, false) && !probe(va + HV_PAGE_SIZE, false),
		"shadow: an L2 change drops the 2 MiB it covers");
	T_CHECK(touch(&e, va, true) == HV_SHADOW_GUEST &&
		touch(&e, va, false) == HV_SHADOW_RETRY,
		"shadow: a read-only L2 entry makes the pages read-only");
	T_CHECK(touch(&e, HV_TEST_VA + 20 * HV_PAGE_SIZE, true) == HV_SHADOW_RETRY &&
		ext1(&e, MMUEXT_TLB_FLUSH_LOCAL, 0) == 0 &&
		!probe(HV_TEST_VA + 20 * HV_PAGE_SIZE, false),
		"shadow: a TLB flush drops everything");
	T_CHECK(touch(&e, HV_TEST_VA + 20 * HV_PAGE_SIZE, true) == HV_SHADOW_RETRY &&
		ext1(&e, MMUEXT_INVLPG_LOCAL, HV_TEST_VA + 20 * HV_PAGE_SIZE) == 0 &&
		!probe(HV_TEST_VA + 20 * HV_PAGE_SIZE, false),
		"shadow: invlpg drops the page");
	/* Through a linear entry: the tables appear read-only. */
	T_CHECK(set_entry(&e, cur_l4(&e), 40, pte(cur_l4(&e), PTE_P | PTE_A)) == 0,
		"shadow: L4 self-map in slot 40");
	{
		uint64_t lin = (40UL << 39) | (40UL << 30) | (40UL << 21) |
			       (40UL << 12);

		T_CHECK(touch(&e, lin, false) == HV_SHADOW_RETRY &&
			*(volatile uint64_t *)(lin + 33 * 8) ==
			peek(&e, cur_l4(&e), 33) && !probe(lin, true),
			"shadow: the L4 is readable through its self-map, not writable");
		T_CHECK(set_entry(&e, cur_l4(&e), 34, pte(new_frame(&e), UP)) == 0 &&
			!probe(lin, false) &&
			touch(&e, lin, false) == HV_SHADOW_RETRY &&
			*(volatile uint64_t *)(lin + 34 * 8) ==
			peek(&e, cur_l4(&e), 34),
			"shadow: a change to a table reached two ways drops the shadow, the refill shows it");
	}
	T_CHECK(shadow_ok(&e), "shadow: host mappings match tables and types");
	T_CHECK(e.d->mmu->st.sh_fills > 0 && e.d->mmu->st.sh_inval_pages > 0 &&
		e.d->mmu->st.sh_inval_ranges > 0 && e.d->mmu->st.sh_flushes > 0,
		"shadow: fills and drops are counted");
	T_CHECK(audit_ok(&e), "shadow: audit clean");
	T_CHECK(tenv_free(&e) == 0, "shadow: no leak");
	T_CHECK(!probe(va, false), "shadow: a destroyed domain leaves no mapping");
}

static void multicall(void)
{
	struct tenv e;
	struct multicall_entry mc[5];
	uint64_t list;

	if (!tenv_new(&e, 256))
		return;
	list = e.arg_va + 2048;
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_update_va_mapping;
	mc[0].args[0] = HV_TEST_VA + 20 * HV_PAGE_SIZE;
	mc[0].args[1] = pte(mfn_of(&e, 40), LEAF_RW);
	mc[1].op = __HYPERVISOR_update_va_mapping;
	mc[1].args[0] = HV_TEST_VA + 21 * HV_PAGE_SIZE;
	mc[1].args[1] = pte(mfn_of(&e, HV_TEST_L1_PFN), LEAF_RW);
	mc[2].op = 60;
	mc[3].op = __HYPERVISOR_multicall;
	mc[4].op = __HYPERVISOR_update_va_mapping;
	mc[4].args[0] = HV_TEST_VA + 22 * HV_PAGE_SIZE;
	mc[4].args[1] = pte(mfn_of(&e, 41), LEAF_RW);
	hv_copy_to_guest(e.v, list, mc, sizeof(mc));
	T_CHECK(hcall(&e, __HYPERVISOR_multicall, list, 5, 0, 0) == 0,
		"multicall: returns 0 though entries failed");
	hv_copy_from_guest(e.v, mc, list, sizeof(mc));
	T_CHECK(mc[0].result == 0 && (long)mc[1].result == -EBUSY &&
		(long)mc[2].result == -ENOSYS && (long)mc[3].result == -EINVAL &&
		mc[4].result == 0,
		"multicall: each result written back (0, -EBUSY, -ENOSYS, nested -EINVAL, 0)");
	T_CHECK(e.d->hypercalls[__HYPERVISOR_update_va_mapping] == 3,
		"multicall: entries are counted as the hypercalls they are");
	T_CHECK(hcall(&e, __HYPERVISOR_multicall, VA_X, 1, 0, 0) == -EFAULT,
		"multicall: an unreadable list gives -EFAULT");
	T_CHECK(hcall(&e, __HYPERVISOR_multicall, list, 0, 0, 0) == 0,
		"multicall: an empty list is fine");
	T_CHECK(audit_ok(&e), "multicall: audit clean");
	T_CHECK(tenv_free(&e) == 0, "multicall: no leak");
}

/* Hypervisor holds, the counters, and an audit that does notice. */
static void holds_stats_audit(void)
{
	struct tenv e;
	mfn_t page;
	char why[256];
	FILE *f;
	char *buf = NULL;
	size_t len = 0;

	if (!tenv_new(&e, 256))
		return;
	page = mfn_of(&e, 50);
	T_CHECK(hv_mmu_hold_page(e.d, mfn_of(&e, HV_TEST_L1_PFN)) == -EINVAL,
		"hold: a pagetable cannot be held writable");
	T_CHECK(hv_mmu_hold_page(e.d, page) == 0 && pin(&e, page, 1) == -EINVAL,
		"hold: a held page cannot become a pagetable");
	hv_mmu_release_page(e.d, page);
	T_CHECK(pin(&e, page, 1) == 0, "hold: released, it can");
	T_CHECK(e.d->mmu->st.ops[HV_OP_PIN][HV_RES_EINVAL] == 1 &&
		e.d->mmu->st.ops[HV_OP_PIN][HV_RES_OK] == 1,
		"stats: pins counted by result");
	f = open_memstream(&buf, &len);
	hv_mmu_print_stats(e.d, f);
	fclose(f);
	T_CHECK(buf && strstr(buf, "pin ") && strstr(buf, "mmu audits"),
		"stats: printed for the toolstack");
	free(buf);

	frame_of(&e, page)->type_count++;
	T_CHECK(hv_mmu_audit(e.d, why, sizeof(why)) > 0 && strstr(why, "type count"),
		"audit: a type count off by one is caught (%s)", why);
	frame_of(&e, page)->type_count--;
	frame_of(&e, mfn_of(&e, 60))->count++;
	T_CHECK(hv_mmu_audit(e.d, why, sizeof(why)) > 0 && strstr(why, "general count"),
		"audit: a leaked general reference is caught");
	frame_of(&e, mfn_of(&e, 60))->count--;
	hv_set_m2p(e.d->m, mfn_of(&e, 61), _pfn(5));
	T_CHECK(hv_mmu_audit(e.d, why, sizeof(why)) > 0 && strstr(why, "p2m"),
		"audit: m2p disagreeing with the p2m is caught");
	hv_set_m2p(e.d->m, mfn_of(&e, 61), _pfn(61));
	T_CHECK(audit_ok(&e), "audit: clean again");
	T_CHECK(tenv_free(&e) == 0, "holds: no leak");
}

int main(void)
{
	test_domain();
	builder();
	mmu_update_contract();
	uvm_contract();
	mmuext_contract();
	m2p();
	shadow();
	multicall();
	holds_stats_audit();
	T_DONE();
}
