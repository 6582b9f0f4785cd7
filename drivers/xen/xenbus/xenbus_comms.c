// SPDX-License-Identifier: MIT
/*
 * The xenstore ring (Xen's docs/misc/xenstore-ring.txt): one page with a
 * 1 KiB request ring, which we produce and the store consumes, and a
 * 1 KiB response ring the other way round, each with free-running 32-bit
 * indexes.  The page is the one start_info.store_mfn names; the builder
 * mapped it in the start-of-day region.  Its event channel
 * (start_info.store_evtchn) is already connected to the store.
 *
 * Ordering.  A producer writes the bytes, then publishes its index with
 * release semantics, then kicks the event channel; a consumer reads the
 * other side's index with acquire semantics, then the bytes, then
 * publishes its own index with release semantics (so the bytes are read
 * before the space is handed back), then kicks.  Both sides kick after
 * every index move, so whoever waits for data or space is woken.
 *
 * Trust.  The store's indexes are read once per step and checked: a
 * producer more than a ring ahead of the consumer is garbage, and the
 * connection is then declared broken rather than read beyond the ring.
 * So is a header announcing more than XENSTORE_PAYLOAD_MAX bytes, and an
 * error the store reports in the page's error field.  Broken is final:
 * every request then fails with -EIO, which is better than a guessed
 * resynchronisation.
 *
 * Threads.  Writers take xb_write_mutex for a whole message, so messages
 * never interleave; a message longer than the free space is streamed as
 * the store makes room.  One reader thread, "xenbus", takes whole
 * messages out and hands replies to xenbus_xs.c and watch events to
 * xenbus_watch.c; it never waits for anything but ring data, so replies
 * keep flowing whatever the requesters and watch callbacks do.  The
 * event handler only wakes the wait queue everybody sleeps on.
 *
 * Resume.  After a restore the ring is our same page, but the store
 * behind it is a new one, and the toolstack may have cleared the page:
 * no index read before the suspend may be used after it.  So every loop
 * reads the indexes after it has waited, never before; and xb_resume()
 * has the reader thread, between two messages or in the middle of one,
 * drop what it was reading and whatever response bytes are left (no
 * request was in flight: xenbus_xs.c's gate; a watch event lost so is
 * made good by registering every watch again), then go on from the
 * ring's indexes as they are now.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <xen/events.h>
#include <xen/xen.h>

#include "xenbus.h"

static struct xenstore_domain_interface *xb_ring;
static evtchn_port_t xb_port;
static bool xb_up;
static bool xb_broken;
static unsigned int xb_gen, reader_gen;	/* resumes asked for, and done */
static DECLARE_WAIT_QUEUE_HEAD(xb_waitq);
static DEFINE_MUTEX(xb_write_mutex);

/* The reader thread's message: header, then payload and a NUL. */
static struct xsd_sockmsg rd_hdr;
static char rd_body[XENSTORE_PAYLOAD_MAX + 1];

bool xenbus_available(void)
{
	return READ_ONCE(xb_up) && !READ_ONCE(xb_broken);
}

bool xb_is_broken(void)
{
	return READ_ONCE(xb_broken);
}

void xb_set_broken(const char *why)
{
	bool was = __atomic_exchange_n(&xb_broken, true, __ATOMIC_SEQ_CST);

	if (!was)
		printk("xenbus: connection to the store lost: %s\n", why);
	wake_up(&xb_waitq);
	xs_fail_all();
}

static void xb_event(evtchn_port_t port, struct pt_regs *regs)
{
	wake_up(&xb_waitq);
}

/* Bytes of free request space, or 0; garbage indexes break the link. */
static u32 req_space(void)
{
	XENSTORE_RING_IDX cons = __atomic_load_n(&xb_ring->req_cons,
						 __ATOMIC_ACQUIRE);
	XENSTORE_RING_IDX prod = READ_ONCE(xb_ring->req_prod);

	if (prod - cons > XENSTORE_RING_SIZE) {
		xb_set_broken("request ring indexes out of range");
		return 0;
	}
	return XENSTORE_RING_SIZE - (prod - cons);
}

/* Bytes of unread response, or 0; garbage indexes break the link. */
static u32 rsp_avail(void)
{
	XENSTORE_RING_IDX prod = __atomic_load_n(&xb_ring->rsp_prod,
						 __ATOMIC_ACQUIRE);
	XENSTORE_RING_IDX cons = READ_ONCE(xb_ring->rsp_cons);

	if (prod - cons > XENSTORE_RING_SIZE) {
		xb_set_broken("response ring indexes out of range");
		return 0;
	}
	if (prod == cons && READ_ONCE(xb_ring->error) != XENSTORE_ERROR_NONE)
		xb_set_broken("the store reported an error on the ring");
	return prod - cons;
}

/* Copies len bytes into the request ring; *sent counts what went in. */
static int ring_write(const void *data, size_t len, size_t *sent)
{
	const char *p = data;
	u32 space, off;

	while (len) {
		XENSTORE_RING_IDX prod;
		size_t n;

		if (!wait_event_timeout(xb_waitq,
					(space = req_space()) || xb_is_broken(),
					XENBUS_TIMEOUT_NS))
			return -ETIMEDOUT;
		if (xb_is_broken())
			return -EIO;
		prod = READ_ONCE(xb_ring->req_prod);
		off = MASK_XENSTORE_IDX(prod);
		n = min((size_t)space, len);
		n = min(n, (size_t)(XENSTORE_RING_SIZE - off));
		memcpy(xb_ring->req + off, p, n);
		__atomic_store_n(&xb_ring->req_prod, prod + n,
				 __ATOMIC_RELEASE);
		notify_remote_via_evtchn(xb_port);
		p += n;
		len -= n;
		*sent += n;
	}
	return 0;
}

int xb_send(const struct xsd_sockmsg *hdr, const struct xs_iov *iov,
	    unsigned int n)
{
	size_t sent = 0;
	unsigned int i;
	int rc;

	mutex_lock(&xb_write_mutex);
	rc = xb_is_broken() ? -EIO : ring_write(hdr, sizeof(*hdr), &sent);
	for (i = 0; !rc && i < n; i++)
		rc = ring_write(iov[i].base, iov[i].len, &sent);
	/* Half a message in the ring: the stream can never be parsed again. */
	if (rc && sent)
		xb_set_broken("the store stopped reading in the middle of a request");
	mutex_unlock(&xb_write_mutex);
	return rc;
}

static bool resume_asked(void)
{
	return READ_ONCE(xb_gen) != READ_ONCE(reader_gen);
}

/*
 * The reader's half of a resume: what is left in the response ring
 * belongs to the old store's stream (or the page was cleared): drop it.
 */
static void reader_resync(void)
{
	XENSTORE_RING_IDX prod = READ_ONCE(xb_ring->rsp_prod);

	if (prod != READ_ONCE(xb_ring->rsp_cons))
		printk("xenbus: %u bytes of the old store's responses dropped\n",
		       prod - READ_ONCE(xb_ring->rsp_cons));
	__atomic_store_n(&xb_ring->rsp_cons, prod, __ATOMIC_RELEASE);
	__atomic_store_n(&reader_gen, READ_ONCE(xb_gen), __ATOMIC_RELEASE);
	wake_up(&xb_waitq);
}

/*
 * Copies len bytes out of the response ring; the reader thread only.
 * -EAGAIN if a resume came first: the message is to be dropped.
 */
static int ring_read(void *data, size_t len)
{
	char *p = data;
	u32 avail = 0, off;

	while (len) {
		XENSTORE_RING_IDX cons;
		size_t n;

		wait_event(xb_waitq, resume_asked() ||
				     (avail = rsp_avail()) || xb_is_broken());
		if (resume_asked())
			return -EAGAIN;
		if (xb_is_broken())
			return -EIO;
		cons = READ_ONCE(xb_ring->rsp_cons);
		off = MASK_XENSTORE_IDX(cons);
		n = min((size_t)avail, len);
		n = min(n, (size_t)(XENSTORE_RING_SIZE - off));
		memcpy(p, xb_ring->rsp + off, n);
		__atomic_store_n(&xb_ring->rsp_cons, cons + n,
				 __ATOMIC_RELEASE);
		notify_remote_via_evtchn(xb_port);
		p += n;
		len -= n;
	}
	return 0;
}

/* The reader: whole messages out of the ring, handed on, for ever. */
static int xenbus_thread(void *unused)
{
	for (;;) {
		int rc = ring_read(&rd_hdr, sizeof(rd_hdr));

		if (!rc && rd_hdr.len > XENSTORE_PAYLOAD_MAX) {
			xb_set_broken("a message longer than the protocol allows");
			break;
		}
		if (!rc)
			rc = ring_read(rd_body, rd_hdr.len);
		if (rc == -EAGAIN) {
			reader_resync();
			continue;
		}
		if (rc)
			break;
		rd_body[rd_hdr.len] = '\0';
		if (rd_hdr.type == XS_WATCH_EVENT)
			xs_watch_event(rd_body, rd_hdr.len);
		else
			xs_reply(&rd_hdr, rd_body);
	}
	/* Broken for good: nothing more will ever be read. */
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule();
	}
	return 0;
}

void xb_resume(void)
{
	struct xenstore_domain_interface *r = xb_ring;

	if (READ_ONCE(r->req_prod) != READ_ONCE(r->req_cons))
		printk("xenbus: request ring not quiet after resume (%u/%u)\n",
		       READ_ONCE(r->req_cons), READ_ONCE(r->req_prod));
	__atomic_add_fetch(&xb_gen, 1, __ATOMIC_SEQ_CST);
	wake_up(&xb_waitq);
	wait_event(xb_waitq, !resume_asked() || xb_is_broken());
	notify_remote_via_evtchn(xb_port);
}

int xenbus_init(void)
{
	struct task_struct *t;
	mfn_t mfn = _mfn(xen_start_info->store_mfn);
	int rc;

	xb_ring = xen_bootstrap_page(mfn);
	if (!xb_ring) {
		printk("xenbus: the store page (mfn %#lx) is not in the start-of-day region\n",
		       (unsigned long)mfn_x(mfn));
		return -ENODEV;
	}
	xs_init();
	rc = xs_watch_init();
	if (rc)
		goto fail;
	t = kthread_run(xenbus_thread, NULL, "xenbus");
	if (IS_ERR(t)) {
		rc = PTR_ERR(t);
		goto fail;
	}
	rc = bind_toolstack_evtchn(EVTCHN_STORE, xb_event);
	if (rc < 0)
		goto fail;
	xb_port = rc;
	evtchn_keep_updated(xb_port, &xb_port);
	WRITE_ONCE(xb_up, true);
	return 0;
fail:
	printk("xenbus: cannot start its threads: %d\n", rc);
	return rc;
}
