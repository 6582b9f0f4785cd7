// SPDX-License-Identifier: MIT
/*
 * Log-dirty on a running guest, driven from another process over its
 * control socket as a live migration's sending side will drive it:
 * ptstress on 4 vCPUs (every CPU mapping, rewriting and unmapping
 * checksummed pages through its own pagetables), once under each
 * mechanism (the domain's process started with TERN_HV_LOGDIRTY=uffd,
 * then =ro).  An independent checker keeps a snapshot of all guest
 * memory, read through the foreign mapping after each CLEAN, and proves:
 *
 *  - no write is lost at a CLEAN: every page that differs between two
 *    snapshots is in the bitmap of the CLEAN before the second one or of
 *    the next (a write may land while the snapshot is read); with the
 *    guest paused, in the one bitmap.  Pages marked but unchanged are
 *    allowed and counted.  The xenstore ring, which tern-xenstored writes
 *    through its own mapping, is the one page allowed to change unmarked
 *    until the FINAL round, which marks it;
 *  - pagetable pages that change type between rounds are seen: every pfn
 *    whose getpageframeinfo3 answer changed is in one of those bitmaps
 *    too, so a migration sends it again with its new type.  ptstress
 *    keeps its tables for good, so the test makes the changes itself:
 *    it pins 32 of the guest's L1 tables that nothing else dirtied in the
 *    last two rounds, on the guest's behalf (the mmuext_op domctl), and
 *    unpins them two rounds later, while the guest runs, so only the
 *    change of type (LPINTAB coming and going) can put them in the
 *    bitmaps that must hold them (t_logdirty has tables made, retyped
 *    and freed);
 *  - while paused under log-dirty, getpageframeinfo3 gives every table a
 *    walk from the four base pointers reaches its level;
 *  - a copy kept as a migration keeps it -- all memory after ENABLE, then
 *    each round's dirty pages, then the FINAL round with the guest
 *    paused -- equals the guest's memory page for page;
 *  - the guest noticed nothing: ptstress reports neither a mismatch nor
 *    an error afterwards; `tern-xl stats` names the mechanism and counts
 *    the rounds; the domain process's VMAs stay far below the limit;
 *  - `tern-xl info` prints xl's keys, the mechanism this host uses, and
 *    the one TERN_HV_LOGDIRTY forces.
 */
#include <errno.h>

#include "t_live.h"

#define ROUNDS		8
#define PAUSED_ROUND	4

static uint8_t bm[HV_DOMCTL_MAX_PAYLOAD], last_bm[HV_DOMCTL_MAX_PAYLOAD];

static bool bit(const uint8_t *b, uint64_t n)
{
	return b[n / 8] >> (n % 8) & 1;
}

static void set_bit(uint8_t *b, uint64_t n, bool on)
{
	if (on)
		b[n / 8] |= 1 << (n % 8);
	else
		b[n / 8] &= ~(1 << (n % 8));
}

struct guest {
	xc_interface *x;
	unsigned int domid;
	uint64_t pages;
	mfn_t *p2m;
	pfn_t *m2p;			/* by mfn, from getmemlist */
	uint64_t nr_frames;
	struct xc_foreign_map map;
	uint64_t store_pfn;
	uint8_t *prev, *cur, *dest;
	uint32_t *prev_t, *cur_t;
	pfn_t *pfns;
	uint8_t *pending, *pending_t;	/* changed, not yet in a bitmap */
	uint64_t missed, missed_t, store_unmarked, extra, sent, changed;
	uint64_t type_changes;
	uint64_t l1s[32];		/* guest L1 tables the walk found */
	unsigned int nr_l1s;
};

static void snapshot(struct guest *g, uint8_t *buf, uint32_t *types)
{
	uint64_t i;

	for (i = 0; i < g->pages; i++)
		memcpy(buf + i * 4096, xc_foreign_frame(&g->map, g->p2m[i]), 4096);
	xc_get_pfn_type_batch(g->x, g->domid, g->pages, g->pfns, types);
}

/*
 * After a CLEAN and the snapshot that followed it: what changed since
 * the last snapshot must be in this bitmap or (when the guest ran while
 * the snapshot was read) the next; what was left pending must be in
 * this one.  still: the guest did not run since the CLEAN.
 */
static void check_round(struct guest *g, bool still)
{
	uint64_t i;

	for (i = 0; i < g->pages; i++) {
		bool diff = memcmp(g->prev + i * 4096, g->cur + i * 4096, 4096);
		bool tdiff = g->prev_t[i] != g->cur_t[i];
		bool marked = bit(bm, i);

		if (bit(g->pending, i) && !marked) {
			if (i == g->store_pfn)
				g->store_unmarked++;
			else
				g->missed++;
		}
		if (bit(g->pending_t, i) && !marked)
			g->missed_t++;
		g->changed += diff;
		g->type_changes += tdiff;
		g->extra += marked && !diff;
		set_bit(g->pending, i, diff && !marked && !still);
		set_bit(g->pending_t, i, tdiff && !marked && !still);
		if (still && !marked) {
			if (diff && i == g->store_pfn)
				g->store_unmarked++;
			else if (diff)
				g->missed++;
			if (tdiff)
				g->missed_t++;
		}
		if (marked) {
			memcpy(g->dest + i * 4096, g->cur + i * 4096, 4096);
			g->sent++;
		}
	}
	memcpy(g->prev, g->cur, g->pages * 4096);
	memcpy(g->prev_t, g->cur_t, g->pages * sizeof(*g->cur_t));
}

static long clean(struct guest *g, unsigned int mode)
{
	return xc_logdirty_control(g->x, g->domid, XEN_DOMCTL_SHADOW_OP_CLEAN,
				   bm, g->pages, mode, NULL);
}

/* getpageframeinfo3 against a walk from every vCPU's base pointer. */
static bool types_walk(struct guest *g, uint64_t *tables)
{
	/* Depth-first: a table, its level, the next entry to look at. */
	struct { mfn_t t; unsigned int level, i; } st[5];
	struct vcpu_guest_context c;
	uint64_t bad = 0, n = 0;
	unsigned int v;
	int sp;

	for (v = 0; v < 4; v++) {
		if (xc_vcpu_getcontext(g->x, g->domid, v, &c))
			return false;
		st[0].t = _mfn(xen_cr3_to_pfn(c.ctrlreg[3]));
		st[0].level = 4;
		st[0].i = 0;
		sp = 0;
		while (sp >= 0) {
			const uint64_t *t = xc_foreign_frame(&g->map, st[sp].t);
			pfn_t p = mfn_x(st[sp].t) < g->nr_frames ?
				  g->m2p[mfn_x(st[sp].t)] : INVALID_PFN;
			uint64_t e;

			if (st[sp].i == 0 && pfn_x(p) < g->pages) {
				n++;
				bad += (g->cur_t[pfn_x(p)] &
					XEN_DOMCTL_PFINFO_LTABTYPE_MASK) !=
				       st[sp].level << XEN_DOMCTL_PFINFO_LTAB_SHIFT;
				/* Quiet ones: in neither of the last two bitmaps. */
				if (st[sp].level == 1 && g->nr_l1s < 32 &&
				    !(g->cur_t[pfn_x(p)] & XEN_DOMCTL_PFINFO_LPINTAB) &&
				    !bit(bm, pfn_x(p)) && !bit(last_bm, pfn_x(p)) &&
				    (!g->nr_l1s || g->l1s[g->nr_l1s - 1] != pfn_x(p)))
					g->l1s[g->nr_l1s++] = pfn_x(p);
			}
			if (!t || st[sp].level == 1 || st[sp].i >= 512 ||
			    (st[sp].level == 4 && st[sp].i >= 256)) {
				sp--;
				continue;
			}
			e = t[st[sp].i++];
			/* L4 slot 127 is hv's m2p, no table of the guest's. */
			if (!(e & 1) || (e & 0x80) ||
			    (st[sp].level == 4 && st[sp].i - 1 == 127))
				continue;
			st[sp + 1].t = maddr_to_mfn(e & 0x000ffffffffff000UL);
			st[sp + 1].level = st[sp].level - 1;
			st[sp + 1].i = 0;
			sp++;
		}
	}
	*tables = n;
	if (bad)
		printf("# %lu table visits with the wrong type\n", (unsigned long)bad);
	return n > 10 && !bad;
}

static uint64_t domain_vmas(unsigned int domid)
{
	char path[600], line[256];
	uint64_t n = 0;
	int pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/run/%u.state", tmp, domid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "pid %d", &pid);
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = pid ? fopen(path, "r") : NULL;
	while (f && fgets(line, sizeof(line), f))
		n += strchr(line, '\n') != NULL;
	if (f)
		fclose(f);
	return n;
}

static bool alloc_guest(struct guest *g)
{
	struct hv_domctl_getdomaininfo info;
	uint64_t i;

	if (xc_domain_getinfo(g->x, g->domid, &info) ||
	    xc_map_foreign(g->x, g->domid, &g->map))
		return false;
	g->pages = info.max_pages;
	g->nr_frames = info.nr_frames;
	g->p2m = malloc(g->pages * sizeof(*g->p2m));
	g->m2p = malloc(g->nr_frames * sizeof(*g->m2p));
	g->pfns = malloc(g->pages * sizeof(*g->pfns));
	g->prev = malloc(g->pages * 4096);
	g->cur = malloc(g->pages * 4096);
	g->dest = malloc(g->pages * 4096);
	g->prev_t = malloc(g->pages * sizeof(*g->prev_t));
	g->cur_t = malloc(g->pages * sizeof(*g->cur_t));
	g->pending = calloc(1, (g->pages + 7) / 8);
	g->pending_t = calloc(1, (g->pages + 7) / 8);
	if (!g->p2m || !g->m2p || !g->pfns || !g->prev || !g->cur ||
	    !g->dest || !g->prev_t || !g->cur_t || !g->pending ||
	    !g->pending_t ||
	    xc_get_memlist(g->x, g->domid, _pfn(0), g->pages, g->p2m))
		return false;
	for (i = 0; i < g->nr_frames; i++)
		g->m2p[i] = INVALID_PFN;
	for (i = 0; i < g->pages; i++) {
		g->pfns[i] = _pfn(i);
		if (mfn_x(g->p2m[i]) < g->nr_frames)
			g->m2p[mfn_x(g->p2m[i])] = _pfn(i);
	}
	return true;
}

static void free_guest(struct guest *g)
{
	xc_unmap_foreign(&g->map);
	free(g->p2m);
	free(g->m2p);
	free(g->pfns);
	free(g->prev);
	free(g->cur);
	free(g->dest);
	free(g->prev_t);
	free(g->cur_t);
	free(g->pending);
	free(g->pending_t);
}

static void run(const char *env, const char *mech)
{
	struct guest g = { .map = { .memfd = -1 }, .store_pfn = ~0UL };
	unsigned long store_mfn = ~0UL;
	uint64_t k, i, tables = 0, differ = 0, vmas, pins = 0;
	char envbuf[64], name[32], *text = NULL;
	unsigned int s0, s1;
	const char *p;
	bool ok = true, clean_reports;
	int id;

	snprintf(envbuf, sizeof(envbuf), "TERN_HV_LOGDIRTY=%s", env);
	snprintf(name, sizeof(name), "ld-%s", env);
	live_env = envbuf;
	id = create(name, top, 4, "ptstress=32 keep_running");
	p = id > 0 ? strstr(console(id), "(hv) start of day:") : NULL;
	p = p ? strstr(p, "store_mfn ") : NULL;
	if (p)
		sscanf(p, "store_mfn %lx", &store_mfn);
	g.x = id > 0 ? control(id) : NULL;
	g.domid = id;
	T_CHECK(id > 0 && g.x && store_mfn != ~0UL && alloc_guest(&g),
		"%s: ptstress on 4 vCPUs up (id %d), its memory mapped, its xenstore ring at mfn %#lx",
		mech, id, store_mfn);
	if (!g.map.base)
		goto out;
	if (store_mfn < g.nr_frames)
		g.store_pfn = pfn_x(g.m2p[store_mfn]);

	T_CHECK(xc_logdirty_control(g.x, id, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
				    NULL, 0, 0, NULL) == 0 &&
		xc_domain_stats(g.x, id, &text) == 0 && text &&
		strstr(text, mech),
		"%s: ENABLE over the control socket; tern-xl stats names the mechanism", mech);
	free(text);
	text = NULL;
	T_CHECK(xc_logdirty_control(g.x, id, XEN_DOMCTL_SHADOW_OP_CLEAN, NULL,
				    g.pages, 0, NULL) == (long)g.pages,
		"%s: CLEAN without a bitmap over the socket: the counts only", mech);
	/* Round 0 of a migration: all of it, read after ENABLE. */
	snapshot(&g, g.dest, g.prev_t);
	memcpy(g.prev, g.dest, g.pages * 4096);
	for (k = 1; k <= ROUNDS; k++) {
		bool paused = k == PAUSED_ROUND;

		/* After the walk found them: pin, and two rounds later unpin. */
		for (i = 0; (k == PAUSED_ROUND + 1 || k == PAUSED_ROUND + 3) &&
			    i < g.nr_l1s; i++)
			pins += xc_mmuext_pin(g.x, id, k == PAUSED_ROUND + 1 ? 1 : 0,
					      g.p2m[g.l1s[i]]) == 0;
		usleep(100 * 1000);
		if (paused)
			ok &= xc_domain_pause(g.x, id) == 0;
		ok &= clean(&g, 0) == (long)g.pages;
		snapshot(&g, g.cur, g.cur_t);
		check_round(&g, paused);
		if (paused) {
			T_CHECK(types_walk(&g, &tables),
				"%s: paused under log-dirty: getpageframeinfo3 gives each of %lu tables reached from the 4 base pointers its level",
				mech, (unsigned long)tables);
			ok &= xc_domain_unpause(g.x, id) == 0;
		}
		memcpy(last_bm, bm, (g.pages + 7) / 8);
	}
	vmas = domain_vmas(id);
	/* The last round, as a migration's: the guest paused, FINAL. */
	ok &= xc_domain_pause(g.x, id) == 0;
	ok &= clean(&g, XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL) == (long)g.pages;
	T_CHECK(ok && (g.store_pfn == ~0UL || bit(bm, g.store_pfn)),
		"%s: %d CLEANs while it runs (round %d paused), then FINAL with it paused: the xenstore ring is in the last bitmap",
		mech, ROUNDS, PAUSED_ROUND);
	snapshot(&g, g.cur, g.cur_t);
	check_round(&g, true);
	for (i = 0; i < g.pages; i++)
		differ += !!memcmp(g.dest + i * 4096,
				   xc_foreign_frame(&g.map, g.p2m[i]), 4096);
	printf("# %s: %lu page changes, %lu type changes seen; %lu pages sent, %lu marked but unchanged; xenstore ring changed unmarked %lu times before FINAL\n",
	       mech, (unsigned long)g.changed, (unsigned long)g.type_changes,
	       (unsigned long)g.sent, (unsigned long)g.extra,
	       (unsigned long)g.store_unmarked);
	T_CHECK(!g.missed && g.changed > 100,
		"%s: every page that changed between snapshots was in a bitmap (%lu missed of %lu changes)",
		mech, (unsigned long)g.missed, (unsigned long)g.changed);
	T_CHECK(g.nr_l1s >= 16 && pins == 2 * g.nr_l1s,
		"%s: %u of the guest's quiet L1 tables pinned in one round and unpinned two rounds later, on its behalf",
		mech, g.nr_l1s);
	T_CHECK(!g.missed_t && g.type_changes >= 2 * g.nr_l1s,
		"%s: every pfn whose frame type changed between rounds was in a bitmap (%lu missed of %lu)",
		mech, (unsigned long)g.missed_t, (unsigned long)g.type_changes);
	T_CHECK(!differ,
		"%s: the copy kept as a migration keeps it equals the paused guest's memory (%lu of %lu pages differ)",
		mech, (unsigned long)differ, (unsigned long)g.pages);
	T_CHECK(xc_domain_stats(g.x, id, &text) == 0 && text &&
		(p = strstr(text, "log-dirty ")) && (p = strstr(p, "rounds ")) &&
		atoi(p + 7) == ROUNDS + 2,
		"%s: tern-xl stats counts the %d CLEANs as rounds", mech, ROUNDS + 2);
	free(text);
	T_CHECK(vmas > 0 && vmas < 65530 / 4,
		"%s: the domain process holds %lu VMAs under log-dirty, far below the limit",
		mech, (unsigned long)vmas);
	T_CHECK(xc_logdirty_control(g.x, id, XEN_DOMCTL_SHADOW_OP_OFF, NULL, 0, 0, NULL) == 0 &&
		xc_domain_unpause(g.x, id) == 0,
		"%s: OFF, and the guest runs on", mech);
	/* A report made after it all: the workload checked every page since. */
	s0 = last_ptstress_s(id, &clean_reports);
	wait_ptstress_after(id, s0, 60);
	s1 = last_ptstress_s(id, &clean_reports);
	T_CHECK(s1 > s0 && clean_reports,
		"%s: ptstress saw no mismatch and no error in any report to %u s", mech, s1);
out:
	free_guest(&g);
	if (g.x)
		xc_interface_close(g.x);
	sh("%s destroy %s", xl, name);
	live_env = "";
}

/* The value on xl info's line for key ("key" padded to 23, ": "). */
static const char *info_value(const char *text, const char *key)
{
	static char val[200], all[sizeof(out) + 1];
	char pat[64];
	const char *p;

	snprintf(all, sizeof(all), "\n%s", text);
	snprintf(pat, sizeof(pat), "\n%-23s: ", key);
	p = strstr(all, pat);
	if (!p || sscanf(p + strlen(pat), "%199[^\n]", val) != 1)
		return "";
	return val;
}

static void info(void)
{
	static const char *const keys[] = {
		"host", "release", "version", "machine", "nr_cpus",
		"total_memory", "free_memory", "xen_major", "xen_minor",
		"xen_extra", "xen_version", "xen_caps", "xen_pagesize",
		"platform_params", "xen_changeset", "log_dirty",
		"log_dirty_note", "max_map_count",
	};
	unsigned int i, found = 0;
	char text[sizeof(out)];

	T_CHECK(sh("%s info", xl) == 0, "tern-xl info: exit 0");
	snprintf(text, sizeof(text), "%s", out);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		found += *info_value(text, keys[i]) != '\0';
	T_CHECK(found == ARRAY_SIZE(keys),
		"tern-xl info: one \"key : value\" line for each of %u keys, padded as xl pads them (%u found)",
		(unsigned int)ARRAY_SIZE(keys), found);
	T_CHECK(!strcmp(info_value(text, "xen_version"), "4.17.0-tern") &&
		atoi(info_value(text, "nr_cpus")) > 0 &&
		atoi(info_value(text, "total_memory")) > 0,
		"tern-xl info: hv answers as Xen 4.17.0-tern; the host's CPUs and memory");
	T_CHECK(!strcmp(info_value(text, "log_dirty"), "uffd-wp-async"),
		"tern-xl info: this host (Linux 6.7 or later) tracks writes with uffd-wp-async (note: %s)",
		info_value(text, "log_dirty_note"));
	T_CHECK(sh("TERN_HV_LOGDIRTY=ro %s info", xl) == 0 &&
		!strcmp(info_value(out, "log_dirty"), "read-only-shadow") &&
		strstr(info_value(out, "log_dirty_note"), "TERN_HV_LOGDIRTY=ro"),
		"tern-xl info: TERN_HV_LOGDIRTY=ro forces the read-only shadow, and says so");
	T_CHECK(sh("%s info extra", xl) != 0 && strstr(out, "usage: tern-xl info"),
		"tern-xl info: an argument it does not take is refused with its usage");
}

int main(void)
{
	if (!live_setup("t_logdirty_live"))
		return 1;
	info();
	run("uffd", "uffd-wp-async");
	run("ro", "read-only-shadow");
	sh("(kill $(cat %s/run/xenstored.pid); rm -rf %s)", tmp, tmp);
	T_DONE();
}
