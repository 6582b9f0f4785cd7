// SPDX-License-Identifier: MIT
/*
 * The pagetable hypercalls of a 64-bit PV guest: mmu_update,
 * update_va_mapping, mmuext_op and XENMEM_machphys_mapping, with the
 * arguments, partial progress and return codes Xen gives (listed in
 * Documentation/pv-mmu.rst).  The rules themselves live in mm_types.c;
 * this file decodes requests, holds d->mmu_lock around them, counts what
 * happened and, when asked to (TERN_HV_AUDIT), audits after each call.
 *
 * Deviations from Xen, all because hv has a single domain and no devices:
 * a foreign domain id other than DOMID_SELF gives -ESRCH, DOMID_IO and
 * DOMID_XEN -EPERM; cache flushes are refused as for any unprivileged
 * guest; an LDT cannot be loaded (ring-3-only execution).
 */
#include <asm/prctl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "private.h"
#include <xen/interface/memory.h>

/* Xen-internal marker of a preempted batch, honoured when a guest sets it. */
#define MMU_UPDATE_PREEMPTED	0x80000000U

/* One mmuext_op's vCPU bitmap is read in words of this many bits. */
#define VCPUMASK_BITS		64

static enum hv_mmu_res result_kind(long rc)
{
	switch (rc) {
	case 0:
		return HV_RES_OK;
	case -EINVAL:
		return HV_RES_EINVAL;
	case -EBUSY:
		return HV_RES_EBUSY;
	case -EPERM:
		return HV_RES_EPERM;
	case -EFAULT:
		return HV_RES_EFAULT;
	case -ESRCH:
		return HV_RES_ESRCH;
	case -ENOSYS:
		return HV_RES_ENOSYS;
	}
	return HV_RES_OTHER;
}

void hv_mmu_count(struct hv_domain *d, enum hv_mmu_op op, long rc)
{
	__atomic_fetch_add(&d->mmu->st.ops[op][result_kind(rc)], 1,
			   __ATOMIC_RELAXED);
}

int hv_mmu_init(struct hv_domain *d)
{
	const char *audit = getenv("TERN_HV_AUDIT");
	uint64_t n = d->m->nr_frames;
	pthread_mutexattr_t attr;
	struct hv_mmu *mmu;
	unsigned int i;

	mmu = calloc(1, sizeof(*mmu));
	if (!mmu)
		goto nomem;
	d->mmu = mmu;
	mmu->sh_link = calloc(n, sizeof(*mmu->sh_link));
	mmu->au_count = calloc(n, sizeof(*mmu->au_count));
	mmu->au_type = calloc(n, sizeof(*mmu->au_type));
	mmu->au_lin_entries = calloc(n, sizeof(*mmu->au_lin_entries));
	mmu->au_lin_uses = calloc(n, sizeof(*mmu->au_lin_uses));
	if (!mmu->sh_link || !mmu->au_count || !mmu->au_type ||
	    !mmu->au_lin_entries || !mmu->au_lin_uses)
		goto nomem;
	mmu->sh_cr3 = INVALID_MFN;
	mmu->audit = audit && *audit && strcmp(audit, "0");
	mmu->audit_abort = audit && !strcmp(audit, "abort");
	mmu->audit_p2m = true;
	d->audit_at_start = mmu->audit;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&d->mmu_lock, &attr);
	pthread_mutexattr_destroy(&attr);
	for (i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i].cr3 = INVALID_MFN;
		d->vcpus[i].cr3_user = INVALID_MFN;
	}
	return 0;
nomem:
	return -ENOMEM;
}

/* Frees what hv_mmu_init() allocated, after giving back every frame. */
void hv_mmu_destroy(struct hv_domain *d)
{
	struct hv_mmu *mmu = d->mmu;

	if (!mmu)
		return;
	hv_mmu_relinquish(d);
	free(mmu->sh_link);
	free(mmu->sh_dirty);
	free(mmu->au_count);
	free(mmu->au_type);
	free(mmu->au_lin_entries);
	free(mmu->au_lin_uses);
	free(mmu);
	d->mmu = NULL;
}

/*
 * The audit hook every MMU hypercall ends with.  A failure is a hypervisor
 * bug: it is reported, and the domain crashed when a vCPU thread runs it
 * (or the process aborted, for fuzzing).
 */
void hv_mmu_after_hypercall(struct hv_vcpu *v, ucontext_t *uc,
			    const char *what)
{
	struct hv_domain *d = v->d;
	char why[512];

	if (!d->mmu->audit || !hv_mmu_audit(d, why, sizeof(why)))
		return;
	fprintf(stderr, "tern-hv: MMU audit failed after %s: %s\n", what, why);
	if (d->mmu->audit_abort)
		abort();
	hv_console_printf(d, "(hv) MMU audit failed after %s: %s\n", what, why);
	if (hv_current == v && uc)
		hv_domain_crash(v, uc, "MMU audit failed after %s", what);
}

/* Which domain a foreign-domain argument names, as far as hv can tell. */
static long pg_owner_ok(struct hv_domain *d, unsigned int domid)
{
	if (domid == DOMID_SELF)
		return 0;
	if (domid == DOMID_IO || domid == DOMID_XEN)
		return -EPERM;
	return -ESRCH;
}

/* Reads a guest vCPU bitmap as Xen does, only to check it is readable. */
static long read_vcpumask(struct hv_vcpu *v, uint64_t gva)
{
	unsigned int bias;
	uint64_t word;

	for (bias = 0; bias < v->d->nr_vcpus; bias += VCPUMASK_BITS, gva += 8)
		if (hv_copy_from_guest(v, &word, gva, sizeof(word)))
			return -EFAULT;
	return 0;
}

/* ---- mmu_update ---- */

/*
 * MMU_NORMAL_PT_UPDATE and friends.  The target page must be ours.  A
 * validated pagetable gets a checked entry update; any other page that may
 * be writable gets a plain 8-byte write, as Xen does (not an error).
 */
static long pt_update(struct hv_domain *d, uint64_t ptr, uint64_t val,
		      unsigned int cmd)
{
	mfn_t mfn = maddr_to_mfn(ptr);
	unsigned int idx = (ptr & (HV_PAGE_SIZE - 1)) >> 3;
	struct hv_frame *f = owned_frame(d, mfn);
	uint64_t *slot;
	long rc;

	if (!f)
		goto refused;
	slot = &table_ptr(d, mfn)[idx];
	if (f->type_count && (f->flags & HV_PGF_VALIDATED)) {
		if (is_pt_type(f->type)) {
			rc = hv_mod_entry(d, mfn, idx, val,
					  cmd == MMU_PT_UPDATE_PRESERVE_AD);
			hv_mmu_count(d, HV_OP_PT_UPDATE, rc);
			return rc;
		}
		if (f->type != HV_PGT_WRITABLE)
			goto refused;
		write_pte(slot, val);
	} else {
		if (hv_get_page_type(d, mfn, HV_PGT_WRITABLE))
			goto refused;
		write_pte(slot, val);
		hv_put_page_type(d, mfn);
	}
	hv_mark_dirty(d, mfn);
	hv_mmu_count(d, HV_OP_PLAIN_WRITE, 0);
	return 0;
refused:
	hv_mmu_count(d, HV_OP_PT_UPDATE, -EINVAL);
	return -EINVAL;
}

/*
 * MMU_MACHPHYS_UPDATE: any value, but only for a frame the caller owns.
 * The m2p is hv's, but the pfn now names another frame: it is dirtied
 * so that a migration sends it again, as Xen's paging_mark_pfn_dirty().
 */
static long machphys_update(struct hv_domain *d, uint64_t ptr, uint64_t val)
{
	mfn_t mfn = maddr_to_mfn(ptr);

	if (!hv_get_page(d, mfn))
		return -EINVAL;
	hv_set_m2p(d->m, mfn, _pfn(val));
	hv_mark_pfn_dirty(d, _pfn(val));
	hv_put_page(d, mfn);
	return 0;
}

static long one_update(struct hv_domain *d, const struct mmu_update *req)
{
	unsigned int cmd = req->ptr & 7;
	long rc;

	switch (cmd) {
	case MMU_NORMAL_PT_UPDATE:
	case MMU_PT_UPDATE_PRESERVE_AD:
	case MMU_PT_UPDATE_NO_TRANSLATE:
		return pt_update(d, req->ptr - cmd, req->val, cmd);
	case MMU_MACHPHYS_UPDATE:
		rc = machphys_update(d, req->ptr, req->val);
		hv_mmu_count(d, HV_OP_MACHPHYS, rc);
		return rc;
	}
	hv_mmu_count(d, HV_OP_PT_UPDATE, -ENOSYS);
	return -ENOSYS;
}

/*
 * mmu_update(reqs, count, pdone, foreigndom): requests in order until one
 * fails; *pdone (if given) gets how many succeeded, so a failure's index
 * is *pdone.  The upper 16 bits of foreigndom name the pagetables' owner
 * plus one, the lower 16 the frames' owner.
 */
long hv_do_mmu_update(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	struct hv_domain *d = v->d;
	uint64_t ureqs = a[0], pdone = a[2];
	unsigned int count = a[1], foreigndom = a[3], pt_dom, i = 0;
	unsigned int done = 0;
	long rc;

	if (count == MMU_UPDATE_PREEMPTED && !ureqs)
		return (int)foreigndom;
	if (count & MMU_UPDATE_PREEMPTED) {
		count &= ~MMU_UPDATE_PREEMPTED;
		if (pdone)
			hv_copy_from_guest(v, &done, pdone, sizeof(done));
	}
	if (!hv_addr_ok(ureqs))
		return -EFAULT;
	pt_dom = foreigndom >> 16;
	if (pt_dom && pt_dom - 1 != d->domid)
		return -ESRCH;
	rc = pg_owner_ok(d, foreigndom & 0xffff);
	hv_mmu_lock(d);
	for (; !rc && i < count; i++) {
		struct mmu_update req;

		if (hv_copy_from_guest(v, &req, ureqs + i * sizeof(req),
				       sizeof(req))) {
			rc = -EFAULT;
			break;
		}
		rc = one_update(d, &req);
		if (rc)
			break;
	}
	hv_mmu_unlock(d);
	if (pdone) {
		done += i;
		hv_copy_to_guest(v, pdone, &done, sizeof(done));
	}
	hv_mmu_after_hypercall(v, uc, "mmu_update");
	return rc;
}

/*
 * The toolstack's mmu_update on a suspended domain (domctl mmu_update):
 * the same requests with the same checks, as Xen's with the domain as
 * foreigndom; *done counts those applied.
 */
long hv_mmu_update_for_toolstack(struct hv_domain *d,
				 const struct mmu_update *reqs,
				 unsigned int count, unsigned int *done)
{
	unsigned int i;
	long rc = 0;

	hv_mmu_lock(d);
	for (i = 0; i < count; i++) {
		rc = one_update(d, &reqs[i]);
		if (rc)
			break;
	}
	hv_mmu_unlock(d);
	*done = i;
	return rc;
}

/* ---- update_va_mapping ---- */

static long uvm_flush(struct hv_vcpu *v, uint64_t va, uint64_t flags)
{
	uint64_t mask = flags & ~UVMF_FLUSHTYPE_MASK;
	long rc = 0;

	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
		if (mask != UVMF_LOCAL && mask != UVMF_ALL)
			rc = read_vcpumask(v, mask);
		hv_shadow_flush(v->d);
		break;
	case UVMF_INVLPG:
		if (mask != UVMF_LOCAL && mask != UVMF_ALL)
			rc = read_vcpumask(v, mask);
		hv_shadow_invlpg(v->d, va);
		break;
	}
	return rc;
}

/*
 * Changes the L1 entry that maps va in the current address space.  The
 * L1 must be reachable (L4..L2 present) and be a validated L1 of ours;
 * otherwise -EINVAL, and no flush: a failed update changes nothing, and a
 * bad va must never reach the flush (XSA-279).
 */
static long update_va_mapping(struct hv_vcpu *v, uint64_t va, uint64_t val,
			      uint64_t flags)
{
	struct hv_domain *d = v->d;
	struct hv_frame *f;
	struct hv_walk w;
	long rc;

	if (!hv_addr_ok(va))
		return -EINVAL;
	hv_guest_walk(d, v->cr3, va, &w);
	if (!w.l1e)
		return -EINVAL;
	f = owned_frame(d, w.table[1]);
	if (!f || f->type != HV_PGT_L1 || !f->type_count ||
	    !(f->flags & HV_PGF_VALIDATED))
		return -EINVAL;
	rc = hv_mod_entry(d, w.table[1], (va >> HV_PAGE_SHIFT) & 511, val,
			  false);
	if (rc)
		return rc;
	return uvm_flush(v, va, flags);
}

long hv_do_update_va_mapping(struct hv_vcpu *v, ucontext_t *uc,
			     const uint64_t a[5])
{
	long rc;

	hv_mmu_lock(v->d);
	rc = update_va_mapping(v, a[0], a[1], a[2]);
	hv_mmu_unlock(v->d);
	hv_mmu_count(v->d, HV_OP_UVM, rc);
	hv_mmu_after_hypercall(v, uc, "update_va_mapping");
	return rc;
}

/* ---- mmuext_op ---- */

static enum hv_mmu_op ext_kind(unsigned int cmd)
{
	switch (cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		return HV_OP_PIN;
	case MMUEXT_UNPIN_TABLE:
		return HV_OP_UNPIN;
	case MMUEXT_NEW_BASEPTR:
	case MMUEXT_NEW_USER_BASEPTR:
		return HV_OP_BASEPTR;
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_TLB_FLUSH_ALL:
	case MMUEXT_INVLPG_ALL:
		return HV_OP_FLUSH;
	}
	return HV_OP_MMUEXT_OTHER;
}

/* CLEAR_PAGE and COPY_PAGE: the destination must be able to be writable. */
static long clear_or_copy(struct hv_domain *d, const struct mmuext_op *op)
{
	mfn_t dst = _mfn(op->arg1.mfn), src = _mfn(op->arg2.src_mfn);
	bool copy = op->cmd == MMUEXT_COPY_PAGE;

	if (copy && !hv_get_page(d, src))
		return -EINVAL;
	if (hv_get_page_and_type(d, dst, HV_PGT_WRITABLE)) {
		if (copy)
			hv_put_page(d, src);
		return -EINVAL;
	}
	if (copy) {
		memcpy(hv_mfn_ptr(d->m, dst), hv_mfn_ptr(d->m, src),
		       HV_PAGE_SIZE);
		hv_put_page(d, src);
	} else {
		memset(hv_mfn_ptr(d->m, dst), 0, HV_PAGE_SIZE);
	}
	hv_mark_dirty(d, dst);
	hv_put_page_and_type(d, dst);
	return 0;
}

static long set_ldt(struct hv_vcpu *v, uint64_t base, unsigned int ents)
{
	if (ents > 8192 ||
	    (ents && ((base & (HV_PAGE_SIZE - 1)) || !hv_addr_ok(base))))
		return -EINVAL;
	if (!ents)
		return 0;
	hv_console_printf(v->d, "(hv) guest asked for an LDT: not available on this hypervisor\n");
	return -EOPNOTSUPP;
}

static long one_ext(struct hv_vcpu *v, const struct mmuext_op *op)
{
	struct hv_domain *d = v->d;
	mfn_t mfn = _mfn(op->arg1.mfn);
	uint64_t va = op->arg1.linear_addr;
	uint64_t mask = xen_guest_handle_addr(op->arg2.vcpumask);

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		return hv_pin(d, mfn, op->cmd - MMUEXT_PIN_L1_TABLE + 1);
	case MMUEXT_UNPIN_TABLE:
		return hv_unpin(d, mfn);
	case MMUEXT_NEW_BASEPTR:
		return hv_set_baseptr(v, mfn, false);
	case MMUEXT_NEW_USER_BASEPTR:
		return hv_set_baseptr(v, mfn, true);
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_TLB_FLUSH_ALL:
		hv_shadow_flush(d);
		return 0;
	case MMUEXT_INVLPG_LOCAL:
		/* Xen ignores a non-canonical address here. */
		if (hv_is_canonical(va))
			hv_shadow_invlpg(d, va);
		return 0;
	case MMUEXT_INVLPG_ALL:
		if (hv_addr_ok(va))
			hv_shadow_invlpg(d, va);
		return 0;
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
		if (read_vcpumask(v, mask))
			return -EINVAL;
		if (op->cmd == MMUEXT_TLB_FLUSH_MULTI)
			hv_shadow_flush(d);
		else if (hv_addr_ok(va))
			hv_shadow_invlpg(d, va);
		return 0;
	case MMUEXT_FLUSH_CACHE:
		return -EACCES;
	case MMUEXT_FLUSH_CACHE_GLOBAL:
		return -EINVAL;
	case MMUEXT_SET_LDT:
		return set_ldt(v, va, op->arg2.nr_ents);
	case MMUEXT_CLEAR_PAGE:
	case MMUEXT_COPY_PAGE:
		return clear_or_copy(d, op);
	case MMUEXT_MARK_SUPER:
	case MMUEXT_UNMARK_SUPER:
		return -EOPNOTSUPP;
	}
	return -ENOSYS;
}

/* mmuext_op(ops, count, pdone, foreigndom): as mmu_update, one op each. */
long hv_do_mmuext_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	struct hv_domain *d = v->d;
	uint64_t uops = a[0], pdone = a[2];
	unsigned int count = a[1], i = 0, done = 0;
	long rc;

	if (count == MMU_UPDATE_PREEMPTED && !uops)
		return (int)a[3];
	if (count & MMU_UPDATE_PREEMPTED) {
		count &= ~MMU_UPDATE_PREEMPTED;
		if (pdone)
			hv_copy_from_guest(v, &done, pdone, sizeof(done));
	}
	if (!hv_addr_ok(uops))
		return -EFAULT;
	rc = pg_owner_ok(d, a[3] & 0xffff);
	if (rc)
		return rc;
	hv_mmu_lock(d);
	for (; i < count; i++) {
		struct mmuext_op op;

		if (hv_copy_from_guest(v, &op, uops + i * sizeof(op),
				       sizeof(op))) {
			rc = -EFAULT;
			break;
		}
		rc = one_ext(v, &op);
		hv_mmu_count(d, ext_kind(op.cmd), rc);
		if (rc)
			break;
	}
	hv_mmu_unlock(d);
	if (pdone) {
		done += i;
		hv_copy_to_guest(v, pdone, &done, sizeof(done));
	}
	hv_mmu_after_hypercall(v, uc, "mmuext_op");
	return rc;
}

/* ---- memory_op ---- */

/*
 * Only the PV MMU's part: where the read-only m2p is, and how far it
 * goes; XENMEM_exchange (exchange.c).
 */
long hv_do_memory_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	struct xen_machphys_mapping map = {
		.v_start = HV_M2P_VIRT_START,
		.v_end = HV_M2P_VIRT_END,
		.max_mfn = ((HV_M2P_VIRT_END - HV_M2P_VIRT_START) >> 3) - 1,
	};
	long rc = -ENOSYS;

	switch (a[0]) {
	case XENMEM_machphys_mapping:
		rc = hv_copy_to_guest(v, a[1], &map, sizeof(map)) ? -EFAULT : 0;
		break;
	case XENMEM_exchange:
		rc = hv_memory_exchange(v, a[1]);
		hv_mmu_count(v->d, HV_OP_MEMORY_OP, rc);
		hv_mmu_after_hypercall(v, uc, "memory_op(XENMEM_exchange)");
		return rc;
	}
	hv_mmu_count(v->d, HV_OP_MEMORY_OP, rc);
	return rc;
}

/* ---- segment bases ---- */

/*
 * set_segment_base(which, base).  The host's FS base is the hypervisor's
 * thread pointer, so a guest may not have one here (a documented limit);
 * the kernel GS base is loaded at once, the user one kept for user mode.
 */
long hv_do_set_segment_base(struct hv_vcpu *v, ucontext_t *uc,
			    const uint64_t a[5])
{
	uint64_t base = a[1];

	if (!hv_is_canonical(base))
		return -EINVAL;
	switch (a[0]) {
	case SEGBASE_GS_KERNEL:
		v->gs_base_kernel = base;
		syscall(SYS_arch_prctl, ARCH_SET_GS, base);
		return 0;
	case SEGBASE_GS_USER:
		v->gs_base_user = base;
		return 0;
	case SEGBASE_FS:
		hv_console_printf(v->d, "(hv) guest asked for an FS base: not available on this hypervisor\n");
		return -EOPNOTSUPP;
	}
	return -EINVAL;
}
