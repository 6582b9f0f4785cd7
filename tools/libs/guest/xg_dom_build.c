// SPDX-License-Identifier: MIT
/*
 * The domain builder: lays out start of day for a 64-bit PV guest as Xen
 * documents it (public/xen.h, "start of day memory layout"), through the
 * domctls of tools/libs/ctrl alone, as Xen's xg_dom_* do.  From VIRT_BASE
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
 * shared_info is the hypervisor's page; start_info gives its machine
 * address (getdomaininfo).
 *
 * The order of the domctls: create the domain (paused, empty); populate
 * every pfn, in batches, learning each frame; map the domain's memory
 * (the memfd the hypervisor hands over) and write the image, the p2m
 * list, the pagetables and start_info into it as plain memory; have the
 * hypervisor write the hypercall page; set up the two rings (each gets a
 * port, and the hypervisor holds the page writable for its backend so it
 * can never become a pagetable); pin the L4, which validates the whole
 * bootstrap hierarchy through the PV MMU itself, so the counts are those
 * of a guest that built it by hypercalls; and give vCPU 0 its context,
 * online.  The first unpause then starts it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xg.h"
#include <xen/interface/elfnote.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

#define MAX_KERNEL_SIZE (256UL << 20)

#define PT_PRESENT	0x001UL
#define PT_RW		0x002UL
#define PT_USER		0x004UL
#define PT_ACCESSED	0x020UL
#define PT_DIRTY	0x040UL
#define PT_ADDR		0x000ffffffffff000UL
/* What libxc gives upper levels, and leaf pages (pagetables: no RW). */
#define PT_UPPER	(PT_PRESENT | PT_RW | PT_USER | PT_ACCESSED | PT_DIRTY)
#define PT_LEAF		(PT_PRESENT | PT_RW | PT_USER | PT_ACCESSED | PT_DIRTY)
#define PT_LEAF_RO	(PT_PRESENT | PT_USER | PT_ACCESSED)

void xg_dom_init(struct xg_dom *dom)
{
	unsigned int i;

	memset(dom, 0, sizeof(*dom));
	for (i = 0; i < HV_CONSOLE_OUTPUTS; i++)
		dom->console_fds[i] = -1;
	dom->mem.memfd = -1;
	dom->cmdline = "";
}

uint32_t xg_dom_seed(void)
{
	const char *env = getenv("TERN_HV_SEED");
	uint32_t seed = 0;

	if (env && *env)
		return strtoul(env, NULL, 0);
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint32_t)getpid() * 2654435761u;
	return seed;
}

/* Reads the whole kernel file into memory; the caller frees *data. */
static int read_kernel(const char *path, void **data, size_t *size,
		       char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got = 0;

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "kernel '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (uint64_t)st.st_size > MAX_KERNEL_SIZE) {
		snprintf(err, errlen, "kernel '%s': not a regular file of 1 byte to %lu MiB",
			 path, MAX_KERNEL_SIZE >> 20);
		goto fail;
	}
	*data = malloc(st.st_size);
	while (*data && got < st.st_size) {
		ssize_t n = read(fd, (char *)*data + got, st.st_size - got);

		if (n <= 0) {
			snprintf(err, errlen, "kernel '%s': short read", path);
			free(*data);
			*data = NULL;
			goto fail;
		}
		got += n;
	}
	*size = st.st_size;
	close(fd);
	if (!*data)
		snprintf(err, errlen, "out of host memory");
	return *data ? 0 : -1;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* ---- the layout ---- */

static uint64_t span_count(uint64_t start, uint64_t end, unsigned int shift)
{
	return ((end - 1) >> shift) - (start >> shift) + 1;
}

/* Pagetable pages needed to map [start, end) with 4 KiB pages. */
static uint64_t count_tables(uint64_t start, uint64_t end)
{
	return 1 + span_count(start, end, 39) + span_count(start, end, 30) +
	       span_count(start, end, 21);
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
static void plan_layout(struct xg_dom *dom)
{
	struct xg_dom_layout *l = &dom->layout;
	uint64_t va = (dom->elf.virt_kend + XG_PAGE_SIZE - 1) & ~(XG_PAGE_SIZE - 1);
	uint64_t p2m_bytes = dom->nr_pages * sizeof(uint64_t);
	uint64_t end = 0, prev;

	l->v_start = dom->elf.virt_base;
	l->p2m_va = va;
	va += (p2m_bytes + XG_PAGE_SIZE - 1) & ~(XG_PAGE_SIZE - 1);
	l->start_info_va = va;
	l->store_va = va + XG_PAGE_SIZE;
	l->console_va = va + 2 * XG_PAGE_SIZE;
	l->pt_va = va + 3 * XG_PAGE_SIZE;
	l->nr_pt = 0;
	do {
		prev = end;
		l->stack_va = l->pt_va + l->nr_pt * XG_PAGE_SIZE;
		end = region_end(l->stack_va + XG_PAGE_SIZE);
		l->nr_pt = count_tables(l->v_start, end);
	} while (end != prev);
	l->v_end = end;
}

static pfn_t va_to_pfn(const struct xg_dom *dom, uint64_t va)
{
	return _pfn((va - dom->layout.v_start) >> XG_PAGE_SHIFT);
}

/*
 * The memory limits the image states (its tern notes), against the
 * layout planned for dom->nr_pages: the start-of-day region and the
 * pages the kernel needs above it must fit, and the whole must not
 * exceed what the kernel can run in.
 */
static int check_memory(struct xg_dom *dom, char *err, size_t errlen)
{
	uint64_t need = pfn_x(va_to_pfn(dom, dom->layout.v_end));
	uint64_t min = need + dom->elf.min_free_pages;
	unsigned long mb = dom->nr_pages >> (20 - XG_PAGE_SHIFT);

	if (dom->nr_pages < min)
		return ERR("memory = %lu MiB is too small for this kernel: start of day takes %lu KiB and the kernel needs %lu KiB above it, %lu MiB in all",
			   mb, (unsigned long)(need * 4),
			   (unsigned long)(dom->elf.min_free_pages * 4),
			   (unsigned long)((min + 255) >> 8));
	if (dom->elf.max_memkb && dom->nr_pages * 4 > dom->elf.max_memkb)
		return ERR("memory = %lu MiB is more than this kernel can run in: at most %lu MiB (the limit its image states)",
			   mb, (unsigned long)(dom->elf.max_memkb >> 10));
	return 0;
}

static mfn_t va_to_mfn(const struct xg_dom *dom, uint64_t va)
{
	return dom->p2m[pfn_x(va_to_pfn(dom, va))];
}

static void *va_ptr(struct xg_dom *dom, uint64_t va)
{
	return (uint8_t *)xc_foreign_frame(&dom->mem, va_to_mfn(dom, va)) +
	       (va & (XG_PAGE_SIZE - 1));
}

/* xg_elf_load callback: copies or zeroes through the p2m, page by page. */
static int put_image(void *ctx, uint64_t va, const void *src, size_t len)
{
	struct xg_dom *dom = ctx;

	while (len) {
		size_t chunk = XG_PAGE_SIZE - (va & (XG_PAGE_SIZE - 1));

		if (chunk > len)
			chunk = len;
		if (src) {
			memcpy(va_ptr(dom, va), src, chunk);
			src = (const uint8_t *)src + chunk;
		} else {
			memset(va_ptr(dom, va), 0, chunk);
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
static void build_pagetables(struct xg_dom *dom)
{
	const struct xg_dom_layout *l = &dom->layout;
	uint64_t next_pt = l->pt_va, va;
	uint64_t pt_end = l->pt_va + l->nr_pt * XG_PAGE_SIZE;
	mfn_t l4 = va_to_mfn(dom, next_pt);

	next_pt += XG_PAGE_SIZE;
	dom->l4_mfn = l4;
	for (va = l->v_start; va < l->v_end; va += XG_PAGE_SIZE) {
		uint64_t *table = xc_foreign_frame(&dom->mem, l4);
		unsigned int idx;
		int level;
		bool is_pt;

		for (level = 4; level > 1; level--) {
			idx = (va >> (12 + 9 * (level - 1))) & 511;
			if (!(table[idx] & PT_PRESENT)) {
				mfn_t t = va_to_mfn(dom, next_pt);

				next_pt += XG_PAGE_SIZE;
				table[idx] = mfn_to_maddr(t) | PT_UPPER;
			}
			table = xc_foreign_frame(&dom->mem,
						 maddr_to_mfn(table[idx] & PT_ADDR));
		}
		idx = (va >> 12) & 511;
		is_pt = va >= l->pt_va && va < pt_end;
		table[idx] = mfn_to_maddr(va_to_mfn(dom, va)) |
			     (is_pt ? PT_LEAF_RO : PT_LEAF);
	}
}

static void fill_start_info(struct xg_dom *dom)
{
	const struct xg_dom_layout *l = &dom->layout;
	struct start_info *si = va_ptr(dom, l->start_info_va);

	memset(si, 0, sizeof(*si));
	snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
	si->nr_pages = dom->nr_pages;
	si->shared_info = mfn_to_maddr(dom->shared_info_mfn);
	si->flags = 0;
	si->store_mfn = mfn_x(dom->store_mfn);
	si->store_evtchn = dom->store_evtchn;
	si->console.domU.mfn = mfn_x(dom->console_mfn);
	si->console.domU.evtchn = dom->console_evtchn;
	si->pt_base = l->pt_va;
	si->nr_pt_frames = l->nr_pt;
	si->mfn_list = l->p2m_va;
	snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s", dom->cmdline);
}

static void fill_p2m(struct xg_dom *dom)
{
	uint64_t pfn;

	for (pfn = 0; pfn < dom->nr_pages; pfn++) {
		uint64_t mfn = mfn_x(dom->p2m[pfn]);

		put_image(dom, dom->layout.p2m_va + pfn * 8, &mfn, 8);
	}
}

/* vCPU 0 at the entry point, on the bootstrap stack, events masked. */
static int boot_vcpu(xc_interface *xch, struct xg_dom *dom)
{
	const struct xg_dom_layout *l = &dom->layout;
	struct vcpu_guest_context *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return -ENOMEM;
	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = dom->elf.entry;
	c->user_regs.rsp = l->stack_va + XG_PAGE_SIZE;
	c->user_regs.rsi = l->start_info_va;
	c->user_regs.rflags = 0x202;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = c->user_regs.rsp;
	c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(dom->l4_mfn));
	rc = xc_vcpu_setcontext(xch, dom->domid, 0, c);
	free(c);
	return rc;
}

/* With tern-xl -v: what the guest should find, for tests to compare. */
static void report_layout(const struct xg_dom *dom)
{
	const struct xg_dom_layout *l = &dom->layout;

	fprintf(stderr, "(hv) start of day: nr_pages %lu shared_info %#lx store_mfn %#lx store_evtchn %u console_mfn %#lx console_evtchn %u\n",
		(unsigned long)dom->nr_pages,
		(unsigned long)mfn_to_maddr(dom->shared_info_mfn),
		(unsigned long)mfn_x(dom->store_mfn), dom->store_evtchn,
		(unsigned long)mfn_x(dom->console_mfn), dom->console_evtchn);
	fprintf(stderr, "(hv) start of day: pt_base %#lx nr_pt_frames %lu mfn_list %#lx start_info %#lx stack_top %#lx v_end %#lx entry %#lx\n",
		(unsigned long)l->pt_va, (unsigned long)l->nr_pt,
		(unsigned long)l->p2m_va, (unsigned long)l->start_info_va,
		(unsigned long)(l->stack_va + XG_PAGE_SIZE),
		(unsigned long)l->v_end, (unsigned long)dom->elf.entry);
}

/* Everything after createdomain; the domain exists and is empty. */
static int lay_out(xc_interface *xch, struct xg_dom *dom,
		   const struct xg_elf_image *img, char *err, size_t errlen)
{
	const struct xg_dom_layout *l = &dom->layout;
	struct hv_domctl_getdomaininfo info;
	unsigned int i;
	int rc;

	for (i = 0; i < HV_CONSOLE_OUTPUTS; i++)
		if (dom->console_fds[i] >= 0 &&
		    (rc = xc_console_output(xch, dom->domid, dom->console_fds[i])))
			return ERR("attaching the console: %s", strerror(-rc));
	plan_layout(dom);
	if (check_memory(dom, err, errlen))
		return -1;
	if (l->v_end > HV_M2P_VIRT_START)
		return ERR("start of day region ends beyond the guest window");
	dom->p2m = malloc(dom->nr_pages * sizeof(*dom->p2m));
	if (!dom->p2m)
		return ERR("out of host memory");
	rc = xc_domain_populate_physmap(xch, dom->domid, _pfn(0), dom->nr_pages,
					dom->p2m);
	if (!rc)
		rc = xc_domain_getinfo(xch, dom->domid, &info);
	if (!rc)
		rc = xc_map_foreign(xch, dom->domid, &dom->mem);
	if (rc)
		return ERR("populating the domain's memory: %s", strerror(-rc));
	dom->shared_info_mfn = _mfn(info.shared_info_frame);

	xg_elf_load(img, put_image, dom);
	dom->start_info_mfn = va_to_mfn(dom, l->start_info_va);
	dom->store_mfn = va_to_mfn(dom, l->store_va);
	dom->console_mfn = va_to_mfn(dom, l->console_va);
	rc = xc_domain_hypercall_init(xch, dom->domid,
				      va_to_mfn(dom, dom->elf.hypercall_page));
	if (!rc)
		rc = xc_ring_setup(xch, dom->domid, HV_RING_STORE,
				   dom->store_mfn, &dom->store_evtchn);
	if (!rc)
		rc = xc_ring_setup(xch, dom->domid, HV_RING_CONSOLE,
				   dom->console_mfn, &dom->console_evtchn);
	if (rc)
		return ERR("setting up the hypercall page and rings: %s",
			   strerror(-rc));
	fill_p2m(dom);
	build_pagetables(dom);
	fill_start_info(dom);
	rc = xc_mmuext_pin(xch, dom->domid, 4, dom->l4_mfn);
	if (rc)
		return ERR("the bootstrap pagetables do not validate (%d)", rc);
	if (boot_vcpu(xch, dom))
		return ERR("cannot load the bootstrap L4 as vCPU 0's base pointer");
	if (dom->verbose)
		report_layout(dom);
	return 0;
}

int xg_dom_build(xc_interface *xch, struct xg_dom *dom, char *err,
		 size_t errlen)
{
	struct xg_elf_image img;
	void *data = NULL;
	size_t size = 0;
	char why[512];
	int rc;

	/*
	 * Only vcpu_info slots in shared_info for now: a guest with more
	 * vCPUs would have to register placements before using them.
	 */
	if (dom->nr_vcpus > HV_MAX_VCPUS)
		return ERR("vcpus = %u: this hypervisor runs at most %u vCPUs",
			   dom->nr_vcpus, HV_MAX_VCPUS);
	if (read_kernel(dom->kernel, &data, &size, err, errlen))
		return -1;
	if (xg_elf_parse(&img, data, size, why, sizeof(why))) {
		free(data);
		return ERR("kernel '%s': %s", dom->kernel, why);
	}
	dom->elf = img.info;
	rc = xc_domain_create(xch, dom->domid, dom->nr_pages, dom->nr_vcpus,
			      dom->seed);
	if (rc) {
		free(data);
		return ERR("creating domain %u: %s", dom->domid, strerror(-rc));
	}
	rc = lay_out(xch, dom, &img, err, errlen);
	free(data);
	if (rc) {
		xc_domain_destroy(xch, dom->domid);
		xg_dom_release(dom);
	}
	return rc;
}

int xg_dom_check(const char *kernel, uint64_t nr_pages,
		 struct xg_elf_info *info, char *err, size_t errlen)
{
	struct xg_elf_image img;
	struct xg_dom dom;
	void *data = NULL;
	size_t size = 0;
	char why[512];
	int rc;

	if (read_kernel(kernel, &data, &size, err, errlen))
		return -1;
	rc = xg_elf_parse(&img, data, size, why, sizeof(why));
	free(data);
	if (rc)
		return ERR("kernel '%s': %s", kernel, why);
	xg_dom_init(&dom);
	dom.elf = img.info;
	dom.nr_pages = nr_pages;
	plan_layout(&dom);
	if (check_memory(&dom, err, errlen))
		return -1;
	*info = img.info;
	return 0;
}

void xg_dom_release(struct xg_dom *dom)
{
	xc_unmap_foreign(&dom->mem);
	free(dom->p2m);
	dom->p2m = NULL;
}
