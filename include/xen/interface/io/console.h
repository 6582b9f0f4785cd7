/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: the PV console ring page (start_info.console.domU.mfn),
 * shared between a guest and the console backend.
 *
 * Two byte rings: out carries guest output to the backend, in carries
 * input to the guest.  Indexes run freely (wrapping at 2^32) and are
 * reduced modulo the ring size with MASK_XENCONS_IDX; prod - cons is the
 * number of unread bytes.  The writer stores the bytes, then (after a
 * write barrier) the producer index, then kicks the console event channel.
 */
#ifndef __XEN_INTERFACE_IO_CONSOLE_H__
#define __XEN_INTERFACE_IO_CONSOLE_H__

#ifndef __ASSEMBLY__

#include <stdint.h>
#include <stddef.h>

typedef uint32_t XENCONS_RING_IDX;

/* ring is the array itself (in or out): its size is a power of two. */
#define MASK_XENCONS_IDX(idx, ring)	((idx) & (sizeof(ring) - 1))

struct xencons_interface {
	char in[1024];			/* backend -> guest */
	char out[2048];			/* guest -> backend */
	XENCONS_RING_IDX in_cons;	/* written by the guest */
	XENCONS_RING_IDX in_prod;	/* written by the backend */
	XENCONS_RING_IDX out_cons;	/* written by the backend */
	XENCONS_RING_IDX out_prod;	/* written by the guest */
};
_Static_assert(offsetof(struct xencons_interface, out) == 1024,
	       "xencons out");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072,
	       "xencons in_cons");
_Static_assert(offsetof(struct xencons_interface, in_prod) == 3076,
	       "xencons in_prod");
_Static_assert(offsetof(struct xencons_interface, out_cons) == 3080,
	       "xencons out_cons");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084,
	       "xencons out_prod");
_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons size");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_IO_CONSOLE_H__ */
