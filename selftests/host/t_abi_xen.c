// SPDX-License-Identifier: MIT
/*
 * tern's Xen ABI headers against Debian's: every structure and union of
 * include/xen/interface/ has the size, alignment and field offsets, sizes
 * and signedness of the same structure in Debian's public Xen headers
 * (libxen-dev), and the constants guests and toolstacks exchange have the
 * same values.  An ABI typo in our headers (a wrong type, a field left
 * out, a swapped constant) fails here even where no test exercises it.
 *
 * The two header sets cannot share a translation unit, so abi_xen_tern.c
 * and abi_xen_debian.c each expand abi_xen_list.h into a table measured
 * by its own compiler, and this file compares the tables by name (see
 * abi_xen.h).  Beyond the pairwise comparison, two checks keep the list
 * honest: every byte that is not padding must lie in some listed field
 * (on both sides; the compiler tells which bytes are padding), and every
 * structure defined in include/xen/interface/ must be listed.  A field
 * one side keeps as a named reserved field must be padding or reserved on
 * the other.
 *
 * Output: one PASS/FAIL line per structure and per constant group, the
 * details of a failure on the lines before it, and a closing count.
 * Missing Debian headers are a failure that names scripts/install-deps.
 */
#include <dirent.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "abi_xen.h"

/* ---- table builders, called from the two halves' list expansions ---- */

static void *grow(void *array, size_t n, size_t elem)
{
	void *p = realloc(array, (n + 1) * elem);

	if (!p) {
		printf("FAIL: abi-xen: out of memory\n");
		exit(1);
	}
	return p;
}

static struct abi_unit *new_unit(struct abi_table *t, const char *name,
				 enum abi_unit_kind kind)
{
	struct abi_unit *u;

	t->units = grow(t->units, t->nr_units, sizeof(*t->units));
	u = &t->units[t->nr_units++];
	memset(u, 0, sizeof(*u));
	u->name = name;
	u->kind = kind;
	u->first = t->nr_entries;
	return u;
}

static struct abi_entry *new_entry(struct abi_table *t, const char *name)
{
	struct abi_entry *e;

	t->entries = grow(t->entries, t->nr_entries, sizeof(*t->entries));
	e = &t->entries[t->nr_entries++];
	memset(e, 0, sizeof(*e));
	e->name = name;
	t->units[t->nr_units - 1].count++;
	return e;
}

void abi_begin_type(struct abi_table *t, const char *name, size_t size,
		    size_t align, const void *padding_cleared)
{
	struct abi_unit *u = new_unit(t, name, ABI_UNIT_TYPE);
	const unsigned char *bytes = padding_cleared;	/* NULL: no padding */
	size_t i;

	u->size = size;
	u->align = align;
	u->data = calloc(size ? size : 1, 1);
	if (!u->data) {
		printf("FAIL: abi-xen: out of memory\n");
		exit(1);
	}
	for (i = 0; i < size; i++)
		u->data[i] = !bytes || bytes[i] != 0;
}

void abi_begin_constants(struct abi_table *t, const char *name)
{
	new_unit(t, name, ABI_UNIT_CONSTANTS);
}

void abi_tern_type(struct abi_table *t, const char *name, const char *why)
{
	new_unit(t, name, ABI_UNIT_TERN_TYPE)->why = why;
}

void abi_field(struct abi_table *t, const char *name, size_t offset,
	       size_t size, size_t align, char sign, int one_side)
{
	struct abi_entry *e = new_entry(t, name);

	e->offset = offset;
	e->size = size;
	e->align = align;
	e->sign = sign;
	e->one_side = one_side;
}

void abi_constant(struct abi_table *t, const char *name,
		  unsigned long long value)
{
	new_entry(t, name)->value = value;
}

void abi_tern_constant(struct abi_table *t, const char *name,
		       unsigned long long value, const char *why)
{
	struct abi_entry *e = new_entry(t, name);

	e->value = value;
	e->one_side = 1;	/* why is for the reader of the list */
}

void abi_constant_indexed(struct abi_table *t, const char *table,
			  size_t index, const char *key,
			  unsigned long long value)
{
	char *name;

	if (asprintf(&name, "%s[%zu] %s", table, index, key) < 0) {
		printf("FAIL: abi-xen: out of memory\n");
		exit(1);
	}
	abi_constant(t, name, value);
}

/* ---- comparison ------------------------------------------------------ */

static struct abi_table tern, debian;

/* Problems found in the unit being compared; the first one is kept. */
static const char *cur_unit;
static int nr_problems;
static char first_problem[512];

static void __attribute__((format(printf, 1, 2))) problem(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!nr_problems++)
		snprintf(first_problem, sizeof(first_problem), "%s", line);
	printf("  abi-xen %s: %s\n", cur_unit, line);
}

static void begin_unit(const char *name)
{
	cur_unit = name;
	nr_problems = 0;
	first_problem[0] = '\0';
}

/* One result line for the unit; returns whether it passed. */
static bool end_unit(const char *what)
{
	if (!nr_problems) {
		printf("PASS: abi-xen %s: %s\n", cur_unit, what);
		return true;
	}
	if (nr_problems == 1)
		printf("FAIL: abi-xen %s: %s\n", cur_unit, first_problem);
	else
		printf("FAIL: abi-xen %s: %s (and %d more above)\n", cur_unit,
		       first_problem, nr_problems - 1);
	return false;
}

static const struct abi_unit *find_unit(const struct abi_table *t,
					const char *name)
{
	size_t i;

	for (i = 0; i < t->nr_units; i++)
		if (!strcmp(t->units[i].name, name))
			return &t->units[i];
	return NULL;
}

static const struct abi_entry *find_entry(const struct abi_table *t,
					  const struct abi_unit *u,
					  const char *name, int one_side)
{
	size_t i;

	for (i = u->first; i < u->first + u->count; i++)
		if (t->entries[i].one_side == one_side &&
		    !strcmp(t->entries[i].name, name))
			return &t->entries[i];
	return NULL;
}

/* Entries listed twice would be counted twice and hide nothing. */
static void check_duplicates(const struct abi_table *t,
			     const struct abi_unit *u)
{
	size_t i, j;

	for (i = u->first; i < u->first + u->count; i++)
		for (j = u->first; j < i; j++)
			if (t->entries[i].one_side == t->entries[j].one_side &&
			    !strcmp(t->entries[i].name, t->entries[j].name))
				problem("%s is listed twice (%s)",
					t->entries[i].name, t->side);
}

/*
 * Per byte of a type: which listed fields cover it (any field, and the
 * reserved fields that only this side names).
 */
static void cover(const struct abi_table *t, const struct abi_unit *u,
		  unsigned char *any, unsigned char *reserved)
{
	size_t i, b;

	memset(any, 0, u->size);
	memset(reserved, 0, u->size);
	for (i = u->first; i < u->first + u->count; i++) {
		const struct abi_entry *e = &t->entries[i];

		for (b = e->offset; b < e->offset + e->size && b < u->size; b++) {
			any[b] = 1;
			if (e->one_side)
				reserved[b] = 1;
		}
	}
}

/* Every data byte of the type lies in a listed field. */
static void check_coverage(const struct abi_table *t,
			   const struct abi_unit *u, const unsigned char *any)
{
	size_t b = 0, end;

	while (b < u->size) {
		if (!u->data[b] || any[b]) {
			b++;
			continue;
		}
		for (end = b; end < u->size && u->data[end] && !any[end]; end++)
			;
		problem("bytes %zu..%zu of %s's layout are in no listed field "
			"(a field missing from abi_xen_list.h?)", b, end - 1,
			t->side);
		b = end;
	}
}

/*
 * A reserved field that only one side names must sit, on the other side,
 * on padding or on that side's own reserved fields.
 */
static void check_one_sided(const struct abi_table *t,
			    const struct abi_unit *u,
			    const struct abi_table *ot,
			    const struct abi_unit *ou,
			    const unsigned char *o_reserved)
{
	size_t i, b;

	for (i = u->first; i < u->first + u->count; i++) {
		const struct abi_entry *e = &t->entries[i];

		if (!e->one_side)
			continue;
		for (b = e->offset; b < e->offset + e->size; b++) {
			if (b < ou->size && (!ou->data[b] || o_reserved[b]))
				continue;
			problem("%s-only %s (bytes %zu..%zu) overlaps %s data at "
				"byte %zu", t->side, e->name, e->offset,
				e->offset + e->size - 1, ot->side, b);
			break;
		}
	}
}

static size_t nr_types, nr_fields, nr_groups, nr_constants, nr_tern_constants;

static bool compare_type(const struct abi_unit *t, const struct abi_unit *d)
{
	unsigned char *t_any = calloc(t->size + 1, 1);
	unsigned char *t_res = calloc(t->size + 1, 1);
	unsigned char *d_any = calloc(d->size + 1, 1);
	unsigned char *d_res = calloc(d->size + 1, 1);
	size_t i, fields = 0;
	char what[64];

	if (!t_any || !t_res || !d_any || !d_res) {
		printf("FAIL: abi-xen: out of memory\n");
		exit(1);
	}
	if (t->size != d->size)
		problem("size %zu (tern) vs %zu (Debian)", t->size, d->size);
	if (t->align != d->align)
		problem("alignment %zu (tern) vs %zu (Debian)", t->align,
			d->align);
	check_duplicates(&tern, t);
	check_duplicates(&debian, d);

	for (i = t->first; i < t->first + t->count; i++) {
		const struct abi_entry *te = &tern.entries[i];
		const struct abi_entry *de;

		if (te->one_side)
			continue;
		fields++;
		de = find_entry(&debian, d, te->name, 0);
		if (!de) {
			problem("%s: not in Debian's table", te->name);
			continue;
		}
		if (te->offset != de->offset || te->size != de->size)
			problem("%s: offset %zu size %zu (tern) vs offset %zu "
				"size %zu (Debian)", te->name, te->offset,
				te->size, de->offset, de->size);
		if (te->align != de->align)
			problem("%s: alignment %zu (tern) vs %zu (Debian)",
				te->name, te->align, de->align);
		if (te->sign != de->sign)
			problem("%s: %s (tern) vs %s (Debian)", te->name,
				te->sign == 's' ? "signed" :
				te->sign == 'u' ? "unsigned" : "not an integer",
				de->sign == 's' ? "signed" :
				de->sign == 'u' ? "unsigned" : "not an integer");
	}
	for (i = d->first; i < d->first + d->count; i++) {
		const struct abi_entry *de = &debian.entries[i];

		if (!de->one_side && !find_entry(&tern, t, de->name, 0))
			problem("%s: not in tern's table", de->name);
	}

	cover(&tern, t, t_any, t_res);
	cover(&debian, d, d_any, d_res);
	check_coverage(&tern, t, t_any);
	check_coverage(&debian, d, d_any);
	check_one_sided(&tern, t, &debian, d, d_res);
	check_one_sided(&debian, d, &tern, t, t_res);

	free(t_any);
	free(t_res);
	free(d_any);
	free(d_res);
	nr_types++;
	nr_fields += fields;
	snprintf(what, sizeof(what), "%zu bytes, %zu fields", t->size, fields);
	return end_unit(what);
}

static bool compare_constants(const struct abi_unit *t,
			      const struct abi_unit *d)
{
	size_t i, compared = 0;
	char what[64];

	check_duplicates(&tern, t);
	check_duplicates(&debian, d);
	for (i = t->first; i < t->first + t->count; i++) {
		const struct abi_entry *te = &tern.entries[i];
		const struct abi_entry *de;

		if (te->one_side) {
			nr_tern_constants++;
			continue;
		}
		compared++;
		de = find_entry(&debian, d, te->name, 0);
		if (!de)
			problem("%s: not in Debian's table", te->name);
		else if (te->value != de->value)
			problem("%s = %lld (%#llx) (tern) vs %lld (%#llx) "
				"(Debian)", te->name, (long long)te->value,
				te->value, (long long)de->value, de->value);
	}
	for (i = d->first; i < d->first + d->count; i++)
		if (!find_entry(&tern, t, debian.entries[i].name, 0))
			problem("%s: not in tern's table",
				debian.entries[i].name);
	nr_groups++;
	nr_constants += compared;
	snprintf(what, sizeof(what), "%zu values", compared);
	return end_unit(what);
}

/* ---- everything include/xen/interface/ defines is listed ------------- */

/*
 * The headers are scanned for "struct x {" / "union x {" and for object-
 * like macros with a value ("#define X value"; include guards have none,
 * function-like macros are followed by a parenthesis).  Each must be in
 * the list: a type as a block or ABI_TERN_TYPE, a constant in a group.
 */
static regex_t type_re, const_re;
static size_t nr_scanned_types, nr_scanned_constants;

static bool listed_constant(const char *name)
{
	size_t i;

	for (i = 0; i < tern.nr_units; i++) {
		const struct abi_unit *u = &tern.units[i];

		if (u->kind == ABI_UNIT_CONSTANTS &&
		    (find_entry(&tern, u, name, 0) ||
		     find_entry(&tern, u, name, 1)))
			return true;
	}
	return false;
}

static bool scan_header(const char *path, const char *shown)
{
	FILE *f = fopen(path, "r");
	char line[1024], name[256];
	regmatch_t m[3];
	bool ok = true;
	int lineno = 0;

	if (!f) {
		printf("FAIL: abi-xen: cannot read %s\n", path);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		const struct abi_unit *u;

		lineno++;
		if (!regexec(&type_re, line, 3, m, 0)) {
			snprintf(name, sizeof(name), "%.*s %.*s",
				 (int)(m[1].rm_eo - m[1].rm_so),
				 line + m[1].rm_so,
				 (int)(m[2].rm_eo - m[2].rm_so),
				 line + m[2].rm_so);
			nr_scanned_types++;
			u = find_unit(&tern, name);
			if (u && u->kind != ABI_UNIT_CONSTANTS)
				continue;
		} else if (!regexec(&const_re, line, 2, m, 0)) {
			snprintf(name, sizeof(name), "%.*s",
				 (int)(m[1].rm_eo - m[1].rm_so),
				 line + m[1].rm_so);
			nr_scanned_constants++;
			if (listed_constant(name))
				continue;
		} else {
			continue;
		}
		printf("FAIL: abi-xen %s (%s:%d) is not in "
		       "selftests/host/abi_xen_list.h\n", name, shown, lineno);
		ok = false;
	}
	fclose(f);
	return ok;
}

static bool scan_dir(const char *top, const char *rel)
{
	char path[4096], sub[4096];
	struct dirent **names;
	struct stat st;
	bool ok = true;
	int i, n;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		printf("FAIL: abi-xen: cannot list %s\n", path);
		return false;
	}
	for (i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		size_t len = strlen(d);

		if (d[0] == '.' ||
		    snprintf(sub, sizeof(sub), "%s/%s", rel, d) >=
		    (int)sizeof(sub) ||
		    snprintf(path, sizeof(path), "%s/%s", top, sub) >=
		    (int)sizeof(path)) {
			/* dot files, or a path too long to be ours */
		} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			ok &= scan_dir(top, sub);
		} else if (len > 2 && !strcmp(d + len - 2, ".h")) {
			ok &= scan_header(path, sub);
		}
		free(names[i]);
	}
	free(names);
	return ok;
}

static bool check_all_listed(void)
{
	const char *top = getenv("TOP") ? getenv("TOP") : ".";
	bool ok;

	if (regcomp(&type_re, "^[ \t]*(struct|union)[ \t]+"
		    "([A-Za-z_][A-Za-z_0-9]*)[ \t]*\\{", REG_EXTENDED) ||
	    regcomp(&const_re, "^[ \t]*#[ \t]*define[ \t]+"
		    "([A-Za-z_][A-Za-z_0-9]*)[ \t]+[^ \t\n]", REG_EXTENDED)) {
		printf("FAIL: abi-xen: bad pattern\n");
		return false;
	}
	ok = scan_dir(top, "include/xen/interface");
	regfree(&type_re);
	regfree(&const_re);
	if (ok && nr_scanned_types && nr_scanned_constants) {
		printf("PASS: abi-xen: all %zu structures and unions and all "
		       "%zu constants of include/xen/interface are listed\n",
		       nr_scanned_types, nr_scanned_constants);
		return true;
	}
	if (ok)
		printf("FAIL: abi-xen: found no structure or no constant in "
		       "%s/include/xen/interface\n", top);
	return false;
}

int main(void)
{
	size_t i, nr_tern_types = 0;
	int failures = 0;

	abi_xen_tern(&tern);
	abi_xen_debian(&debian);
	if (debian.missing) {
		printf("FAIL: abi-xen: %s\n", debian.missing);
		return 1;
	}

	for (i = 0; i < tern.nr_units; i++) {
		const struct abi_unit *t = &tern.units[i];
		const struct abi_unit *d = find_unit(&debian, t->name);
		bool ok;

		if (t->kind == ABI_UNIT_TERN_TYPE) {
			printf("abi-xen %s: tern's own, not compared: %s\n",
			       t->name, t->why);
			nr_tern_types++;
			continue;
		}
		begin_unit(t->name);
		if (find_unit(&tern, t->name) != t) {
			problem("listed twice in abi_xen_list.h");
			ok = end_unit("");
		} else if (!d || d->kind != t->kind) {
			problem("not in Debian's table");
			ok = end_unit("");
		} else if (t->kind == ABI_UNIT_TYPE) {
			ok = compare_type(t, d);
		} else {
			ok = compare_constants(t, d);
		}
		if (!ok)
			failures++;
	}
	for (i = 0; i < debian.nr_units; i++)
		if (!find_unit(&tern, debian.units[i].name)) {
			begin_unit(debian.units[i].name);
			problem("not in tern's table");
			end_unit("");
			failures++;
		}
	if (!check_all_listed())
		failures++;

	printf("abi-xen: compared %zu structures (%zu fields) and %zu "
	       "constants in %zu groups between tern's %s and Debian's %s; "
	       "not compared: %zu structures and %zu constants that are "
	       "tern's own\n", nr_types, nr_fields, nr_constants, nr_groups,
	       tern.version, debian.version, nr_tern_types,
	       nr_tern_constants);
	return failures ? 1 : 0;
}
