// SPDX-License-Identifier: MIT
/*
 * Save and restore's common helpers: the names of records and frame
 * types that every message uses, and the one way a message is made, so
 * that every refusal of a stream names the record and where it starts.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "xg_sr_common.h"

static const char *const rec_names[] = {
	[XC_SR_REC_END] = "END",
	[XC_SR_REC_PAGE_DATA] = "PAGE_DATA",
	[XC_SR_REC_X86_PV_INFO] = "X86_PV_INFO",
	[XC_SR_REC_X86_PV_P2M_FRAMES] = "X86_PV_P2M_FRAMES",
	[XC_SR_REC_X86_PV_VCPU_BASIC] = "X86_PV_VCPU_BASIC",
	[XC_SR_REC_X86_PV_VCPU_EXTENDED] = "X86_PV_VCPU_EXTENDED",
	[XC_SR_REC_X86_PV_VCPU_XSAVE] = "X86_PV_VCPU_XSAVE",
	[XC_SR_REC_SHARED_INFO] = "SHARED_INFO",
	[XC_SR_REC_X86_TSC_INFO] = "X86_TSC_INFO",
	[XC_SR_REC_HVM_CONTEXT] = "HVM_CONTEXT",
	[XC_SR_REC_HVM_PARAMS] = "HVM_PARAMS",
	[XC_SR_REC_TOOLSTACK] = "TOOLSTACK",
	[XC_SR_REC_X86_PV_VCPU_MSRS] = "X86_PV_VCPU_MSRS",
	[XC_SR_REC_VERIFY] = "VERIFY",
	[XC_SR_REC_CHECKPOINT] = "CHECKPOINT",
	[XC_SR_REC_CHECKPOINT_DIRTY_PFN_LIST] = "CHECKPOINT_DIRTY_PFN_LIST",
	[XC_SR_REC_STATIC_DATA_END] = "STATIC_DATA_END",
	[XC_SR_REC_X86_CPUID_POLICY] = "X86_CPUID_POLICY",
	[XC_SR_REC_X86_MSR_POLICY] = "X86_MSR_POLICY",
};

const char *xg_sr_rec_name(uint32_t type)
{
	return type < ARRAY_SIZE(rec_names) ?
	       rec_names[type] : NULL;
}

const char *xg_sr_type_name(uint32_t type)
{
	static const char *const names[16] = {
		"normal", "L1", "L2", "L3", "L4", "reserved type 5",
		"reserved type 6", "reserved type 7", "reserved type 8",
		"pinned L1", "pinned L2", "pinned L3", "pinned L4", "broken",
		"allocate-only", "invalid",
	};

	return names[(type >> XEN_DOMCTL_PFINFO_LTAB_SHIFT) & 0xf];
}

int xg_sr_fail(struct xg_sr_ctx *ctx, const char *fmt, ...)
{
	const struct xg_sr_record *rec = ctx->rec;
	size_t n = 0;
	va_list ap;

	if (rec) {
		const char *name = xg_sr_rec_name(rec->type);
		char unknown[24];

		if (!name) {
			snprintf(unknown, sizeof(unknown), "type %#x", rec->type);
			name = unknown;
		}
		n = snprintf(ctx->err, ctx->errlen,
			     "libxc record #%lu (%s) at offset %lu: ",
			     (unsigned long)rec->index, name,
			     (unsigned long)rec->offset);
		if (n >= ctx->errlen)
			return -1;
	}
	va_start(ap, fmt);
	vsnprintf(ctx->err + n, ctx->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

uint64_t xg_sr_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

void xg_sr_prefault(const struct xc_foreign_map *m, const mfn_t *mfns,
		    uint64_t n, bool write)
{
	uint64_t i = 0, j;

	while (i < n) {
		if (!mfn_valid_raw(mfns[i]) || mfn_x(mfns[i]) >= m->nr_frames) {
			i++;
			continue;
		}
		for (j = i + 1; j < n && mfn_x(mfns[j]) == mfn_x(mfns[j - 1]) + 1 &&
		     mfn_x(mfns[j]) < m->nr_frames; j++)
			;
		madvise(m->base + mfn_to_maddr(mfns[i]), (j - i) * XG_PAGE_SIZE,
			write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
		i = j;
	}
}
