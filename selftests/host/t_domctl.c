// SPDX-License-Identifier: MIT
/*
 * Host tests for the hypervisor's door, hv/include/hv/domctl.h: the
 * contract of every domctl and its refusals, each with Xen's errno and
 * with nothing changed (the frame table, the m2p, the vCPU's context and
 * the domain's counts compared before and after), in this process through
 * tools/libs/ctrl, and the control socket's protocol: several requests on
 * one connection, descriptors both ways, a malformed request refused and
 * the connection closed, answers equal to the in-process ones.  What needs
 * a running guest (pause under ptstress, context round trips, the
 * suspend path) is t_domctl_live.c.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "t_mmu.h"
#include "hv/include/hv/control.h"
#include <xen/interface/event_channel.h>
#include <xen/interface/version.h>
#include "tools/libs/ctrl/xc.h"

#define DOM_PLAIN	20	/* a domain built by domctls only */
#define NOSUCH		99

static xc_interface *xch;

static long raw(unsigned int cmd, domid_t dom, struct hv_domctl_payload *p)
{
	struct hv_domctl op = { .cmd = cmd, .domain = dom };

	return xc_domctl(xch, &op, p);
}

static bool ctx_equal(const struct vcpu_guest_context *a,
		      const struct vcpu_guest_context *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* ---- requests and domains that do not exist ---- */

static void shape(void)
{
	static const unsigned int cmds[] = {
		HV_DOMCTL_destroydomain, HV_DOMCTL_pausedomain,
		HV_DOMCTL_unpausedomain, HV_DOMCTL_getdomaininfo,
		HV_DOMCTL_getmemlist, HV_DOMCTL_shadow_op,
		HV_DOMCTL_setvcpucontext, HV_DOMCTL_getvcpucontext,
		HV_DOMCTL_getvcpuinfo, HV_DOMCTL_hypercall_init,
		HV_DOMCTL_getvcpuaffinity, HV_DOMCTL_resumedomain,
		HV_DOMCTL_getpageframeinfo3, HV_DOMCTL_populate_physmap,
		HV_DOMCTL_decrease_reservation, HV_DOMCTL_map_foreign,
		HV_DOMCTL_mmuext_op, HV_DOMCTL_ring_setup,
		HV_DOMCTL_evtchn_bind_fd, HV_DOMCTL_console_output,
		HV_DOMCTL_debug_keys, HV_DOMCTL_get_stats,
	};
	struct hv_domctl op = { .cmd = HV_DOMCTL_getdomaininfo,
				.interface_version = 99, .domain = DOM_PLAIN };
	unsigned int i, esrch = 0;

	T_CHECK(hv_domctl(&op, NULL) == -EACCES,
		"shape: another interface version is refused with -EACCES, as Xen's");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		esrch += raw(cmds[i], NOSUCH, NULL) == -ESRCH;
	T_CHECK(esrch == ARRAY_SIZE(cmds),
		"shape: each of the %u domctls on a domain that does not exist: -ESRCH (%u)",
		(unsigned int)ARRAY_SIZE(cmds), esrch);
}

/* ---- createdomain, getdomaininfo, pause, unpause, destroy ---- */

static void life(void)
{
	struct hv_domctl_getdomaininfo info;
	unsigned int i, ok = 0;

	T_CHECK(xc_domain_create(xch, 0, 256, 1, 1) == -EINVAL,
		"createdomain: domid 0 is refused (-EINVAL)");
	T_CHECK(xc_domain_create(xch, DOMID_SELF, 256, 1, 1) == -EINVAL,
		"createdomain: a reserved domid is refused (-EINVAL)");
	T_CHECK(xc_domain_create(xch, DOM_PLAIN, 0, 1, 1) == -EINVAL,
		"createdomain: no pages is refused (-EINVAL)");
	T_CHECK(xc_domain_create(xch, DOM_PLAIN, 256, 0, 1) == -EINVAL &&
		xc_domain_create(xch, DOM_PLAIN, 256, HV_MAX_VCPUS + 1, 1) == -EINVAL,
		"createdomain: 0 or %u vCPUs is refused (-EINVAL)", HV_MAX_VCPUS + 1);
	T_CHECK(xc_domain_getinfo(xch, DOM_PLAIN, &info) == -ESRCH,
		"createdomain: nothing was made by the refusals");
	T_CHECK(xc_domain_create(xch, DOM_PLAIN, 256, 2, 1) == 0,
		"createdomain: domain %u, 256 pages, 2 vCPUs", DOM_PLAIN);
	T_CHECK(xc_domain_create(xch, DOM_PLAIN, 512, 1, 2) == -EEXIST,
		"createdomain: the same domid again: -EEXIST");
	T_CHECK(raw(0x7777, DOM_PLAIN, NULL) == -ENOSYS,
		"shape: an unknown command: -ENOSYS, as Xen's");
	T_CHECK(xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 &&
		(info.flags & XEN_DOMINF_paused) && info.pause_count == 1 &&
		!(info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)) &&
		info.tot_pages == 0 && info.max_pages == 256 &&
		info.max_vcpu_id == 1 && info.nr_online_vcpus == 0 &&
		info.shared_info_frame && info.nr_frames > 512,
		"getdomaininfo: created empty and paused once, as Xen's (flags %#x, pause count %u)",
		info.flags, info.pause_count);

	/* No vCPU is up: the first unpause starts nothing, but starts it. */
	T_CHECK(xc_domain_unpause(xch, DOM_PLAIN) == 0 &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 &&
		!(info.flags & XEN_DOMINF_paused) && info.pause_count == 0,
		"unpausedomain: the first unpause starts the domain");
	T_CHECK(xc_domain_unpause(xch, DOM_PLAIN) == -EINVAL,
		"unpausedomain: with no pause held: -EINVAL, as Xen's");
	for (i = 0; i < 255; i++)
		ok += xc_domain_pause(xch, DOM_PLAIN) == 0;
	T_CHECK(ok == 255 && xc_domain_pause(xch, DOM_PLAIN) == -EOVERFLOW,
		"pausedomain: pauses nest up to 255, then -EOVERFLOW, as Xen's");
	T_CHECK(xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 &&
		(info.flags & XEN_DOMINF_paused) && info.pause_count == 255,
		"pausedomain: the overflow changed nothing (255 held)");
	for (ok = 0, i = 0; i < 255; i++)
		ok += xc_domain_unpause(xch, DOM_PLAIN) == 0;
	T_CHECK(ok == 255 && xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 &&
		!(info.flags & XEN_DOMINF_paused),
		"unpausedomain: each pause undone by one unpause");
	T_CHECK(xc_domain_resume_domctl(xch, DOM_PLAIN) == 0 &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 &&
		!(info.flags & XEN_DOMINF_shutdown),
		"resumedomain: on a running domain: 0 and nothing done, as Xen's");
}

/* ---- memory ---- */

static void memory(void)
{
	struct hv_domctl_getdomaininfo info;
	struct hv_domctl op = { .cmd = HV_DOMCTL_populate_physmap,
				.domain = DOM_PLAIN };
	struct hv_domctl_payload p = { .fd_in = -1 };
	mfn_t mfns[200], list[200];
	uint64_t small[4];
	bool ok = true;
	unsigned int i;

	T_CHECK(xc_domain_populate_physmap(xch, DOM_PLAIN, _pfn(200), 100, mfns) == -EINVAL &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 && info.tot_pages == 0,
		"populate_physmap: a run past max_pages: -EINVAL, nothing populated");
	op.u.pfns.nr = 8;
	p.out = small;
	p.out_max = sizeof(small);
	T_CHECK(xc_domctl(xch, &op, &p) == -ENOBUFS &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 && info.tot_pages == 0,
		"populate_physmap: no room for the answer: -ENOBUFS, nothing populated");
	T_CHECK(xc_domain_populate_physmap(xch, DOM_PLAIN, _pfn(0), 100, mfns) == 0 &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 && info.tot_pages == 100,
		"populate_physmap: pfns 0..99 get frames");
	for (i = 0; i < 100; i++)
		ok &= mfn_valid_raw(mfns[i]) && mfn_x(mfns[i]) != 0 &&
		      (i == 0 || !mfn_eq(mfns[i], mfns[i - 1]));
	T_CHECK(ok, "populate_physmap: 100 distinct frames, none the I/O frame");
	T_CHECK(xc_get_memlist(xch, DOM_PLAIN, _pfn(0), 100, list) == 0 &&
		!memcmp(list, mfns, sizeof(mfn_t) * 100),
		"getmemlist: the frames populate gave");
	T_CHECK(xc_domain_populate_physmap(xch, DOM_PLAIN, _pfn(50), 100, mfns + 100) == -EEXIST &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 && info.tot_pages == 100 &&
		xc_get_memlist(xch, DOM_PLAIN, _pfn(100), 50, list) == 0 &&
		!mfn_valid_raw(list[0]) && !mfn_valid_raw(list[49]),
		"populate_physmap: populating pfns twice: -EEXIST, and pfns 100..149 stay without frames");
	T_CHECK(xc_get_memlist(xch, DOM_PLAIN, _pfn(250), 10, list) == -EINVAL,
		"getmemlist: past max_pages: -EINVAL");
	T_CHECK(xc_domain_decrease_reservation(xch, DOM_PLAIN, _pfn(90), 20) == -ENOENT &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 && info.tot_pages == 100 &&
		xc_get_memlist(xch, DOM_PLAIN, _pfn(90), 1, list) == 0 &&
		mfn_eq(list[0], mfns[90]),
		"decrease_reservation: a pfn without a frame: -ENOENT, nothing released");
	T_CHECK(xc_domain_decrease_reservation(xch, DOM_PLAIN, _pfn(90), 10) == 0 &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 && info.tot_pages == 90 &&
		xc_get_memlist(xch, DOM_PLAIN, _pfn(90), 10, list) == 0 &&
		!mfn_valid_raw(list[0]) && !mfn_valid_raw(list[9]),
		"decrease_reservation: pfns 90..99 give their frames back");
	T_CHECK(xc_domain_populate_physmap(xch, DOM_PLAIN, _pfn(90), 10, mfns + 90) == 0 &&
		xc_domain_getinfo(xch, DOM_PLAIN, &info) == 0 && info.tot_pages == 100,
		"populate_physmap: released pfns can be populated again");
}

/* ---- prefill ---- */

#define DOM_PREFILL	21
#define PREFILL_PAGES	2048

/* Whether the host holds the page behind frame mfn (mincore). */
static bool resident(const struct xc_foreign_map *m, mfn_t mfn)
{
	unsigned char v = 0;

	return !mincore(xc_foreign_frame(m, mfn), 4096, &v) && (v & 1);
}

/*
 * The host memory behind the frames a domain will be given, made ready
 * in the background: after START(nr) and once STATUS says nr are done,
 * the nr frames populate_physmap hands out next are resident and zero,
 * and the next one is not (allocation itself touches nothing: without
 * the prefill none would be); nothing the domain sees changed.
 */
static void prefill(void)
{
	struct hv_domctl_getdomaininfo info;
	static mfn_t mfns[PREFILL_PAGES + 1];
	struct xc_foreign_map m;
	uint64_t nr = 1, done = 1, i, held = 0, zero = 0;
	unsigned int tries;

	T_CHECK(xc_domain_create(xch, DOM_PREFILL, PREFILL_PAGES + 1, 1, 3) == 0 &&
		xc_map_foreign(xch, DOM_PREFILL, &m) == 0,
		"prefill: domain %u of %u pages, its memory mapped", DOM_PREFILL,
		PREFILL_PAGES + 1);
	T_CHECK(xc_domain_prefill(xch, DOM_PREFILL, PREFILL_PAGES + 2) == -EINVAL &&
		xc_domain_prefill_status(xch, DOM_PREFILL, &nr, &done) == 0 &&
		nr == 0 && done == 0,
		"prefill: more than max_pages: -EINVAL, nothing started");
	T_CHECK(xc_domain_prefill(xch, DOM_PREFILL, PREFILL_PAGES) == 0,
		"prefill: START of %u frames returns at once", PREFILL_PAGES);
	/* A bound on the wait, not a timing: the host does 8 MiB in ms. */
	for (tries = 0; tries < 1000; tries++) {
		if (xc_domain_prefill_status(xch, DOM_PREFILL, &nr, &done) ||
		    done == nr)
			break;
		usleep(10000);
	}
	T_CHECK(nr == PREFILL_PAGES && done == PREFILL_PAGES,
		"prefill: STATUS says all %u done (%lu of %lu)", PREFILL_PAGES,
		(unsigned long)done, (unsigned long)nr);
	T_CHECK(xc_domain_getinfo(xch, DOM_PREFILL, &info) == 0 && info.tot_pages == 0,
		"prefill: no frame was handed out (tot_pages 0)");
	T_CHECK(xc_domain_populate_physmap(xch, DOM_PREFILL, _pfn(0),
					   PREFILL_PAGES + 1, mfns) == 0,
		"prefill: then populate_physmap of %u pfns", PREFILL_PAGES + 1);
	for (i = 0; i < PREFILL_PAGES; i++) {
		const uint64_t *page = xc_foreign_frame(&m, mfns[i]);

		held += resident(&m, mfns[i]);
		zero += page[0] == 0 && page[511] == 0;
	}
	T_CHECK(held == PREFILL_PAGES,
		"prefill: every frame handed out was already in host memory (%lu of %u)",
		(unsigned long)held, PREFILL_PAGES);
	T_CHECK(zero == PREFILL_PAGES, "prefill: ... and reads as zero");
	T_CHECK(!resident(&m, mfns[PREFILL_PAGES]),
		"prefill: the frame after them was not touched (allocation alone does not)");
	xc_unmap_foreign(&m);
	T_CHECK(xc_domain_prefill(xch, DOM_PREFILL, 0) == 0 &&
		xc_domain_prefill_status(xch, DOM_PREFILL, &nr, &done) == 0 &&
		nr == 0 && done == 0,
		"prefill: START of 0 stops it (STATUS 0 of 0)");
	T_CHECK(xc_domain_prefill(xch, NOSUCH, 1) == -ESRCH,
		"prefill: no such domain: -ESRCH");
}

/*
 * Last of all (a destroyed domain leaves the guest window mapped, which
 * the test domains of the checks before need free).
 */
static void prefill_destroyed(void)
{
	struct hv_domctl_getdomaininfo info;

	T_CHECK(xc_domain_prefill(xch, DOM_PREFILL, PREFILL_PAGES) == 0 &&
		xc_domain_destroy(xch, DOM_PREFILL) == 0 &&
		xc_domain_getinfo(xch, DOM_PREFILL, &info) == -ESRCH,
		"prefill: a domain destroyed while its prefill runs is gone");
}

/* ---- the test domain: frame types, contexts, start of day ---- */

/*
 * The audit's view of each pfn's type, found independently of the frame
 * table: every table reached from the vCPU's base pointer is typed by the
 * level it is reached at, and the pin is the L4 the test domain pinned.
 */
static uint32_t walk_type(struct tenv *e, mfn_t mfn, mfn_t pinned)
{
	uint64_t *l4 = hv_mfn_ptr(e->d->m, e->v->cr3), *l3, *l2;
	unsigned int a, b, c;

	if (mfn_eq(mfn, e->v->cr3))
		return XEN_DOMCTL_PFINFO_L4TAB |
		       (mfn_eq(mfn, pinned) ? XEN_DOMCTL_PFINFO_LPINTAB : 0);
	for (a = 0; a < 512; a++) {
		if (!(l4[a] & PTE_P) || a == HV_M2P_SLOT)
			continue;
		if (mfn_eq(pte_mfn(l4[a]), mfn))
			return XEN_DOMCTL_PFINFO_L3TAB;
		l3 = hv_mfn_ptr(e->d->m, pte_mfn(l4[a]));
		for (b = 0; b < 512; b++) {
			if (!(l3[b] & PTE_P))
				continue;
			if (mfn_eq(pte_mfn(l3[b]), mfn))
				return XEN_DOMCTL_PFINFO_L2TAB;
			l2 = hv_mfn_ptr(e->d->m, pte_mfn(l3[b]));
			for (c = 0; c < 512; c++)
				if ((l2[c] & PTE_P) && mfn_eq(pte_mfn(l2[c]), mfn))
					return XEN_DOMCTL_PFINFO_L1TAB;
		}
	}
	return XEN_DOMCTL_PFINFO_NOTAB;
}

static void frame_types(void)
{
	const uint64_t up = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
	uint64_t va = HV_TEST_VA + (1UL << 39);
	pfn_t pfns[260];
	uint32_t types[260];
	unsigned int i, same = 0;
	mfn_t l3, l2, l1;
	struct tenv e;

	if (!tenv_new(&e, 256))
		return;
	/* A second hierarchy, hooked in by the guest's own hypercalls. */
	l3 = new_frame(&e);
	l2 = new_frame(&e);
	l1 = new_frame(&e);
	poke(&e, l2, (va >> 21) & 511, pte(l1, up));
	poke(&e, l3, (va >> 30) & 511, pte(l2, up));
	T_CHECK(set_entry(&e, cur_l4(&e), (va >> 39) & 511, pte(l3, up)) == 0,
		"frame types: a second L3-L2-L1 chain hooked into the L4");
	for (i = 0; i < 260; i++)
		pfns[i] = _pfn(i < 256 ? i : 1000 + i);
	T_CHECK(xc_get_pfn_type_batch(xch, HV_TEST_DOMID, 260, pfns, types) == 0,
		"getpageframeinfo3: 260 pfns in one batch");
	for (i = 0; i < 256; i++)
		same += types[i] == walk_type(&e, mfn_of(&e, i), hv_test_l4(e.d));
	T_CHECK(same == 256,
		"getpageframeinfo3: each of 256 pfns has the type a walk from the base pointer finds (%u agree)",
		same);
	T_CHECK(types[HV_TEST_L4_PFN] == (XEN_DOMCTL_PFINFO_L4TAB | XEN_DOMCTL_PFINFO_LPINTAB) &&
		types[HV_TEST_L1_PFN] == XEN_DOMCTL_PFINFO_L1TAB &&
		types[40] == XEN_DOMCTL_PFINFO_NOTAB,
		"getpageframeinfo3: L4TAB|LPINTAB, L1TAB, NOTAB as Xen's values");
	T_CHECK(types[256] == XEN_DOMCTL_PFINFO_XTAB && types[259] == XEN_DOMCTL_PFINFO_XTAB,
		"getpageframeinfo3: pfns past max_pages: XTAB");
	T_CHECK(audit_ok(&e), "getpageframeinfo3: and the audit, counting from scratch, agrees");
	T_CHECK(unpin(&e, hv_test_l4(e.d)) == 0 &&
		xc_get_pfn_type_batch(xch, HV_TEST_DOMID, 1, pfns, types) == 0 &&
		types[0] == XEN_DOMCTL_PFINFO_L4TAB,
		"getpageframeinfo3: unpinned, the L4 is L4TAB without LPINTAB");
	T_CHECK(tenv_free(&e) == 0, "frame types: no leak");
}

static void contexts(void)
{
	struct vcpu_guest_context *a = calloc(1, sizeof(*a)),
				  *b = calloc(1, sizeof(*b)),
				  *c = calloc(1, sizeof(*c));
	struct hv_domctl op = { .cmd = HV_DOMCTL_setvcpucontext,
				.domain = HV_TEST_DOMID };
	struct hv_domctl_payload p = { .in = a, .in_len = 100, .fd_in = -1 };
	struct tenv e;
	struct snap s;
	mfn_t l4b;

	if (!tenv_new(&e, 256))
		return;
	T_CHECK(xc_vcpu_getcontext(xch, HV_TEST_DOMID, 2, a) == -EINVAL &&
		xc_vcpu_setcontext(xch, HV_TEST_DOMID, 2, a) == -EINVAL,
		"vcpucontext: a vCPU the domain does not have: -EINVAL, as Xen's");
	T_CHECK(xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, a) == 0 &&
		a->ctrlreg[3] == xen_pfn_to_cr3(mfn_x(hv_test_l4(e.d))) &&
		(a->flags & VGCF_in_kernel) && !(a->flags & VGCF_online) &&
		a->user_regs.rip == HV_TEST_VA && a->user_regs.cs == FLAT_KERNEL_CS &&
		a->user_regs.ss == FLAT_KERNEL_SS,
		"getvcpucontext: the context the test domain was given (cr3 in Xen's 64-bit encoding, in kernel, down)");
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, a) == 0 &&
		xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, b) == 0 && ctx_equal(a, b),
		"setvcpucontext: what get gave, set unchanged, reads back byte for byte");
	T_CHECK(xc_domctl(xch, &op, &p) == -EINVAL,
		"setvcpucontext: a payload that is not one vcpu_guest_context: -EINVAL");

	/* Refusals, each leaving the vCPU and the frame table as they were. */
	*c = *a;
	c->user_regs.rip = 0x0000800000000000UL;
	snap_take(&e, &s);
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, c) == -EINVAL &&
		xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, b) == 0 && ctx_equal(a, b) &&
		snap_same(&e, &s),
		"setvcpucontext: a non-canonical rip: -EINVAL, nothing changed");
	*c = *a;
	c->trap_ctxt[14].address = 0xdead000000000000UL;
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, c) == -EINVAL &&
		xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, b) == 0 && ctx_equal(a, b),
		"setvcpucontext: a non-canonical trap handler: -EINVAL, nothing changed");
	*c = *a;
	c->vm_assist = 1UL << 20;
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, c) == -EINVAL &&
		xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, b) == 0 && ctx_equal(a, b),
		"setvcpucontext: a vm_assist bit Xen does not know: -EINVAL, nothing changed");
	/* Another valid L4 under a live vCPU: Xen never moves it this way. */
	l4b = new_frame(&e);
	*c = *a;
	c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(l4b));
	snap_take(&e, &s);
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, c) == -EOPNOTSUPP &&
		xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, b) == 0 && ctx_equal(a, b) &&
		snap_same(&e, &s),
		"setvcpucontext: another cr3 for an initialised vCPU: -EOPNOTSUPP, nothing changed");
	*c = *a;
	c->fs_base = HV_TEST_VA;
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, c) == -EOPNOTSUPP &&
		xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, b) == 0 && ctx_equal(a, b),
		"setvcpucontext: an FS base hv cannot give: -EOPNOTSUPP, nothing changed");
	*c = *a;
	c->user_regs.rax = 0x1234;
	c->user_regs.r15 = 0x5678;
	c->gs_base_kernel = HV_TEST_VA + 0x100;
	c->flags |= VGCF_online;
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, c) == 0 &&
		xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, b) == 0 &&
		b->user_regs.rax == 0x1234 && b->user_regs.r15 == 0x5678 &&
		b->gs_base_kernel == HV_TEST_VA + 0x100 && (b->flags & VGCF_online) &&
		e.v->regs.rax == 0x1234 && !e.v->down,
		"setvcpucontext: registers, GS base and VGCF_online are what the vCPU now has");
	/*
	 * A context as Xen 4.17 saved one of tern's vCPUs in the rig's xl
	 * save file (Documentation/two-hypervisors.rst): Xen's flat
	 * selectors, its guest view of cr0, cr4 and dr7, no FPU image.
	 * hv takes it and hands back its own form: the same selectors,
	 * stack and callbacks, no control registers.
	 */
	*c = *a;
	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.cs = FLAT_RING3_CS64;
	c->user_regs.ss = FLAT_RING3_SS64;
	c->user_regs.ds = c->user_regs.es = c->user_regs.fs = c->user_regs.gs = 0;
	c->user_regs.rflags = 0x246;
	c->kernel_ss = FLAT_RING3_SS64;
	c->kernel_sp = HV_TEST_VA + 0x800;
	c->gs_base_kernel = HV_TEST_VA + 0x140;
	c->event_callback_eip = HV_TEST_VA + 0x6ae;
	c->failsafe_callback_eip = HV_TEST_VA + 0x70d;
	c->ctrlreg[0] = 0x80050033;
	c->ctrlreg[4] = 0x660;
	c->debugreg[7] = 0x400;
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, c) == 0 &&
		xc_vcpu_getcontext(xch, HV_TEST_DOMID, 0, b) == 0 &&
		b->user_regs.cs == FLAT_KERNEL_CS && b->user_regs.ss == FLAT_KERNEL_SS &&
		b->kernel_ss == FLAT_KERNEL_SS && b->kernel_sp == HV_TEST_VA + 0x800 &&
		b->gs_base_kernel == HV_TEST_VA + 0x140 && !b->fs_base &&
		b->event_callback_eip == HV_TEST_VA + 0x6ae &&
		b->failsafe_callback_eip == HV_TEST_VA + 0x70d &&
		(b->flags & (VGCF_in_kernel | VGCF_online)) ==
			(VGCF_in_kernel | VGCF_online) &&
		!(b->flags & VGCF_i387_valid) &&
		!b->ctrlreg[0] && !b->ctrlreg[4] && !b->debugreg[7] &&
		b->ctrlreg[3] == a->ctrlreg[3],
		"setvcpucontext: a context as Xen saves one is taken; read back in hv's form (flat selectors, stack, GS base, callbacks kept; no cr0, cr4, dr7)");
	T_CHECK(xc_vcpu_setcontext(xch, HV_TEST_DOMID, 0, a) == 0 && e.v->down,
		"setvcpucontext: without VGCF_online the vCPU is down again");
	T_CHECK(audit_ok(&e), "vcpucontext: the audit agrees after it all");
	T_CHECK(tenv_free(&e) == 0, "vcpucontext: no leak");
	free(a);
	free(b);
	free(c);
}

/* A vCPU being initialised by setvcpucontext: cr3 must be an L4 of the domain. */
static void first_context(void)
{
	struct vcpu_guest_context *c = calloc(1, sizeof(*c)), *b = calloc(1, sizeof(*b));
	struct hv_domain *d;
	mfn_t mfns[4], page;
	struct tenv e;
	struct snap s;

	if (!tenv_new(&e, 256))
		return;
	T_CHECK(xc_vcpu_getcontext(xch, DOM_PLAIN, 1, b) == -ENODATA,
		"getvcpucontext: a vCPU never initialised: -ENODATA, as Xen's");
	pthread_mutex_lock(&hv_domctl_lock);
	d = hv_domain_find(DOM_PLAIN);
	pthread_mutex_unlock(&hv_domctl_lock);
	T_CHECK(xc_get_memlist(xch, DOM_PLAIN, _pfn(0), 4, mfns) == 0,
		"first context: frames of domain %u", DOM_PLAIN);
	c->flags = VGCF_in_kernel;
	c->user_regs.rip = HV_TEST_VA;
	/* Another domain's frame (the test domain's L4). */
	c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(hv_test_l4(e.d)));
	T_CHECK(xc_vcpu_setcontext(xch, DOM_PLAIN, 1, c) == -EINVAL &&
		!d->vcpus[1].initialised && !mfn_valid_raw(d->vcpus[1].cr3),
		"setvcpucontext: cr3 naming another domain's frame: -EINVAL, the vCPU stays uninitialised");
	/* A frame of ours that holds garbage cannot validate as an L4. */
	page = mfns[3];
	memset(hv_mfn_ptr(d->m, page), 0xff, HV_PAGE_SIZE);
	c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(page));
	T_CHECK(xc_vcpu_setcontext(xch, DOM_PLAIN, 1, c) == -EINVAL &&
		!d->vcpus[1].initialised && hv_frame(d->m, page)->type_count == 0 &&
		hv_frame(d->m, page)->count == 1,
		"setvcpucontext: cr3 that does not validate as an L4: -EINVAL, no reference left behind");
	memset(hv_mfn_ptr(d->m, page), 0, HV_PAGE_SIZE);
	c->flags = 0;
	T_CHECK(xc_vcpu_setcontext(xch, DOM_PLAIN, 1, c) == -EINVAL &&
		!d->vcpus[1].initialised,
		"setvcpucontext: user mode without a user L4: -EINVAL, as Xen's");
	c->flags = VGCF_in_kernel;
	snap_take(&e, &s);
	T_CHECK(xc_vcpu_setcontext(xch, DOM_PLAIN, 1, c) == 0 && d->vcpus[1].initialised &&
		mfn_eq(d->vcpus[1].cr3, page) &&
		hv_frame(d->m, page)->type == HV_PGT_L4 &&
		hv_frame(d->m, page)->type_count == 1,
		"setvcpucontext: an empty frame of ours becomes the vCPU's L4, one type reference");
	T_CHECK(snap_same(&e, &s), "setvcpucontext: the other domain's frames untouched");
	T_CHECK(xc_vcpu_getcontext(xch, DOM_PLAIN, 1, b) == 0 &&
		b->ctrlreg[3] == c->ctrlreg[3] && b->user_regs.rip == HV_TEST_VA,
		"getvcpucontext: reads the new vCPU's context back");
	T_CHECK(tenv_free(&e) == 0, "first context: no leak");
	free(b);
	free(c);
}

static void vcpu_info(void)
{
	struct hv_domctl_getvcpuinfo vi;
	uint8_t map[128];

	T_CHECK(xc_vcpu_getinfo(xch, DOM_PLAIN, 5, &vi) == -EINVAL,
		"getvcpuinfo: a vCPU the domain does not have: -EINVAL");
	T_CHECK(xc_vcpu_getinfo(xch, DOM_PLAIN, 0, &vi) == 0 && !vi.online &&
		!vi.running && vi.cpu == HV_VCPUINFO_NO_CPU && vi.cpu_time == 0,
		"getvcpuinfo: a vCPU without a thread is offline, on no CPU, no time");
	T_CHECK(xc_vcpu_getaffinity(xch, DOM_PLAIN, 0, map, sizeof(map)) == 0 &&
		xc_vcpu_getaffinity(xch, DOM_PLAIN, 9, map, sizeof(map)) == -EINVAL,
		"getvcpuaffinity: no thread, no mask; a bad vCPU: -EINVAL");
}

/* ---- start-of-day set-up: hypercall page, pins, rings, console ---- */

static void start_of_day(void)
{
	static const uint8_t stub[] = { 0x51, 0x41, 0x53, 0xb8, 29, 0, 0, 0,
					0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
	struct hv_domctl op = { .cmd = HV_DOMCTL_mmuext_op,
				.domain = HV_TEST_DOMID };
	uint32_t port;
	int pfd[2], sv[2];
	char buf[64];
	struct tenv e;
	struct snap s;
	mfn_t page;

	if (!tenv_new(&e, 256))
		return;
	page = mfn_of(&e, 40);
	T_CHECK(xc_domain_hypercall_init(xch, HV_TEST_DOMID, _mfn(e.d->m->nr_frames + 5)) == -EINVAL &&
		xc_domain_hypercall_init(xch, HV_TEST_DOMID, mfn_of(&e, HV_TEST_L1_PFN)) == -EINVAL,
		"hypercall_init: a frame not the domain's, or a pagetable: -EINVAL, as Xen's");
	T_CHECK(xc_domain_hypercall_init(xch, HV_TEST_DOMID, page) == 0 &&
		!memcmp((uint8_t *)hv_mfn_ptr(e.d->m, page) + 29 * 32, stub, sizeof(stub)) &&
		frame_of(&e, page)->type_count == 0 && frame_of(&e, page)->hv_refs == 0,
		"hypercall_init: Xen's stubs (sched_op at 29 * 32: push, mov, syscall, pop, ret), no reference kept");

	snap_take(&e, &s);
	op.u.mmuext_op.cmd = MMUEXT_NEW_BASEPTR;
	op.u.mmuext_op.mfn = mfn_x(hv_test_l4(e.d));
	T_CHECK(xc_domctl(xch, &op, NULL) == -EINVAL &&
		xc_mmuext_pin(xch, HV_TEST_DOMID, 4, hv_test_l4(e.d)) == -EINVAL &&
		xc_mmuext_pin(xch, HV_TEST_DOMID, 1, mfn_of(&e, HV_TEST_P2M_PFN + 2)) == -EINVAL &&
		snap_same(&e, &s),
		"mmuext_op: a command other than pin/unpin, a second pin, a writable page as L1: -EINVAL, nothing changed");
	T_CHECK(xc_mmuext_pin(xch, HV_TEST_DOMID, 1, mfn_of(&e, 41)) == 0 &&
		(frame_of(&e, mfn_of(&e, 41))->flags & HV_PGF_PINNED) &&
		xc_mmuext_pin(xch, HV_TEST_DOMID, 0, mfn_of(&e, 41)) == 0 &&
		!(frame_of(&e, mfn_of(&e, 41))->flags & HV_PGF_PINNED),
		"mmuext_op: pin an unmapped frame as an L1, unpin it");

	T_CHECK(xc_ring_setup(xch, HV_TEST_DOMID, 7, page, &port) == -EINVAL &&
		xc_ring_setup(xch, HV_TEST_DOMID, HV_RING_STORE, _mfn(e.d->m->nr_frames + 1), &port) == -EINVAL &&
		xc_ring_setup(xch, HV_TEST_DOMID, HV_RING_STORE, mfn_of(&e, HV_TEST_L2_PFN), &port) == -EINVAL,
		"ring_setup: an unknown kind, a frame not the domain's, a pagetable: -EINVAL");
	T_CHECK(xc_ring_setup(xch, HV_TEST_DOMID, HV_RING_STORE, mfn_of(&e, 42), &port) == 0 &&
		port == 1 && frame_of(&e, mfn_of(&e, 42))->hv_refs == 1,
		"ring_setup: the xenstore ring held, port 1");
	T_CHECK(xc_ring_setup(xch, HV_TEST_DOMID, HV_RING_STORE, mfn_of(&e, 43), &port) == -EEXIST,
		"ring_setup: a second xenstore ring: -EEXIST");
	T_CHECK(xc_ring_setup(xch, HV_TEST_DOMID, HV_RING_CONSOLE, mfn_of(&e, 43), &port) == 0 &&
		port == 2, "ring_setup: the console ring, port 2");

	T_CHECK(xc_console_output(xch, HV_TEST_DOMID, -1) == -EBADF,
		"console_output: no descriptor: -EBADF");
	T_CHECK(!pipe2(pfd, O_CLOEXEC | O_NONBLOCK) &&
		xc_console_output(xch, HV_TEST_DOMID, pfd[1]) == 0 &&
		xc_console_output(xch, HV_TEST_DOMID, pfd[1]) == 0 &&
		xc_console_output(xch, HV_TEST_DOMID, pfd[1]) == -ENOSPC,
		"console_output: two outputs, a third: -ENOSPC");
	close(pfd[1]);
	memcpy(hv_mfn_ptr(e.d->m, mfn_of(&e, 20)), "hello", 5);
	T_CHECK(hcall(&e, __HYPERVISOR_console_io, CONSOLEIO_write, 5,
		      HV_TEST_VA + 20 * HV_PAGE_SIZE, 0) == 0 &&
		read(pfd[0], buf, sizeof(buf)) == 10 && !memcmp(buf, "hellohello", 10),
		"console_output: console_io reaches both outputs");
	close(pfd[0]);

	/* The store port's toolstack end, a socket. */
	T_CHECK(xc_evtchn_bind_fd(xch, HV_TEST_DOMID, 2, 0, 'k', 'n') == -EINVAL &&
		xc_evtchn_bind_fd(xch, HV_TEST_DOMID, 0, 0, 'k', 'n') == -EINVAL &&
		xc_evtchn_bind_fd(xch, HV_TEST_DOMID, 1, -1, 'k', 'n') == -EBADF,
		"evtchn_bind_fd: a port bound to a backend, port 0, no descriptor: refused");
	T_CHECK(!socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) &&
		xc_evtchn_bind_fd(xch, HV_TEST_DOMID, 1, sv[1], 'k', 'n') == 0,
		"evtchn_bind_fd: the xenstore port's other end is a socket");
	close(sv[1]);
	{
		struct evtchn_send send = { .port = 1 };
		struct pollfd pf = { .fd = sv[0], .events = POLLIN };

		hv_copy_to_guest(e.v, e.arg_va, &send, sizeof(send));
		T_CHECK(hcall(&e, __HYPERVISOR_event_channel_op, EVTCHNOP_send,
			      e.arg_va, 0, 0) == 0 && poll(&pf, 1, 5000) == 1 &&
			read(sv[0], buf, 1) == 1 && buf[0] == 'k',
			"evtchn_bind_fd: the guest's send on the port arrives as 'k'");
	}
	/* Raises: deferred while the domain is frozen (it was never started). */
	T_CHECK(write(sv[0], "n", 1) == 1, "evtchn_bind_fd: the toolstack raises the port");
	usleep(100 * 1000);
	T_CHECK(!(e.d->shared_info->evtchn_pending[0] & 2) && (e.d->deferred[0] & 2),
		"evtchn_bind_fd: a frozen domain's shared_info is left alone: the raise waits");
	T_CHECK(xc_domain_unpause(xch, HV_TEST_DOMID) == 0 &&
		(e.d->shared_info->evtchn_pending[0] & 2) && !(e.d->deferred[0] & 2),
		"evtchn_bind_fd: unpaused, the waiting raise reaches the guest");
	close(sv[0]);
	T_CHECK(tenv_free(&e) == 0, "start of day: no leak");
}

/* ---- reports, log-dirty, foreign mapping ---- */

static void reports(void)
{
	struct hv_domctl_shadow_op so = { .op = XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY };
	struct xc_foreign_map map = { .memfd = -1 };
	char *text = NULL;
	struct tenv e;
	uint64_t word = 0x0123456789abcdefUL;
	unsigned int ops[] = { XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
			       XEN_DOMCTL_SHADOW_OP_PEEK,
			       XEN_DOMCTL_SHADOW_OP_CLEAN,
			       XEN_DOMCTL_SHADOW_OP_OFF }, i, ok = 0;
	uint8_t bitmap[64];

	if (!tenv_new(&e, 256))
		return;
	T_CHECK(xc_debug_keys(xch, HV_TEST_DOMID, "qx", &text) == -EINVAL && !text,
		"debug_keys: an unknown key among them: -EINVAL, nothing sent");
	T_CHECK(xc_debug_keys(xch, HV_TEST_DOMID, "q", &text) == 0 && text &&
		strstr(text, "notifying vCPU 0 (virq 1, port 0)") &&
		strstr(text, "notifying vCPU 1 (virq 1, port 0)"),
		"debug_keys: 'q' notifies every vCPU, one line each");
	free(text);
	T_CHECK(hcall(&e, __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0) > 0 &&
		xc_domain_stats(xch, HV_TEST_DOMID, &text) == 0 && text &&
		strstr(text, "xen_version") && strstr(text, "mmu operation"),
		"get_stats: hypercall counts and the PV MMU's, as text");
	free(text);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		so.op = ops[i];
		so.pages = sizeof(bitmap) * 8;
		ok += xc_shadow_control(xch, HV_TEST_DOMID, &so, bitmap,
					sizeof(bitmap)) == 0;
	}
	so.op = 99;
	T_CHECK(ok == ARRAY_SIZE(ops) &&
		xc_shadow_control(xch, HV_TEST_DOMID, &so, bitmap, sizeof(bitmap)) == -EINVAL,
		"shadow_op: Xen's log-dirty verbs through the door (t_logdirty has their contracts); others -EINVAL");

	T_CHECK(xc_map_foreign(xch, HV_TEST_DOMID, &map) == 0 && map.memfd >= 0 &&
		map.nr_frames == e.d->m->nr_frames,
		"map_foreign: the domain's memory comes as a descriptor, all its frames");
	hv_copy_to_guest(e.v, HV_TEST_VA + 21 * HV_PAGE_SIZE + 8, &word, 8);
	T_CHECK(map.base && !memcmp((uint8_t *)xc_foreign_frame(&map, mfn_of(&e, 21)) + 8,
				    &word, 8),
		"map_foreign: what the guest wrote at a virtual address reads back at its frame");
	word = ~word;
	memcpy((uint8_t *)xc_foreign_frame(&map, mfn_of(&e, 22)) + 16, &word, 8);
	{
		uint64_t got = 0;

		hv_copy_from_guest(e.v, &got, HV_TEST_VA + 22 * HV_PAGE_SIZE + 16, 8);
		T_CHECK(got == word, "map_foreign: the mapping is shared: the guest reads what it wrote");
	}
	xc_unmap_foreign(&map);
	T_CHECK(tenv_free(&e) == 0, "reports: no leak");
}

/* ---- the control socket ---- */

static int serve(char *path, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/t_domctl.XXXXXX";
	int fd;

	if (!mkdtemp(dir))
		return -1;
	snprintf(path, len, "%s/ctl", dir);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4))
		return -1;
	return hv_control_serve(fd);
}

static void socket_protocol(void)
{
	struct hv_domctl_getdomaininfo local, remote;
	struct xc_foreign_map map = { .memfd = -1 };
	struct hv_ctl_request req = { .magic = HV_CTL_MAGIC };
	struct hv_ctl_response resp;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	xc_interface *sx;
	char path[100], *text = NULL;
	mfn_t mfns[4];
	int fd, n, pfd[2];

	T_CHECK(serve(path, sizeof(path)) == 0, "socket: served at %s", path);
	sx = xc_interface_open_socket(path);
	T_CHECK(sx != NULL, "socket: a client connects");
	if (!sx)
		return;
	T_CHECK(xc_domain_getinfo(xch, DOM_PLAIN, &local) == 0 &&
		xc_domain_getinfo(sx, DOM_PLAIN, &remote) == 0 &&
		local.tot_pages == remote.tot_pages &&
		local.shared_info_frame == remote.shared_info_frame &&
		local.flags == remote.flags,
		"socket: getdomaininfo answers as in-process");
	T_CHECK(xc_get_memlist(sx, DOM_PLAIN, _pfn(0), 4, mfns) == 0 &&
		xc_get_memlist(xch, DOM_PLAIN, _pfn(0), 1, mfns + 3) == 0 &&
		mfn_eq(mfns[0], mfns[3]) &&
		xc_domain_getinfo(sx, NOSUCH, &remote) == -ESRCH &&
		xc_domain_stats(sx, DOM_PLAIN, &text) == 0 && strstr(text, "hypercall"),
		"socket: several requests on one connection, payloads and errors as they are");
	free(text);
	T_CHECK(xc_map_foreign(sx, DOM_PLAIN, &map) == 0 && map.memfd >= 0 &&
		!memcmp(xc_foreign_frame(&map, mfns[0]), xc_foreign_frame(&map, mfns[0]), 8),
		"socket: map_foreign's memfd comes over the socket (SCM_RIGHTS)");
	if (map.base) {
		struct hv_domain *d;

		pthread_mutex_lock(&hv_domctl_lock);
		d = hv_domain_find(DOM_PLAIN);
		pthread_mutex_unlock(&hv_domctl_lock);
		memcpy(xc_foreign_frame(&map, mfns[1]), "foreign!", 8);
		T_CHECK(!memcmp(hv_mfn_ptr(d->m, mfns[1]), "foreign!", 8),
			"socket: the passed memfd is the domain's memory itself");
	}
	xc_unmap_foreign(&map);
	T_CHECK(!pipe2(pfd, O_CLOEXEC) && xc_console_output(sx, DOM_PLAIN, pfd[1]) == 0,
		"socket: a descriptor goes the other way too (console_output)");
	close(pfd[0]);
	close(pfd[1]);
	xc_interface_close(sx);

	/* A request the server cannot read: answered, then the line closes. */
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	T_CHECK(fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa)),
		"socket: a raw connection");
	req.magic = 0xbad;
	n = write(fd, &req, sizeof(req)) == sizeof(req) &&
	    read(fd, &resp, sizeof(resp)) == sizeof(resp);
	T_CHECK(n && resp.rc == -EPROTO && read(fd, &resp, 1) == 0,
		"socket: a bad magic gets -EPROTO and the connection is closed");
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	req.magic = HV_CTL_MAGIC;
	req.in_len = HV_DOMCTL_MAX_PAYLOAD + 1;
	req.op.cmd = HV_DOMCTL_getdomaininfo;
	req.op.domain = DOM_PLAIN;
	req.op.interface_version = HV_DOMCTL_INTERFACE_VERSION;
	n = write(fd, &req, sizeof(req)) == sizeof(req) &&
	    read(fd, &resp, sizeof(resp)) == sizeof(resp);
	T_CHECK(n && resp.rc == -EINVAL && read(fd, &resp, 1) == 0,
		"socket: a payload over the limit gets -EINVAL and the connection is closed");
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	req.in_len = 0;
	req.flags = HV_CTL_FD;
	n = write(fd, &req, sizeof(req)) == sizeof(req) &&
	    read(fd, &resp, sizeof(resp)) == sizeof(resp);
	T_CHECK(n && resp.rc == -EINVAL,
		"socket: a request that promises a descriptor and has none: -EINVAL");
	close(fd);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

int main(void)
{
	/* The console pipes close before the domains that write them. */
	signal(SIGPIPE, SIG_IGN);
	xch = xc_interface_open_local();
	shape();
	life();
	memory();
	prefill();
	frame_types();
	contexts();
	first_context();
	vcpu_info();
	start_of_day();
	reports();
	socket_protocol();
	prefill_destroyed();
	T_CHECK(xc_domain_destroy(xch, DOM_PLAIN) == 0 &&
		xc_domain_destroy(xch, DOM_PLAIN) == -ESRCH,
		"destroydomain: gone, and a second destroy finds nothing (-ESRCH)");
	xc_interface_close(xch);
	T_DONE();
}
