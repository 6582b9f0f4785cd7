// SPDX-License-Identifier: MIT
/*
 * The save file and migration stream layouts of include/xen/interface/
 * migration.h against Xen's own description of them.
 *
 * Xen's public headers (libxen-dev, which t_abi_xen compares against)
 * do not carry the stream formats: libxc and libxl keep them private.
 * What Xen does ship is the Python package verify-stream-v2 is built on
 * (xen.migration.libxc, .libxl and .xl in Debian's xen-utils-4.17), whose
 * struct formats and record numbers are what Xen's own verifier reads a
 * stream with.  So that package is the judge here: for every record
 * layout tern writes, the size and the offset of every field must equal
 * those the Python format gives, and every record type, magic and
 * version number must equal Xen's.  A typo in migration.h that our own
 * writer and reader would agree on (and so would pass a round trip) is
 * caught here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/interface/migration.h>

#include "hosttest.h"

#define MAX_FIELDS 8

/* A layout of tern's and the Python format Xen describes it with. */
struct layout {
	const char *name;
	size_t size;
	int nr;			/* fields compared, in order */
	size_t off[MAX_FIELDS];
	const char *module;	/* xen.migration.<module> */
	const char *format;	/* its *_FORMAT attribute */
};

#define OFF(t, f) offsetof(struct t, f)

static const struct layout layouts[] = {
	{ "xl_save_header (after the magic)",
	  sizeof(struct xl_save_header) - XL_SAVE_MAGIC_LEN, 4,
	  { OFF(xl_save_header, byteorder) - XL_SAVE_MAGIC_LEN,
	    OFF(xl_save_header, mandatory_flags) - XL_SAVE_MAGIC_LEN,
	    OFF(xl_save_header, optional_flags) - XL_SAVE_MAGIC_LEN,
	    OFF(xl_save_header, optional_data_len) - XL_SAVE_MAGIC_LEN },
	  "xl", "HEADER_FORMAT" },
	{ "libxl_sr_hdr", sizeof(struct libxl_sr_hdr), 3,
	  { OFF(libxl_sr_hdr, ident), OFF(libxl_sr_hdr, version),
	    OFF(libxl_sr_hdr, options) },
	  "libxl", "HDR_FORMAT" },
	{ "libxl_sr_rec_hdr", sizeof(struct libxl_sr_rec_hdr), 2,
	  { OFF(libxl_sr_rec_hdr, type), OFF(libxl_sr_rec_hdr, length) },
	  "libxl", "RH_FORMAT" },
	{ "xc_sr_ihdr", sizeof(struct xc_sr_ihdr), 6,
	  { OFF(xc_sr_ihdr, marker), OFF(xc_sr_ihdr, id),
	    OFF(xc_sr_ihdr, version), OFF(xc_sr_ihdr, options),
	    OFF(xc_sr_ihdr, _res1), OFF(xc_sr_ihdr, _res2) },
	  "libxc", "IHDR_FORMAT" },
	{ "xc_sr_dhdr", sizeof(struct xc_sr_dhdr), 5,
	  { OFF(xc_sr_dhdr, type), OFF(xc_sr_dhdr, page_shift),
	    OFF(xc_sr_dhdr, _res1), OFF(xc_sr_dhdr, xen_major),
	    OFF(xc_sr_dhdr, xen_minor) },
	  "libxc", "DHDR_FORMAT" },
	{ "xc_sr_rhdr", sizeof(struct xc_sr_rhdr), 2,
	  { OFF(xc_sr_rhdr, type), OFF(xc_sr_rhdr, length) },
	  "libxc", "RH_FORMAT" },
	{ "xc_sr_rec_page_data_header",
	  sizeof(struct xc_sr_rec_page_data_header), 2,
	  { OFF(xc_sr_rec_page_data_header, count),
	    OFF(xc_sr_rec_page_data_header, _res1) },
	  "libxc", "PAGE_DATA_FORMAT" },
	/* Xen spells the six reserved bytes as a u16 and a u32. */
	{ "xc_sr_rec_x86_pv_info", sizeof(struct xc_sr_rec_x86_pv_info), 4,
	  { OFF(xc_sr_rec_x86_pv_info, guest_width),
	    OFF(xc_sr_rec_x86_pv_info, pt_levels),
	    OFF(xc_sr_rec_x86_pv_info, _res),
	    OFF(xc_sr_rec_x86_pv_info, _res) + 2 },
	  "libxc", "X86_PV_INFO_FORMAT" },
	{ "xc_sr_rec_x86_pv_p2m_frames",
	  sizeof(struct xc_sr_rec_x86_pv_p2m_frames), 2,
	  { OFF(xc_sr_rec_x86_pv_p2m_frames, start_pfn),
	    OFF(xc_sr_rec_x86_pv_p2m_frames, end_pfn) },
	  "libxc", "X86_PV_P2M_FRAMES_FORMAT" },
	{ "xc_sr_rec_x86_pv_vcpu_hdr",
	  sizeof(struct xc_sr_rec_x86_pv_vcpu_hdr), 2,
	  { OFF(xc_sr_rec_x86_pv_vcpu_hdr, vcpu_id),
	    OFF(xc_sr_rec_x86_pv_vcpu_hdr, _res1) },
	  "libxc", "X86_PV_VCPU_HDR_FORMAT" },
	{ "xc_sr_rec_x86_tsc_info", sizeof(struct xc_sr_rec_x86_tsc_info), 5,
	  { OFF(xc_sr_rec_x86_tsc_info, mode), OFF(xc_sr_rec_x86_tsc_info, khz),
	    OFF(xc_sr_rec_x86_tsc_info, nsec),
	    OFF(xc_sr_rec_x86_tsc_info, incarnation),
	    OFF(xc_sr_rec_x86_tsc_info, _res1) },
	  "libxc", "X86_TSC_INFO_FORMAT" },
};

struct constant {
	const char *name;
	unsigned long long value;
	const char *module;
	const char *attr;
};

#define C(n, m, a) { #n, (unsigned long long)(n), m, a }

static const struct constant constants[] = {
	C(XL_SAVE_FLAG_STREAMV2, "xl", "MANDATORY_FLAG_STREAMV2"),
	C(LIBXL_SR_IDENT, "libxl", "HDR_IDENT"),
	C(LIBXL_SR_VERSION, "libxl", "HDR_VERSION"),
	C(LIBXL_SR_OPT_BIG_ENDIAN, "libxl", "HDR_OPT_BE"),
	C(LIBXL_SR_OPT_LEGACY, "libxl", "HDR_OPT_LEGACY"),
	C(LIBXL_SR_REC_END, "libxl", "REC_TYPE_end"),
	C(LIBXL_SR_REC_LIBXC_CONTEXT, "libxl", "REC_TYPE_libxc_context"),
	C(LIBXL_SR_REC_EMULATOR_XENSTORE_DATA, "libxl",
	  "REC_TYPE_emulator_xenstore_data"),
	C(LIBXL_SR_REC_EMULATOR_CONTEXT, "libxl", "REC_TYPE_emulator_context"),
	C(LIBXL_SR_REC_CHECKPOINT_END, "libxl", "REC_TYPE_checkpoint_end"),
	C(LIBXL_SR_REC_CHECKPOINT_STATE, "libxl", "REC_TYPE_checkpoint_state"),
	C(XC_SR_IHDR_MARKER, "libxc", "IHDR_MARKER"),
	C(XC_SR_IHDR_ID, "libxc", "IHDR_IDENT"),
	C(XC_SR_IHDR_OPT_BIG_ENDIAN, "libxc", "IHDR_OPT_BE"),
	C(XC_SR_DHDR_TYPE_X86_PV, "libxc", "DHDR_TYPE_x86_pv"),
	C(XC_SR_DHDR_TYPE_X86_HVM, "libxc", "DHDR_TYPE_x86_hvm"),
	C(XC_SR_REC_END, "libxc", "REC_TYPE_end"),
	C(XC_SR_REC_PAGE_DATA, "libxc", "REC_TYPE_page_data"),
	C(XC_SR_REC_X86_PV_INFO, "libxc", "REC_TYPE_x86_pv_info"),
	C(XC_SR_REC_X86_PV_P2M_FRAMES, "libxc", "REC_TYPE_x86_pv_p2m_frames"),
	C(XC_SR_REC_X86_PV_VCPU_BASIC, "libxc", "REC_TYPE_x86_pv_vcpu_basic"),
	C(XC_SR_REC_X86_PV_VCPU_EXTENDED, "libxc",
	  "REC_TYPE_x86_pv_vcpu_extended"),
	C(XC_SR_REC_X86_PV_VCPU_XSAVE, "libxc", "REC_TYPE_x86_pv_vcpu_xsave"),
	C(XC_SR_REC_SHARED_INFO, "libxc", "REC_TYPE_shared_info"),
	C(XC_SR_REC_X86_TSC_INFO, "libxc", "REC_TYPE_tsc_info"),
	C(XC_SR_REC_HVM_CONTEXT, "libxc", "REC_TYPE_hvm_context"),
	C(XC_SR_REC_HVM_PARAMS, "libxc", "REC_TYPE_hvm_params"),
	C(XC_SR_REC_TOOLSTACK, "libxc", "REC_TYPE_toolstack"),
	C(XC_SR_REC_X86_PV_VCPU_MSRS, "libxc", "REC_TYPE_x86_pv_vcpu_msrs"),
	C(XC_SR_REC_VERIFY, "libxc", "REC_TYPE_verify"),
	C(XC_SR_REC_CHECKPOINT, "libxc", "REC_TYPE_checkpoint"),
	C(XC_SR_REC_CHECKPOINT_DIRTY_PFN_LIST, "libxc",
	  "REC_TYPE_checkpoint_dirty_pfn_list"),
	C(XC_SR_REC_STATIC_DATA_END, "libxc", "REC_TYPE_static_data_end"),
	C(XC_SR_REC_X86_CPUID_POLICY, "libxc", "REC_TYPE_x86_cpuid_policy"),
	C(XC_SR_REC_X86_MSR_POLICY, "libxc", "REC_TYPE_x86_msr_policy"),
	C(XC_SR_PAGE_DATA_PFN_MASK, "libxc", "PAGE_DATA_PFN_MASK"),
	C(XC_SR_PAGE_DATA_RES_MASK, "libxc", "PAGE_DATA_PFN_RESZ_MASK"),
	/* Xen's Python shifts the 64-bit word; ours the 32-bit type. */
	C(XC_SR_PAGE_DATA_TYPE_SHIFT + 28, "libxc", "PAGE_DATA_TYPE_SHIFT"),
};

/*
 * Asks Xen's package, for each "module attribute" line on stdin, for the
 * attribute's value; for a struct format, its size and the offset of
 * each field (calcsize of each prefix, with the format's byte order).
 */
static const char py_script[] =
"import sys, struct, importlib\n"
"for line in sys.stdin:\n"
"    mod, attr = line.split()\n"
"    m = importlib.import_module('xen.migration.' + mod)\n"
"    v = getattr(m, attr, None)\n"
"    if v is None:\n"
"        print('missing'); continue\n"
"    if isinstance(v, str):\n"
"        order = v[0] if v[0] in '@=<>!' else ''\n"
"        body = v[len(order):]\n"
"        offs = [struct.calcsize(order + body[:i]) for i in range(len(body))]\n"
"        print(struct.calcsize(v), *offs)\n"
"    else:\n"
"        print(v)\n"
"    sys.stdout.flush()\n";

static void report(int ok, const char *what, const char *detail)
{
	if (ok) {
		printf("PASS: abi-stream: %s\n", what);
	} else {
		hosttest_failures++;
		printf("FAIL: abi-stream: %s: %s\n", what, detail);
	}
}

int main(void)
{
	const char *top = getenv("TOP") ? getenv("TOP") : ".";
	char cmd[4096], root[2048], in_path[] = "/tmp/t_abi_stream.XXXXXX";
	char line[512], detail[1024];
	size_t i, nl = ARRAY_SIZE(layouts);
	size_t nc = ARRAY_SIZE(constants);
	int fd, fields = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "'%s/scripts/xen-tools'", top);
	f = popen(cmd, "r");
	if (!f || !fgets(root, sizeof(root), f) || pclose(f)) {
		printf("FAIL: abi-stream: cannot fetch Debian's Xen 4.17 tools (scripts/xen-tools)\n");
		return 1;
	}
	root[strcspn(root, "\n")] = 0;

	/* The questions, one per line: the layouts first, then constants. */
	fd = mkstemp(in_path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		printf("FAIL: abi-stream: cannot write %s\n", in_path);
		return 1;
	}
	for (i = 0; i < nl; i++)
		fprintf(f, "%s %s\n", layouts[i].module, layouts[i].format);
	for (i = 0; i < nc; i++)
		fprintf(f, "%s %s\n", constants[i].module, constants[i].attr);
	fclose(f);

	snprintf(cmd, sizeof(cmd),
		 "PYTHONPATH='%s/usr/lib/xen-4.17/lib/python' python3 -c \"$T_ABI_STREAM_PY\" < '%s'",
		 root, in_path);
	setenv("T_ABI_STREAM_PY", py_script, 1);
	f = popen(cmd, "r");
	if (!f) {
		printf("FAIL: abi-stream: cannot run python3\n");
		unlink(in_path);
		return 1;
	}

	for (i = 0; i < nl; i++) {
		const struct layout *l = &layouts[i];
		char *p, *end;
		unsigned long size;
		int n, ok;

		if (!fgets(line, sizeof(line), f)) {
			report(0, l->name, "Xen's package gave no answer");
			continue;
		}
		line[strcspn(line, "\n")] = 0;
		size = strtoul(line, &p, 10);
		ok = p != line && size == l->size;
		snprintf(detail, sizeof(detail), "tern: %zu bytes, Xen's %s.%s: %s",
			 l->size, l->module, l->format, line);
		for (n = 0; ok && n < l->nr; n++) {
			unsigned long off = strtoul(p, &end, 10);

			if (end == p || off != l->off[n])
				ok = 0;
			p = end;
		}
		/* Xen's format has exactly as many fields as tern compares. */
		if (ok && strtoul(p, &end, 10) && end != p)
			ok = 0;
		if (ok)
			fields += l->nr;
		snprintf(line, sizeof(line), "%s: %zu bytes, %d field offsets as %s.%s",
			 l->name, l->size, l->nr, l->module, l->format);
		report(ok, line, detail);
	}
	for (i = 0; i < nc; i++) {
		const struct constant *c = &constants[i];
		unsigned long long v;
		char *p;
		int ok;

		if (!fgets(line, sizeof(line), f)) {
			report(0, c->name, "Xen's package gave no answer");
			continue;
		}
		line[strcspn(line, "\n")] = 0;
		v = strtoull(line, &p, 10);
		ok = p != line && v == c->value;
		snprintf(detail, sizeof(detail), "tern %#llx, Xen's %s.%s: %s",
			 c->value, c->module, c->attr, line);
		snprintf(line, sizeof(line), "%s = %#llx as %s.%s", c->name,
			 c->value, c->module, c->attr);
		report(ok, line, detail);
	}
	if (pclose(f))
		report(0, "Xen's package", "python3 failed (see above)");
	unlink(in_path);
	printf("abi-stream: %zu layouts (%d fields) and %zu constants compared with Xen 4.17's xen.migration\n",
	       nl, fields, nc);
	T_DONE();
}
