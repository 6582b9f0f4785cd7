// SPDX-License-Identifier: MIT
/*
 * sr_tool: what the save/restore scripts need that a shell cannot do.
 *
 *   sr_tool frames <control socket> <domid>
 *       the domain's frame of each pfn (getmemlist), one hex mfn a line
 *   sr_tool pause|unpause <control socket> <domid>
 *   sr_tool audit <control socket> <domid>
 *       the hypervisor's PV MMU audit of the domain, now: "audit clean",
 *       or what it found (exit status 1)
 *   sr_tool records <save file>
 *       every record of the file's three layers, one a line:
 *       "<layer> <index> <type> <offset of its header> <body length>";
 *       the xl header and the two stream headers are listed as records
 *       of type "header"
 *   sr_tool diff <save file> <save file>
 *       walks both files record by record (they must have the same
 *       records in the same order) and prints one line per record whose
 *       body differs, naming the fields that differ where the record has
 *       fields ("X86_TSC_INFO nsec", "PAGE_DATA pfn 0x12 data"), and
 *       "same" if nothing does
 *
 * The walk is its own, independent of tools/libs: what it finds is a
 * second reading of the format, not the code under test reading itself.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/libs/ctrl/xc.h"
#include <xen/interface/migration.h>

struct rec {
	const char *layer;		/* "xl", "libxl", "libxc" */
	uint32_t type;			/* ~0: a header */
	uint64_t offset, length;	/* header offset; body length */
	const uint8_t *body;
};

struct file {
	const uint8_t *p;
	uint64_t size;
	struct rec *recs;
	unsigned int n, cap;
};

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "sr_tool: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

static void add(struct file *f, const char *layer, uint32_t type,
		uint64_t off, uint64_t len, uint64_t body_off)
{
	if (body_off + len > f->size)
		die("%s: truncated", layer);
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->recs = realloc(f->recs, f->cap * sizeof(*f->recs));
		if (!f->recs)
			die("%s", "out of memory");
	}
	f->recs[f->n++] = (struct rec){ layer, type, off, len, f->p + body_off };
}

/* Framed records (libxl's and libxc's): type, length, body, padding. */
static uint64_t framed(struct file *f, const char *layer, uint64_t off,
		       uint32_t *type)
{
	uint32_t h[2];

	if (off + 8 > f->size)
		die("%s: truncated record header", layer);
	memcpy(h, f->p + off, 8);
	add(f, layer, h[0], off, h[1], off + 8);
	*type = h[0];
	return off + 8 + ((h[1] + 7ULL) & ~7ULL);
}

static void walk(struct file *f, const char *path)
{
	struct stat st;
	uint64_t off, opt;
	uint32_t type, t2;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		die("cannot read %s", path);
	f->size = st.st_size;
	f->p = mmap(NULL, f->size ? f->size : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (f->p == MAP_FAILED)
		die("cannot map %s", path);
	if (f->size < 48 || memcmp(f->p, XL_SAVE_MAGIC, XL_SAVE_MAGIC_LEN))
		die("%s: not an xl save file", path);
	memcpy(&opt, f->p + 44, 4);
	opt &= 0xffffffff;
	add(f, "xl", ~0U, 0, opt, 48);
	off = 48 + opt;
	add(f, "libxl", ~0U, off, 16, off);
	off += 16;
	for (;;) {
		off = framed(f, "libxl", off, &type);
		if (type == LIBXL_SR_REC_END)
			break;
		if (type != LIBXL_SR_REC_LIBXC_CONTEXT)
			continue;
		add(f, "libxc", ~0U, off, 40, off);
		off += 40;
		do
			off = framed(f, "libxc", off, &t2);
		while (t2 != XC_SR_REC_END);
	}
}

static const char *const xc_names[] = {
	"END", "PAGE_DATA", "X86_PV_INFO", "X86_PV_P2M_FRAMES",
	"X86_PV_VCPU_BASIC", "X86_PV_VCPU_EXTENDED", "X86_PV_VCPU_XSAVE",
	"SHARED_INFO", "X86_TSC_INFO", "HVM_CONTEXT", "HVM_PARAMS",
	"TOOLSTACK", "X86_PV_VCPU_MSRS", "VERIFY", "CHECKPOINT",
	"CHECKPOINT_DIRTY_PFN_LIST", "STATIC_DATA_END", "X86_CPUID_POLICY",
	"X86_MSR_POLICY",
};

static const char *name_of(const struct rec *r, char *buf, size_t len)
{
	if (r->type == ~0U)
		return "header";
	if (!strcmp(r->layer, "libxc") && r->type < 19)
		return xc_names[r->type];
	snprintf(buf, len, "%#x", r->type);
	return buf;
}

static int cmd_records(const char *path)
{
	struct file f = { 0 };
	unsigned int i;
	char buf[16];

	walk(&f, path);
	for (i = 0; i < f.n; i++)
		printf("%s %u %s %lu %lu\n", f.recs[i].layer, i,
		       name_of(&f.recs[i], buf, sizeof(buf)),
		       (unsigned long)f.recs[i].offset,
		       (unsigned long)f.recs[i].length);
	return 0;
}

/* The fields of the records that have them, as offsets in the body. */
static const char *field(const struct rec *r, uint64_t at)
{
	if (strcmp(r->layer, "libxc"))
		return "bytes";
	switch (r->type) {
	case XC_SR_REC_X86_TSC_INFO:
		return at < 4 ? "mode" : at < 8 ? "khz" : at < 16 ? "nsec" :
		       at < 20 ? "incarnation" : "reserved";
	case XC_SR_REC_X86_PV_VCPU_BASIC:
		return at < 8 ? "vcpu_id" : "context";
	case XC_SR_REC_SHARED_INFO:
		return "shared_info";
	}
	return "bytes";
}

static void diff_page_data(const struct rec *a, const struct rec *b)
{
	uint32_t count;
	uint64_t i, k = 0, data;

	memcpy(&count, a->body, 4);
	data = 8 + count * 8ULL;
	for (i = 0; i < count; i++) {
		uint64_t pa, pb;
		uint32_t type;

		memcpy(&pa, a->body + 8 + i * 8, 8);
		memcpy(&pb, b->body + 8 + i * 8, 8);
		if (pa != pb)
			printf("differ: PAGE_DATA at %lu pfn[%lu] %#lx / %#lx\n",
			       (unsigned long)a->offset, (unsigned long)i,
			       (unsigned long)pa, (unsigned long)pb);
		type = pa >> 60;
		if (type >= 0xd || (type >= 5 && type <= 8))
			continue;
		if (memcmp(a->body + data + k * 4096, b->body + data + k * 4096,
			   4096))
			printf("differ: PAGE_DATA pfn %#lx data\n",
			       (unsigned long)(pa & XC_SR_PAGE_DATA_PFN_MASK));
		k++;
	}
}

static int cmd_diff(const char *pa, const char *pb)
{
	struct file a = { 0 }, b = { 0 };
	unsigned int i, diffs = 0;
	char buf[16];

	walk(&a, pa);
	walk(&b, pb);
	if (a.n != b.n) {
		printf("differ: %u records against %u\n", a.n, b.n);
		return 0;
	}
	for (i = 0; i < a.n; i++) {
		const struct rec *x = &a.recs[i], *y = &b.recs[i];
		const char *last = NULL;
		uint64_t k;

		if (strcmp(x->layer, y->layer) || x->type != y->type ||
		    x->length != y->length) {
			printf("differ: record %u: %s %s (%lu bytes) against %s %s (%lu bytes)\n",
			       i, x->layer, name_of(x, buf, sizeof(buf)),
			       (unsigned long)x->length, y->layer,
			       name_of(y, buf, sizeof(buf)),
			       (unsigned long)y->length);
			diffs++;
			continue;
		}
		if (!memcmp(x->body, y->body, x->length))
			continue;
		diffs++;
		if (!strcmp(x->layer, "libxc") && x->type == XC_SR_REC_PAGE_DATA) {
			diff_page_data(x, y);
			continue;
		}
		for (k = 0; k < x->length; k++) {
			const char *f;

			if (x->body[k] == y->body[k])
				continue;
			f = field(x, k);
			if (last != f)
				printf("differ: %s %s %s\n", x->layer,
				       name_of(x, buf, sizeof(buf)), f);
			last = f;
		}
	}
	if (!diffs)
		printf("same\n");
	return 0;
}

static int cmd_domain(const char *what, const char *sock, const char *id)
{
	xc_interface *x = xc_interface_open_socket(sock);
	domid_t domid = atoi(id);
	struct hv_domctl_getdomaininfo info;
	mfn_t *mfns;
	uint64_t i;
	int rc;

	if (!x)
		die("no control socket at %s", sock);
	if (!strcmp(what, "pause"))
		return xc_domain_pause(x, domid) ? 1 : 0;
	if (!strcmp(what, "unpause"))
		return xc_domain_unpause(x, domid) ? 1 : 0;
	if (!strcmp(what, "audit")) {
		char *why = NULL;

		rc = xc_domain_audit(x, domid, &why);
		if (rc)
			printf("audit: %s\n", why ? why : strerror(-rc));
		else
			printf("audit clean\n");
		free(why);
		return rc ? 1 : 0;
	}
	rc = xc_domain_getinfo(x, domid, &info);
	mfns = rc ? NULL : calloc(info.max_pages, sizeof(*mfns));
	if (!mfns || xc_get_memlist(x, domid, _pfn(0), info.max_pages, mfns))
		die("%s", "getmemlist failed");
	for (i = 0; i < info.max_pages; i++)
		printf("%lx\n", (unsigned long)mfn_x(mfns[i]));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "records"))
		return cmd_records(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "diff"))
		return cmd_diff(argv[2], argv[3]);
	if (argc == 4 && (!strcmp(argv[1], "frames") ||
			  !strcmp(argv[1], "pause") ||
			  !strcmp(argv[1], "audit") ||
			  !strcmp(argv[1], "unpause")))
		return cmd_domain(argv[1], argv[2], argv[3]);
	fprintf(stderr, "usage: sr_tool frames|pause|unpause|audit <socket> <domid> | records <file> | diff <a> <b>\n");
	return 2;
}
