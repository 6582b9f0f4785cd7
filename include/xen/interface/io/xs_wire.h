/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: the xenstore wire protocol and the shared ring page
 * between a guest and the xenstore daemon.
 *
 * Every message, either way, is a struct xsd_sockmsg header followed by
 * len bytes of payload.  Payload arguments are NUL-terminated strings
 * (a written value is the one exception: it runs to the end of the
 * payload).  A failed request is answered with type XS_ERROR and the
 * error's name, e.g. "ENOENT", as payload.  Watch firings arrive
 * unsolicited as XS_WATCH_EVENT with payload "path\0token\0".
 */
#ifndef __XEN_INTERFACE_IO_XS_WIRE_H__
#define __XEN_INTERFACE_IO_XS_WIRE_H__

#include <xen/interface/errno.h>

/* Size of each of the two byte rings in the interface page. */
#define XENSTORE_RING_SIZE	1024
#define MASK_XENSTORE_IDX(idx)	((idx) & (XENSTORE_RING_SIZE - 1))

/* Limits: bytes of payload in one message, and of a path. */
#define XENSTORE_PAYLOAD_MAX	4096
#define XENSTORE_ABS_PATH_MAX	3072
#define XENSTORE_REL_PATH_MAX	2048

/* xenstore_domain_interface.server_features */
#define XENSTORE_SERVER_FEATURE_RECONNECTION	1	/* connection field */
#define XENSTORE_SERVER_FEATURE_ERROR		2	/* error field */

/*
 * xenstore_domain_interface.connection: the guest writes RECONNECT to ask
 * the daemon to reset the ring (dropping its watches and transactions);
 * the daemon writes CONNECTED back when done.
 */
#define XENSTORE_CONNECTED	0
#define XENSTORE_RECONNECT	1

/* xenstore_domain_interface.error: why the daemon gave up on the ring. */
#define XENSTORE_ERROR_NONE	0
#define XENSTORE_ERROR_COMM	1	/* communication failure */
#define XENSTORE_ERROR_RINGIDX	2	/* inconsistent ring indexes */
#define XENSTORE_ERROR_PROTO	3	/* malformed message */

/*
 * The errors that may travel in an XS_ERROR reply, by name.  The first
 * entry, EINVAL, is what either side falls back to for a name or number
 * it does not know.  Use as XSD_ERROR_LIST(MY_MACRO), MY_MACRO(name)
 * receiving the bare name (EINVAL); XEN_##name is the number.
 */
#define XSD_ERROR_LIST(X) \
	X(EINVAL) X(EACCES) X(EEXIST) X(EISDIR) X(ENOENT) X(ENOMEM) \
	X(ENOSPC) X(EIO) X(ENOTEMPTY) X(ENOSYS) X(EROFS) X(EBUSY) \
	X(EAGAIN) X(EISCONN) X(E2BIG) X(EPERM)

#ifndef __ASSEMBLY__

#include <stdint.h>
#include <stddef.h>

enum xsd_sockmsg_type {
	XS_CONTROL = 0,			/* daemon control (debug) commands */
	XS_DIRECTORY = 1,		/* path -> child names, NUL-separated */
	XS_READ = 2,			/* path -> value */
	XS_GET_PERMS = 3,		/* path -> permission strings */
	XS_WATCH = 4,			/* path, token -> "OK", 1st event */
	XS_UNWATCH = 5,			/* path, token -> "OK" */
	XS_TRANSACTION_START = 6,	/* "" -> transaction id, in decimal */
	XS_TRANSACTION_END = 7,		/* "T" commit / "F" abort -> "OK" */
	XS_INTRODUCE = 8,		/* toolstack: domid, mfn, port */
	XS_RELEASE = 9,			/* toolstack: domid */
	XS_GET_DOMAIN_PATH = 10,	/* domid -> "/local/domain/<domid>" */
	XS_WRITE = 11,			/* path, value (not terminated) */
	XS_MKDIR = 12,			/* path -> "OK" */
	XS_RM = 13,			/* path -> "OK" */
	XS_SET_PERMS = 14,		/* path, permissions -> "OK" */
	XS_WATCH_EVENT = 15,		/* daemon -> guest: path, token */
	XS_ERROR = 16,			/* reply: error name */
	XS_IS_DOMAIN_INTRODUCED = 17,	/* domid -> "T" or "F" */
	XS_RESUME = 18,			/* toolstack: domid */
	XS_SET_TARGET = 19,		/* toolstack: domid, target domid */
	/* 20 is unused (its command was removed). */
	XS_RESET_WATCHES = 21,		/* drop our watches, transactions */
	XS_DIRECTORY_PART = 22,		/* path, offset -> gen, some names */

	XS_TYPE_COUNT,			/* number of type values */
	XS_INVALID = 0xffff		/* never a valid type */
};
#define XS_DEBUG	XS_CONTROL

/* Order of the strings in an XS_WATCH_EVENT payload. */
enum xs_watch_type {
	XS_WATCH_PATH = 0,
	XS_WATCH_TOKEN = 1,
};

struct xsd_errors {
	int errnum;			/* XEN_E* value */
	const char *errstring;		/* its name, as on the wire */
};

#define __XSD_ERROR_ENTRY(name)	{ XEN_##name, #name },
static const struct xsd_errors xsd_errors[] __attribute__((__unused__)) = {
	XSD_ERROR_LIST(__XSD_ERROR_ENTRY)
};
#undef __XSD_ERROR_ENTRY

#define XSD_NR_ERRORS	(sizeof(xsd_errors) / sizeof(xsd_errors[0]))

/*
 * Message header.  req_id is chosen by the requester and echoed in the
 * reply; tx_id is 0 outside a transaction; len counts the payload only.
 */
struct xsd_sockmsg {
	uint32_t type;			/* enum xsd_sockmsg_type */
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
};
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg size");
_Static_assert(offsetof(struct xsd_sockmsg, len) == 12, "xsd_sockmsg len");

/*
 * Free-running ring indexes: they only ever increase (wrapping at 2^32)
 * and are reduced with MASK_XENSTORE_IDX when used to address a ring.
 * prod - cons is the number of unread bytes.
 */
typedef uint32_t XENSTORE_RING_IDX;

/*
 * The xenstore page (start_info.store_mfn).  The guest produces into req
 * and consumes rsp; the daemon does the opposite.  Each side writes the
 * data before moving its producer index, and reads the index before the
 * data it covers; the event channel start_info.store_evtchn is kicked
 * after any index change.
 */
struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];	/* guest -> daemon */
	char rsp[XENSTORE_RING_SIZE];	/* daemon -> guest, incl. events */
	XENSTORE_RING_IDX req_cons;
	XENSTORE_RING_IDX req_prod;
	XENSTORE_RING_IDX rsp_cons;
	XENSTORE_RING_IDX rsp_prod;
	uint32_t server_features;	/* XENSTORE_SERVER_FEATURE_* */
	uint32_t connection;		/* XENSTORE_CONNECTED/RECONNECT */
	uint32_t error;			/* XENSTORE_ERROR_* */
};
_Static_assert(offsetof(struct xenstore_domain_interface, rsp) == 1024,
	       "xenstore rsp");
_Static_assert(offsetof(struct xenstore_domain_interface, req_cons) == 2048,
	       "xenstore req_cons");
_Static_assert(offsetof(struct xenstore_domain_interface, req_prod) == 2052,
	       "xenstore req_prod");
_Static_assert(offsetof(struct xenstore_domain_interface, rsp_cons) == 2056,
	       "xenstore rsp_cons");
_Static_assert(offsetof(struct xenstore_domain_interface, rsp_prod) == 2060,
	       "xenstore rsp_prod");
_Static_assert(offsetof(struct xenstore_domain_interface,
			server_features) == 2064, "xenstore server_features");
_Static_assert(offsetof(struct xenstore_domain_interface, connection) == 2068,
	       "xenstore connection");
_Static_assert(offsetof(struct xenstore_domain_interface, error) == 2072,
	       "xenstore error");
_Static_assert(sizeof(struct xenstore_domain_interface) == 2076,
	       "xenstore interface size");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_IO_XS_WIRE_H__ */
