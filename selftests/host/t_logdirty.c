// SPDX-License-Identifier: MIT
/*
 * Log-dirty in the hypervisor (issue 13), in-process on test domains, the
 * whole of it under each mechanism in turn (TERN_HV_LOGDIRTY=uffd, then
 * ro).  The test's own thread plays the guest: it writes through the
 * shadow at the guest's addresses, and a SIGSEGV handler hands each
 * shadow miss to hv_shadow_fault(), as a vCPU thread's handler does.  It
 * proves:
 *
 *  - the verbs' contracts and errors, as Xen 4.17 gives them: PEEK and
 *    CLEAN before ENABLE succeed with an all-clear bitmap; ENABLE twice is
 *    -EINVAL, OFF twice 0; CLEAN clears and PEEK does not; a bitmap with
 *    too little room is -ENOBUFS and clears nothing; a shorter bitmap
 *    returns and clears only its part; no bitmap gives the counts and
 *    still cleans; bad modes and verbs are -EINVAL or -EOPNOTSUPP;
 *  - guest writes: a read dirties nothing; the first write of a round
 *    marks exactly its pfn and counts one fault; a frame mapped at two
 *    addresses is dirtied through either; mappings made after CLEAN are
 *    tracked; a write through a mapping the shadow drops before CLEAN
 *    (invlpg, flush, an entry changed to another frame) is not lost;
 *  - every path by which the hypervisor writes guest memory marks the
 *    frame: copy to guest, a pagetable entry rewritten, a table
 *    validated, pinned, unpinned or retyped (and getpageframeinfo3 shows
 *    each new type of a frame the bitmap holds), a plain mmu_update
 *    write, CLEAR_PAGE and COPY_PAGE, MACHPHYS_UPDATE, a registered
 *    vcpu_info (event bits, time, cr2), the bounce frame on the stack,
 *    the console ring's index, the hypercall page, populate and release;
 *    shared_info never appears; the xenstore ring, written by another
 *    process, appears with FINAL; the guest's p2m frame when it writes
 *    its p2m;
 *  - no write is lost under concurrency: three threads write random pages
 *    of a 16 MiB guest while a fourth keeps dropping the shadow (flushes,
 *    invlpg, entries rewritten) and the main thread runs CLEAN rounds: a
 *    copy kept as a migration keeps it (all pages, then each round's
 *    bitmap) equals memory at the end, and every page that changed
 *    between two rounds' snapshots is in one of their bitmaps;
 *  - a 1 GiB guest, every page written, then every other page: the
 *    process's VMA count stays far below vm.max_map_count;
 *  - the MMU audit and the shadow audit (log-dirty's record against the
 *    host's mappings) stay clean throughout.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "t_mmu.h"
#include "tools/libs/ctrl/xc.h"
#include "hv/arch/x86/private.h"
#include <xen/interface/event_channel.h>
#include <xen/interface/io/console.h>
#include <xen/interface/vcpu.h>

static xc_interface *xch;
static const char *mech;
static uint8_t bm[HV_DOMCTL_MAX_PAYLOAD];
static xc_shadow_op_stats_t st;

/* ---- the guest's side: accesses through the shadow ---- */

static __thread struct hv_vcpu *guest_vcpu;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	static const char msg[] = "t_logdirty: the shadow refused a guest access\n";
	ucontext_t *uc = ctx;
	struct hv_vcpu *v = guest_vcpu;
	uint64_t ec;

	if (v && hv_shadow_fault(v, (uint64_t)si->si_addr, UC_REG(uc, ERR),
				 &ec) == HV_SHADOW_RETRY)
		return;
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(3);
}

static void guest_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
}

static volatile uint64_t *gva(uint64_t pfn, unsigned int off)
{
	return (volatile uint64_t *)(HV_TEST_VA + pfn * HV_PAGE_SIZE + off);
}

static void gw(uint64_t pfn, uint64_t val)
{
	*gva(pfn, 8 * (val % 512)) = val;
}

static uint64_t gr(uint64_t pfn)
{
	return *gva(pfn, 0);
}

/* ---- the toolstack's side ---- */

static long ld(unsigned int op, unsigned int mode, uint8_t *bitmap,
	       uint64_t pages)
{
	memset(&st, 0xff, sizeof(st));
	return xc_logdirty_control(xch, HV_TEST_DOMID, op, bitmap, pages, mode,
				   &st);
}

static long enable(void)
{
	return ld(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL, 0);
}

static long off(void)
{
	return ld(XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0);
}

static long clean(uint64_t pages)
{
	memset(bm, 0xa5, sizeof(bm));
	return ld(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, bm, pages);
}

static long ld_peek(uint64_t pages)
{
	memset(bm, 0xa5, sizeof(bm));
	return ld(XEN_DOMCTL_SHADOW_OP_PEEK, 0, bm, pages);
}

static bool bit(const uint8_t *b, uint64_t pfn)
{
	return b[pfn / 8] >> (pfn % 8) & 1;
}

static uint64_t nr_bits(const uint8_t *b, uint64_t pages)
{
	uint64_t n = 0, i;

	for (i = 0; i < pages; i++)
		n += bit(b, i);
	return n;
}

/* The set bits, as text, for a failing check's comment. */
static const char *bits_text(const uint8_t *b, uint64_t pages)
{
	static char buf[512];
	size_t n = 0;
	uint64_t i;

	buf[0] = '\0';
	for (i = 0; i < pages && n < sizeof(buf) - 24; i++)
		if (bit(b, i))
			n += snprintf(buf + n, sizeof(buf) - n, " %lu",
				      (unsigned long)i);
	return buf;
}

/* Exactly the pfns listed (ending with ~0) are set among the first pages. */
static bool exactly(uint64_t pages, const uint64_t *pfns)
{
	uint64_t want = 0;
	bool ok = true;

	for (; *pfns != ~0UL; pfns++, want++)
		ok &= bit(bm, *pfns);
	ok &= nr_bits(bm, pages) == want;
	if (!ok)
		printf("# bitmap:%s\n", bits_text(bm, pages));
	return ok;
}

#define EXACTLY(pages, ...) exactly(pages, (const uint64_t[]){ __VA_ARGS__, ~0UL })

static bool audits_ok(struct tenv *e)
{
	return audit_ok(e) && shadow_ok(e);
}

static uint32_t pfinfo(uint64_t pfn)
{
	pfn_t p = _pfn(pfn);
	uint32_t t = ~0U;

	xc_get_pfn_type_batch(xch, HV_TEST_DOMID, 1, &p, &t);
	return t;
}

/* ---- the verbs' contracts ---- */

#define PAGES	256

static void contracts(void)
{
	struct hv_domctl_shadow_op so;
	struct tenv e;
	bool zero;
	uint64_t i;

	if (!tenv_new(&e, PAGES))
		return;
	guest_vcpu = e.v;
	gw(10, 1);
	T_CHECK(ld_peek(PAGES) == PAGES && nr_bits(bm, PAGES) == 0 &&
		!st.fault_count && !st.dirty_count &&
		clean(PAGES) == PAGES && nr_bits(bm, PAGES) == 0,
		"%s: PEEK and CLEAN before ENABLE: 0 (pages back), an all-clear bitmap, counts 0, as Xen", mech);
	T_CHECK(enable() == 0 && enable() == -EINVAL,
		"%s: ENABLE, then ENABLE again: -EINVAL (Xen's paging_log_dirty_enable)", mech);
	T_CHECK(ld_peek(PAGES) == PAGES && nr_bits(bm, PAGES) == 0,
		"%s: a write made before ENABLE is not in the first bitmap", mech);
	gw(10, 2);
	gw(10, 3);
	T_CHECK(ld_peek(PAGES) == PAGES && EXACTLY(PAGES, 10) &&
		st.fault_count == 1 && st.dirty_count == 1,
		"%s: two writes to one page: its bit, one fault, one dirty page", mech);
	T_CHECK(ld_peek(PAGES) == PAGES && EXACTLY(PAGES, 10) && st.dirty_count == 1,
		"%s: PEEK leaves the bitmap as it was", mech);
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 10) &&
		st.fault_count == 1 && st.dirty_count == 1,
		"%s: CLEAN returns the bitmap and the counts", mech);
	T_CHECK(clean(PAGES) == PAGES && nr_bits(bm, PAGES) == 0 &&
		!st.fault_count && !st.dirty_count,
		"%s: the next CLEAN without a write: clear, counts 0", mech);

	memset(&so, 0, sizeof(so));
	so.op = XEN_DOMCTL_SHADOW_OP_PEEK;
	so.mode = 2;
	so.pages = PAGES;
	T_CHECK(xc_shadow_control(xch, HV_TEST_DOMID, &so, bm, sizeof(bm)) == -EINVAL,
		"%s: PEEK with a mode bit other than FINAL: -EINVAL, as Xen", mech);
	gw(11, 4);
	so.op = XEN_DOMCTL_SHADOW_OP_CLEAN;
	so.mode = 0;
	T_CHECK(xc_shadow_control(xch, HV_TEST_DOMID, &so, bm, PAGES / 8 - 1) == -ENOBUFS &&
		ld_peek(PAGES) == PAGES && EXACTLY(PAGES, 11),
		"%s: CLEAN with room for less than pages bits: -ENOBUFS, and the bit is still there", mech);
	so.pages = HV_DOMCTL_MAX_PAYLOAD * 8UL + 1;
	T_CHECK(xc_shadow_control(xch, HV_TEST_DOMID, &so, NULL, 0) == -EINVAL &&
		ld_peek(PAGES) == PAGES && EXACTLY(PAGES, 11),
		"%s: a bitmap larger than a payload can carry: -EINVAL, nothing cleared", mech);
	T_CHECK(ld(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, NULL, PAGES) == PAGES &&
		st.dirty_count == 1 && st.fault_count == 1 &&
		ld_peek(PAGES) == PAGES && nr_bits(bm, PAGES) == 0,
		"%s: CLEAN without a bitmap: the counts, and the bitmap cleared (Xen's NULL handle)", mech);
	gw(6, 5);
	gw(20, 6);
	T_CHECK(clean(16) == 16 && EXACTLY(16, 6) && bm[2] == 0xa5 &&
		clean(PAGES) == PAGES && EXACTLY(PAGES, 20),
		"%s: CLEAN of the first 16 pfns returns and clears only those; pfn 20 comes with the next", mech);
	gw(7, 7);
	T_CHECK(clean(4 * PAGES) == 4 * PAGES && EXACTLY(4 * PAGES, 7),
		"%s: a bitmap beyond the domain: pages comes back as asked, the bits beyond clear", mech);
	T_CHECK(off() == 0 && off() == 0,
		"%s: OFF, and OFF again: 0 (Xen)", mech);
	gw(8, 8);
	T_CHECK(ld_peek(PAGES) == PAGES && nr_bits(bm, PAGES) == 0 &&
		enable() == 0 && ld_peek(PAGES) == PAGES && nr_bits(bm, PAGES) == 0,
		"%s: after OFF nothing is tracked, and the next ENABLE starts clear", mech);
	T_CHECK(off() == 0 &&
		ld(XEN_DOMCTL_SHADOW_OP_ENABLE, XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY, NULL, 0) == 0 &&
		off() == 0,
		"%s: ENABLE with mode ENABLE_LOG_DIRTY is ENABLE_LOGDIRTY", mech);
	T_CHECK(ld(XEN_DOMCTL_SHADOW_OP_ENABLE, 0, NULL, 0) == -EOPNOTSUPP &&
		ld(XEN_DOMCTL_SHADOW_OP_ENABLE_TEST, 0, NULL, 0) == -EOPNOTSUPP &&
		ld(XEN_DOMCTL_SHADOW_OP_ENABLE, 2, NULL, 0) == -EINVAL,
		"%s: shadow test mode: -EOPNOTSUPP; ENABLE with other modes: -EINVAL", mech);
	T_CHECK(ld(XEN_DOMCTL_SHADOW_OP_ENABLE_TRANSLATE, 0, NULL, 0) == -EINVAL &&
		ld(XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION, 0, NULL, 0) == -EINVAL &&
		ld(99, 0, NULL, 0) == -EINVAL,
		"%s: ENABLE_TRANSLATE, GET_ALLOCATION, an unknown verb: -EINVAL", mech);
	setenv("TERN_HV_LOGDIRTY", "bogus", 1);
	T_CHECK(enable() == -EOPNOTSUPP, "%s: TERN_HV_LOGDIRTY names no mechanism: ENABLE -EOPNOTSUPP", mech);
	setenv("TERN_HV_LOGDIRTY", !strcmp(mech, "uffd-wp-async") ? "uffd" : "ro", 1);
	zero = true;
	for (i = 0; i < e.d->m->nr_frames; i++)
		zero &= !hv_frame(e.d->m, _mfn(i))->hv_refs ||
			hv_frame(e.d->m, _mfn(i))->owner != HV_TEST_DOMID;
	T_CHECK(zero && audits_ok(&e), "%s: the audits are clean after the verbs", mech);
	T_CHECK(tenv_free(&e) == 0, "%s: contracts: no leak", mech);
}

/* ---- guest writes through the shadow ---- */

static void rewrite_entry(struct tenv *e, uint64_t pfn)
{
	uint64_t idx = (HV_TEST_VA >> 12) % 512 + pfn;
	uint64_t *t = hv_mfn_ptr(e->d->m, mfn_of(e, HV_TEST_L1_PFN));

	hv_mmu_lock(e->d);
	hv_mod_entry(e->d, mfn_of(e, HV_TEST_L1_PFN), idx, t[idx], false);
	hv_mmu_unlock(e->d);
}

static void shadow(void)
{
	uint64_t alias = HV_TEST_VA + 100 * HV_PAGE_SIZE, l1idx;
	const uint64_t rw = PTE_P | PTE_RW | PTE_A | PTE_D;
	struct tenv e;

	if (!tenv_new(&e, PAGES))
		return;
	guest_vcpu = e.v;
	l1idx = (alias >> 12) % 512;
	T_CHECK(set_entry(&e, mfn_of(&e, HV_TEST_L1_PFN), l1idx,
			  pte(mfn_of(&e, 12), rw)) == 0 && enable() == 0,
		"%s: pfn 12's frame mapped a second time, at +100 pages; ENABLE", mech);
	(void)gr(7);
	(void)gr(8);
	(void)*(volatile uint64_t *)alias;
	T_CHECK(clean(PAGES) == PAGES && nr_bits(bm, PAGES) == 0 && !st.fault_count,
		"%s: reads dirty nothing", mech);
	gw(9, 1);
	gw(9, 2);
	gw(9, 3);
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 9) && st.fault_count == 1,
		"%s: the first write of a round marks its pfn, one fault for three writes", mech);
	gw(9, 4);
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 9) && st.fault_count == 1,
		"%s: after CLEAN the same mapping is tracked again", mech);
	*(volatile uint64_t *)alias = 5;
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 12),
		"%s: a write through the second mapping dirties the frame's pfn", mech);
	gw(12, 6);
	*(volatile uint64_t *)alias = 7;
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 12),
		"%s: writes through both mappings: the one pfn", mech);
	if (!strcmp(mech, "read-only-shadow"))
		T_CHECK(probe(HV_TEST_VA + 12 * HV_PAGE_SIZE, false) &&
			!probe(HV_TEST_VA + 12 * HV_PAGE_SIZE, true),
			"%s: after CLEAN a written page is mapped read-only again", mech);
	hv_mmu_lock(e.d);
	hv_shadow_flush(e.d);
	hv_mmu_unlock(e.d);
	T_CHECK(clean(PAGES) == PAGES && nr_bits(bm, PAGES) == 0,
		"%s: a flush with nothing written: nothing", mech);
	gw(13, 8);
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 13),
		"%s: a mapping made after CLEAN (the flush dropped all): its first write marks", mech);
	gw(14, 9);
	hv_mmu_lock(e.d);
	hv_shadow_invlpg(e.d, HV_TEST_VA + 14 * HV_PAGE_SIZE);
	hv_mmu_unlock(e.d);
	gw(15, 10);
	hv_mmu_lock(e.d);
	hv_shadow_flush(e.d);
	hv_mmu_unlock(e.d);
	gw(16, 11);
	rewrite_entry(&e, 16);
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 3, 14, 15, 16),
		"%s: writes through mappings dropped before CLEAN (invlpg, a flush, an entry rewritten) are kept; the rewrite dirties the L1 (pfn 3)", mech);
	gw(17, 12);
	T_CHECK(set_entry(&e, mfn_of(&e, HV_TEST_L1_PFN), (HV_TEST_VA >> 12) % 512 + 17,
			  pte(mfn_of(&e, 18), rw)) == 0 &&
		clean(PAGES) == PAGES && bit(bm, 17) && !bit(bm, 18) && bit(bm, 3),
		"%s: an entry moved to another frame after a write: the old frame's pfn is dirty, the new one's not", mech);
	gw(17, 13);
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 18),
		"%s: the next write through that address dirties the new frame", mech);
	T_CHECK(audits_ok(&e), "%s: the audits are clean (record = host mappings)", mech);
	T_CHECK(off() == 0 && tenv_free(&e) == 0, "%s: shadow: no leak", mech);
}

/* ---- the hypervisor's own writes ---- */

static long evtchn(struct tenv *e, struct hv_vcpu *v, unsigned int cmd,
		   void *arg, size_t len)
{
	long rc;

	hv_copy_to_guest(v, e->arg_va, arg, len);
	rc = hv_test_hypercall(v, __HYPERVISOR_event_channel_op, cmd, e->arg_va,
			       0, 0, 0);
	hv_copy_from_guest(v, arg, e->arg_va, len);
	return rc;
}

/* The argument pages (24..31) are written by every hypercall helper. */
static bool only_args_and(uint64_t pages, const uint64_t *pfns)
{
	uint64_t i, n = 0;
	bool ok = true;

	for (; *pfns != ~0UL; pfns++, n++)
		ok &= bit(bm, *pfns);
	for (i = 0; i < pages; i++) {
		bool arg = i >= HV_TEST_REGION_PAGES - ARG_BYTES / HV_PAGE_SIZE &&
			   i < HV_TEST_REGION_PAGES;

		n += bit(bm, i) && arg;
	}
	ok &= nr_bits(bm, pages) == n;
	if (!ok)
		printf("# bitmap:%s\n", bits_text(bm, pages));
	return ok;
}

#define ARGS_AND(pages, ...) \
	only_args_and(pages, (const uint64_t[]){ __VA_ARGS__, ~0UL })
#define ONLY_ARGS(pages) only_args_and(pages, (const uint64_t[]){ ~0UL })

/* Every pfn whose getpageframeinfo3 answer changed is in the bitmap. */
static bool types_seen(uint32_t *types, uint64_t pages)
{
	bool ok = true;
	uint64_t i;

	for (i = 0; i < pages; i++) {
		uint32_t t = pfinfo(i);

		if (t != types[i] && !bit(bm, i)) {
			printf("# pfn %lu changed type %#x -> %#x unmarked\n",
			       (unsigned long)i, types[i], t);
			ok = false;
		}
		types[i] = t;
	}
	return ok;
}

static void hv_writes(void)
{
	struct vcpu_register_vcpu_info ri = { .mfn = 0, .offset = 64 };
	struct evtchn_bind_ipi ipi = { .vcpu = 1 };
	struct evtchn_send send;
	struct mmu_update mu[2];
	struct mmuext_op ops[2];
	uint32_t types[PAGES], port;
	struct xc_foreign_map map = { .memfd = -1 };
	struct xencons_interface *ring;
	struct hv_vcpu *v1;
	uint64_t x = 42, i;
	ucontext_t uc;
	struct tenv e;
	mfn_t p;

	if (!tenv_new(&e, PAGES))
		return;
	guest_vcpu = e.v;
	v1 = &e.d->vcpus[1];
	for (i = 0; i < PAGES; i++)
		types[i] = pfinfo(i);
	/*
	 * Running, so that events are raised rather than deferred (no vCPU
	 * of a test domain has a thread or a timer).
	 */
	T_CHECK(xc_domain_unpause(xch, HV_TEST_DOMID) == 0 && enable() == 0 &&
		clean(PAGES) == PAGES && nr_bits(bm, PAGES) == 0,
		"%s: hv's writes: the domain running, ENABLE, nothing dirty", mech);

	hv_copy_to_guest(e.v, HV_TEST_VA + 18 * HV_PAGE_SIZE + 8, &x, 8);
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 18),
		"%s: copy to guest marks the frame written", mech);

	T_CHECK(set_entry(&e, mfn_of(&e, HV_TEST_L1_PFN), (HV_TEST_VA >> 12) % 512 + 19,
			  pte(mfn_of(&e, 19), PTE_P | PTE_RW | PTE_A | PTE_D | 0x200)) == 0 &&
		clean(PAGES) == PAGES && ARGS_AND(PAGES, HV_TEST_L1_PFN),
		"%s: mmu_update rewriting a pagetable entry marks the table", mech);

	p = new_frame(&e);
	poke(&e, p, 0, pte(mfn_of(&e, 5), PTE_P | PTE_A));
	T_CHECK(clean(PAGES) == PAGES && pin(&e, p, 1) == 0 &&
		clean(PAGES) == PAGES && ARGS_AND(PAGES, HV_TEST_REGION_PAGES) &&
		types_seen(types, PAGES) &&
		pfinfo(HV_TEST_REGION_PAGES) == (XEN_DOMCTL_PFINFO_L1TAB | XEN_DOMCTL_PFINFO_LPINTAB),
		"%s: a frame validated and pinned as an L1 is marked, its new type shown", mech);
	T_CHECK(unpin(&e, p) == 0 && clean(PAGES) == PAGES &&
		ARGS_AND(PAGES, HV_TEST_REGION_PAGES) && types_seen(types, PAGES),
		"%s: unpinning it marks it (the pin is gone from its type)", mech);
	T_CHECK(set_entry(&e, mfn_of(&e, HV_TEST_L1_PFN), 101, pte(p, PTE_P | PTE_RW | PTE_A | PTE_D)) == 0 &&
		clean(PAGES) == PAGES && ARGS_AND(PAGES, HV_TEST_L1_PFN, HV_TEST_REGION_PAGES) &&
		types_seen(types, PAGES) &&
		pfinfo(HV_TEST_REGION_PAGES) == XEN_DOMCTL_PFINFO_NOTAB,
		"%s: the old L1 mapped writable is a plain page now: marked, NOTAB", mech);

	mu[0].ptr = mfn_to_maddr(mfn_of(&e, 20)) + 16 + MMU_NORMAL_PT_UPDATE;
	mu[0].val = 0x1234;
	T_CHECK(mmu_update(&e, mu, 1, NULL) == 0 && clean(PAGES) == PAGES &&
		ARGS_AND(PAGES, 20),
		"%s: mmu_update's plain write to a page that is no pagetable marks it", mech);

	memset(ops, 0, sizeof(ops));
	ops[0].cmd = MMUEXT_CLEAR_PAGE;
	ops[0].arg1.mfn = mfn_x(mfn_of(&e, 21));
	ops[1].cmd = MMUEXT_COPY_PAGE;
	ops[1].arg1.mfn = mfn_x(mfn_of(&e, 22));
	ops[1].arg2.src_mfn = mfn_x(mfn_of(&e, 5));
	T_CHECK(mmuext(&e, ops, 2, NULL) == 0 && clean(PAGES) == PAGES &&
		ARGS_AND(PAGES, 21, 22) && !bit(bm, 5),
		"%s: CLEAR_PAGE and COPY_PAGE mark their destinations, not the source", mech);

	mu[0].ptr = mfn_to_maddr(mfn_of(&e, 40)) + MMU_MACHPHYS_UPDATE;
	mu[0].val = 41;
	mu[1].ptr = mfn_to_maddr(mfn_of(&e, 40)) + MMU_MACHPHYS_UPDATE;
	mu[1].val = 40;
	T_CHECK(mmu_update(&e, mu, 2, NULL) == 0 && clean(PAGES) == PAGES &&
		ARGS_AND(PAGES, 40, 41),
		"%s: MMU_MACHPHYS_UPDATE marks each pfn it gives the frame (Xen's paging_mark_pfn_dirty)", mech);

	T_CHECK(evtchn(&e, e.v, EVTCHNOP_bind_ipi, &ipi, sizeof(ipi)) == 0,
		"%s: an IPI port for vCPU 1", mech);
	send.port = ipi.port;
	T_CHECK(clean(PAGES) == PAGES &&
		evtchn(&e, e.v, EVTCHNOP_send, &send, sizeof(send)) == 0 &&
		(e.d->shared_info->evtchn_pending[0] & (1UL << ipi.port)) &&
		v1->vcpu_info->evtchn_upcall_pending &&
		clean(PAGES) == PAGES && ONLY_ARGS(PAGES),
		"%s: an event for a vCPU whose vcpu_info is in shared_info: no pfn (shared_info has none)", mech);
	ri.mfn = mfn_x(mfn_of(&e, 23));
	hv_copy_to_guest(v1, e.arg_va, &ri, sizeof(ri));
	T_CHECK(clean(PAGES) == PAGES &&
		hv_test_hypercall(v1, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info,
				  1, e.arg_va, 0, 0) == 0 &&
		clean(PAGES) == PAGES && ARGS_AND(PAGES, 23),
		"%s: VCPUOP_register_vcpu_info: the new placement is written, marked", mech);
	e.d->shared_info->evtchn_pending[0] = 0;
	v1->vcpu_info->evtchn_pending_sel = 0;
	v1->vcpu_info->evtchn_upcall_pending = 0;
	T_CHECK(clean(PAGES) == PAGES &&
		evtchn(&e, e.v, EVTCHNOP_send, &send, sizeof(send)) == 0 &&
		v1->vcpu_info->evtchn_upcall_pending &&
		clean(PAGES) == PAGES && ARGS_AND(PAGES, 23),
		"%s: an event for it sets its pending bits: its frame is marked", mech);
	hv_update_vcpu_time(v1);
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, 23),
		"%s: its time record refreshed: marked", mech);
	memset(&uc, 0, sizeof(uc));
	UC_REG(&uc, RSP) = HV_TEST_VA + 17 * HV_PAGE_SIZE + 2048;
	UC_REG(&uc, RIP) = HV_TEST_VA;
	v1->traps[14].address = HV_TEST_VA + 64;
	hv_inject_page_fault(v1, &uc, 0xdead000, 2);
	T_CHECK(UC_REG(&uc, RIP) == HV_TEST_VA + 64 && clean(PAGES) == PAGES &&
		EXACTLY(PAGES, 17, 23),
		"%s: a #PF delivered: cr2 in its vcpu_info and the bounce frame on its stack, both marked", mech);

	T_CHECK(xc_ring_setup(xch, HV_TEST_DOMID, HV_RING_CONSOLE, mfn_of(&e, 15), &port) == 0,
		"%s: the console ring on pfn 15", mech);
	ring = hv_mfn_ptr(e.d->m, mfn_of(&e, 15));
	memcpy(ring->out, "hi\n", 3);
	ring->out_prod = 3;
	T_CHECK(clean(PAGES) == PAGES, "%s: (the guest's own writes to the ring taken)", mech);
	hv_console_ring_backend(e.d, port, HV_EVTCHN_BACKEND_NOTIFY, NULL);
	T_CHECK(ring->out_cons == 3 && clean(PAGES) == PAGES && EXACTLY(PAGES, 15),
		"%s: the console backend advancing out_cons marks the ring", mech);

	T_CHECK(xc_domain_hypercall_init(xch, HV_TEST_DOMID, mfn_of(&e, 16)) == 0 &&
		clean(PAGES) == PAGES && EXACTLY(PAGES, 16),
		"%s: hypercall_init writing the hypercall page marks it", mech);

	T_CHECK(xc_domain_decrease_reservation(xch, HV_TEST_DOMID, _pfn(250), 2) == 0 &&
		clean(PAGES) == PAGES && EXACTLY(PAGES, 250, 251) &&
		pfinfo(250) == XEN_DOMCTL_PFINFO_XTAB,
		"%s: decrease_reservation marks the pfns that lost their frames", mech);
	T_CHECK(xc_domain_populate_physmap(xch, HV_TEST_DOMID, _pfn(250), 2,
					   (mfn_t[2]){ INVALID_MFN }) == 0 &&
		clean(PAGES) == PAGES && EXACTLY(PAGES, 250, 251),
		"%s: populate_physmap marks the pfns that got new ones", mech);

	T_CHECK(xc_ring_setup(xch, HV_TEST_DOMID, HV_RING_STORE, mfn_of(&e, 14), &port) == 0 &&
		xc_map_foreign(xch, HV_TEST_DOMID, &map) == 0,
		"%s: the xenstore ring on pfn 14; the memory mapped as another process maps it", mech);
	memcpy((uint8_t *)xc_foreign_frame(&map, mfn_of(&e, 14)) + 100, "xs", 2);
	T_CHECK(clean(PAGES) == PAGES && nr_bits(bm, PAGES) == 0,
		"%s: the xenstore daemon's write through its own mapping: not seen", mech);
	T_CHECK(ld(XEN_DOMCTL_SHADOW_OP_CLEAN, XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL,
		   bm, PAGES) == PAGES && EXACTLY(PAGES, 14, 15, 23),
		"%s: CLEAN with FINAL: the rings and the registered vcpu_info, all the pages hv holds writable", mech);
	xc_unmap_foreign(&map);

	*gva(HV_TEST_P2M_PFN, 8 * 3) = mfn_x(mfn_of(&e, 3));
	T_CHECK(clean(PAGES) == PAGES && EXACTLY(PAGES, HV_TEST_P2M_PFN),
		"%s: the guest writing its p2m list: the p2m frame's pfn is dirty", mech);
	T_CHECK(audits_ok(&e), "%s: hv's writes: the audits are clean", mech);
	T_CHECK(off() == 0 && tenv_free(&e) == 0, "%s: hv's writes: no leak", mech);
}

/* ---- concurrency: no write lost ---- */

#define STRESS_PAGES	4096
#define WRITERS		3
#define ROUNDS		12

struct stress {
	struct hv_domain *d;
	uint64_t data;			/* data pfns: 0 .. data - 1 */
	volatile bool stop;
	uint64_t writes[WRITERS], drops;
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct writer_arg {
	struct stress *s;
	unsigned int n;
};

static void *writer(void *p)
{
	struct writer_arg *a = p;
	struct stress *s = a->s;
	uint64_t seed = 0x9e3779b97f4a7c15UL * (a->n + 1), n = 0;

	guest_vcpu = &s->d->vcpus[a->n];
	while (!s->stop) {
		uint64_t r = rnd(&seed);

		*gva(r % s->data, 8 * ((r >> 32) % 512)) = ++n;
	}
	s->writes[a->n] = n;
	return NULL;
}

/* Keeps dropping the shadow under the writers' feet. */
static void *dropper(void *p)
{
	struct stress *s = p;
	struct hv_domain *d = s->d;
	uint64_t seed = 12345;
	mfn_t l1;

	while (!s->stop) {
		uint64_t r = rnd(&seed), pfn = r % s->data;

		hv_mmu_lock(d);
		switch (r >> 60 & 3) {
		case 0:
			hv_shadow_flush(d);
			break;
		case 1:
			hv_shadow_invlpg(d, HV_TEST_VA + pfn * HV_PAGE_SIZE);
			break;
		default:
			/* Entry pfn of the L1s (which sit in a row), rewritten. */
			l1 = hv_p2m(d, _pfn(s->data + 3 + pfn / 512));
			hv_mod_entry(d, l1, pfn % 512,
				     ((uint64_t *)hv_mfn_ptr(d->m, l1))[pfn % 512],
				     false);
		}
		hv_mmu_unlock(d);
		s->drops++;
		usleep(300);
	}
	return NULL;
}

static uint8_t *snapshot(struct hv_domain *d, const struct xc_foreign_map *m,
			 uint64_t data, uint8_t *buf)
{
	uint64_t i;

	for (i = 0; i < data; i++)
		memcpy(buf + i * HV_PAGE_SIZE,
		       xc_foreign_frame(m, hv_p2m(d, _pfn(i))), HV_PAGE_SIZE);
	return buf;
}

static void stress(void)
{
	static uint8_t pending[HV_DOMCTL_MAX_PAYLOAD];
	uint64_t nr = STRESS_PAGES, i, k, missed = 0, extra = 0, changed = 0;
	uint64_t sent = 0, writes = 0, mismatch = 0;
	struct writer_arg wa[WRITERS];
	struct xc_foreign_map map = { .memfd = -1 };
	pthread_t wt[WRITERS], dt;
	struct stress s = { 0 };
	uint8_t *dest, *prev, *cur;
	char err[256];

	s.d = hv_test_domain_flat(nr, WRITERS, err, sizeof(err));
	if (!s.d) {
		T_CHECK(false, "%s: stress: %s", mech, err);
		return;
	}
	s.data = nr - hv_test_flat_tables(nr);
	dest = malloc(s.data * HV_PAGE_SIZE);
	prev = malloc(s.data * HV_PAGE_SIZE);
	cur = malloc(s.data * HV_PAGE_SIZE);
	T_CHECK(dest && prev && cur && xc_map_foreign(xch, HV_TEST_DOMID, &map) == 0 &&
		enable() == 0,
		"%s: stress: a %lu-page guest, its memory mapped, ENABLE", mech,
		(unsigned long)nr);
	if (!dest || !prev || !cur || !map.base)
		goto out;
	/* Round 0 of a migration: everything, read after ENABLE. */
	snapshot(s.d, &map, s.data, dest);
	memcpy(prev, dest, s.data * HV_PAGE_SIZE);
	memset(pending, 0, sizeof(pending));
	for (i = 0; i < WRITERS; i++) {
		wa[i] = (struct writer_arg){ &s, i };
		pthread_create(&wt[i], NULL, writer, &wa[i]);
	}
	pthread_create(&dt, NULL, dropper, &s);
	for (k = 0; k <= ROUNDS; k++) {
		if (k < ROUNDS) {
			usleep(30 * 1000);
		} else {
			s.stop = true;
			for (i = 0; i < WRITERS; i++)
				pthread_join(wt[i], NULL);
			pthread_join(dt, NULL);
		}
		if (clean(nr) != (long)nr)
			break;
		snapshot(s.d, &map, s.data, cur);
		for (i = 0; i < s.data; i++) {
			bool diff = memcmp(prev + i * HV_PAGE_SIZE,
					   cur + i * HV_PAGE_SIZE, HV_PAGE_SIZE);

			/*
			 * A change between the last snapshot and this one was
			 * written after the last CLEAN: before this CLEAN (in
			 * its bitmap) or while this snapshot was taken (in the
			 * next one).  Once the writers stop, only the first.
			 */
			if (bit(pending, i) && !bit(bm, i))
				missed++;
			pending[i / 8] &= ~(1 << (i % 8));
			changed += diff;
			if (diff && !bit(bm, i)) {
				if (k == ROUNDS)
					missed++;
				pending[i / 8] |= 1 << (i % 8);
			}
			if (!diff && bit(bm, i))
				extra++;
			if (bit(bm, i)) {
				memcpy(dest + i * HV_PAGE_SIZE, cur + i * HV_PAGE_SIZE,
				       HV_PAGE_SIZE);
				sent++;
			}
		}
		memcpy(prev, cur, s.data * HV_PAGE_SIZE);
	}
	for (i = 0; i < s.data; i++)
		mismatch += !!memcmp(dest + i * HV_PAGE_SIZE,
				     xc_foreign_frame(&map, hv_p2m(s.d, _pfn(i))),
				     HV_PAGE_SIZE);
	for (i = 0; i < WRITERS; i++)
		writes += s.writes[i];
	printf("# %s: %lu writes, %lu drops, %lu rounds; %lu page changes, %lu pages sent, %lu marked but unchanged\n",
	       mech, (unsigned long)writes, (unsigned long)s.drops,
	       (unsigned long)k, (unsigned long)changed, (unsigned long)sent,
	       (unsigned long)extra);
	T_CHECK(k == ROUNDS + 1 && writes > 1000 && s.drops > 10 && !missed,
		"%s: stress: %d rounds under 3 writers and shadow drops; every page changed between snapshots is in a bitmap (%lu missed)",
		mech, ROUNDS, (unsigned long)missed);
	T_CHECK(!mismatch,
		"%s: stress: the copy kept round by round, as a migration keeps it, equals memory (%lu pages differ)",
		mech, (unsigned long)mismatch);
	T_CHECK(audit_ok(&(struct tenv){ .d = s.d }) && shadow_ok(&(struct tenv){ .d = s.d }),
		"%s: stress: the audits are clean", mech);
out:
	xc_unmap_foreign(&map);
	free(dest);
	free(prev);
	free(cur);
	off();
	T_CHECK(hv_test_domain_free(s.d) == 0, "%s: stress: no leak", mech);
}

/* ---- a 1 GiB guest and the host's mapping limit ---- */

static uint64_t vma_count(void)
{
	char buf[65536];
	uint64_t n = 0;
	ssize_t r, i;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	while (fd >= 0 && (r = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < r; i++)
			n += buf[i] == '\n';
	if (fd >= 0)
		close(fd);
	return n;
}

static uint64_t max_map_count(void)
{
	unsigned long long n = 65530;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");

	if (f) {
		if (fscanf(f, "%llu", &n) != 1)
			n = 65530;
		fclose(f);
	}
	return n;
}

static void one_gib(void)
{
	uint64_t nr = 262144, data = nr - hv_test_flat_tables(nr), i, top = 0;
	uint64_t limit = max_map_count(), before = vma_count(), n;
	struct hv_domain *d;
	char err[256];
	bool all, half;

	d = hv_test_domain_flat(nr, 1, err, sizeof(err));
	if (!d) {
		T_CHECK(false, "%s: 1 GiB: %s", mech, err);
		return;
	}
	guest_vcpu = &d->vcpus[0];
	T_CHECK(enable() == 0, "%s: 1 GiB guest (%lu data pages), ENABLE", mech,
		(unsigned long)data);
	for (i = 0; i < data; i++) {
		*gva(i, 0) = i;
		if (i % 8192 == 0 && (n = vma_count()) > top)
			top = n;
	}
	n = clean(nr);
	all = n == (long)nr && nr_bits(bm, nr) == data && st.dirty_count == data;
	for (i = 0; i < data; i += 2) {
		*gva(i, 8) = i;
		if (i % 8192 == 0 && (n = vma_count()) > top)
			top = n;
	}
	n = vma_count();
	top = n > top ? n : top;
	half = clean(nr) == (long)nr && nr_bits(bm, nr) == (data + 1) / 2 &&
	       bit(bm, 0) && !bit(bm, 1);
	printf("# %s: VMAs: %lu before the guest, at most %lu with it under log-dirty (limit %lu)\n",
	       mech, (unsigned long)before, (unsigned long)top, (unsigned long)limit);
	T_CHECK(all && half,
		"%s: 1 GiB: every page written, then every other one: each round's bitmap holds exactly them", mech);
	T_CHECK(top < limit / 4,
		"%s: 1 GiB: the process's VMAs stay far below vm.max_map_count (%lu < %lu / 4)",
		mech, (unsigned long)top, (unsigned long)limit);
	off();
	T_CHECK(hv_test_domain_free(d) == 0, "%s: 1 GiB: no leak", mech);
}

int main(void)
{
	static const char *const mechs[][2] = {
		{ "uffd", "uffd-wp-async" },
		{ "ro", "read-only-shadow" },
	};
	char why[256];
	unsigned int i;

	xch = xc_interface_open_local();
	guest_handler();
	for (i = 0; i < ARRAY_SIZE(mechs); i++) {
		setenv("TERN_HV_LOGDIRTY", mechs[i][0], 1);
		mech = mechs[i][1];
		T_CHECK(!strcmp(hv_logdirty_mechanism(why, sizeof(why)), mech),
			"TERN_HV_LOGDIRTY=%s: log-dirty uses %s on this host (%s)",
			mechs[i][0], mech, why);
		contracts();
		shadow();
		hv_writes();
		stress();
		one_gib();
	}
	xc_interface_close(xch);
	T_DONE();
}
