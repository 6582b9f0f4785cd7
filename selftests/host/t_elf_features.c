// SPDX-License-Identifier: MIT
/*
 * The FEATURES note as tern-xl's loader reads it (tools/libs/guest/
 * xg_elf.c): the kernel image with its FEATURES note rewritten - its note
 * segments copied to the end of the file with the one note changed, the
 * program header pointed there - is accepted when it requires
 * writable_page_tables (as Linux's xen-head.S does) or the other features
 * hv gives a 64-bit PV guest, and refused, naming the feature, when it
 * requires one hv does not offer; features merely supported are never a
 * reason to refuse.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "hosttest.h"
#include "tools/libs/guest/xg.h"
#include <xen/interface/elfnote.h>

static uint8_t *kernel;
static size_t kernel_size;

static bool read_kernel(void)
{
	const char *top = getenv("TOP");
	char path[4096];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tern", top ? top : ".");
	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st)) {
		printf("# %s: %s\n", path, strerror(errno));
		return false;
	}
	kernel_size = st.st_size;
	kernel = malloc(kernel_size);
	if (!kernel || fread(kernel, 1, kernel_size, f) != kernel_size) {
		fclose(f);
		return false;
	}
	fclose(f);
	return true;
}

static size_t note_size(const Elf64_Nhdr *nh)
{
	return sizeof(*nh) + ((nh->n_namesz + 3) & ~3U) +
	       ((nh->n_descsz + 3) & ~3U);
}

/*
 * A copy of the kernel whose FEATURES note says features: each note
 * segment rewritten at the end of the file.  *size gets its length.
 */
static uint8_t *with_features(const char *features, size_t *size)
{
	size_t cap = kernel_size * 2 + 4096, len = kernel_size;
	uint8_t *img = calloc(1, cap);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph;
	unsigned int i;

	memcpy(img, kernel, kernel_size);
	ph = (Elf64_Phdr *)(img + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		size_t off = ph[i].p_offset, end = off + ph[i].p_filesz;
		size_t start;

		if (ph[i].p_type != PT_NOTE)
			continue;
		len = (len + 7) & ~7UL;
		start = len;
		while (off + sizeof(Elf64_Nhdr) <= end) {
			const Elf64_Nhdr *nh = (const void *)(kernel + off);
			Elf64_Nhdr *out = (Elf64_Nhdr *)(img + len);

			if (nh->n_namesz == 4 && nh->n_type == XEN_ELFNOTE_FEATURES &&
			    !memcmp(kernel + off + sizeof(*nh), "Xen", 4)) {
				out->n_namesz = 4;
				out->n_type = XEN_ELFNOTE_FEATURES;
				out->n_descsz = strlen(features) + 1;
				memcpy(img + len + sizeof(*out), "Xen", 4);
				memcpy(img + len + sizeof(*out) + 4, features,
				       out->n_descsz);
				len += note_size(out);
			} else {
				memcpy(out, nh, note_size(nh));
				len += note_size(nh);
			}
			off += note_size(nh);
		}
		ph[i].p_offset = start;
		ph[i].p_filesz = len - start;
	}
	*size = len;
	return img;
}

/* 0 or the parser's error, with its message in err. */
static int parse(const char *features, char *err, size_t errlen)
{
	struct xg_elf_image im;
	size_t size;
	uint8_t *img = with_features(features, &size);
	int rc = xg_elf_parse(&im, img, size, err, errlen);

	if (!rc && strcmp(im.info.features, features)) {
		snprintf(err, errlen, "read FEATURES '%s'", im.info.features);
		rc = -1;
	}
	free(img);
	return rc;
}

int main(void)
{
	static const char *const accepted[] = {
		"pae_pgdir_above_4gb",
		"!writable_page_tables",
		"!writable_page_tables|pae_pgdir_above_4gb",
		"writable_descriptor_tables|!writable_page_tables|!pae_pgdir_above_4gb",
		"!mmu_pt_update_preserve_ad|auto_translated_physmap",
	};
	static const struct {
		const char *features, *named;
	} refused[] = {
		{ "!writable_descriptor_tables", "'writable_descriptor_tables'" },
		{ "!writable_page_tables|!auto_translated_physmap",
		  "'auto_translated_physmap'" },
		{ "pae_pgdir_above_4gb|!supervisor_mode_kernel", "'supervisor_mode_kernel'" },
		{ "!writable_page_table", "'writable_page_table'" },
		{ "!", "''" },
	};
	char err[512];
	unsigned int i;

	if (!read_kernel()) {
		T_CHECK(false, "features: the kernel image can be read");
		T_DONE();
	}
	*err = 0;
	T_CHECK(parse("pae_pgdir_above_4gb", err, sizeof(err)) == 0,
		"features: the rewritten image parses as the original (%s)", err);
	for (i = 0; i < ARRAY_SIZE(accepted); i++) {
		*err = 0;
		T_CHECK(parse(accepted[i], err, sizeof(err)) == 0,
			"features: '%s' accepted%s%s", accepted[i], *err ? ": " : "", err);
	}
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		int rc;

		*err = 0;
		rc = parse(refused[i].features, err, sizeof(err));
		printf("    | %s\n", err);
		T_CHECK(rc == -EINVAL && strstr(err, "requires Xen feature") &&
			strstr(err, refused[i].named),
			"features: '%s' refused naming %s", refused[i].features,
			refused[i].named);
	}
	free(kernel);
	T_DONE();
}
