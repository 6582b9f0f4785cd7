/* SPDX-License-Identifier: MIT */
/*
 * The save file and migration stream of a Xen domain, as Xen 4.17's tools
 * write and read it, in three layers (outermost first):
 *
 *   xl        "Xen saved domain, xl format": a 48-byte header and the
 *             optional data it announces (the domain's configuration,
 *             as libxl's JSON), then the libxl stream.  Only files have
 *             it; `xl migrate` sends the libxl stream alone.
 *   libxl     the "LibxlFmt" header, then records: LIBXC_CONTEXT (empty:
 *             the libxc stream follows right after it), emulator records
 *             (HVM only), CHECKPOINT_END, ..., END.
 *   libxc     migration stream v2 (v3 since Xen 4.14): the image header
 *             ("XENF"), the domain header, then records, each 8-byte
 *             aligned: X86_PV_INFO, STATIC_DATA_END, X86_PV_P2M_FRAMES,
 *             PAGE_DATA (pfns with their frame types, and the pages),
 *             X86_TSC_INFO, SHARED_INFO, X86_PV_VCPU_* per vCPU, END.
 *
 * Facts from Xen's docs/specs/libxc-migration-stream.pandoc and
 * libxl-migration-stream.pandoc and xl's save-file header (tools/xl/xl.h);
 * the names here are tern's.  None of this is in Xen's public headers
 * (t_abi_xen lists each as tern's own).  Byte order: the image and libxl
 * headers are big-endian, everything else little-endian (the headers'
 * endianness option, always 0 on x86), the xl header in the saving
 * host's order, which its byteorder field proves.  Never used by the
 * guest kernel.
 */
#ifndef __XEN_INTERFACE_MIGRATION_H__
#define __XEN_INTERFACE_MIGRATION_H__

#include <stdint.h>

/* ---- xl: the save file's own header ---- */

#define XL_SAVE_MAGIC		"Xen saved domain, xl format\n \0 \r"
#define XL_SAVE_MAGIC_LEN	32
#define XL_SAVE_BYTEORDER	0x01020304U

/* mandatory_flags: a reader refuses any it does not know. */
#define XL_SAVE_FLAG_JSON	(1U << 0)	/* the config is libxl's JSON */
#define XL_SAVE_FLAG_STREAMV2	(1U << 1)	/* a libxl stream follows */

/*
 * Followed by optional_data_len bytes: a 32-bit length (the saving
 * host's order) and that many bytes of configuration, NUL included.
 */
struct xl_save_header {
	char magic[XL_SAVE_MAGIC_LEN];
	uint32_t byteorder;
	uint32_t mandatory_flags;
	uint32_t optional_flags;
	uint32_t optional_data_len;
};

/* ---- libxl: the stream libxl writes around libxc's ---- */

#define LIBXL_SR_IDENT		0x4c6962786c466d74ULL	/* "LibxlFmt" */
#define LIBXL_SR_VERSION	2U
#define LIBXL_SR_OPT_BIG_ENDIAN	(1U << 0)
#define LIBXL_SR_OPT_LEGACY	(1U << 1)

/* Every field big-endian. */
struct libxl_sr_hdr {
	uint64_t ident;
	uint32_t version;
	uint32_t options;
};

/* A record: this, the body, zero padding to 8 bytes. */
struct libxl_sr_rec_hdr {
	uint32_t type;
	uint32_t length;		/* of the body, without padding */
};

#define LIBXL_SR_REC_END			0x00000000U
#define LIBXL_SR_REC_LIBXC_CONTEXT		0x00000001U
#define LIBXL_SR_REC_EMULATOR_XENSTORE_DATA	0x00000002U
#define LIBXL_SR_REC_EMULATOR_CONTEXT		0x00000003U
#define LIBXL_SR_REC_CHECKPOINT_END		0x00000004U
#define LIBXL_SR_REC_CHECKPOINT_STATE		0x00000005U

/* ---- libxc: migration stream v2/v3 ---- */

#define XC_SR_IHDR_MARKER	0xffffffffffffffffULL
#define XC_SR_IHDR_ID		0x58454e46U	/* "XENF" */
#define XC_SR_VERSION_2		2U
#define XC_SR_VERSION_3		3U	/* STATIC_DATA_END is mandatory */
#define XC_SR_IHDR_OPT_BIG_ENDIAN	(1U << 0)

/* The image header: every field big-endian. */
struct xc_sr_ihdr {
	uint64_t marker;
	uint32_t id;
	uint32_t version;
	uint16_t options;
	uint16_t _res1;
	uint32_t _res2;
};

#define XC_SR_DHDR_TYPE_X86_PV	0x00000001U
#define XC_SR_DHDR_TYPE_X86_HVM	0x00000002U

struct xc_sr_dhdr {
	uint32_t type;
	uint16_t page_shift;
	uint16_t _res1;
	uint32_t xen_major;
	uint32_t xen_minor;
};

/* A record: this, the body, zero padding to 8 bytes. */
struct xc_sr_rhdr {
	uint32_t type;
	uint32_t length;
};

#define XC_SR_REC_ALIGN		8U
/* What Xen's reader accepts as one record's body. */
#define XC_SR_REC_LENGTH_MAX	(128U << 20)

#define XC_SR_REC_END				0x00000000U
#define XC_SR_REC_PAGE_DATA			0x00000001U
#define XC_SR_REC_X86_PV_INFO			0x00000002U
#define XC_SR_REC_X86_PV_P2M_FRAMES		0x00000003U
#define XC_SR_REC_X86_PV_VCPU_BASIC		0x00000004U
#define XC_SR_REC_X86_PV_VCPU_EXTENDED		0x00000005U
#define XC_SR_REC_X86_PV_VCPU_XSAVE		0x00000006U
#define XC_SR_REC_SHARED_INFO			0x00000007U
#define XC_SR_REC_X86_TSC_INFO			0x00000008U
#define XC_SR_REC_HVM_CONTEXT			0x00000009U
#define XC_SR_REC_HVM_PARAMS			0x0000000aU
#define XC_SR_REC_TOOLSTACK			0x0000000bU
#define XC_SR_REC_X86_PV_VCPU_MSRS		0x0000000cU
#define XC_SR_REC_VERIFY			0x0000000dU
#define XC_SR_REC_CHECKPOINT			0x0000000eU
#define XC_SR_REC_CHECKPOINT_DIRTY_PFN_LIST	0x0000000fU
#define XC_SR_REC_STATIC_DATA_END		0x00000010U
#define XC_SR_REC_X86_CPUID_POLICY		0x00000011U
#define XC_SR_REC_X86_MSR_POLICY		0x00000012U
/* Set in the types a reader may skip when it does not know them. */
#define XC_SR_REC_OPTIONAL			0x80000000U

/*
 * PAGE_DATA: count pfns, each with its XEN_DOMCTL_PFINFO_* type shifted
 * up by 32 (bits 63-60), then one page of data for each pfn whose type
 * is NOTAB or L1TAB..L4TAB (pinned or not), in order.
 */
struct xc_sr_rec_page_data_header {
	uint32_t count;
	uint32_t _res1;
	uint64_t pfn[];
};

#define XC_SR_PAGE_DATA_PFN_MASK	0x000fffffffffffffULL
#define XC_SR_PAGE_DATA_RES_MASK	0x0ff0000000000000ULL
#define XC_SR_PAGE_DATA_TYPE_SHIFT	32

struct xc_sr_rec_x86_pv_info {
	uint8_t guest_width;		/* 4 or 8 bytes */
	uint8_t pt_levels;		/* 3 or 4 */
	uint8_t _res[6];
};

/*
 * The pfns of the guest's p2m frames: the frame holding the entry of
 * pfn start_pfn first, through the one holding end_pfn's (inclusive).
 */
struct xc_sr_rec_x86_pv_p2m_frames {
	uint32_t start_pfn;
	uint32_t end_pfn;
	uint64_t p2m_pfns[];
};

/*
 * X86_PV_VCPU_BASIC (a struct vcpu_guest_context with frames as pfns),
 * EXTENDED, XSAVE, MSRS: this header, then the blob.
 */
struct xc_sr_rec_x86_pv_vcpu_hdr {
	uint32_t vcpu_id;
	uint32_t _res1;
	uint8_t context[];
};

/* XEN_DOMCTL_gettscinfo's answer. */
struct xc_sr_rec_x86_tsc_info {
	uint32_t mode;
	uint32_t khz;
	uint64_t nsec;
	uint32_t incarnation;
	uint32_t _res1;
};

/* tsc_mode values (Xen's TSC_MODE_*, not in its public headers). */
#define XC_SR_TSC_MODE_DEFAULT		0U
#define XC_SR_TSC_MODE_ALWAYS_EMULATE	1U
#define XC_SR_TSC_MODE_NEVER_EMULATE	2U

/* The sizes the specifications draw. */
_Static_assert(sizeof(struct xl_save_header) == 48, "xl header");
_Static_assert(sizeof(struct libxl_sr_hdr) == 16, "libxl header");
_Static_assert(sizeof(struct libxl_sr_rec_hdr) == 8, "libxl record header");
_Static_assert(sizeof(struct xc_sr_ihdr) == 24, "image header");
_Static_assert(sizeof(struct xc_sr_dhdr) == 16, "domain header");
_Static_assert(sizeof(struct xc_sr_rhdr) == 8, "record header");
_Static_assert(sizeof(struct xc_sr_rec_page_data_header) == 8, "PAGE_DATA");
_Static_assert(sizeof(struct xc_sr_rec_x86_pv_info) == 8, "X86_PV_INFO");
_Static_assert(sizeof(struct xc_sr_rec_x86_pv_p2m_frames) == 8,
	       "X86_PV_P2M_FRAMES");
_Static_assert(sizeof(struct xc_sr_rec_x86_pv_vcpu_hdr) == 8, "X86_PV_VCPU_*");
_Static_assert(sizeof(struct xc_sr_rec_x86_tsc_info) == 24, "X86_TSC_INFO");

#endif /* __XEN_INTERFACE_MIGRATION_H__ */
