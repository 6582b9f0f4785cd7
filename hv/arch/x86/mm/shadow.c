// SPDX-License-Identifier: MIT
/*
 * The shadow: host mappings that let guest code run at its own virtual
 * addresses.  The whole guest window is reserved PROT_NONE at start-up, so
 * the host never puts anything there and every first touch of a guest page
 * faults.  On that fault we walk the guest's pagetables; if they allow the
 * access we map the guest's frame (a page of the machine memfd) at the
 * faulting address with exactly the permission the guest's entries give
 * (read-only unless RW at every level, executable unless NX at some level)
 * and let the instruction run again.  If they do not, the fault is the
 * guest's and goes to its page-fault handler.
 *
 * The shadow is a cache of the guest's tables and must never show more
 * than they allow.  So every fill records, for each table it walked, which
 * part of the window it reached through that table (d->mmu->sh_link[], one
 * word per machine frame: a base address and the level the table was used
 * at).  When an entry of a table changes, exactly the range that entry
 * covers is unmapped; a table reached in two different ways (shared, or
 * through a linear entry) is marked "many" and any change to it drops the
 * whole shadow.  A TLB flush, a new base pointer or a vCPU on another
 * address space drops the whole shadow too; invlpg drops one page.  With
 * that, a writable host mapping exists only while an L1 entry grants it,
 * so a page that becomes a pagetable is never left writable (XSA-401/408).
 *
 * The top slot of the window holds hv's read-only m2p (private.h), served
 * from the m2p memfd to any vCPU whatever its tables say, as Xen's m2p is
 * in every guest L4.
 *
 * While log-dirty is on, fills and drops go through its mechanism
 * (logdirty.c): it must see every mapping made and keep what a mapping
 * knows of guest writes before the mapping goes.
 *
 * Each host mapping may cost a VMA; neighbouring guest pages backed by
 * neighbouring frames merge.  d->shadow_maps counts what we installed.  If
 * the host refuses a mapping (vm.max_map_count), the shadow is dropped and
 * the fill tried once more before the domain is crashed with a message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "private.h"

#define PF_PRESENT	0x01UL
#define PF_WRITE	0x02UL
#define PF_USER		0x04UL
#define PF_INSTR	0x10UL

/* sh_link values: base | level, 0 for none, this for "reached many ways". */
#define SH_MANY		7UL

int hv_shadow_reserve(char *err, size_t errlen)
{
	void *p = mmap((void *)HV_GUEST_VA_START,
		       HV_GUEST_VA_END - HV_GUEST_VA_START, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		       MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED) {
		snprintf(err, errlen,
			 "cannot reserve the guest window %#lx-%#lx in this process: %s",
			 HV_GUEST_VA_START, HV_GUEST_VA_END, strerror(errno));
		return -1;
	}
	return 0;
}

static int map_page(struct hv_domain *d, uint64_t va, int fd, uint64_t off,
		    int prot)
{
	void *p = mmap((void *)(va & ~(HV_PAGE_SIZE - 1)), HV_PAGE_SIZE, prot,
		       MAP_SHARED | MAP_FIXED, fd, off);

	if (p == MAP_FAILED)
		return -errno;
	d->mmu->sh_mapped = true;
	__atomic_fetch_add(&d->shadow_maps, 1, __ATOMIC_RELAXED);
	return 0;
}

int hv_shadow_map(struct hv_domain *d, uint64_t va, mfn_t mfn, bool write,
		  bool exec)
{
	int prot = PROT_READ | (write ? PROT_WRITE : 0) | (exec ? PROT_EXEC : 0);

	return map_page(d, va, d->m->memfd, mfn_to_maddr(mfn), prot);
}

void hv_shadow_unmap_raw(uint64_t va, uint64_t len)
{
	mmap((void *)va, len, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

/*
 * Puts [va, va + len) back to reserved PROT_NONE, clipped to the guest
 * window: whatever a guest names, the host's own memory is never touched.
 * Under log-dirty, what the mappings know of guest writes is kept first
 * (logdirty.c).
 */
void hv_shadow_unmap(struct hv_domain *d, uint64_t va, uint64_t len)
{
	uint64_t end = va + len;

	va &= ~(HV_PAGE_SIZE - 1);
	if (end < va)
		end = HV_GUEST_VA_END;
	if (va < HV_GUEST_VA_START)
		va = HV_GUEST_VA_START;
	if (end > HV_GUEST_VA_END)
		end = HV_GUEST_VA_END;
	if (va >= end)
		return;
	if (hv_logdirty_active(d))
		hv_logdirty_before_unmap(d, va, end - va);
	hv_shadow_unmap_raw(va, end - va);
}

void hv_shadow_flush(struct hv_domain *d)
{
	struct hv_mmu *mmu = d->mmu;
	uint64_t i;

	mmu->st.sh_flushes++;
	if (mmu->sh_mapped) {
		hv_shadow_unmap(d, HV_GUEST_VA_START,
				HV_GUEST_VA_END - HV_GUEST_VA_START);
		mmu->sh_mapped = false;
		mmu->sh_gen++;
	}
	for (i = 0; i < mmu->nr_sh_dirty; i++)
		mmu->sh_link[mmu->sh_dirty[i]] = 0;
	mmu->nr_sh_dirty = 0;
}

void hv_shadow_invlpg(struct hv_domain *d, uint64_t va)
{
	if (va < HV_GUEST_VA_START || va >= HV_GUEST_VA_END ||
	    !d->mmu->sh_mapped)
		return;
	hv_shadow_unmap(d, va, HV_PAGE_SIZE);
	d->mmu->sh_gen++;
	d->mmu->st.sh_inval_pages++;
}

/* Entry idx of table changed: unmap what the shadow reached through it. */
void hv_shadow_entry_changed(struct hv_domain *d, mfn_t table,
			     unsigned int idx)
{
	struct hv_mmu *mmu = d->mmu;
	uint64_t link = mmu->sh_link[mfn_x(table)];
	unsigned int level = link & 7;
	uint64_t span, start;

	if (!link)
		return;
	if (link == SH_MANY) {
		hv_shadow_flush(d);
		return;
	}
	span = level_span(level);
	start = (link & ~7UL) + idx * span;
	/* L4 slots 256 and up are the upper half: never in the window. */
	if (level == 4 && idx >= 256)
		return;
	hv_shadow_unmap(d, start, span);
	mmu->sh_gen++;
	if (level == 1)
		mmu->st.sh_inval_pages++;
	else
		mmu->st.sh_inval_ranges++;
}

/* Notes that the shadow reached [base, base + 512 * span) through table. */
static bool sh_record(struct hv_mmu *mmu, mfn_t table, unsigned int level,
		      uint64_t va)
{
	uint64_t base = level == 4 ? 0 : va & ~(512 * level_span(level) - 1);
	uint64_t want = base | level, *link = &mmu->sh_link[mfn_x(table)];

	if (*link == want || *link == SH_MANY)
		return true;
	if (*link) {
		*link = SH_MANY;
		return true;
	}
	if (mmu->nr_sh_dirty == mmu->sh_dirty_cap) {
		uint64_t cap = mmu->sh_dirty_cap ? 2 * mmu->sh_dirty_cap : 256;
		uint32_t *p = realloc(mmu->sh_dirty, cap * sizeof(*p));

		if (!p)
			return false;
		mmu->sh_dirty = p;
		mmu->sh_dirty_cap = cap;
	}
	mmu->sh_dirty[mmu->nr_sh_dirty++] = mfn_x(table);
	*link = want;
	return true;
}

/* The m2p slot: readable by anyone, writable and executable by no one. */
static enum hv_shadow_result m2p_fault(struct hv_domain *d, uint64_t va,
				       bool write, bool fetch, uint64_t *ec)
{
	uint64_t off = (va - HV_M2P_VIRT_START) & ~(HV_PAGE_SIZE - 1);

	if (off >= d->m->m2p_bytes)
		return HV_SHADOW_GUEST;
	if (write || fetch) {
		*ec |= PF_PRESENT;
		return HV_SHADOW_GUEST;
	}
	if (map_page(d, va, d->m->m2p_fd, off, PROT_READ))
		return HV_SHADOW_LIMIT;
	d->mmu->st.sh_m2p_fills++;
	return HV_SHADOW_RETRY;
}

/* vCPUs share one host address space: the shadow follows one L4. */
static void follow_cr3(struct hv_vcpu *v)
{
	struct hv_domain *d = v->d;
	struct hv_mmu *mmu = d->mmu;
	unsigned int i;

	if (mfn_eq(mmu->sh_cr3, v->cr3))
		return;
	for (i = 0; i < d->nr_vcpus && !mmu->sh_warned; i++) {
		struct hv_vcpu *o = &d->vcpus[i];

		if (o != v && o->started && mfn_eq(o->cr3, mmu->sh_cr3)) {
			hv_console_printf(d, "(hv) vCPUs %u and %u run on different L4 tables: this hypervisor shows one address space at a time, so they take turns\n",
					  v->id, o->id);
			mmu->sh_warned = true;
		}
	}
	hv_shadow_flush(d);
	mmu->sh_cr3 = v->cr3;
}

static bool record_walk(struct hv_mmu *mmu, const struct hv_walk *w,
			uint64_t va)
{
	unsigned int level;

	for (level = 4; level >= 1; level--)
		if (!sh_record(mmu, w->table[level], level, va))
			return false;
	return true;
}

/* A fill's host mapping: plain, or made by log-dirty's mechanism. */
static int install(struct hv_domain *d, uint64_t va, const struct hv_walk *w,
		   bool write, bool fetch)
{
	if (hv_logdirty_active(d))
		return hv_logdirty_shadow_map(d, va, w->mfn, w->writable, !w->nx,
					      write, fetch);
	return hv_shadow_map(d, va, w->mfn, w->writable, !w->nx);
}

static enum hv_shadow_result fill(struct hv_vcpu *v, uint64_t va,
				  bool write, bool fetch, uint64_t *ec)
{
	struct hv_domain *d = v->d;
	uint64_t page = va & ~(HV_PAGE_SIZE - 1);
	struct hv_walk w;
	int rc;

	if (va >= HV_M2P_VIRT_START && va < HV_M2P_VIRT_END)
		return m2p_fault(d, va, write, fetch, ec);
	follow_cr3(v);
	if (hv_guest_walk(d, v->cr3, va, &w))
		return HV_SHADOW_GUEST;
	if ((write && !w.writable) || (fetch && w.nx)) {
		*ec |= PF_PRESENT;
		return HV_SHADOW_GUEST;
	}
	if (va < HV_GUEST_VA_START || va >= HV_GUEST_VA_END)
		return HV_SHADOW_LIMIT;
	/*
	 * Filled with these rights, nothing dropped since, and faulting
	 * again: not a miss (a remapped page is a miss again).
	 */
	if (v->last_fill_va == page && v->fill_gen == d->mmu->sh_gen &&
	    ++v->fill_repeats > 2) {
		*ec |= PF_PRESENT;
		return HV_SHADOW_GUEST;
	}
	if (v->last_fill_va != page || v->fill_gen != d->mmu->sh_gen) {
		v->last_fill_va = page;
		v->fill_repeats = 0;
	}
	if (!record_walk(d->mmu, &w, va)) {
		hv_shadow_flush(d);
		if (!record_walk(d->mmu, &w, va))
			return HV_SHADOW_LIMIT;
	}
	rc = install(d, va, &w, write, fetch);
	if (rc == -ENOMEM) {
		/* Out of host mappings: a cache may always start over. */
		d->mmu->st.sh_retries++;
		hv_shadow_flush(d);
		record_walk(d->mmu, &w, va);
		rc = install(d, va, &w, write, fetch);
	}
	if (rc) {
		hv_console_printf(d, "(hv) cannot map guest page %#lx on the host: %s (%lu shadow mappings made; see vm.max_map_count)\n",
				  (unsigned long)page, strerror(-rc),
				  (unsigned long)d->shadow_maps);
		return HV_SHADOW_LIMIT;
	}
	v->fill_gen = d->mmu->sh_gen;
	d->mmu->st.sh_fills++;
	return HV_SHADOW_RETRY;
}

/*
 * A host page fault at a guest address va.  Either the shadow now allows
 * the access (HV_SHADOW_RETRY), or the guest's own tables forbid it
 * (HV_SHADOW_GUEST, *ec = the x86 error code the guest must see), or the
 * guest maps something this hypervisor cannot show it (HV_SHADOW_LIMIT).
 */
enum hv_shadow_result hv_shadow_fault(struct hv_vcpu *v, uint64_t va,
				      unsigned long hw_err, uint64_t *ec)
{
	struct hv_domain *d = v->d;
	bool write = hw_err & PF_WRITE, fetch = hw_err & PF_INSTR;
	enum hv_shadow_result r;

	*ec = (write ? PF_WRITE : 0) | (fetch ? PF_INSTR : 0) |
	      (v->kernel_mode ? 0 : PF_USER);
	hv_mmu_lock(d);
	r = fill(v, va, write, fetch, ec);
	if (r == HV_SHADOW_GUEST)
		d->mmu->st.sh_guest_faults++;
	else if (r == HV_SHADOW_LIMIT)
		d->mmu->st.sh_limit++;
	hv_mmu_unlock(d);
	return r;
}
