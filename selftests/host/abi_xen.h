/* SPDX-License-Identifier: MIT */
#ifndef TERN_SELFTESTS_ABI_XEN_H
#define TERN_SELFTESTS_ABI_XEN_H

/*
 * The ABI comparison of t_abi_xen: tern's include/xen/interface/ against
 * Debian's public Xen headers (libxen-dev, /usr/include/xen/).
 *
 * Both header sets define the same names, so no translation unit can see
 * both.  abi_xen_tern.c includes ours, abi_xen_debian.c includes Debian's,
 * and each expands the one shared list, abi_xen_list.h, into a table of
 * what its own compiler computes: for every structure its size, alignment
 * and which of its bytes are padding; for every field its offset, size,
 * alignment and signedness; for every constant its value.  t_abi_xen.c
 * then compares the two tables by name.  This header is the only thing
 * the three files share; it includes no Xen header at all.
 *
 * The list is included inside a function body that has a parameter
 * "struct abi_table *abi_tab"; its macros append to that table.
 *
 * A structure or union, every field listed (inline members as "a.b"):
 *   ABI_TYPE(struct start_info)
 *           ABI_FIELD(console.domU.mfn)
 *   ABI_END()
 *   ABI_TYPE_FLEX(struct x, f)     one ending in the flexible array
 *                                  member f (listed by the macro)
 *   ABI_TERN_ONLY(pad)             reserved bytes only one side names: they
 *   ABI_DEBIAN_ONLY(pvt)           must be padding or reserved on the other
 *   ABI_TERN_TYPE(struct x, "why") a tern type with no Debian counterpart
 *
 * A group of constants:
 *   ABI_CONSTANTS("xen.h: virtual IRQs")
 *           ABI_CONST(VIRQ_TIMER)  same name on both sides
 *           ABI_VALUE("name", expr)        a value under a name we choose
 *           ABI_TABLE(xsd_errors, errstring, errnum)  a table both define
 *           ABI_TERN_CONST(NAME, "why")    a tern constant Debian lacks
 *   ABI_END()
 *
 * ABI_SIDE(tern tokens, debian tokens) picks this side's tokens.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum abi_unit_kind {
	ABI_UNIT_TYPE,		/* a structure or union and its fields */
	ABI_UNIT_CONSTANTS,	/* a named group of values */
	ABI_UNIT_TERN_TYPE,	/* a tern type that Debian does not define */
};

/* One structure, union or constant group of one side. */
struct abi_unit {
	const char *name;		/* "struct start_info", "hypercalls" */
	enum abi_unit_kind kind;
	size_t size, align;		/* types; size is the fixed part
					 * of ABI_TYPE_FLEX ones */
	unsigned char *data;		/* types: per byte, 1 = data, 0 = padding */
	const char *why;		/* tern types: why Debian has none */
	size_t first, count;		/* its entries in abi_table.entries */
};

/* One field or constant. */
struct abi_entry {
	const char *name;		/* "console.domU.mfn", "VIRQ_TIMER" */
	size_t offset, size, align;	/* fields; a flexible array member
					 * ("f[]") has its element's size */
	char sign;			/* fields: 's', 'u', or '-' (not an integer) */
	int one_side;			/* fields only this side names;
					 * constants only tern has */
	unsigned long long value;	/* constants */
};

struct abi_table {
	const char *side;		/* "tern" or "Debian" */
	const char *missing;		/* why the header set is absent, or NULL */
	const char *version;		/* the interface version, for the report */
	struct abi_unit *units;
	size_t nr_units;
	struct abi_entry *entries;
	size_t nr_entries;
};

/*
 * io/ring.h has no structure of its own: each half declares a ring of
 * these with its side's DEFINE_RING_TYPES, and the list compares the
 * shared page they produce.  16-byte requests, 12-byte responses.
 */
struct abi_ring_req {
	uint64_t id;
	uint32_t op;
	uint32_t arg;
};

struct abi_ring_rsp {
	uint32_t id;
	uint32_t len;
	int16_t status;
};

/* Table builders (t_abi_xen.c), used by the list's macros. */
void abi_begin_type(struct abi_table *t, const char *name, size_t size,
		    size_t align, const void *padding_cleared);
void abi_begin_constants(struct abi_table *t, const char *name);
void abi_tern_type(struct abi_table *t, const char *name, const char *why);
void abi_field(struct abi_table *t, const char *name, size_t offset,
	       size_t size, size_t align, char sign, int one_side);
void abi_constant(struct abi_table *t, const char *name,
		  unsigned long long value);
void abi_tern_constant(struct abi_table *t, const char *name,
		       unsigned long long value, const char *why);
void abi_constant_indexed(struct abi_table *t, const char *table,
			  size_t index, const char *key,
			  unsigned long long value);

/* The two halves: each fills t from its own header set. */
void abi_xen_tern(struct abi_table *t);
void abi_xen_debian(struct abi_table *t);

#if !defined(__has_builtin) || !__has_builtin(__builtin_clear_padding)
#error "t_abi_xen needs __builtin_clear_padding (GCC 11 or later)"
#endif

/*
 * Signedness of an integer field ('s' or 'u'); '-' for arrays, structures,
 * unions and pointers, whose bytes are compared by their own entries.
 */
#define ABI_SIGN(x) _Generic((x),					\
	char: ((char)-1 < 0 ? 's' : 'u'),				\
	signed char: 's', short: 's', int: 's', long: 's',		\
	long long: 's',							\
	_Bool: 'u', unsigned char: 'u', unsigned short: 'u',		\
	unsigned int: 'u', unsigned long: 'u', unsigned long long: 'u',	\
	default: '-')

#define ABI_MEMBER(f)	(((abi_t *)0)->f)

/*
 * A type block.  The object is filled with 0xff and its padding cleared
 * by the compiler, so the bytes left 0 are exactly the padding: every
 * other byte must belong to some listed field.
 */
#define ABI_TYPE(type)							\
	{								\
		typedef type abi_t;					\
		abi_t abi_obj;						\
									\
		memset(&abi_obj, 0xff, sizeof(abi_obj));		\
		__builtin_clear_padding(&abi_obj);			\
		abi_begin_type(abi_tab, #type, sizeof(abi_t),		\
			       _Alignof(abi_t), &abi_obj);

/*
 * A type ending in a flexible array member f.  What both sides must agree
 * on is the fixed part before f (Xen declares some as f[1], which adds a
 * phantom element to sizeof) and f's offset and element size.  The
 * compiler cannot tell the padding of such a type, so every byte of the
 * fixed part must be in a listed field.
 */
#define ABI_TYPE_FLEX(type, f)						\
	{								\
		typedef type abi_t;					\
									\
		abi_begin_type(abi_tab, #type, offsetof(abi_t, f),	\
			       _Alignof(abi_t), NULL);			\
		abi_field(abi_tab, #f "[]", offsetof(abi_t, f),		\
			  sizeof(ABI_MEMBER(f)[0]),			\
			  __alignof__(ABI_MEMBER(f)[0]),		\
			  ABI_SIGN(ABI_MEMBER(f)[0]), 0);

#define __ABI_FIELD(f, one_side)					\
	abi_field(abi_tab, #f, offsetof(abi_t, f), sizeof(ABI_MEMBER(f)), \
		  __alignof__(ABI_MEMBER(f)), ABI_SIGN(ABI_MEMBER(f)),	\
		  one_side);
#define ABI_FIELD(f)	__ABI_FIELD(f, 0)
#define ABI_CONSTANTS(name)						\
	{								\
		abi_begin_constants(abi_tab, name);
#define ABI_VALUE(name, expr)						\
	abi_constant(abi_tab, name, (unsigned long long)(expr));
#define ABI_CONST(c)	ABI_VALUE(#c, c)
#define ABI_TABLE(array, key, value)					\
	for (size_t abi_i = 0;						\
	     abi_i < sizeof(array) / sizeof((array)[0]); abi_i++)	\
		abi_constant_indexed(abi_tab, #array, abi_i,		\
				     (array)[abi_i].key,		\
				     (unsigned long long)(array)[abi_i].value);

#define ABI_END()	}

/* Each half defines ABI_XEN_SIDE_TERN to 1 or 0 before including us. */
#if ABI_XEN_SIDE_TERN
#define ABI_SIDE(tern, debian)		tern
#define ABI_TERN_ONLY(f)		__ABI_FIELD(f, 1)
#define ABI_DEBIAN_ONLY(f)
#define ABI_TERN_TYPE(type, why)	abi_tern_type(abi_tab, #type, why);
#define ABI_TERN_CONST(c, why)						\
	abi_tern_constant(abi_tab, #c, (unsigned long long)(c), why);
#else
#define ABI_SIDE(tern, debian)		debian
#define ABI_TERN_ONLY(f)
#define ABI_DEBIAN_ONLY(f)		__ABI_FIELD(f, 1)
#define ABI_TERN_TYPE(type, why)
#define ABI_TERN_CONST(c, why)
#endif

#endif /* TERN_SELFTESTS_ABI_XEN_H */
