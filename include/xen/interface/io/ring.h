/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: the generic request/response ring shared by the two
 * halves of a split driver (block, network, ...), with helpers for both
 * ends.
 *
 * The frontend grants one or more whole pages holding:
 *
 *   offset  0  RING_IDX req_prod    requests published by the frontend
 *   offset  4  RING_IDX req_event   backend wants an event once req_prod
 *                                   reaches this value
 *   offset  8  RING_IDX rsp_prod    responses published by the backend
 *   offset 12  RING_IDX rsp_event   frontend wants an event once rsp_prod
 *                                   reaches this value
 *   offset 16  48 bytes, zero
 *   offset 64  the slots: each big enough for one request or one response
 *
 * The slot count is the largest power of two that fits in the area after
 * the 64-byte header.  Indexes run freely (wrapping at 2^32); slot i holds
 * index i & (slots - 1).  A response goes into the slot of a request the
 * backend has already consumed, so the frontend may have at most "slots"
 * requests outstanding.
 *
 * Publishing: write the slots, then (release order) the producer index.
 * Consuming: read the producer index (acquire order), then the slots.
 * A producer that moved its index from old to new sends an event when the
 * consumer's event index lies in (old, new]; a consumer about to sleep
 * sets its event index to "consumed + 1" and re-checks for work.
 *
 * XEN_DEFINE_RING_TYPES(foo, struct foo_request, struct foo_response)
 * declares struct foo_sring (the shared page), struct foo_front_ring and
 * struct foo_back_ring (each end's private view).  The XEN_RING_* macros
 * below work on either private view.
 */
#ifndef __XEN_INTERFACE_IO_RING_H__
#define __XEN_INTERFACE_IO_RING_H__

#ifndef __ASSEMBLY__

#include <stdint.h>
#include <stddef.h>

typedef uint32_t RING_IDX;

/* Bytes before the first slot. */
#define XEN_SRING_HEADER_SIZE	64

/* The header common to every shared ring, for code that needs no slots. */
struct xen_sring_header {
	RING_IDX req_prod;
	RING_IDX req_event;
	RING_IDX rsp_prod;
	RING_IDX rsp_event;
	uint8_t pad[48];
};
_Static_assert(offsetof(struct xen_sring_header, req_event) == 4,
	       "sring req_event");
_Static_assert(offsetof(struct xen_sring_header, rsp_prod) == 8,
	       "sring rsp_prod");
_Static_assert(offsetof(struct xen_sring_header, rsp_event) == 12,
	       "sring rsp_event");
_Static_assert(sizeof(struct xen_sring_header) == XEN_SRING_HEADER_SIZE,
	       "sring header size");

/*
 * Largest power of two not above x (0 for 0), as a constant expression:
 * copy the top set bit into every lower bit, then keep only the top one.
 */
#define __XEN_FILL1(x)		((x) | ((x) >> 1))
#define __XEN_FILL2(x)		(__XEN_FILL1(x) | (__XEN_FILL1(x) >> 2))
#define __XEN_FILL4(x)		(__XEN_FILL2(x) | (__XEN_FILL2(x) >> 4))
#define __XEN_FILL8(x)		(__XEN_FILL4(x) | (__XEN_FILL4(x) >> 8))
#define __XEN_FILL16(x)		(__XEN_FILL8(x) | (__XEN_FILL8(x) >> 16))
#define XEN_ROUNDDOWN_POW2(x) \
	(__XEN_FILL16((uint32_t)(x)) - (__XEN_FILL16((uint32_t)(x)) >> 1))

/* Slots of slot_size bytes in a ring area of area_size bytes. */
#define XEN_RING_ENTRIES(area_size, slot_size) \
	XEN_ROUNDDOWN_POW2(((area_size) - XEN_SRING_HEADER_SIZE) / (slot_size))

/* Slot count of a ring type declared with XEN_DEFINE_RING_TYPES. */
#define XEN_RING_ENTRIES_OF(name, area_size) \
	XEN_RING_ENTRIES(area_size, sizeof(union name##_sring_entry))

/*
 * The shared page and the two private views for one request/response
 * pair.  The private views record what that end has done but not yet
 * published (*_pvt), what it has consumed, and the slot count.
 */
#define XEN_DEFINE_RING_TYPES(name, req_type, rsp_type)			\
union name##_sring_entry {						\
	req_type req;							\
	rsp_type rsp;							\
};									\
struct name##_sring {							\
	RING_IDX req_prod;						\
	RING_IDX req_event;						\
	RING_IDX rsp_prod;						\
	RING_IDX rsp_event;						\
	uint8_t __pad[48];						\
	union name##_sring_entry ring[];				\
};									\
_Static_assert(offsetof(struct name##_sring, ring) ==			\
	       XEN_SRING_HEADER_SIZE, #name " slots at offset 64");	\
struct name##_front_ring {						\
	RING_IDX req_prod_pvt;		/* requests written */		\
	RING_IDX rsp_cons;		/* responses consumed */	\
	uint32_t nr_ents;						\
	struct name##_sring *sring;					\
};									\
struct name##_back_ring {						\
	RING_IDX rsp_prod_pvt;		/* responses written */		\
	RING_IDX req_cons;		/* requests consumed */		\
	uint32_t nr_ents;						\
	struct name##_sring *sring;					\
}

/* Ordered accesses to the shared indexes. */
#define __xen_ring_load(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define __xen_ring_store(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define __xen_ring_full_barrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Did publishing old -> new pass the peer's event index? */
static inline int xen_ring_need_notify(RING_IDX event, RING_IDX new_idx,
				       RING_IDX old_idx)
{
	return (RING_IDX)(new_idx - event) < (RING_IDX)(new_idx - old_idx);
}

/* Frontend: reset a freshly allocated shared area before granting it. */
#define XEN_SRING_INIT(s)						\
	do {								\
		unsigned int __i;					\
									\
		(s)->req_prod = 0;					\
		(s)->rsp_prod = 0;					\
		(s)->req_event = 1;					\
		(s)->rsp_event = 1;					\
		for (__i = 0; __i < sizeof((s)->__pad); __i++)		\
			(s)->__pad[__i] = 0;				\
	} while (0)

/* Frontend: private view r of shared area s, size bytes long. */
#define XEN_FRONT_RING_INIT(r, s, size)					\
	do {								\
		(r)->req_prod_pvt = 0;					\
		(r)->rsp_cons = 0;					\
		(r)->nr_ents = XEN_RING_ENTRIES(size,			\
						sizeof((s)->ring[0]));	\
		(r)->sring = (s);					\
	} while (0)

/* Backend: attach to a ring the frontend has initialised. */
#define XEN_BACK_RING_INIT(r, s, size)					\
	do {								\
		(r)->rsp_prod_pvt = 0;					\
		(r)->req_cons = 0;					\
		(r)->nr_ents = XEN_RING_ENTRIES(size,			\
						sizeof((s)->ring[0]));	\
		(r)->sring = (s);					\
	} while (0)

#define XEN_RING_SIZE(r)		((r)->nr_ents)

/* Slot addresses for a free-running index. */
#define XEN_RING_REQUEST(r, idx) \
	(&(r)->sring->ring[(idx) & ((r)->nr_ents - 1)].req)
#define XEN_RING_RESPONSE(r, idx) \
	(&(r)->sring->ring[(idx) & ((r)->nr_ents - 1)].rsp)

/* Frontend: slots still free for new requests. */
#define XEN_RING_FREE_REQUESTS(r) \
	((r)->nr_ents - ((r)->req_prod_pvt - (r)->rsp_cons))
#define XEN_RING_FULL(r)		(XEN_RING_FREE_REQUESTS(r) == 0)

/* Frontend: responses published but not yet consumed. */
#define XEN_RING_UNCONSUMED_RESPONSES(r) \
	((RING_IDX)(__xen_ring_load(&(r)->sring->rsp_prod) - (r)->rsp_cons))

/*
 * Backend: requests published but not yet consumed, never more than the
 * slots whose responses have been written (a misbehaving frontend cannot
 * make the backend overwrite unread responses).
 */
#define XEN_RING_UNCONSUMED_REQUESTS(r)					\
	__extension__ ({						\
		RING_IDX __req = __xen_ring_load(&(r)->sring->req_prod) - \
				 (r)->req_cons;				\
		RING_IDX __rsp = (r)->nr_ents -				\
				 ((r)->req_cons - (r)->rsp_prod_pvt);	\
		__req < __rsp ? __req : __rsp;				\
	})

/* Publish queued requests; notify is set if the backend needs an event. */
#define XEN_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(r, notify)		\
	do {								\
		RING_IDX __old = (r)->sring->req_prod;			\
		RING_IDX __new = (r)->req_prod_pvt;			\
									\
		__xen_ring_store(&(r)->sring->req_prod, __new);		\
		__xen_ring_full_barrier();				\
		(notify) = xen_ring_need_notify((r)->sring->req_event,	\
						__new, __old);		\
	} while (0)

/* Publish written responses; notify as above, for the frontend. */
#define XEN_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify)		\
	do {								\
		RING_IDX __old = (r)->sring->rsp_prod;			\
		RING_IDX __new = (r)->rsp_prod_pvt;			\
									\
		__xen_ring_store(&(r)->sring->rsp_prod, __new);		\
		__xen_ring_full_barrier();				\
		(notify) = xen_ring_need_notify((r)->sring->rsp_event,	\
						__new, __old);		\
	} while (0)

/*
 * Before sleeping: ask for an event at the next request / response and
 * look once more, so one published meanwhile is not missed.
 */
#define XEN_RING_FINAL_CHECK_FOR_REQUESTS(r, work)			\
	do {								\
		(work) = XEN_RING_UNCONSUMED_REQUESTS(r);		\
		if (work)						\
			break;						\
		(r)->sring->req_event = (r)->req_cons + 1;		\
		__xen_ring_full_barrier();				\
		(work) = XEN_RING_UNCONSUMED_REQUESTS(r);		\
	} while (0)

#define XEN_RING_FINAL_CHECK_FOR_RESPONSES(r, work)			\
	do {								\
		(work) = XEN_RING_UNCONSUMED_RESPONSES(r);		\
		if (work)						\
			break;						\
		(r)->sring->rsp_event = (r)->rsp_cons + 1;		\
		__xen_ring_full_barrier();				\
		(work) = XEN_RING_UNCONSUMED_RESPONSES(r);		\
	} while (0)

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_IO_RING_H__ */
