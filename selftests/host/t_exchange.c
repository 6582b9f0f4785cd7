// SPDX-License-Identifier: MIT
/*
 * XENMEM_exchange and page offline on the host hypervisor (issue 14):
 * the guest's own exchange with Xen's argument checks and partial
 * progress, the shapes of XSA-29 (extent arrays not range-checked) and
 * XSA-212 (the check made from the wrong offset on a continuation)
 * refused with -EFAULT and nothing changed (a snapshot of the frame
 * table and the m2p, nr_exchanged as given), the toolstack's exchange,
 * mmu_update and their refusal on a domain that is not suspended,
 * MMU_PT_UPDATE_PRESERVE_AD from both, and the page offline states: a
 * frame offline pending is offlined once exchanged and never handed out
 * again, a hypervisor frame is refused, a free frame goes at once.  And
 * frame_holds: a registered vcpu_info, the console ring and the vCPU's
 * base pointer set aside (the frame then exchangeable), refused on a
 * running domain, the domain not resumable meanwhile, the console
 * backend leaving the ring alone and catching up once it is back, each
 * hold taken again on the new frame (or the old one) with its contents.
 */
#include "t_mmu.h"
#include "hv/include/hv/domctl.h"
#include <xen/interface/io/console.h>
#include <xen/interface/vcpu.h>

#define LEAF_RW	(PTE_P | PTE_RW | PTE_A | PTE_D)

/* Where the exchange's struct and its two arrays sit in guest memory. */
#define X_VA(e)		((e)->arg_va)
#define IN_VA(e)	((e)->arg_va + 512)
#define OUT_VA(e)	((e)->arg_va + 2048)

static struct xen_memory_exchange xreq(uint64_t in_va, uint64_t out_va,
				       uint64_t nr, uint64_t nr_out)
{
	struct xen_memory_exchange x = { 0 };

	x.in.extent_start.p = (xen_pfn_t *)in_va;
	x.in.nr_extents = nr;
	x.in.domid = DOMID_SELF;
	x.out.extent_start.p = (xen_pfn_t *)out_va;
	x.out.nr_extents = nr_out;
	x.out.domid = DOMID_SELF;
	return x;
}

/* The guest's XENMEM_exchange with x at X_VA; nr_exchanged read back. */
static long exchange(struct tenv *e, struct xen_memory_exchange *x,
		     const uint64_t *in, const uint64_t *out, unsigned int n)
{
	long rc;

	if (n) {
		hv_copy_to_guest(e->v, IN_VA(e), in, n * 8);
		hv_copy_to_guest(e->v, OUT_VA(e), out, n * 8);
	}
	hv_copy_to_guest(e->v, X_VA(e), x, sizeof(*x));
	rc = hcall(e, __HYPERVISOR_memory_op, XENMEM_exchange, X_VA(e), 0, 0);
	hv_copy_from_guest(e->v, x, X_VA(e), sizeof(*x));
	return rc;
}

static uint64_t out_mfn(struct tenv *e, unsigned int i)
{
	uint64_t v = 0;

	hv_copy_from_guest(e->v, &v, OUT_VA(e) + i * 8, 8);
	return v;
}

static void own_exchange(void)
{
	struct tenv e;
	struct snap s;
	struct xen_memory_exchange x;
	uint64_t pfn, in[3], out[3];
	mfn_t old, mapped, new;

	if (!tenv_new(&e, 256))
		return;
	pfn = e.next_pfn;
	old = new_frame(&e);
	memset(hv_mfn_ptr(e.d->m, old), 0x5a, HV_PAGE_SIZE);
	in[0] = mfn_x(old);
	out[0] = pfn;
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	T_CHECK(exchange(&e, &x, in, out, 1) == 0 && x.nr_exchanged == 1,
		"exchange: an unmapped frame of the guest is exchanged (nr_exchanged 1)");
	new = _mfn(out_mfn(&e, 0));
	T_CHECK(!mfn_eq(new, old) && mfn_eq(mfn_of(&e, pfn), new) &&
		pfn_x(hv_m2p(e.d->m, new)) == pfn,
		"exchange: the new frame comes back in out, the m2p and p2m give it the pfn");
	T_CHECK(frame_of(&e, old)->owner == DOMID_INVALID &&
		pfn_eq(hv_m2p(e.d->m, old), INVALID_PFN),
		"exchange: the old frame is free, its m2p entry gone");
	T_CHECK(frame_of(&e, new)->count == 1 && frame_of(&e, new)->owner ==
		e.d->domid, "exchange: the new frame is the guest's, held by its allocation");
	T_CHECK(audit_ok(&e), "exchange: audit clean");

	/* A mapped frame cannot be taken (steal_page). */
	mapped = mfn_of(&e, hv_test_scratch_pfn(e.d));
	in[0] = mfn_x(mapped);
	out[0] = hv_test_scratch_pfn(e.d);
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	snap_take(&e, &s);
	T_CHECK(exchange(&e, &x, in, out, 1) == -EINVAL && x.nr_exchanged == 0,
		"exchange: a frame the guest maps is refused with -EINVAL, nr_exchanged 0");
	T_CHECK(snap_same(&e, &s), "exchange: ... and nothing changed");

	/* Partial progress: the second extent fails, the first stays done. */
	in[0] = mfn_x(mfn_of(&e, e.next_pfn));
	out[0] = e.next_pfn++;
	in[1] = mfn_x(mapped);
	out[1] = hv_test_scratch_pfn(e.d);
	in[2] = mfn_x(mfn_of(&e, e.next_pfn));
	out[2] = e.next_pfn++;
	x = xreq(IN_VA(&e), OUT_VA(&e), 3, 3);
	T_CHECK(exchange(&e, &x, in, out, 3) == -EINVAL && x.nr_exchanged == 1,
		"exchange: a failing second extent stops it there: nr_exchanged 1");
	T_CHECK(frame_of(&e, _mfn(in[0]))->owner == DOMID_INVALID &&
		frame_of(&e, _mfn(in[2]))->owner == e.d->domid,
		"exchange: ... the first extent exchanged, the third untouched");
	/* The continuation from extent 2 (Xen's restart after a fix). */
	x.nr_exchanged = 2;
	T_CHECK(exchange(&e, &x, in, out, 3) == 0 && x.nr_exchanged == 3 &&
		frame_of(&e, _mfn(in[2]))->owner == DOMID_INVALID &&
		frame_of(&e, mapped)->owner == e.d->domid,
		"exchange: a continuation at nr_exchanged 2 does the third only");
	T_CHECK(audit_ok(&e), "exchange: audit clean after partial progress");

	/* A pfn that has another frame: hv keeps a p2m, so it is refused. */
	in[0] = mfn_x(mfn_of(&e, e.next_pfn));
	out[0] = hv_test_scratch_pfn(e.d);
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	snap_take(&e, &s);
	T_CHECK(exchange(&e, &x, in, out, 1) == -EINVAL && x.nr_exchanged == 0 &&
		snap_same(&e, &s),
		"exchange: an output pfn that has another frame is refused, nothing changed");
	T_CHECK(tenv_free(&e) == 0, "exchange: every frame freed");
}

/* One refused shape: the result, nr_exchanged as given, nothing changed. */
static void refused(struct tenv *e, struct xen_memory_exchange x, long want,
		    const char *what)
{
	uint64_t in[4], out[4], given = x.nr_exchanged;
	struct snap s;
	unsigned int i;
	long rc;

	/* Frames that could be exchanged: only the checks stop it. */
	for (i = 0; i < 4; i++) {
		in[i] = mfn_x(mfn_of(e, e->next_pfn + i));
		out[i] = e->next_pfn + i;
	}
	hv_copy_to_guest(e->v, IN_VA(e), in, sizeof(in));
	hv_copy_to_guest(e->v, OUT_VA(e), out, sizeof(out));
	snap_take(e, &s);
	rc = exchange(e, &x, NULL, NULL, 0);
	T_CHECK(rc == want && x.nr_exchanged == given,
		"exchange: %s refused with %ld (got %ld), nr_exchanged %lu (given %lu)",
		what, want, rc, (unsigned long)x.nr_exchanged,
		(unsigned long)given);
	T_CHECK(snap_same(e, &s), "exchange: ... and no count, type or m2p entry changed");
}

static void checks(void)
{
	struct tenv e;
	struct xen_memory_exchange x;

	if (!tenv_new(&e, 256))
		return;
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	x.nr_exchanged = 2;
	refused(&e, x, -EINVAL, "nr_exchanged beyond in.nr_extents");
	x = xreq(IN_VA(&e), OUT_VA(&e), 2, 1);
	refused(&e, x, -EINVAL, "in and out of different sizes");
	x = xreq(IN_VA(&e), OUT_VA(&e), 2, 1);
	x.out.extent_order = 1;
	refused(&e, x, -EOPNOTSUPP, "unequal extent orders (equal sizes; hv exchanges order 0 only)");
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	x.in.extent_order = x.out.extent_order = 10;
	refused(&e, x, -EFAULT, "an extent order above a domU's 9 (Xen's -EFAULT)");
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	x.in.extent_order = 63;
	x.out.extent_order = 63;
	refused(&e, x, -EFAULT, "an order whose shift overflows");
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	x.out.domid = 7;
	refused(&e, x, -EINVAL, "in and out naming different domains");
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	x.in.domid = x.out.domid = 7;
	refused(&e, x, -ESRCH, "another domain");
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	x.in.domid = x.out.domid = DOMID_XEN;
	refused(&e, x, -EPERM, "DOMID_XEN");
	x = xreq(IN_VA(&e), OUT_VA(&e), 1, 1);
	x.nr_exchanged = 1;
	refused(&e, x, 0, "nothing left to do (nr_exchanged == nr_extents) succeeds and");
	T_CHECK(audit_ok(&e), "exchange: audit clean after the refusals");
	T_CHECK(tenv_free(&e) == 0, "exchange: every frame freed");
}

/*
 * XSA-29: XENMEM_exchange wrote through its extent arrays without
 * checking that they were guest memory.  XSA-212: the check was made for
 * the arrays from their start while a continuation (nr_exchanged) wrote
 * from further on, so an array ending just below the hypervisor was
 * written past its end.  Both must give -EFAULT before any access.
 */
static void xsa29_212(void)
{
	const uint64_t top = 1UL << 47;	/* end of the lower half */
	struct tenv e;
	struct xen_memory_exchange x;

	if (!tenv_new(&e, 256))
		return;
	x = xreq(0xffff830000000000UL, OUT_VA(&e), 1, 1);
	refused(&e, x, -EFAULT, "xsa-29: in.extent_start in the hypervisor's range");
	x = xreq(IN_VA(&e), 0xffff830000000000UL, 1, 1);
	refused(&e, x, -EFAULT, "xsa-29: out.extent_start in the hypervisor's range");
	x = xreq(top - 8, OUT_VA(&e), 2, 2);
	refused(&e, x, -EFAULT, "xsa-212: in array running past the lower half");
	x = xreq(IN_VA(&e), top - 16, 4, 4);
	x.nr_exchanged = 3;
	refused(&e, x, -EFAULT, "xsa-212: out array valid at its start, past the lower half at the continuation's offset");
	/*
	 * Arrays that start in guest memory (with exchangeable frames in
	 * their first entries) and end past the lower half: refused before
	 * the first extent, from the start and from a continuation.  A
	 * hypervisor that checked each access only would exchange the first
	 * ones and then fail: the snapshot would show it.
	 */
	x = xreq(IN_VA(&e), OUT_VA(&e), (top - IN_VA(&e)) / 8 + 1,
		 (top - IN_VA(&e)) / 8 + 1);
	refused(&e, x, -EFAULT, "xsa-212: arrays running from guest memory past the lower half");
	x.nr_exchanged = 1;
	refused(&e, x, -EFAULT, "xsa-212: the same from a continuation (nr_exchanged 1)");
	x = xreq(IN_VA(&e), top - 16, 1UL << 61, 1UL << 61);
	x.nr_exchanged = 1;
	refused(&e, x, -EFAULT, "xsa-212: a length whose byte size wraps");
	x = xreq(0xfffffffffffffff8UL, OUT_VA(&e), 2, 2);
	refused(&e, x, -EFAULT, "xsa-212: an array wrapping past the top of the address space");
	T_CHECK(audit_ok(&e), "xsa-29/212: audit clean");
	T_CHECK(tenv_free(&e) == 0, "xsa-29/212: every frame freed");
}

static long domctl(struct hv_domain *d, struct hv_domctl *op,
		   struct hv_domctl_payload *p)
{
	op->interface_version = HV_DOMCTL_INTERFACE_VERSION;
	op->domain = d->domid;
	return hv_domctl(op, p);
}

static void set_suspended(struct hv_domain *d, bool yes)
{
	pthread_mutex_lock(&d->lock);
	d->state = yes ? HV_DOM_SHUTDOWN : HV_DOM_RUNNING;
	d->shutdown_reason = yes ? SHUTDOWN_suspend : 0;
	pthread_mutex_unlock(&d->lock);
}

static void toolstack(void)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_memory_exchange };
	struct hv_domctl_payload p = { .fd_in = -1 };
	unsigned int idx = 5;
	uint64_t args[2], got = 0, e0;
	struct mmu_update u;
	struct tenv e;
	struct snap s;
	mfn_t l1, target, other;

	if (!tenv_new(&e, 256))
		return;
	target = new_frame(&e);
	args[0] = mfn_x(target);
	args[1] = e.next_pfn - 1;
	p.in = args;
	p.in_len = sizeof(args);
	p.out = &got;
	p.out_max = sizeof(got);
	op.u.memory_exchange.nr_extents = 1;
	snap_take(&e, &s);
	T_CHECK(domctl(e.d, &op, &p) == -EBUSY,
		"toolstack exchange: a domain that is not suspended: -EBUSY");
	T_CHECK(snap_same(&e, &s), "toolstack exchange: ... and nothing changed");
	set_suspended(e.d, true);
	op.u.memory_exchange.in_order = 1;
	T_CHECK(domctl(e.d, &op, &p) == -EINVAL,
		"toolstack exchange: unequal orders: -EINVAL");
	op.u.memory_exchange.in_order = 0;

	/* Offline pending first: the exchange then offlines the old frame. */
	{
		struct hv_domctl o = { .cmd = HV_DOMCTL_page_offline };

		o.u.page_offline.cmd = HV_PAGE_OFFLINE;
		o.u.page_offline.mfn = mfn_x(target);
		T_CHECK(domctl(e.d, &o, NULL) == 0 &&
			(o.u.page_offline.status & PG_OFFLINE_PENDING) &&
			(o.u.page_offline.status >> PG_OFFLINE_OWNER_SHIFT) ==
			e.d->domid,
			"page offline: a frame in use becomes offline pending, its owner named");
	}
	T_CHECK(domctl(e.d, &op, &p) == 0 &&
		op.u.memory_exchange.nr_exchanged == 1 && p.out_len == 8,
		"toolstack exchange: a suspended domain's frame exchanged");
	T_CHECK(frame_of(&e, target)->flags == HV_PGF_OFFLINED &&
		frame_of(&e, target)->owner == DOMID_INVALID,
		"page offline: once exchanged, the pending frame is offlined");
	{
		uint64_t n = e.d->m->nr_free, i;
		mfn_t *all = malloc(n * sizeof(*all));
		bool seen = false;

		T_CHECK(hv_alloc_frames(e.d->m, HV_TEST_FOREIGN, n, all) == 0,
			"page offline: every free frame allocated");
		for (i = 0; i < n; i++)
			seen |= mfn_eq(all[i], target);
		T_CHECK(!seen, "page offline: ... and the offlined frame is not among them");
		for (i = 0; i < n; i++)
			hv_free_frame(e.d->m, all[i]);
		free(all);
	}

	/* mmu_update with PRESERVE_AD on the suspended domain. */
	l1 = build_chain(&e, HV_TEST_VA + (1UL << 39), NULL, NULL);
	other = new_frame(&e);
	set_suspended(e.d, false);
	T_CHECK(set_entry(&e, l1, idx, pte(other, LEAF_RW)) == 0,
		"mmu_update: the guest maps a frame with A and D set");
	u.ptr = mfn_to_maddr(l1) + idx * 8 + MMU_PT_UPDATE_PRESERVE_AD;
	u.val = pte(other, PTE_P | PTE_RW);
	memset(&op, 0, sizeof(op));
	op.cmd = HV_DOMCTL_mmu_update;
	op.u.mmu_update.count = 1;
	memset(&p, 0, sizeof(p));
	p.fd_in = -1;
	p.in = &u;
	p.in_len = sizeof(u);
	e0 = peek(&e, l1, idx);
	T_CHECK(domctl(e.d, &op, &p) == -EBUSY && peek(&e, l1, idx) == e0,
		"toolstack mmu_update: a domain that is not suspended: -EBUSY, entry unchanged");
	set_suspended(e.d, true);
	u.val = pte(other, PTE_RW);	/* cleared, as the method clears */
	T_CHECK(domctl(e.d, &op, &p) == 0 && op.u.mmu_update.done == 1 &&
		(peek(&e, l1, idx) & (PTE_A | PTE_D)) == (PTE_A | PTE_D) &&
		!(peek(&e, l1, idx) & PTE_P),
		"toolstack mmu_update: PRESERVE_AD clears the entry and keeps A and D");
	T_CHECK(frame_of(&e, other)->count == 1 &&
		frame_of(&e, other)->type_count == 0,
		"toolstack mmu_update: ... and the frame's references went with it");
	set_suspended(e.d, false);
	T_CHECK(audit_ok(&e), "toolstack: audit clean");
	T_CHECK(tenv_free(&e) == 0, "toolstack: every frame freed");
}

/* The guest's own PRESERVE_AD, as Xen's MMU_PT_UPDATE_PRESERVE_AD. */
static void preserve_ad(void)
{
	struct tenv e;
	mfn_t l1, f;
	struct mmu_update u;

	if (!tenv_new(&e, 256))
		return;
	l1 = build_chain(&e, HV_TEST_VA + (1UL << 39), NULL, NULL);
	f = new_frame(&e);
	T_CHECK(set_entry(&e, l1, 9, pte(f, LEAF_RW)) == 0,
		"preserve_ad: an entry with A and D");
	u.ptr = mfn_to_maddr(l1) + 9 * 8 + MMU_PT_UPDATE_PRESERVE_AD;
	u.val = pte(f, PTE_P);
	T_CHECK(mmu_update(&e, &u, 1, NULL) == 0 &&
		(peek(&e, l1, 9) & (PTE_A | PTE_D)) == (PTE_A | PTE_D) &&
		!(peek(&e, l1, 9) & PTE_RW),
		"preserve_ad: the guest's read-only rewrite keeps A and D");
	T_CHECK(frame_of(&e, f)->type_count == 0,
		"preserve_ad: ... and dropped the writable reference");
	T_CHECK(audit_ok(&e), "preserve_ad: audit clean");
	T_CHECK(tenv_free(&e) == 0, "preserve_ad: every frame freed");
}

static void offline_states(void)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_page_offline };
	struct tenv e;
	uint64_t free_before, i;
	mfn_t spare = INVALID_MFN;

	if (!tenv_new(&e, 256))
		return;
	op.u.page_offline.cmd = HV_PAGE_OFFLINE;
	op.u.page_offline.mfn = mfn_x(e.d->shared_info_mfn);
	T_CHECK(domctl(e.d, &op, NULL) == -EPERM &&
		(op.u.page_offline.status & PG_OFFLINE_XENPAGE),
		"page offline: the hypervisor's shared_info is refused (-EPERM, XENPAGE)");
	op.u.page_offline.mfn = 0;
	T_CHECK(domctl(e.d, &op, NULL) == -EPERM,
		"page offline: frame 0 (DOMID_IO) is refused");
	for (i = HV_LOW_IO_FRAMES;
	     i < HV_LOW_IO_FRAMES + e.d->m->nr_domheap && !mfn_valid_raw(spare); i++)
		if (e.d->m->frames[i].owner == DOMID_INVALID)
			spare = _mfn(i);
	free_before = e.d->m->nr_free;
	op.u.page_offline.mfn = mfn_x(spare);
	T_CHECK(domctl(e.d, &op, NULL) == 0 &&
		op.u.page_offline.status == PG_OFFLINE_OFFLINED &&
		e.d->m->nr_free == free_before - 1,
		"page offline: a free frame is offlined at once, one frame fewer to hand out");
	op.u.page_offline.cmd = HV_PAGE_QUERY;
	T_CHECK(domctl(e.d, &op, NULL) == 0 &&
		op.u.page_offline.status == PG_OFFLINE_STATUS_OFFLINED,
		"page offline: query says offlined");
	op.u.page_offline.cmd = HV_PAGE_ONLINE;
	T_CHECK(domctl(e.d, &op, NULL) == 0 &&
		e.d->m->nr_free == free_before &&
		e.d->m->frames[mfn_x(spare)].flags == 0,
		"page online: the frame is back in the free pool");
	op.u.page_offline.cmd = HV_PAGE_QUERY;
	op.u.page_offline.mfn = e.d->m->nr_frames;
	T_CHECK(domctl(e.d, &op, NULL) == -EINVAL,
		"page offline: a frame beyond the machine: -EINVAL");
	T_CHECK(tenv_free(&e) == 0, "page offline: every frame freed");
}

static long holds(struct tenv *e, unsigned int cmd, mfn_t mfn,
		  uint32_t *held)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_frame_holds };
	long rc;

	op.u.frame_holds.cmd = cmd;
	op.u.frame_holds.mfn = mfn_x(mfn);
	rc = domctl(e->d, &op, NULL);
	*held = op.u.frame_holds.held;
	return rc;
}

static long simple(struct tenv *e, unsigned int cmd)
{
	struct hv_domctl op = { .cmd = cmd };

	return domctl(e->d, &op, NULL);
}

/* Exchanges mfn (held by its allocation only) for a new frame. */
static mfn_t toolstack_exchange(struct tenv *e, mfn_t mfn)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_memory_exchange };
	struct hv_domctl_payload p = { .fd_in = -1 };
	uint64_t args[2] = { mfn_x(mfn), pfn_x(hv_m2p(e->d->m, mfn)) }, got = 0;

	p.in = args;
	p.in_len = sizeof(args);
	p.out = &got;
	p.out_max = sizeof(got);
	op.u.memory_exchange.nr_extents = 1;
	return domctl(e->d, &op, &p) ? INVALID_MFN : _mfn(got);
}

static void frame_holds(void)
{
	struct hv_domctl rs = { .cmd = HV_DOMCTL_ring_setup };
	struct vcpu_register_vcpu_info r = { .offset = 128 };
	struct xencons_interface *ring;
	static uint8_t copy[HV_PAGE_SIZE];
	struct tenv e;
	uint32_t held, count, type_count;
	mfn_t info, cons, l4, new;

	if (!tenv_new(&e, 256))
		return;
	info = new_frame(&e);
	r.mfn = mfn_x(info);
	hv_copy_to_guest(e.v, e.arg_va, &r, sizeof(r));
	T_CHECK(hcall(&e, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0,
		      e.arg_va, 0) == 0 && mfn_eq(e.v->vcpu_info_mfn, info),
		"frame_holds: vCPU 0's vcpu_info placed in a frame of the guest");
	e.v->vcpu_info->evtchn_pending_sel = 0x5a5a;
	cons = new_frame(&e);
	rs.u.ring_setup.kind = HV_RING_CONSOLE;
	rs.u.ring_setup.mfn = mfn_x(cons);
	T_CHECK(domctl(e.d, &rs, NULL) == 0, "frame_holds: a console ring set up");

	T_CHECK(holds(&e, HV_HOLDS_RELEASE, info, &held) == -EBUSY &&
		mfn_eq(e.v->vcpu_info_mfn, info),
		"frame_holds: refused on a domain that is not suspended (-EBUSY), nothing set aside");
	set_suspended(e.d, true);
	T_CHECK(holds(&e, HV_HOLDS_TAKE, info, &held) == -ENOENT,
		"frame_holds: TAKE with nothing aside: -ENOENT");

	/* vcpu_info: aside, exchanged, taken on the new frame. */
	T_CHECK(holds(&e, HV_HOLDS_RELEASE, info, &held) == 0 &&
		held == HV_HOLD_VCPU_INFO && !frame_of(&e, info)->hv_refs &&
		frame_of(&e, info)->count == 1 &&
		e.v->vcpu_info == &e.v->aside_info &&
		e.v->aside_info.evtchn_pending_sel == 0x5a5a,
		"frame_holds: a vcpu_info set aside: only the allocation holds its frame, its contents kept by hv");
	T_CHECK(simple(&e, HV_DOMCTL_resumedomain) == -EBUSY,
		"frame_holds: the domain cannot be resumed while a hold is aside (-EBUSY)");
	T_CHECK(holds(&e, HV_HOLDS_RELEASE, cons, &held) == -EBUSY,
		"frame_holds: a second frame's holds refused while one is aside (-EBUSY)");
	T_CHECK(holds(&e, HV_HOLDS_TAKE, _mfn(e.d->m->nr_frames), &held) == -EINVAL &&
		e.v->vcpu_info == &e.v->aside_info,
		"frame_holds: TAKE onto a frame not the domain's: -EINVAL, still aside");
	new = toolstack_exchange(&e, info);
	T_CHECK(mfn_valid_raw(new), "frame_holds: ... and the frame is exchanged");
	T_CHECK(holds(&e, HV_HOLDS_TAKE, new, &held) == 0 &&
		held == HV_HOLD_VCPU_INFO && mfn_eq(e.v->vcpu_info_mfn, new) &&
		(uint8_t *)e.v->vcpu_info ==
		(uint8_t *)hv_mfn_ptr(e.d->m, new) + 128 &&
		e.v->vcpu_info->evtchn_pending_sel == 0x5a5a &&
		frame_of(&e, new)->hv_refs == 1,
		"frame_holds: the vcpu_info taken on the new frame, at its offset, with its contents");

	/* The console ring: the backend waits while it is aside. */
	ring = hv_mfn_ptr(e.d->m, cons);
	memcpy(ring->out, "hi", 2);
	ring->out_prod = 2;
	T_CHECK(holds(&e, HV_HOLDS_RELEASE, cons, &held) == 0 &&
		held == HV_HOLD_CONSOLE_RING && !frame_of(&e, cons)->hv_refs,
		"frame_holds: the console ring set aside");
	hv_console_ring_backend(e.d, e.d->console_evtchn,
				HV_EVTCHN_BACKEND_NOTIFY, NULL);
	T_CHECK(ring->out_cons == 0,
		"frame_holds: a kick while the ring is aside leaves it untouched");
	/* The toolstack's copy is taken before the exchange frees the frame. */
	memcpy(copy, ring, HV_PAGE_SIZE);
	new = toolstack_exchange(&e, cons);
	ring = hv_mfn_ptr(e.d->m, new);
	memcpy(ring, copy, HV_PAGE_SIZE);
	T_CHECK(holds(&e, HV_HOLDS_TAKE, new, &held) == 0 &&
		held == HV_HOLD_CONSOLE_RING && mfn_eq(e.d->console_mfn, new) &&
		ring->out_cons == 2,
		"frame_holds: taken on the new frame, the backend catches up with the kick it missed");

	/* The base pointer: aside and back on the same frame (a rollback). */
	l4 = cur_l4(&e);
	count = frame_of(&e, l4)->count;
	type_count = frame_of(&e, l4)->type_count;
	T_CHECK(holds(&e, HV_HOLDS_RELEASE, l4, &held) == 0 &&
		held == HV_HOLD_BASEPTR && !mfn_valid_raw(e.v->cr3) &&
		frame_of(&e, l4)->count < count &&
		frame_of(&e, l4)->type_count < type_count,
		"frame_holds: the vCPU's base pointer set aside, its references dropped");
	T_CHECK(holds(&e, HV_HOLDS_TAKE, l4, &held) == 0 &&
		held == HV_HOLD_BASEPTR && mfn_eq(e.v->cr3, l4) &&
		frame_of(&e, l4)->count == count &&
		frame_of(&e, l4)->type_count == type_count,
		"frame_holds: taken again on the same frame, the counts as before");
	T_CHECK(simple(&e, HV_DOMCTL_resumedomain) == 0,
		"frame_holds: with nothing aside the domain resumes");
	T_CHECK(audit_ok(&e), "frame_holds: audit clean");
	T_CHECK(tenv_free(&e) == 0, "frame_holds: every frame freed");
}

int main(void)
{
	own_exchange();
	checks();
	xsa29_212();
	toolstack();
	preserve_ad();
	offline_states();
	frame_holds();
	T_DONE();
}
