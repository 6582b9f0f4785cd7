// SPDX-License-Identifier: MIT
/*
 * The PV MMU audit: recount every reference from what the guest's tables,
 * pins and base pointers actually hold, and compare with the frame table.
 * It runs after every MMU hypercall when TERN_HV_AUDIT is set (tests and
 * fuzzing do), so a counting bug shows at the call that made it.
 *
 * Checked, for every frame of the domain:
 *   - the type count equals the references at the right level (entries of
 *     validated tables one level up, same-level linear entries), plus pin,
 *     base-pointer, hypervisor-hold and shared-page references;
 *   - the general count equals those plus mappings and the allocation
 *     reference, and is at least the type count;
 *   - no frame is both pagetable-typed and writably mapped, and every
 *     writable mapping targets a frame of writable type;
 *   - pagetables in use are validated and their entries obey the flag
 *     rules; hypervisor L4 slots are empty;
 *   - linear counts match the linear entries, and no table both holds and
 *     is the target of linear entries;
 * free frames hold no references and no m2p entry, and the m2p agrees with
 * the guest's p2m as it publishes it in shared_info (the 3-level frame
 * list save and migration read) or, until it does, with the frames
 * populate_physmap gave each pfn.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "private.h"

struct audit {
	struct hv_domain *d;
	char *why;
	size_t len;
	int faults;
	uint64_t ld_pages;		/* machine pages the host maps */
};

static void __attribute__((format(printf, 2, 3)))
fault(struct audit *a, const char *fmt, ...)
{
	size_t used = a->why ? strlen(a->why) : 0;
	va_list ap;

	if (a->why && used + 1 < a->len) {
		if (a->faults)
			used += snprintf(a->why + used, a->len - used, "; ");
		va_start(ap, fmt);
		if (used < a->len)
			vsnprintf(a->why + used, a->len - used, fmt, ap);
		va_end(ap);
	}
	a->faults++;
}

static bool is_ours(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f = hv_frame(d->m, mfn);

	return f && f->owner == d->domid && f->count;
}

/* One present entry of a validated table: what it must hold, counted. */
static void count_entry(struct audit *a, mfn_t table, unsigned int level,
			unsigned int idx, uint64_t e)
{
	struct hv_domain *d = a->d;
	struct hv_mmu *mmu = d->mmu;
	uint64_t ok = level == 1 ? PTE_L1_OK : PTE_UPPER_OK;
	mfn_t t = pte_mfn(e);
	struct hv_frame *tf;

	if (e & ~PTE_ADDR & ~ok)
		fault(a, "mfn %#lx L%u[%u] = %#lx has forbidden flags",
		      mfn_x(table), level, idx, e);
	if (level > 1 && mfn_eq(t, table)) {
		if (e & PTE_RW)
			fault(a, "mfn %#lx L%u[%u]: writable self-map",
			      mfn_x(table), level, idx);
		return;
	}
	if (!is_ours(d, t)) {
		fault(a, "mfn %#lx L%u[%u] = %#lx names a frame the domain does not own",
		      mfn_x(table), level, idx, e);
		return;
	}
	tf = hv_frame(d->m, t);
	mmu->au_count[mfn_x(t)]++;
	if (level == 1) {
		if (!(e & PTE_RW))
			return;
		mmu->au_type[mfn_x(t)]++;
		if (tf->type != HV_PGT_WRITABLE)
			fault(a, "mfn %#lx is mapped writable by mfn %#lx L1[%u] but has type %u",
			      mfn_x(t), mfn_x(table), idx, tf->type);
		return;
	}
	mmu->au_type[mfn_x(t)]++;
	if (tf->type == level) {
		if (e & PTE_RW)
			fault(a, "mfn %#lx L%u[%u]: writable linear entry",
			      mfn_x(table), level, idx);
		mmu->au_lin_entries[mfn_x(table)]++;
		mmu->au_lin_uses[mfn_x(t)]++;
	} else if (tf->type != level - 1) {
		fault(a, "mfn %#lx L%u[%u] points at mfn %#lx of type %u",
		      mfn_x(table), level, idx, mfn_x(t), tf->type);
	}
}

static void count_table(struct audit *a, mfn_t mfn, unsigned int level)
{
	const uint64_t *t = table_ptr(a->d, mfn);
	unsigned int i;

	for (i = 0; i < 512; i++) {
		uint64_t e = read_pte(&t[i]);

		if (level == 4 && !is_guest_l4_slot(i)) {
			if (e)
				fault(a, "mfn %#lx: hypervisor L4 slot %u holds %#lx",
				      mfn_x(mfn), i, e);
			continue;
		}
		if (e & PTE_P)
			count_entry(a, mfn, level, i, e);
	}
}

static void count_baseptr(struct audit *a, mfn_t mfn, const char *what,
			  unsigned int vcpu)
{
	struct hv_domain *d = a->d;

	if (!mfn_valid_raw(mfn))
		return;
	if (!is_ours(d, mfn) || hv_frame(d->m, mfn)->type != HV_PGT_L4) {
		fault(a, "vCPU %u %s %#lx is not an L4 of the domain", vcpu,
		      what, mfn_x(mfn));
		return;
	}
	d->mmu->au_count[mfn_x(mfn)]++;
	d->mmu->au_type[mfn_x(mfn)]++;
}

static void compare(struct audit *a, uint64_t i)
{
	struct hv_mmu *mmu = a->d->mmu;
	const struct hv_frame *f = &a->d->m->frames[i];
	int32_t lin = mmu->au_lin_entries[i] - mmu->au_lin_uses[i];

	if (f->type_count != mmu->au_type[i])
		fault(a, "mfn %#lx type %u: type count %u, references found %u",
		      i, f->type, f->type_count, mmu->au_type[i]);
	if (f->count != mmu->au_count[i])
		fault(a, "mfn %#lx: general count %u, references found %u", i,
		      f->count, mmu->au_count[i]);
	if (f->count < f->type_count)
		fault(a, "mfn %#lx: general count %u below type count %u", i,
		      f->count, f->type_count);
	if (mmu->au_lin_entries[i] && mmu->au_lin_uses[i])
		fault(a, "mfn %#lx both holds %d linear entries and is the target of %d",
		      i, mmu->au_lin_entries[i], mmu->au_lin_uses[i]);
	if (f->linear != lin)
		fault(a, "mfn %#lx: linear count %d, found %d", i, f->linear,
		      lin);
	if (is_pt_type(f->type) && f->type_count &&
	    !(f->flags & HV_PGF_VALIDATED))
		fault(a, "mfn %#lx: L%u in use but not validated", i, f->type);
	if (is_pt_type(f->type) && !f->type_count &&
	    (f->flags & HV_PGF_VALIDATED))
		fault(a, "mfn %#lx: unused L%u still marked validated", i,
		      f->type);
	if ((f->flags & HV_PGF_PINNED) && !is_pt_type(f->type))
		fault(a, "mfn %#lx: pinned but of type %u", i, f->type);
}

/* One p2m entry of the published list against the m2p. */
static void check_p2m_entry(struct audit *a, pfn_t pfn, mfn_t mfn)
{
	struct hv_domain *d = a->d;
	pfn_t back;

	if (!is_ours(d, mfn) || (hv_frame(d->m, mfn)->flags & HV_PGF_XENHEAP))
		return;
	back = hv_m2p(d->m, mfn);
	if (!pfn_eq(back, pfn))
		fault(a, "p2m[%#lx] = %#lx but m2p[%#lx] = %#lx", pfn_x(pfn),
		      mfn_x(mfn), mfn_x(mfn), pfn_x(back));
}

/* The guest's 3-level frame list: list of lists of p2m frames. */
static void check_frame_list(struct audit *a, uint64_t fll, uint64_t max_pfn)
{
	struct hv_domain *d = a->d;
	const uint64_t *top, *mid, *leaf;
	uint64_t pfn = 0, i, j, k;

	/* What save and migration will read: every level must be ours. */
	if (!is_ours(d, _mfn(fll))) {
		fault(a, "pfn_to_mfn_frame_list_list %#lx is not the domain's frame", fll);
		return;
	}
	top = hv_mfn_ptr(d->m, _mfn(fll));
	for (i = 0; i < 512 && pfn < max_pfn; i++) {
		if (!is_ours(d, _mfn(top[i]))) {
			fault(a, "frame list list[%lu] = %#lx is not the domain's frame",
			      i, top[i]);
			return;
		}
		mid = hv_mfn_ptr(d->m, _mfn(top[i]));
		for (j = 0; j < 512 && pfn < max_pfn; j++) {
			if (!is_ours(d, _mfn(mid[j]))) {
				fault(a, "frame list[%lu][%lu] = %#lx is not the domain's frame",
				      i, j, mid[j]);
				return;
			}
			leaf = hv_mfn_ptr(d->m, _mfn(mid[j]));
			for (k = 0; k < 512 && pfn < max_pfn; k++, pfn++)
				check_p2m_entry(a, _pfn(pfn), _mfn(leaf[k]));
		}
	}
	d->mmu->st.p2m_list_checked = pfn;
}

static void check_m2p(struct audit *a)
{
	struct hv_domain *d = a->d;
	const struct arch_shared_info *as = &d->shared_info->arch;
	uint64_t fll = __atomic_load_n(&as->pfn_to_mfn_frame_list_list,
				       __ATOMIC_ACQUIRE);
	uint64_t pfn;

	if (fll && fll != ~0UL) {
		check_frame_list(a, fll, as->max_pfn);
		return;
	}
	for (pfn = 0; pfn < d->max_pages; pfn++) {
		mfn_t mfn = hv_p2m(d, _pfn(pfn));

		if (mfn_valid_raw(mfn))
			check_p2m_entry(a, _pfn(pfn), mfn);
	}
}

static void audit_frames(struct audit *a)
{
	struct hv_domain *d = a->d;
	struct hv_machine *m = d->m;
	struct hv_mmu *mmu = d->mmu;
	uint64_t i, n = m->nr_frames;
	unsigned int v;

	memset(mmu->au_count, 0, n * sizeof(*mmu->au_count));
	memset(mmu->au_type, 0, n * sizeof(*mmu->au_type));
	memset(mmu->au_lin_entries, 0, n * sizeof(*mmu->au_lin_entries));
	memset(mmu->au_lin_uses, 0, n * sizeof(*mmu->au_lin_uses));
	for (i = 0; i < n; i++) {
		const struct hv_frame *f = &m->frames[i];

		if (f->owner != d->domid)
			continue;
		if (f->flags & HV_PGF_ALLOCATED)
			mmu->au_count[i]++;
		if (f->flags & HV_PGF_PINNED) {
			mmu->au_count[i]++;
			mmu->au_type[i]++;
		}
		if (f->flags & HV_PGF_XENHEAP)
			mmu->au_type[i]++;
		mmu->au_count[i] += f->hv_refs;
		mmu->au_type[i] += f->hv_refs;
		if (f->hv_refs && f->type != HV_PGT_WRITABLE)
			fault(a, "mfn %#lx held by the hypervisor but of type %u",
			      i, f->type);
		if (is_pt_type(f->type) && f->type_count &&
		    (f->flags & HV_PGF_VALIDATED))
			count_table(a, _mfn(i), f->type);
	}
	for (v = 0; v < d->nr_vcpus; v++) {
		count_baseptr(a, d->vcpus[v].cr3, "base pointer", v);
		count_baseptr(a, d->vcpus[v].cr3_user, "user base pointer", v);
	}
	for (i = 0; i < n; i++) {
		const struct hv_frame *f = &m->frames[i];

		if (f->owner == d->domid && (f->flags & HV_PGF_OFFLINED))
			fault(a, "mfn %#lx is offlined but owned", i);
		if (f->owner == d->domid)
			compare(a, i);
		else if (f->owner == DOMID_INVALID &&
			 (f->count || f->type_count ||
			  !pfn_eq(hv_m2p(m, _mfn(i)), INVALID_PFN)))
			fault(a, "free mfn %#lx: count %u type count %u m2p %#lx",
			      i, f->count, f->type_count,
			      pfn_x(hv_m2p(m, _mfn(i))));
	}
}

int hv_mmu_audit(struct hv_domain *d, char *why, size_t len)
{
	struct audit a = { .d = d, .why = why, .len = len };

	if (why && len)
		why[0] = '\0';
	hv_mmu_lock(d);
	d->mmu->st.audits++;
	audit_frames(&a);
	if (d->mmu->audit_p2m)
		check_m2p(&a);
	if (a.faults)
		d->mmu->st.audit_failures++;
	hv_mmu_unlock(d);
	return a.faults;
}

/* ---- the shadow against the host's real mappings ---- */

/*
 * Under log-dirty, the record knows every mapping as it is (shadow_rmap.c),
 * and a page is writable without tracking (any writable one of the
 * read-only shadow, uffd's plain ones) only while its pfn is dirty:
 * otherwise a write could go unmarked.
 */
static void check_logdirty(struct audit *a, uint64_t va, mfn_t mfn, bool w)
{
	struct hv_domain *d = a->d;
	uint64_t e = hv_logdirty_rmap_entry(d, va);

	a->ld_pages++;
	if (!(e & HV_RMAP_PRESENT) || !mfn_eq(hv_rmap_mfn(e), mfn) ||
	    !(e & HV_RMAP_W) != !w) {
		fault(a, "log-dirty's record of %#lx (%#lx) disagrees with the host's mapping (mfn %#lx%s)",
		      va, e, mfn_x(mfn), w ? ", writable" : "");
		return;
	}
	if (w && (d->logdirty->ops == &hv_logdirty_ro_ops ||
		  (e & HV_RMAP_PLAIN)) && !hv_logdirty_test(d, mfn))
		fault(a, "log-dirty: %#lx (mfn %#lx) writable untracked but not dirty",
		      va, mfn_x(mfn));
}

/* One host mapping of the guest window, as /proc/self/maps shows it. */
static void check_vma(struct audit *a, uint64_t start, uint64_t end,
		      const char *perms, uint64_t off, const char *path)
{
	struct hv_domain *d = a->d;
	bool r = perms[0] == 'r', w = perms[1] == 'w', x = perms[2] == 'x';
	bool machine = strstr(path, "tern-machine-memory") != NULL;
	bool m2p = strstr(path, "tern-m2p") != NULL;
	uint64_t va;

	if (!r && !w && !x)
		return;
	if (m2p) {
		if (w || x || start < HV_M2P_VIRT_START ||
		    end > HV_M2P_VIRT_START + d->m->m2p_bytes)
			fault(a, "m2p mapped %s at %#lx-%#lx", perms, start, end);
		return;
	}
	if (!machine) {
		fault(a, "unknown mapping %s at %#lx-%#lx (%s)", perms, start,
		      end, path);
		return;
	}
	for (va = start; va < end; va += HV_PAGE_SIZE) {
		mfn_t mfn = maddr_to_mfn(off + (va - start));
		struct hv_walk wk;

		if (hv_guest_walk(d, d->mmu->sh_cr3, va, &wk) ||
		    !mfn_eq(wk.mfn, mfn)) {
			fault(a, "shadow maps %#lx to mfn %#lx, the guest's tables %s",
			      va, mfn_x(mfn),
			      wk.present ? "map another frame" : "map nothing");
			continue;
		}
		if (w && (!wk.writable ||
			  hv_frame(d->m, mfn)->type != HV_PGT_WRITABLE))
			fault(a, "shadow maps %#lx (mfn %#lx) writable against the tables or the type",
			      va, mfn_x(mfn));
		if (x && wk.nx)
			fault(a, "shadow maps %#lx executable under NX", va);
		if (hv_logdirty_active(d))
			check_logdirty(a, va, mfn, w);
	}
}

int hv_shadow_audit(struct hv_domain *d, char *why, size_t len)
{
	struct audit a = { .d = d, .why = why, .len = len };
	FILE *maps;
	char line[512];

	if (why && len)
		why[0] = '\0';
	maps = fopen("/proc/self/maps", "re");
	if (!maps) {
		fault(&a, "cannot read /proc/self/maps: %s", strerror(errno));
		return a.faults;
	}
	hv_mmu_lock(d);
	while (fgets(line, sizeof(line), maps)) {
		unsigned long start, end, off;
		char perms[8], path[256] = "";

		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %255[^\n]", &start,
			   &end, perms, &off, path) < 4)
			continue;
		if (end <= HV_GUEST_VA_START || start >= HV_GUEST_VA_END)
			continue;
		check_vma(&a, start, end, perms, off, path);
	}
	if (hv_logdirty_active(d) && a.ld_pages != d->logdirty->rmap.nr_present)
		fault(&a, "log-dirty's record holds %lu mappings, the host %lu",
		      (unsigned long)d->logdirty->rmap.nr_present,
		      (unsigned long)a.ld_pages);
	hv_mmu_unlock(d);
	fclose(maps);
	return a.faults;
}

/* ---- statistics ---- */

void hv_mmu_print_stats(struct hv_domain *d, FILE *f)
{
	static const char *const ops[HV_OP_NR] = {
		[HV_OP_PT_UPDATE] = "pt update", [HV_OP_MACHPHYS] = "m2p update",
		[HV_OP_PLAIN_WRITE] = "plain write", [HV_OP_UVM] = "va mapping",
		[HV_OP_PIN] = "pin", [HV_OP_UNPIN] = "unpin",
		[HV_OP_BASEPTR] = "base pointer", [HV_OP_FLUSH] = "tlb flush",
		[HV_OP_MMUEXT_OTHER] = "mmuext other",
		[HV_OP_MULTICALL] = "multicall", [HV_OP_MEMORY_OP] = "memory_op",
		[HV_OP_PTWR] = "ptwr write",
	};
	static const char *const res[HV_RES_NR] = {
		"ok", "EINVAL", "EBUSY", "EPERM", "EFAULT", "ESRCH", "ENOSYS",
		"other",
	};
	const struct hv_mmu_stats *s = &d->mmu->st;
	unsigned int i, j;

	fprintf(f, "mmu operation     ");
	for (j = 0; j < HV_RES_NR; j++)
		fprintf(f, " %7s", res[j]);
	fprintf(f, "\n");
	for (i = 0; i < HV_OP_NR; i++) {
		uint64_t sum = 0;

		for (j = 0; j < HV_RES_NR; j++)
			sum += s->ops[i][j];
		if (!sum)
			continue;
		fprintf(f, "%-18s", ops[i]);
		for (j = 0; j < HV_RES_NR; j++)
			fprintf(f, " %7lu", (unsigned long)s->ops[i][j]);
		fprintf(f, "\n");
	}
	fprintf(f, "tables validated   L1 %lu L2 %lu L3 %lu L4 %lu\n",
		(unsigned long)s->validated[1], (unsigned long)s->validated[2],
		(unsigned long)s->validated[3], (unsigned long)s->validated[4]);
	fprintf(f, "tables devalidated L1 %lu L2 %lu L3 %lu L4 %lu\n",
		(unsigned long)s->devalidated[1],
		(unsigned long)s->devalidated[2],
		(unsigned long)s->devalidated[3],
		(unsigned long)s->devalidated[4]);
	fprintf(f, "shadow fills       %lu (m2p %lu), guest faults %lu, limit %lu\n",
		(unsigned long)s->sh_fills, (unsigned long)s->sh_m2p_fills,
		(unsigned long)s->sh_guest_faults, (unsigned long)s->sh_limit);
	fprintf(f, "shadow drops       pages %lu, ranges %lu, all %lu, retries %lu\n",
		(unsigned long)s->sh_inval_pages,
		(unsigned long)s->sh_inval_ranges, (unsigned long)s->sh_flushes,
		(unsigned long)s->sh_retries);
	fprintf(f, "p2m frame list     max_pfn %lu, entries checked by the last audit %lu\n",
		(unsigned long)d->shared_info->arch.max_pfn,
		(unsigned long)d->mmu->st.p2m_list_checked);
	fprintf(f, "mmu audits         %lu, failed %lu\n",
		(unsigned long)s->audits, (unsigned long)s->audit_failures);
}
