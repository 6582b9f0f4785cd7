// SPDX-License-Identifier: MIT
/*
 * The domctls against a running guest, from another process, over its
 * control socket, as save, restore and migration will use them:
 *
 *  - a paused domain is still: 4 vCPUs under ptstress are paused, every
 *    context is read, written back unchanged and read again, 300 times,
 *    and the guest never notices -- no checksum mismatch, no refused
 *    hypercall, its clock never goes back; while paused, contexts and
 *    shared_info do not move and no hypercall is made;
 *  - memory mapped through the memfd the domain passes equals what the
 *    guest wrote: its published p2m frame list, entry for entry, is the
 *    hypervisor's getmemlist;
 *  - getpageframeinfo3 gives every table reachable from each vCPU's base
 *    pointer the level the walk finds it at, and no data page a table type;
 *  - the suspend path (issue 11's hypervisor part), guest-independent: an
 *    idle guest's vCPU 0, parked just after its SCHEDOP_block, is set up
 *    through setvcpucontext to make SCHEDOP_shutdown(SHUTDOWN_suspend)
 *    with the start_info mfn in rdx; the domain then stays, suspended,
 *    every vCPU parked, rdx as passed; `tern-xl list` shows it; `tern-xl
 *    resume` resumes it in place (the guest sees 1, a cancel) and it runs
 *    on (debug keys answered, a clean `tern-xl shutdown`); a kernel
 *    without SUSPEND_CANCEL is refused; `tern-xl destroy` ends a suspended
 *    domain.  The guest-driven 1,000-cycle loop needs the guest's own
 *    suspend (drivers/xen/manage.c) and is not here.
 */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hosttest.h"
#include "tools/libs/ctrl/xc.h"
#include <xen/interface/elfnote.h>
#include <xen/interface/sched.h>

#define SCHED_OP		29	/* __HYPERVISOR_sched_op */
#define STUB_AFTER_SYSCALL	10	/* push, push, mov, syscall */
#define PTE_P			1UL
#define PTE_RW			2UL
#define PTE_PSE			0x80UL
#define PTE_ADDR		0x000ffffffffff000UL

static char tmp[64], top[512], xl[600], out[65536];

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Runs a shell command; its output (stdout and stderr) into out. */
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	size_t n;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *console(unsigned int domid)
{
	static char buf[1 << 20];
	char path[200];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/run/%u.console", tmp, domid);
	f = fopen(path, "r");
	buf[0] = '\0';
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

static bool wait_console(unsigned int domid, const char *needle, int seconds)
{
	double end = now() + seconds;

	while (now() < end) {
		if (strstr(console(domid), needle))
			return true;
		usleep(50 * 1000);
	}
	return false;
}

/* tern-xl create in the background; the domain id, or -1. */
static int create(const char *name, const char *kernel, unsigned int vcpus,
		  const char *extra)
{
	char cfg[200];
	unsigned int id;
	FILE *f;

	snprintf(cfg, sizeof(cfg), "%s/%s.cfg", tmp, name);
	f = fopen(cfg, "w");
	if (!f)
		return -1;
	fprintf(f, "name = \"%s\"\nkernel = \"%s\"\nmemory = 128\nvcpus = %u\nextra = \"%s\"\n",
		name, kernel, vcpus, extra);
	fclose(f);
	if (sh("timeout 60 %s -v create %s", xl, cfg))
		return -1;
	if (sscanf(strstr(out, "(id=") ? strstr(out, "(id=") : "", "(id=%u)", &id) != 1)
		return -1;
	return wait_console(id, "staying up", 60) ? (int)id : -1;
}

static xc_interface *control(unsigned int domid)
{
	char path[200];

	snprintf(path, sizeof(path), "%s/run/%u.ctl", tmp, domid);
	return xc_interface_open_socket(path);
}

/* A guest virtual address to its frame, walking the guest's own tables. */
static mfn_t walk(const struct xc_foreign_map *m, uint64_t cr3, uint64_t va)
{
	mfn_t t = _mfn(xen_cr3_to_pfn(cr3));
	int level;

	for (level = 4; level >= 1; level--) {
		const uint64_t *table = xc_foreign_frame(m, t);
		uint64_t e;

		if (!table)
			return INVALID_MFN;
		e = table[(va >> (12 + 9 * (level - 1))) & 511];
		if (!(e & PTE_P) || (level > 1 && (e & PTE_PSE)))
			return INVALID_MFN;
		t = maddr_to_mfn(e & PTE_ADDR);
	}
	return t;
}

/* ---- pause, contexts, stillness, under ptstress ---- */

static unsigned int last_ptstress_s(unsigned int domid, bool *clean)
{
	const char *p = console(domid), *q;
	unsigned int s = 0, v;

	*clean = true;
	for (q = strstr(p, "ptstress: "); q; q = strstr(q + 1, "ptstress: ")) {
		unsigned long long r, u, mm, e;

		if (sscanf(q, "ptstress: %u s, %llu rounds, %llu updates, %llu mismatches, %llu errors",
			   &v, &r, &u, &mm, &e) == 5) {
			s = v;
			*clean &= !mm && !e;
		}
	}
	return s;
}

/* The guest's printk stamps, per CPU, never go back. */
static bool clock_monotonic(unsigned int domid, unsigned int *lines)
{
	const char *p = console(domid);
	double last[64] = { 0 };
	bool ok = true;

	*lines = 0;
	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		double t;
		unsigned int cpu;

		if (sscanf(p, "[ %lf] [cpu %u]", &t, &cpu) != 2 || cpu >= 64)
			continue;
		ok &= t >= last[cpu];
		last[cpu] = t;
		(*lines)++;
	}
	return ok;
}

static void still(xc_interface *x, unsigned int domid)
{
	struct vcpu_guest_context a[4], b[4];
	struct hv_domctl_getvcpuinfo vi;
	struct xc_foreign_map m = { .memfd = -1 };
	struct hv_domctl_getdomaininfo info;
	uint8_t si[4096];
	char *s1 = NULL, *s2 = NULL;
	unsigned int v, paused = 0;
	bool same = true;

	T_CHECK(xc_domain_pause(x, domid) == 0, "still: paused");
	for (v = 0; v < 4; v++) {
		xc_vcpu_getcontext(x, domid, v, &a[v]);
		paused += !xc_vcpu_getinfo(x, domid, v, &vi) && vi.online &&
			  vi.paused && !vi.running;
	}
	T_CHECK(paused == 4, "still: all 4 vCPUs report paused, none running");
	xc_domain_getinfo(x, domid, &info);
	T_CHECK(info.flags & XEN_DOMINF_paused, "still: getdomaininfo says paused");
	xc_map_foreign(x, domid, &m);
	memcpy(si, xc_foreign_frame(&m, _mfn(info.shared_info_frame)), 4096);
	xc_domain_stats(x, domid, &s1);
	usleep(200 * 1000);
	xc_domain_stats(x, domid, &s2);
	for (v = 0; v < 4; v++) {
		xc_vcpu_getcontext(x, domid, v, &b[v]);
		same &= !memcmp(&a[v], &b[v], sizeof(a[v]));
	}
	T_CHECK(same, "still: every context the same 200 ms later");
	T_CHECK(!memcmp(si, xc_foreign_frame(&m, _mfn(info.shared_info_frame)), 4096),
		"still: shared_info untouched meanwhile (no timer, no event)");
	T_CHECK(s1 && s2 && !strcmp(s1, s2),
		"still: not one hypercall meanwhile (the counters did not move)");
	free(s1);
	free(s2);
	xc_unmap_foreign(&m);
	T_CHECK(xc_domain_unpause(x, domid) == 0, "still: unpaused");
}

static void round_trips(xc_interface *x, unsigned int domid)
{
	struct vcpu_guest_context a[4], b[4];
	unsigned int i, v, errors = 0, moved = 0, cycles = 300;
	double worst = 0, t;
	uint64_t rip0 = 0;

	for (i = 0; i < cycles; i++) {
		t = now();
		errors += xc_domain_pause(x, domid) != 0;
		t = now() - t;
		if (t > worst)
			worst = t;
		for (v = 0; v < 4; v++)
			errors += xc_vcpu_getcontext(x, domid, v, &a[v]) != 0;
		for (v = 0; v < 4; v++)
			errors += xc_vcpu_setcontext(x, domid, v, &a[v]) != 0;
		for (v = 0; v < 4; v++) {
			errors += xc_vcpu_getcontext(x, domid, v, &b[v]) != 0;
			errors += memcmp(&a[v], &b[v], sizeof(a[v])) != 0;
		}
		moved += a[0].user_regs.rip != rip0;
		rip0 = a[0].user_regs.rip;
		errors += xc_domain_unpause(x, domid) != 0;
		usleep(1000);
	}
	T_CHECK(errors == 0,
		"round trip: %u cycles of pause, get 4 contexts, set them unchanged, get again equal, unpause (%u errors)",
		cycles, errors);
	T_CHECK(moved > cycles / 4,
		"round trip: vCPU 0 ran between pauses (found elsewhere %u times of %u)",
		moved, cycles);
	printf("# slowest pause of %u: %.0f us\n", cycles, worst * 1e6);
}

/* ---- memory through the fd, frame types ---- */

static void memory(xc_interface *x, unsigned int domid)
{
	struct xc_foreign_map m = { .memfd = -1 };
	struct hv_domctl_getdomaininfo info;
	const struct arch_shared_info *as;
	mfn_t *p2m;
	uint64_t pfn = 0, i, j, k, max, same = 0;
	const uint64_t *top_l, *mid, *leaf;

	T_CHECK(xc_domain_pause(x, domid) == 0 && xc_domain_getinfo(x, domid, &info) == 0 &&
		xc_map_foreign(x, domid, &m) == 0,
		"memory: paused, and its machine memory mapped through the passed memfd");
	if (!m.base)
		return;
	p2m = malloc(info.max_pages * sizeof(*p2m));
	xc_get_memlist(x, domid, _pfn(0), info.max_pages, p2m);
	as = &((const struct shared_info *)xc_foreign_frame(&m, _mfn(info.shared_info_frame)))->arch;
	max = as->max_pfn;
	T_CHECK(max == info.max_pages && as->pfn_to_mfn_frame_list_list,
		"memory: the guest published max_pfn %lu and its frame list",
		(unsigned long)max);
	top_l = xc_foreign_frame(&m, _mfn(as->pfn_to_mfn_frame_list_list));
	for (i = 0; top_l && i < 512 && pfn < max; i++) {
		mid = xc_foreign_frame(&m, _mfn(top_l[i]));
		for (j = 0; mid && j < 512 && pfn < max; j++) {
			leaf = xc_foreign_frame(&m, _mfn(mid[j]));
			for (k = 0; leaf && k < 512 && pfn < max; k++, pfn++)
				same += leaf[k] == mfn_x(p2m[pfn]);
		}
	}
	T_CHECK(pfn == max && same == max,
		"memory: every one of %lu p2m entries the guest wrote equals getmemlist (%lu equal)",
		(unsigned long)max, (unsigned long)same);
	free(p2m);
	xc_unmap_foreign(&m);
	xc_domain_unpause(x, domid);
}

static void types(xc_interface *x, unsigned int domid)
{
	struct xc_foreign_map m = { .memfd = -1 };
	struct hv_domctl_getdomaininfo info;
	struct vcpu_guest_context c;
	uint32_t *type, *want;
	pfn_t *pfns;
	mfn_t *p2m;
	uint64_t pfn, n, tables = 0, bad = 0;
	unsigned int v, a, b, cc;

	xc_domain_pause(x, domid);
	xc_domain_getinfo(x, domid, &info);
	xc_map_foreign(x, domid, &m);
	n = info.max_pages;
	pfns = malloc(n * sizeof(*pfns));
	type = calloc(n, sizeof(*type));
	want = calloc(n, sizeof(*want));
	p2m = malloc(n * sizeof(*p2m));
	for (pfn = 0; pfn < n; pfn++)
		pfns[pfn] = _pfn(pfn);
	xc_get_memlist(x, domid, _pfn(0), n, p2m);
	T_CHECK(xc_get_pfn_type_batch(x, domid, n, pfns, type) == 0,
		"types: getpageframeinfo3 for all %lu pfns", (unsigned long)n);
	/* What a walk from every vCPU's base pointer finds each table to be. */
	for (v = 0; v < 4; v++) {
		const uint64_t *l4, *l3, *l2;

		if (xc_vcpu_getcontext(x, domid, v, &c))
			continue;
		l4 = xc_foreign_frame(&m, _mfn(xen_cr3_to_pfn(c.ctrlreg[3])));
		for (a = 0; l4 && a < 256; a++) {
			if (!(l4[a] & PTE_P) || a == 127)
				continue;
			l3 = xc_foreign_frame(&m, maddr_to_mfn(l4[a] & PTE_ADDR));
			for (b = 0; l3 && b < 512; b++) {
				if (!(l3[b] & PTE_P) || (l3[b] & PTE_PSE))
					continue;
				l2 = xc_foreign_frame(&m, maddr_to_mfn(l3[b] & PTE_ADDR));
				for (cc = 0; l2 && cc < 512; cc++)
					if ((l2[cc] & PTE_P) && !(l2[cc] & PTE_PSE)) {
						uint64_t l1 = (l2[cc] & PTE_ADDR) >> 12;

						for (pfn = 0; pfn < n; pfn++)
							if (mfn_x(p2m[pfn]) == l1)
								want[pfn] = XEN_DOMCTL_PFINFO_L1TAB;
					}
				for (pfn = 0; pfn < n; pfn++)
					if (mfn_x(p2m[pfn]) == ((l3[b] & PTE_ADDR) >> 12))
						want[pfn] = XEN_DOMCTL_PFINFO_L2TAB;
			}
			for (pfn = 0; pfn < n; pfn++)
				if (mfn_x(p2m[pfn]) == ((l4[a] & PTE_ADDR) >> 12))
					want[pfn] = XEN_DOMCTL_PFINFO_L3TAB;
		}
		for (pfn = 0; pfn < n; pfn++)
			if (mfn_x(p2m[pfn]) == xen_cr3_to_pfn(c.ctrlreg[3]))
				want[pfn] = XEN_DOMCTL_PFINFO_L4TAB;
	}
	for (pfn = 0; pfn < n; pfn++) {
		if (!want[pfn])
			continue;
		tables++;
		bad += (type[pfn] & XEN_DOMCTL_PFINFO_LTABTYPE_MASK) != want[pfn];
	}
	T_CHECK(tables > 10 && bad == 0,
		"types: each of %lu tables reachable from the 4 base pointers has the walk's level (%lu differ)",
		(unsigned long)tables, (unsigned long)bad);
	for (v = 0, bad = 0; v < 1 && !xc_vcpu_getcontext(x, domid, 0, &c); v++)
		for (pfn = 0; pfn < n; pfn++)
			if (mfn_x(p2m[pfn]) == xen_cr3_to_pfn(c.ctrlreg[3]))
				bad = !(type[pfn] & XEN_DOMCTL_PFINFO_LPINTAB);
	T_CHECK(!bad, "types: vCPU 0's L4 is pinned (LPINTAB), as the guest pins it");
	free(pfns);
	free(type);
	free(want);
	free(p2m);
	xc_unmap_foreign(&m);
	xc_domain_unpause(x, domid);
}

/* ---- suspend, list, resume, destroy ---- */

/* Parks vCPU 0 where it just made SCHEDOP_block; its context in c. */
static bool park_after_block(xc_interface *x, unsigned int domid,
			     struct vcpu_guest_context *c)
{
	unsigned int tries;

	for (tries = 0; tries < 400; tries++) {
		if (xc_domain_pause(x, domid))
			return false;
		if (!xc_vcpu_getcontext(x, domid, 0, c) &&
		    (c->user_regs.rip & 0xfff) == SCHED_OP * 32 + STUB_AFTER_SYSCALL &&
		    c->user_regs.rdi == SCHEDOP_block)
			return true;
		xc_domain_unpause(x, domid);
		usleep(5000);
	}
	return false;
}

/*
 * Turns vCPU 0's SCHEDOP_block into SCHEDOP_shutdown(SHUTDOWN_suspend) with
 * rdx = the start_info mfn: the syscall again, with the arguments a
 * guest's suspend would pass; the struct sched_shutdown goes below the
 * stack pointer (the kernel is built without a red zone).  Only registers
 * a call clobbers anyway are changed.  The domain is left paused.
 */
static mfn_t inject_suspend(xc_interface *x, unsigned int domid)
{
	struct xc_foreign_map m = { .memfd = -1 };
	struct vcpu_guest_context c;
	const char *line = strstr(console(domid), "start_info 0x");
	uint64_t si_va = 0, arg;
	mfn_t si, argf;

	if (!line || sscanf(line, "start_info %lx", &si_va) != 1 ||
	    !park_after_block(x, domid, &c) || xc_map_foreign(x, domid, &m))
		return INVALID_MFN;
	si = walk(&m, c.ctrlreg[3], si_va);
	arg = (c.user_regs.rsp - 256) & ~15UL;
	argf = walk(&m, c.ctrlreg[3], arg);
	if (!mfn_valid_raw(si) || !mfn_valid_raw(argf)) {
		xc_unmap_foreign(&m);
		return INVALID_MFN;
	}
	*(uint32_t *)((uint8_t *)xc_foreign_frame(&m, argf) + (arg & 0xfff)) =
		SHUTDOWN_suspend;
	xc_unmap_foreign(&m);
	c.user_regs.rip -= 2;
	c.user_regs.rax = SCHED_OP;
	c.user_regs.rdi = SCHEDOP_shutdown;
	c.user_regs.rsi = arg;
	c.user_regs.rdx = mfn_x(si);
	if (xc_vcpu_setcontext(x, domid, 0, &c))
		return INVALID_MFN;
	return si;
}

static bool suspended(xc_interface *x, unsigned int domid)
{
	struct hv_domctl_getdomaininfo info;
	double end = now() + 20;

	while (now() < end) {
		if (!xc_domain_getinfo(x, domid, &info) &&
		    (info.flags & XEN_DOMINF_shutdown) &&
		    ((info.flags >> XEN_DOMINF_shutdownshift) & 255) == SHUTDOWN_suspend)
			return true;
		usleep(20 * 1000);
	}
	return false;
}

/* tern-xl list <name>: xl's six state letters, "" when not listed. */
static const char *letters_of(const char *name)
{
	static char letters[8];
	unsigned int id, mem, vcpus;
	const char *row;
	char n[100];

	letters[0] = '\0';
	if (sh("%s list %s", xl, name) || !(row = strchr(out, '\n')) ||
	    sscanf(row + 1, "%99s %u %u %u %7s", n, &id, &mem, &vcpus,
		   letters) != 5 || strcmp(n, name))
		letters[0] = '\0';
	return letters;
}

/* Suspended is xl's ---ss-; running, neither paused nor shut down. */
static bool listed_as(const char *name, const char *state)
{
	const char *l = letters_of(name);

	if (!strcmp(state, "suspended"))
		return !strcmp(l, "---ss-");
	return strlen(l) == 6 && l[2] == '-' && l[3] == '-' && l[5] == '-';
}

static void suspend_resume(void)
{
	struct vcpu_guest_context c;
	struct hv_domctl_getvcpuinfo vi;
	unsigned int v, parked = 0;
	xc_interface *x;
	mfn_t si;
	int id = create("idle", top, 2, "keep_running");
	char kernel[600];

	T_CHECK(id > 0, "suspend: an idle 2-vCPU guest up (id %d)", id);
	if (id <= 0 || !(x = control(id)))
		return;
	T_CHECK(sh("%s resume idle", xl) == 1 && strstr(out, "is not suspended"),
		"resume: a running domain is not resumed: 'is not suspended', status 1");
	si = inject_suspend(x, id);
	T_CHECK(mfn_valid_raw(si),
		"suspend: vCPU 0 found after its SCHEDOP_block, set to SCHEDOP_shutdown(SHUTDOWN_suspend, start_info mfn %#lx)",
		(unsigned long)mfn_x(si));
	T_CHECK(xc_domain_unpause(x, id) == 0 && suspended(x, id),
		"suspend: the domain shut down with reason suspend and stays");
	T_CHECK(xc_vcpu_getcontext(x, id, 0, &c) == 0 && c.user_regs.rdx == mfn_x(si) &&
		c.user_regs.rax == 0 &&
		(c.user_regs.rip & 0xfff) == SCHED_OP * 32 + STUB_AFTER_SYSCALL,
		"suspend: vCPU 0's context is just after the hypercall, rax 0, rdx the start_info mfn as passed");
	for (v = 0; v < 2; v++)
		parked += !xc_vcpu_getinfo(x, id, v, &vi) && vi.paused && !vi.running;
	T_CHECK(parked == 2, "suspend: both vCPUs parked");
	T_CHECK(wait_console(id, "): suspended; tern-xl resume or destroy", 10) &&
		listed_as("idle", "suspended"),
		"suspend: tern-xl list shows it suspended (xl's ---ss-)");
	T_CHECK(sh("%s resume idle", xl) == 0 && strstr(out, "Resumed domain idle"),
		"resume: tern-xl resume answers");
	T_CHECK(listed_as("idle", "running") && wait_console(id, "): resumed", 10),
		"resume: it runs again, listed as running");
	T_CHECK(sh("%s debug-keys q", xl) == 0 &&
		wait_console(id, "debug: cpu 1:", 10),
		"resume: both vCPUs answer a debug key (events, IPIs)");
	T_CHECK(sh("timeout 60 %s shutdown -w -t 30 idle", xl) == 0 &&
		strstr(out, "has shut down"),
		"resume: a clean shutdown through xenstore afterwards (xenstore, timers)");
	xc_interface_close(x);

	/* A kernel without SUSPEND_CANCEL: not resumed, destroyable. */
	snprintf(kernel, sizeof(kernel), "%s/nocancel", tmp);
	T_CHECK(sh("cp %s %s", top, kernel) == 0, "nocancel: a copy of the kernel");
	id = -1;
	{
		/* Rename the SUSPEND_CANCEL note to a type no loader knows. */
		FILE *f = fopen(kernel, "r+b");
		static uint8_t img[16 << 20];
		size_t n = f ? fread(img, 1, sizeof(img), f) : 0, i;
		bool done = false;

		for (i = 0; i + 20 < n && !done; i += 4) {
			Elf64_Nhdr *nh = (Elf64_Nhdr *)(img + i);

			if (nh->n_namesz == 4 && nh->n_type == XEN_ELFNOTE_SUSPEND_CANCEL &&
			    nh->n_descsz == 4 && !memcmp(img + i + 12, "Xen", 4)) {
				nh->n_type = 0x7fff;
				done = true;
			}
		}
		if (f) {
			fseek(f, 0, SEEK_SET);
			fwrite(img, 1, n, f);
			fclose(f);
		}
		T_CHECK(done, "nocancel: its SUSPEND_CANCEL note renamed");
		if (done)
			id = create("nocancel", kernel, 1, "keep_running");
	}
	if (id <= 0 || !(x = control(id)))
		return;
	si = inject_suspend(x, id);
	T_CHECK(mfn_valid_raw(si) && xc_domain_unpause(x, id) == 0 && suspended(x, id),
		"nocancel: suspended the same way");
	T_CHECK(sh("%s resume nocancel", xl) == 1 && strstr(out, "SUSPEND_CANCEL") &&
		suspended(x, id),
		"nocancel: tern-xl resume refuses (no SUSPEND_CANCEL note), it stays suspended");
	xc_interface_close(x);
	T_CHECK(sh("%s destroy nocancel", xl) == 0 && sh("%s list", xl) == 0 &&
		!strstr(out, "nocancel "),
		"destroy: a suspended domain ends");
}

int main(void)
{
	const char *t = getenv("TOP");
	unsigned int s0, s1, lines;
	xc_interface *x;
	bool clean;
	int id;

	signal(SIGPIPE, SIG_IGN);
	snprintf(top, sizeof(top), "%s/tern", t ? t : "../..");
	snprintf(xl, sizeof(xl), "%s/tern-xl", t ? t : "../..");
	snprintf(tmp, sizeof(tmp), "/tmp/t_domctl_live.XXXXXX");
	if (!mkdtemp(tmp)) {
		printf("FAIL: mkdtemp\n");
		return 1;
	}
	snprintf(out, sizeof(out), "%s/run", tmp);
	setenv("TERN_RUN_DIR", out, 1);

	id = create("pt", top, 4, "ptstress=32 keep_running");
	T_CHECK(id > 0, "ptstress on 4 vCPUs up (id %d)", id);
	x = id > 0 ? control(id) : NULL;
	T_CHECK(x != NULL, "its control socket answers");
	if (x) {
		T_CHECK(wait_console(id, "ptstress: 10 s,", 60),
			"ptstress: a first report (10 s)");
		s0 = last_ptstress_s(id, &clean);
		still(x, id);
		round_trips(x, id);
		memory(x, id);
		types(x, id);
		still(x, id);
		/* Two more reports after it all: the workload saw nothing. */
		T_CHECK(wait_console(id, "ptstress: 30 s,", 90) || s0 >= 20,
			"ptstress: reports go on after the pauses");
		s1 = last_ptstress_s(id, &clean);
		T_CHECK(s1 > s0 && clean,
			"ptstress: every report to %u s: 0 mismatches, 0 errors", s1);
		T_CHECK(clock_monotonic(id, &lines) && lines > 10,
			"ptstress: each CPU's clock never went back (%u console lines)", lines);
		xc_interface_close(x);
	}
	sh("%s destroy pt", xl);
	suspend_resume();
	sh("(%s destroy idle; %s destroy nocancel; kill $(cat %s/run/xenstored.pid); rm -rf %s)",
	   xl, xl, tmp, tmp);
	T_DONE();
}
