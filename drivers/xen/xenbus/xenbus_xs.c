// SPDX-License-Identifier: MIT
/*
 * Requests to the store and their replies.
 *
 * A request takes one of a few slots, gets a fresh request id, goes into
 * the ring as one message, and its task sleeps on the slot's completion.
 * The reader thread finds the slot by the id the store echoes, copies the
 * reply straight into the requester's buffer and completes it.  Slots
 * are what allow several tasks (the watch thread, init, tests) to have
 * requests outstanding at once; a task that finds all of them busy waits
 * for one.
 *
 * A requester that times out frees its slot under the slot lock, the same
 * lock the reader holds while it copies into a slot's buffer, so a reply
 * that arrives late finds no slot with its id and is dropped: it can never
 * be written into a buffer its owner has given up.
 *
 * Transactions need little state here: a transaction is an id the store
 * hands out, carried in the header of every request made in it; we only
 * count the open ones.
 *
 * Suspend.  A store restored elsewhere knows nothing of our requests or
 * transactions, so xs_suspend() closes a gate: new requests outside a
 * transaction, and new transactions, wait at it; requests already sent,
 * and open transactions, are waited for (a bound: then the suspend is
 * given up and the gate opens again).  With nothing in flight the
 * suspend goes on; after it the gate opens (xs_resume(), having
 * re-registered every watch with a new store, or xs_suspend_cancel()) and
 * whoever waited goes on: nothing is lost.
 */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "xenbus.h"

#define XS_SLOTS	8

struct xs_slot;
static int do_talk(struct xsd_sockmsg *hdr, const struct xs_iov *iov,
		   unsigned int n, char *reply, size_t len);

struct xs_slot {
	bool busy;			/* owned by a requester */
	bool done;			/* the reply is in */
	u32 req_id;
	u32 type;			/* the request's type */
	char *buf;			/* where the reply payload goes */
	size_t buflen;
	int result;			/* reply length or -errno */
	struct completion reply;
};

static struct xs_slot slots[XS_SLOTS];
static DEFINE_SPINLOCK(slots_lock);
static DECLARE_WAIT_QUEUE_HEAD(slots_wq);
static u32 last_req_id;
/* Under slots_lock; slots_wq is woken when they change. */
static bool gate_closed;
static unsigned int inflight, open_transactions;

/* In a transaction already, or not: only the former pass a closed gate. */
static bool gate_pass(xenbus_transaction_t t, u32 type)
{
	bool ok;

	spin_lock(&slots_lock);
	ok = !gate_closed || (t != XBT_NIL && type != XS_TRANSACTION_START);
	if (ok)
		inflight++;
	spin_unlock(&slots_lock);
	return ok;
}

static void gate_leave(u32 type, int rc)
{
	spin_lock(&slots_lock);
	inflight--;
	if (type == XS_TRANSACTION_START && rc >= 0)
		open_transactions++;
	else if (type == XS_TRANSACTION_END && open_transactions)
		open_transactions--;
	spin_unlock(&slots_lock);
	wake_up(&slots_wq);
}

static bool quiet(void)
{
	return !READ_ONCE(inflight) && !READ_ONCE(open_transactions);
}

int xs_suspend(u64 timeout_ns)
{
	spin_lock(&slots_lock);
	gate_closed = true;
	spin_unlock(&slots_lock);
	if (wait_event_timeout(slots_wq, quiet(), timeout_ns))
		return 0;
	printk("xenbus: %u requests and %u transactions still open after %llu ms\n",
	       READ_ONCE(inflight), READ_ONCE(open_transactions),
	       timeout_ns / NSEC_PER_MSEC);
	xs_suspend_cancel();
	return -EBUSY;
}

void xs_suspend_cancel(void)
{
	spin_lock(&slots_lock);
	gate_closed = false;
	spin_unlock(&slots_lock);
	wake_up(&slots_wq);
}

int xs_resume(void)
{
	xb_resume();
	xs_suspend_cancel();
	return xs_watch_resume();
}

/* A free slot, made ours with a fresh request id; NULL if none is free. */
static struct xs_slot *claim_slot(void)
{
	struct xs_slot *s, *got = NULL;

	spin_lock(&slots_lock);
	for (s = slots; s < slots + XS_SLOTS && !got; s++) {
		if (s->busy)
			continue;
		got = s;
		got->busy = true;
		got->done = false;
		/* 0 is what watch events carry; never use it. */
		if (++last_req_id == 0)
			last_req_id = 1;
		got->req_id = last_req_id;
		/* Under the lock: xs_fail_all() may complete it at once. */
		reinit_completion(&got->reply);
	}
	spin_unlock(&slots_lock);
	return got;
}

static void release_slot(struct xs_slot *s)
{
	spin_lock(&slots_lock);
	s->busy = false;
	spin_unlock(&slots_lock);
	wake_up(&slots_wq);
}

void xs_init(void)
{
	unsigned int i;

	for (i = 0; i < XS_SLOTS; i++)
		init_completion(&slots[i].reply);
}

/* The errno of an XS_ERROR payload, by name (Xen's numbers are ours). */
static int error_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < XSD_NR_ERRORS; i++)
		if (!strcmp(name, xsd_errors[i].errstring))
			return -xsd_errors[i].errnum;
	return -EINVAL;
}

void xs_reply(const struct xsd_sockmsg *hdr, const char *body)
{
	struct xs_slot *s;

	spin_lock(&slots_lock);
	for (s = slots; s < slots + XS_SLOTS; s++)
		if (s->busy && !s->done && s->req_id == hdr->req_id)
			break;
	if (s == slots + XS_SLOTS) {
		/* Its requester timed out and left. */
		spin_unlock(&slots_lock);
		return;
	}
	if (hdr->type == XS_ERROR) {
		s->result = error_of(body);
	} else if (hdr->type != s->type) {
		printk("xenbus: reply of type %u to a request of type %u\n",
		       hdr->type, s->type);
		s->result = -EIO;
	} else if (hdr->len > s->buflen) {
		s->result = -ERANGE;
	} else {
		memcpy(s->buf, body, hdr->len);
		s->result = hdr->len;
	}
	s->done = true;
	complete(&s->reply);
	spin_unlock(&slots_lock);
}

void xs_fail_all(void)
{
	struct xs_slot *s;

	spin_lock(&slots_lock);
	for (s = slots; s < slots + XS_SLOTS; s++) {
		if (!s->busy || s->done)
			continue;
		s->result = -EIO;
		s->done = true;
		complete(&s->reply);
	}
	spin_unlock(&slots_lock);
	wake_up(&slots_wq);
}

int xs_talk(u32 type, xenbus_transaction_t t, const struct xs_iov *iov,
	    unsigned int n, char *reply, size_t len)
{
	struct xsd_sockmsg hdr = { .type = type, .tx_id = t };
	unsigned int i;
	int rc;

	if (!xenbus_available())
		return xb_is_broken() ? -EIO : -ENODEV;
	for (i = 0; i < n; i++)
		hdr.len += iov[i].len;
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	/* A suspend holds the gate only as long as it takes. */
	wait_event(slots_wq, gate_pass(t, type));
	rc = do_talk(&hdr, iov, n, reply, len);
	gate_leave(type, rc);
	return rc;
}

/* xs_talk() once through the gate. */
static int do_talk(struct xsd_sockmsg *hdr, const struct xs_iov *iov,
		   unsigned int n, char *reply, size_t len)
{
	struct xs_slot *s = NULL;
	u32 type = hdr->type;
	int rc;

	if (!wait_event_timeout(slots_wq, (s = claim_slot()) || xb_is_broken(),
				XENBUS_TIMEOUT_NS))
		return -ETIMEDOUT;
	if (!s)
		return -EIO;
	s->type = type;
	s->buf = reply;
	s->buflen = len;
	hdr->req_id = s->req_id;

	rc = xb_send(hdr, iov, n);
	if (rc) {
		release_slot(s);
		return rc;
	}
	wait_for_completion_timeout(&s->reply, XENBUS_TIMEOUT_NS);
	spin_lock(&slots_lock);
	rc = s->done ? s->result : -ETIMEDOUT;
	s->busy = false;
	spin_unlock(&slots_lock);
	wake_up(&slots_wq);
	if (rc == -ETIMEDOUT)
		printk("xenbus: no reply to request %u (type %u) in %llu s\n",
		       hdr->req_id, type, XENBUS_TIMEOUT_NS / NSEC_PER_SEC);
	return rc;
}

/* dir, or dir/node; the result must fit the protocol's path limit. */
static int join(char *path, const char *dir, const char *node)
{
	int n = *node ? snprintf(path, XENSTORE_ABS_PATH_MAX + 1, "%s/%s",
				 dir, node)
		      : snprintf(path, XENSTORE_ABS_PATH_MAX + 1, "%s", dir);

	return n > XENSTORE_ABS_PATH_MAX ? -ENAMETOOLONG : n + 1;
}

/* A request whose payload is one path, with its NUL. */
static int talk_path(u32 type, xenbus_transaction_t t, const char *dir,
		     const char *node, char *reply, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_iov iov;
	int n = join(path, dir, node);

	if (n < 0)
		return n;
	iov = (struct xs_iov){ path, n };
	return xs_talk(type, t, &iov, 1, reply, len);
}

/* For requests whose answer is "OK". */
static int ok_or_error(int rc)
{
	return rc < 0 ? rc : 0;
}

int xenbus_read(xenbus_transaction_t t, const char *dir, const char *node,
		char *buf, size_t len)
{
	int rc;

	if (!len)
		return -ERANGE;
	rc = talk_path(XS_READ, t, dir, node, buf, len - 1);
	if (rc >= 0)
		buf[rc] = '\0';
	return rc;
}

int xenbus_write(xenbus_transaction_t t, const char *dir, const char *node,
		 const char *value)
{
	char path[XENSTORE_ABS_PATH_MAX + 1], ok[8];
	struct xs_iov iov[2];
	int n = join(path, dir, node);

	if (n < 0)
		return n;
	iov[0] = (struct xs_iov){ path, n };
	/* The value runs to the end of the payload: no NUL. */
	iov[1] = (struct xs_iov){ value, strlen(value) };
	return ok_or_error(xs_talk(XS_WRITE, t, iov, 2, ok, sizeof(ok)));
}

int xenbus_printf(xenbus_transaction_t t, const char *dir, const char *node,
		  const char *fmt, ...)
{
	char value[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(value))
		return -E2BIG;
	return xenbus_write(t, dir, node, value);
}

int xenbus_mkdir(xenbus_transaction_t t, const char *dir, const char *node)
{
	char ok[8];

	return ok_or_error(talk_path(XS_MKDIR, t, dir, node, ok, sizeof(ok)));
}

int xenbus_rm(xenbus_transaction_t t, const char *dir, const char *node)
{
	char ok[8];

	return ok_or_error(talk_path(XS_RM, t, dir, node, ok, sizeof(ok)));
}

int xenbus_exists(xenbus_transaction_t t, const char *dir, const char *node)
{
	char c;
	int rc = talk_path(XS_READ, t, dir, node, &c, 0);

	if (rc >= 0 || rc == -ERANGE)
		return 1;
	return rc == -ENOENT ? 0 : rc;
}

int xenbus_directory(xenbus_transaction_t t, const char *dir,
		     const char *node, char *buf, size_t len)
{
	int rc = talk_path(XS_DIRECTORY, t, dir, node, buf, len);
	int i, count = 0;

	if (rc < 0)
		return rc;
	for (i = 0; i < rc; i++)
		if (!buf[i])
			count++;
	/* Each name ends with a NUL; anything else is not a list. */
	if (rc && buf[rc - 1])
		return -EIO;
	return count;
}

int xenbus_get_domain_path(unsigned int domid, char *buf, size_t len)
{
	char id[12];
	struct xs_iov iov = { id, snprintf(id, sizeof(id), "%u", domid) + 1 };
	int rc;

	if (!len)
		return -ERANGE;
	rc = xs_talk(XS_GET_DOMAIN_PATH, XBT_NIL, &iov, 1, buf, len - 1);
	if (rc < 0)
		return rc;
	buf[rc] = '\0';
	return strlen(buf);
}

int xenbus_transaction_start(xenbus_transaction_t *t)
{
	char id[16];
	struct xs_iov iov = { "", 1 };
	unsigned long long v;
	int rc;

	rc = xs_talk(XS_TRANSACTION_START, XBT_NIL, &iov, 1, id,
		     sizeof(id) - 1);
	if (rc < 0)
		return rc;
	id[rc] = '\0';
	if (kstrtoull(id, 10, &v) || v == 0 || v > 0xffffffffULL)
		return -EIO;
	*t = v;
	return 0;
}

int xenbus_transaction_end(xenbus_transaction_t t, bool abort)
{
	struct xs_iov iov = { abort ? "F" : "T", 2 };
	char ok[8];

	return ok_or_error(xs_talk(XS_TRANSACTION_END, t, &iov, 1, ok,
				   sizeof(ok)));
}
