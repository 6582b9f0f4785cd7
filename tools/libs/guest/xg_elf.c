// SPDX-License-Identifier: MIT
/*
 * The kernel image: a 64-bit x86 ELF executable with Xen notes.  Every
 * offset and size in the file is checked against the file before use, since
 * a corrupt or hostile image must give an error, not a crash.  The rules
 * follow Xen's loader: notes named "Xen" (from PT_NOTE segments), LOADER
 * "generic" or GUEST_OS "linux", XEN_VERSION "xen-3.0", and
 * virtual = paddr + VIRT_BASE - PADDR_OFFSET.  Notes named "tern"
 * (xen/elfnote_tern.h) say what memory a tern kernel can run in; an
 * image without them states no limit.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xg.h"
#include <xen/elfnote_tern.h>
#include <xen/interface/elfnote.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -EINVAL)

static bool in_file(const struct xg_elf_image *img, uint64_t off,
		    uint64_t len)
{
	return off <= img->size && len <= img->size - off;
}

static void note_string(char *dst, size_t dstlen, const uint8_t *desc,
			uint32_t len)
{
	size_t n = strnlen((const char *)desc, len);

	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, desc, n);
	dst[n] = '\0';
}

static uint64_t note_number(const uint8_t *desc, uint32_t len)
{
	uint64_t v = 0;

	if (len == 8 || len == 4)
		memcpy(&v, desc, len);	/* little-endian, as the image */
	return v;
}

static void take_note(struct xg_elf_info *in, uint32_t type,
		      const uint8_t *desc, uint32_t len)
{
	switch (type) {
	case XEN_ELFNOTE_GUEST_OS:
		note_string(in->guest_os, sizeof(in->guest_os), desc, len);
		break;
	case XEN_ELFNOTE_GUEST_VERSION:
		note_string(in->guest_version, sizeof(in->guest_version), desc, len);
		break;
	case XEN_ELFNOTE_XEN_VERSION:
		note_string(in->xen_version, sizeof(in->xen_version), desc, len);
		break;
	case XEN_ELFNOTE_LOADER:
		note_string(in->loader, sizeof(in->loader), desc, len);
		break;
	case XEN_ELFNOTE_FEATURES:
		note_string(in->features, sizeof(in->features), desc, len);
		break;
	case XEN_ELFNOTE_PAE_MODE:
		note_string(in->pae_mode, sizeof(in->pae_mode), desc, len);
		break;
	case XEN_ELFNOTE_VIRT_BASE:
		in->virt_base = note_number(desc, len);
		break;
	case XEN_ELFNOTE_PADDR_OFFSET:
		in->paddr_offset = note_number(desc, len);
		break;
	case XEN_ELFNOTE_ENTRY:
		in->entry = note_number(desc, len);
		break;
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		in->hypercall_page = note_number(desc, len);
		in->have_hypercall_page = true;
		break;
	case XEN_ELFNOTE_SUSPEND_CANCEL:
		in->suspend_cancel = note_number(desc, len) != 0;
		break;
	}
}

static void take_tern_note(struct xg_elf_info *in, uint32_t type,
			   const uint8_t *desc, uint32_t len)
{
	switch (type) {
	case TERN_ELFNOTE_MAX_MEMKB:
		in->max_memkb = note_number(desc, len);
		break;
	case TERN_ELFNOTE_MIN_FREE_PAGES:
		in->min_free_pages = note_number(desc, len);
		break;
	}
}

/* Walks the notes in [off, off+len); returns how many were Xen's. */
static int parse_notes(struct xg_elf_image *img, uint64_t off, uint64_t len)
{
	uint64_t end = off + len;
	int count = 0;

	while (off + sizeof(Elf64_Nhdr) <= end) {
		const Elf64_Nhdr *nh = (const void *)(img->data + off);
		uint64_t name = off + sizeof(*nh);
		uint64_t desc = name + ((nh->n_namesz + 3ULL) & ~3ULL);
		uint64_t next = desc + ((nh->n_descsz + 3ULL) & ~3ULL);

		if (next > end)
			return -1;
		if (nh->n_namesz == 4 &&
		    !memcmp(img->data + name, "Xen", 4)) {
			take_note(&img->info, nh->n_type, img->data + desc,
				  nh->n_descsz);
			count++;
		} else if (nh->n_namesz == sizeof(TERN_ELFNOTE_NAME) &&
			   !memcmp(img->data + name, TERN_ELFNOTE_NAME,
				   sizeof(TERN_ELFNOTE_NAME))) {
			take_tern_note(&img->info, nh->n_type,
				       img->data + desc, nh->n_descsz);
		}
		off = next;
	}
	return count;
}

static int check_header(const struct xg_elf_image *img, char *err,
			size_t errlen)
{
	const Elf64_Ehdr *eh = (const void *)img->data;

	if (img->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return ERR("not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		return ERR("not a 64-bit x86 ELF image (a PV kernel must be x86-64)");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    !in_file(img, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
		return ERR("corrupt ELF image: bad program header table");
	return 0;
}

/* Program headers: note segments parsed, load segments checked and bounded. */
static int scan_phdrs(struct xg_elf_image *img, uint64_t *pstart,
		      uint64_t *pend, int *notes, char *err, size_t errlen)
{
	const Elf64_Ehdr *eh = (const void *)img->data;
	const Elf64_Phdr *ph = (const void *)(img->data + eh->e_phoff);
	int i, n;

	*pstart = UINT64_MAX;
	*pend = 0;
	*notes = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_NOTE) {
			if (!in_file(img, ph[i].p_offset, ph[i].p_filesz))
				return ERR("corrupt ELF image: note segment outside the file");
			n = parse_notes(img, ph[i].p_offset, ph[i].p_filesz);
			if (n < 0)
				return ERR("corrupt ELF image: malformed note");
			*notes += n;
		}
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		if (!in_file(img, ph[i].p_offset, ph[i].p_filesz) ||
		    ph[i].p_filesz > ph[i].p_memsz ||
		    ph[i].p_paddr + ph[i].p_memsz < ph[i].p_paddr)
			return ERR("corrupt ELF image: load segment %d out of bounds", i);
		if (ph[i].p_paddr < *pstart)
			*pstart = ph[i].p_paddr;
		if (ph[i].p_paddr + ph[i].p_memsz > *pend)
			*pend = ph[i].p_paddr + ph[i].p_memsz;
	}
	if (*pend == 0)
		return ERR("ELF image has nothing to load");
	return 0;
}

/*
 * FEATURES is a '|'-separated list; a name with '!' is one the kernel
 * requires.  Xen's loader refuses a required feature it does not know; of
 * those it knows, these are the ones hv gives a 64-bit PV guest as Xen
 * 4.17 does (writable_page_tables: the vm_assist the kernel turns on,
 * emulated by hv/arch/x86/mm/ptwr.c).  Any other requirement is refused
 * by name.
 */
static const char *const offered_features[] = {
	"writable_page_tables",
	"pae_pgdir_above_4gb",
	"mmu_pt_update_preserve_ad",
};

static bool feature_offered(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(offered_features); i++)
		if (strlen(offered_features[i]) == len &&
		    !strncmp(offered_features[i], name, len))
			return true;
	return false;
}

static int check_features(const char *features, char *err, size_t errlen)
{
	const char *p = features;

	while (*p) {
		size_t len = strcspn(p, "|");

		if (*p == '!' && !feature_offered(p + 1, len - 1))
			return ERR("ELF image requires Xen feature '%.*s', which tern does not offer (FEATURES '%s')",
				   (int)len - 1, p + 1, features);
		p += len;
		if (*p == '|')
			p++;
	}
	return 0;
}

static int check_notes(struct xg_elf_info *in, char *err, size_t errlen)
{
	if (strncmp(in->loader, "generic", 7) &&
	    strncmp(in->guest_os, "linux", 5))
		return ERR("ELF image is not for the generic loader (LOADER '%s', GUEST_OS '%s')",
			   in->loader, in->guest_os);
	if (strncmp(in->xen_version, "xen-3.0", 7))
		return ERR("ELF image is not built for Xen 3.0 ABI (XEN_VERSION '%s')",
			   in->xen_version);
	if (!in->have_hypercall_page)
		return ERR("ELF image has no HYPERCALL_PAGE note");
	if (strcmp(in->pae_mode, "yes") && strcmp(in->pae_mode, "bimodal"))
		return ERR("ELF image PAE_MODE '%s' unsupported for 64-bit PV",
			   in->pae_mode);
	return check_features(in->features, err, errlen);
}

static int check_layout(struct xg_elf_info *in, char *err, size_t errlen)
{
	if (in->virt_base & ((4UL << 20) - 1))
		return ERR("VIRT_BASE %#lx is not 4 MiB aligned",
			   (unsigned long)in->virt_base);
	if (in->virt_kstart < in->virt_base)
		return ERR("image starts below VIRT_BASE");
	if (in->virt_kstart < HV_GUEST_VA_START ||
	    in->virt_kend > HV_GUEST_VA_END - (1UL << 30))
		return ERR("image at %#lx-%#lx is outside the range this hypervisor can run (%#lx-%#lx)",
			   (unsigned long)in->virt_kstart,
			   (unsigned long)in->virt_kend, HV_GUEST_VA_START,
			   HV_GUEST_VA_END);
	if (in->entry < in->virt_kstart || in->entry >= in->virt_kend)
		return ERR("ENTRY %#lx is outside the image",
			   (unsigned long)in->entry);
	if ((in->hypercall_page & (XG_PAGE_SIZE - 1)) ||
	    in->hypercall_page < in->virt_kstart ||
	    in->hypercall_page + XG_PAGE_SIZE > in->virt_kend)
		return ERR("HYPERCALL_PAGE %#lx is not a page of the image",
			   (unsigned long)in->hypercall_page);
	return 0;
}

int xg_elf_parse(struct xg_elf_image *img, const void *data, size_t size,
		 char *err, size_t errlen)
{
	struct xg_elf_info *in = &img->info;
	uint64_t pstart, pend;
	int notes, rc;

	memset(img, 0, sizeof(*img));
	img->data = data;
	img->size = size;
	in->paddr_offset = UINT64_MAX;
	in->virt_base = UINT64_MAX;
	rc = check_header(img, err, errlen);
	if (!rc)
		rc = scan_phdrs(img, &pstart, &pend, &notes, err, errlen);
	if (rc)
		return rc;
	if (!notes)
		return ERR("not a Xen PV kernel: the ELF image has no Xen notes");
	if (((const Elf64_Ehdr *)data)->e_type != ET_EXEC)
		return ERR("ELF image is not an executable (ET_EXEC)");
	if (in->virt_base == UINT64_MAX)
		return ERR("ELF image has no VIRT_BASE note");
	if (in->paddr_offset == UINT64_MAX)
		in->paddr_offset = 0;
	in->virt_kstart = pstart + in->virt_base - in->paddr_offset;
	in->virt_kend = pend + in->virt_base - in->paddr_offset;
	if (!in->entry)
		in->entry = ((const Elf64_Ehdr *)data)->e_entry;
	rc = check_notes(in, err, errlen);
	if (!rc)
		rc = check_layout(in, err, errlen);
	return rc;
}

int xg_elf_load(const struct xg_elf_image *img,
		int (*put)(void *ctx, uint64_t va, const void *src, size_t len),
		void *ctx)
{
	const Elf64_Ehdr *eh = (const void *)img->data;
	const Elf64_Phdr *ph = (const void *)(img->data + eh->e_phoff);
	uint64_t off = img->info.virt_base - img->info.paddr_offset;
	int i, rc;

	for (i = 0; i < eh->e_phnum; i++) {
		uint64_t va = ph[i].p_paddr + off;

		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		rc = put(ctx, va, img->data + ph[i].p_offset, ph[i].p_filesz);
		if (!rc)
			rc = put(ctx, va + ph[i].p_filesz, NULL,
				 ph[i].p_memsz - ph[i].p_filesz);
		if (rc)
			return rc;
	}
	return 0;
}
