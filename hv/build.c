// SPDX-License-Identifier: MIT
/*
 * The domain builder: lays out start of day for a 64-bit PV guest as Xen
 * documents it (public/xen.h, "start of day memory layout").  From VIRT_BASE
 * up, each element page-aligned and backed by pfns 0, 1, 2... in order:
 *
 *   kernel image          [virt_kstart, virt_kend)
 *   p2m list              start_info.mfn_list, nr_pages entries of 8 bytes
 *   start_info            rsi at entry
 *   xenstore ring page    start_info.store_mfn
 *   console ring page     start_info.console.domU.mfn
 *   bootstrap pagetables  start_info.pt_base (the L4), mapped read-only
 *   bootstrap stack       rsp at entry points at its top
 *   padding               at least 512 KiB, region ends on a 4 MiB boundary
 *
 * The whole region [v_start, v_end) is mapped 1:1 onto the first pfns.
 * shared_info is a separate hypervisor page; start_info gives its machine
 * address.  The hypercall page inside the image is filled here.
 *
 * The tables are written here as plain memory; then the L4 is pinned and
 * loaded as vCPU 0's base pointer through the PV MMU itself, as Xen's
 * toolstack does, so validation takes every reference the layout implies
 * and the counts are exactly those of a guest that built it by hypercalls.
 * The console and xenstore rings carry a writable reference for the
 * backends that write them (the console code and xenstored, which use the
 * direct map), so the guest can never make them pagetables.
 */
#include <errno.h>
#include <string.h>

#include "hv/arch/x86/mm/private.h"
#include <xen/interface/elfnote.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -EINVAL)

#define PT_PRESENT	0x001UL
#define PT_RW		0x002UL
#define PT_USER		0x004UL
#define PT_ACCESSED	0x020UL
#define PT_DIRTY	0x040UL
/* What libxc gives upper levels, and leaf pages (pagetables: no RW). */
#define PT_UPPER	(PT_PRESENT | PT_RW | PT_USER | PT_ACCESSED | PT_DIRTY)
#define PT_LEAF		(PT_PRESENT | PT_RW | PT_USER | PT_ACCESSED | PT_DIRTY)
#define PT_LEAF_RO	(PT_PRESENT | PT_USER | PT_ACCESSED)

struct layout {
	uint64_t p2m_va, start_info_va, store_va, console_va;
	uint64_t pt_va, stack_va;
	uint64_t nr_pt, nr_l3, nr_l2, nr_l1;
};

static uint64_t span_count(uint64_t start, uint64_t end, unsigned int shift)
{
	return ((end - 1) >> shift) - (start >> shift) + 1;
}

/* Pagetable pages needed to map [start, end) with 4 KiB pages. */
static void count_tables(struct layout *l, uint64_t start, uint64_t end)
{
	l->nr_l3 = span_count(start, end, 39);
	l->nr_l2 = span_count(start, end, 30);
	l->nr_l1 = span_count(start, end, 21);
	l->nr_pt = 1 + l->nr_l3 + l->nr_l2 + l->nr_l1;
}

static uint64_t region_end(uint64_t used_end)
{
	const uint64_t four_mb = 4UL << 20;

	return (used_end + (512UL << 10) + four_mb - 1) & ~(four_mb - 1);
}

/*
 * Places everything after the image.  The pagetables map the region they
 * live in, so their number and the region's end are found together.
 */
static void plan_layout(struct hv_domain *d, struct layout *l)
{
	uint64_t va = (d->elf.virt_kend + HV_PAGE_SIZE - 1) & ~(HV_PAGE_SIZE - 1);
	uint64_t p2m_bytes = d->nr_pages * sizeof(uint64_t);
	uint64_t end = 0, prev;

	l->p2m_va = va;
	va += (p2m_bytes + HV_PAGE_SIZE - 1) & ~(HV_PAGE_SIZE - 1);
	l->start_info_va = va;
	l->store_va = va + HV_PAGE_SIZE;
	l->console_va = va + 2 * HV_PAGE_SIZE;
	l->pt_va = va + 3 * HV_PAGE_SIZE;
	l->nr_pt = 0;
	do {
		prev = end;
		l->stack_va = l->pt_va + l->nr_pt * HV_PAGE_SIZE;
		end = region_end(l->stack_va + HV_PAGE_SIZE);
		count_tables(l, d->v_start, end);
	} while (end != prev);
	d->v_end = end;
}

static uint64_t va_to_pfn(const struct hv_domain *d, uint64_t va)
{
	return (va - d->v_start) >> HV_PAGE_SHIFT;
}

static void *va_ptr(struct hv_domain *d, uint64_t va)
{
	mfn_t mfn = d->p2m[va_to_pfn(d, va)];

	return (uint8_t *)hv_mfn_ptr(d->m, mfn) + (va & (HV_PAGE_SIZE - 1));
}

/* hv_elf_load callback: copies or zeroes through the p2m, page by page. */
static int put_image(void *ctx, uint64_t va, const void *src, size_t len)
{
	struct hv_domain *d = ctx;

	while (len) {
		size_t chunk = HV_PAGE_SIZE - (va & (HV_PAGE_SIZE - 1));

		if (chunk > len)
			chunk = len;
		if (src) {
			memcpy(va_ptr(d, va), src, chunk);
			src = (const uint8_t *)src + chunk;
		} else {
			memset(va_ptr(d, va), 0, chunk);
		}
		va += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * Builds L4..L1 for [v_start, v_end) out of the pagetable pages at pt_va,
 * handing them out in order: L4, then per level as the walk first needs one.
 */
static void build_pagetables(struct hv_domain *d, const struct layout *l)
{
	uint64_t next_pt = l->pt_va, va;
	uint64_t pt_end = l->pt_va + l->nr_pt * HV_PAGE_SIZE;
	mfn_t l4 = d->p2m[va_to_pfn(d, next_pt)];

	next_pt += HV_PAGE_SIZE;
	d->l4_mfn = l4;

	for (va = d->v_start; va < d->v_end; va += HV_PAGE_SIZE) {
		uint64_t *table = hv_mfn_ptr(d->m, l4);
		int level;

		for (level = 4; level > 1; level--) {
			unsigned int idx = (va >> (12 + 9 * (level - 1))) & 511;

			if (!(table[idx] & PT_PRESENT)) {
				mfn_t t = d->p2m[va_to_pfn(d, next_pt)];

				next_pt += HV_PAGE_SIZE;
				table[idx] = mfn_to_maddr(t) | PT_UPPER;
			}
			table = hv_mfn_ptr(d->m, maddr_to_mfn(table[idx] & 0x000ffffffffff000UL));
		}
		{
			unsigned int idx = (va >> 12) & 511;
			mfn_t mfn = d->p2m[va_to_pfn(d, va)];
			bool is_pt = va >= l->pt_va && va < pt_end;

			table[idx] = mfn_to_maddr(mfn) | (is_pt ? PT_LEAF_RO : PT_LEAF);
		}
	}
}

/*
 * Xen's 64-bit PV hypercall stub, one per 32-byte slot: preserve rcx and
 * r11 (syscall clobbers them), load the number, syscall, restore, return.
 * The iret slot pushes rax as well and never returns.
 */
static void fill_hypercall_page(struct hv_domain *d)
{
	uint8_t *page = va_ptr(d, d->elf.hypercall_page);
	unsigned int i;

	for (i = 0; i < HV_PAGE_SIZE / 32; i++) {
		uint8_t *p = page + i * 32;

		memset(p, 0xcc, 32);
		if (i == __HYPERVISOR_iret) {
			*p++ = 0x51;			/* push %rcx */
			*p++ = 0x41; *p++ = 0x53;	/* push %r11 */
			*p++ = 0x50;			/* push %rax */
		} else {
			*p++ = 0x51;
			*p++ = 0x41; *p++ = 0x53;
		}
		*p++ = 0xb8;				/* mov $i, %eax */
		memcpy(p, &i, 4);
		p += 4;
		*p++ = 0x0f; *p++ = 0x05;		/* syscall */
		if (i == __HYPERVISOR_iret)
			continue;
		*p++ = 0x41; *p++ = 0x5b;		/* pop %r11 */
		*p++ = 0x59;				/* pop %rcx */
		*p++ = 0xc3;				/* ret */
	}
}

static void fill_start_info(struct hv_domain *d, const struct layout *l)
{
	struct start_info *si = va_ptr(d, l->start_info_va);

	memset(si, 0, sizeof(*si));
	snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
	si->nr_pages = d->nr_pages;
	si->shared_info = mfn_to_maddr(d->shared_info_mfn);
	si->flags = 0;
	si->store_mfn = mfn_x(d->store_mfn);
	si->store_evtchn = d->store_evtchn;
	si->console.domU.mfn = mfn_x(d->console_mfn);
	si->console.domU.evtchn = d->console_evtchn;
	si->pt_base = l->pt_va;
	si->nr_pt_frames = l->nr_pt;
	si->mfn_list = l->p2m_va;
	snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s",
		 d->cfg.cmdline);
}

static void fill_p2m(struct hv_domain *d, const struct layout *l)
{
	uint64_t pfn;

	for (pfn = 0; pfn < d->nr_pages; pfn++) {
		uint64_t mfn = mfn_x(d->p2m[pfn]);

		put_image(d, l->p2m_va + pfn * 8, &mfn, 8);
		d->m->m2p[mfn] = pfn;
	}
}

/*
 * Counted references for start of day: shared_info is a hypervisor page
 * shared writable (one type reference for the sharing, like Xen's
 * share_xen_page_with_guest()), the rings are held for their backends, and
 * the L4 is pinned, which validates the whole bootstrap hierarchy.
 */
static int take_references(struct hv_domain *d, const struct layout *l,
			   char *err, size_t errlen)
{
	struct hv_frame *si = hv_frame(d->m, d->shared_info_mfn);
	int rc;

	si->type = HV_PGT_WRITABLE;
	si->type_count = 1;
	si->flags |= HV_PGF_XENHEAP | HV_PGF_VALIDATED;
	if (hv_mmu_hold_page(d, d->console_mfn) ||
	    hv_mmu_hold_page(d, d->store_mfn))
		return ERR("cannot hold the console and xenstore rings");
	hv_mmu_lock(d);
	rc = hv_pin(d, d->l4_mfn, HV_PGT_L4);
	hv_mmu_unlock(d);
	if (rc)
		return ERR("the bootstrap pagetables do not validate (%d)", rc);
	d->mmu->p2m_pfn = va_to_pfn(d, l->p2m_va);
	d->mmu->p2m_frames = (d->nr_pages * sizeof(uint64_t) + HV_PAGE_SIZE - 1) /
			     HV_PAGE_SIZE;
	return 0;
}

static int init_vcpu0(struct hv_domain *d, const struct layout *l)
{
	struct hv_vcpu *v = &d->vcpus[0];

	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = d->elf.entry;
	v->regs.rsp = l->stack_va + HV_PAGE_SIZE;
	v->regs.rsi = l->start_info_va;
	v->regs.rflags = 0x202;
	v->regs.cs = FLAT_KERNEL_CS;
	v->regs.ss = FLAT_KERNEL_SS;
	v->kernel_mode = true;
	return hv_mmu_vcpu_set_baseptr(v, d->l4_mfn);
}

/* With tern-xl -v: what the guest should find, for tests to compare. */
static void report_layout(struct hv_domain *d, const struct layout *l)
{
	fprintf(stderr, "(hv) start of day: nr_pages %lu shared_info %#lx store_mfn %#lx store_evtchn %u console_mfn %#lx console_evtchn %u\n",
		(unsigned long)d->nr_pages,
		(unsigned long)mfn_to_maddr(d->shared_info_mfn),
		(unsigned long)mfn_x(d->store_mfn), d->store_evtchn,
		(unsigned long)mfn_x(d->console_mfn), d->console_evtchn);
	fprintf(stderr, "(hv) start of day: pt_base %#lx nr_pt_frames %lu mfn_list %#lx start_info %#lx stack_top %#lx v_end %#lx entry %#lx\n",
		(unsigned long)l->pt_va, (unsigned long)l->nr_pt,
		(unsigned long)l->p2m_va, (unsigned long)l->start_info_va,
		(unsigned long)(l->stack_va + HV_PAGE_SIZE),
		(unsigned long)d->v_end, (unsigned long)d->elf.entry);
}

int hv_domain_build(struct hv_domain *d, const struct hv_elf_image *img,
		    char *err, size_t errlen)
{
	struct layout l;
	uint64_t need;
	mfn_t si_mfn;

	if (hv_mmu_init(d, err, errlen))
		return -ENOMEM;
	d->elf = img->info;
	d->v_start = d->elf.virt_base;
	plan_layout(d, &l);
	need = va_to_pfn(d, d->v_end);
	if (need > d->nr_pages)
		return ERR("memory = %lu MiB is too small for this kernel: start of day needs %lu KiB",
			   (unsigned long)(d->nr_pages >> 8),
			   (unsigned long)(need * 4));
	if (d->v_end > HV_M2P_VIRT_START)
		return ERR("start of day region ends beyond the guest window");
	if (hv_alloc_frames(d->m, d->domid, d->nr_pages, d->p2m) ||
	    hv_alloc_frames(d->m, d->domid, 1, &si_mfn))
		return ERR("out of machine memory");
	d->shared_info_mfn = si_mfn;
	d->shared_info = hv_mfn_ptr(d->m, si_mfn);
	hv_frame(d->m, si_mfn)->flags |= HV_PGF_XENHEAP;

	hv_elf_load(img, put_image, d);
	fill_hypercall_page(d);
	d->hypercall_page_va = d->elf.hypercall_page;
	d->start_info_mfn = d->p2m[va_to_pfn(d, l.start_info_va)];
	d->store_mfn = d->p2m[va_to_pfn(d, l.store_va)];
	d->console_mfn = d->p2m[va_to_pfn(d, l.console_va)];
	d->store_evtchn = 1;
	d->console_evtchn = 2;
	fill_p2m(d, &l);
	build_pagetables(d, &l);
	fill_start_info(d, &l);
	if (take_references(d, &l, err, errlen))
		return -EINVAL;
	if (init_vcpu0(d, &l))
		return ERR("cannot load the bootstrap L4 as vCPU 0's base pointer");
	if (hv_verbose)
		report_layout(d, &l);
	if (d->mmu->audit && hv_mmu_audit(d, err, errlen))
		return -EINVAL;
	return 0;
}
