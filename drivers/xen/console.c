// SPDX-License-Identifier: MIT
/*
 * The PV console on its ring page (start_info.console.domU): the page
 * holds an output ring (guest -> backend) and an input ring (backend ->
 * guest), the event channel tells the other side to look.  The backend
 * is xenconsoled on Xen and hv/console.c on the host hypervisor.
 *
 * Output.  Once this driver is up it is printk's console, and the early
 * console (arch/x86/xen/early_console.c) is dropped, between two lines
 * (CON_BOOT): on the host hypervisor the early console's console_io and
 * this ring both end in the domain's console, so keeping both would
 * print every line twice; on Xen the early console already wrote into
 * this very ring, and we carry on from its producer index.  printk calls
 * us with the console lock held and events masked, possibly from an
 * event handler, so a full ring is waited out by spinning (yielding the
 * physical CPU now and then) on the backend's consumer index: the backend
 * is another domain or the hypervisor and drains it without our help.
 *
 * Input.  The event handler takes what the backend put in the input ring
 * into a 1 KiB buffer, gives the ring space back and kicks the backend;
 * readers sleep on a wait queue.  When the buffer is full the oldest
 * input goes, as on a terminal nobody reads.
 *
 * The backend's indexes are read once and checked: an input producer more
 * than a ring ahead of the consumer is garbage and is skipped; an output
 * consumer index that makes no sense makes us drop the line, never
 * overwrite unread output.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <asm/processor.h>
#include <xen/console.h>
#include <xen/events.h>
#include <xen/xen.h>

#define IN_BUF_SIZE	1024

static struct xencons_interface *cons_ring;
static evtchn_port_t cons_port;
static bool cons_active;

static DEFINE_SPINLOCK(in_lock);
static char in_buf[IN_BUF_SIZE];
static unsigned int in_head, in_count;
static unsigned long in_dropped;
static DECLARE_WAIT_QUEUE_HEAD(in_wq);

static void cons_write(const char *s, size_t len)
{
	struct xencons_interface *r = cons_ring;
	XENCONS_RING_IDX prod = READ_ONCE(r->out_prod);
	unsigned int spins = 0;

	while (len) {
		XENCONS_RING_IDX c = __atomic_load_n(&r->out_cons,
						     __ATOMIC_ACQUIRE);
		size_t room, n;

		if (prod - c > sizeof(r->out)) {
			/*
			 * The backend's index is further from ours than the
			 * ring is long (ahead of what we wrote, or behind by
			 * more than a ring): garbage, and space computed from
			 * it would overwrite unread output.  Drop the rest of
			 * the line (there is nowhere to say so).
			 */
			break;
		}
		room = sizeof(r->out) - (prod - c);
		if (!room) {
			notify_remote_via_evtchn(cons_port);
			cpu_relax_yield(&spins);
			continue;
		}
		n = min(room, len);
		n = min(n, sizeof(r->out) - MASK_XENCONS_IDX(prod, r->out));
		memcpy(r->out + MASK_XENCONS_IDX(prod, r->out), s, n);
		prod += n;
		s += n;
		len -= n;
		__atomic_store_n(&r->out_prod, prod, __ATOMIC_RELEASE);
	}
	notify_remote_via_evtchn(cons_port);
}

static struct console xen_cons = {
	.name = "xencons",
	.write = cons_write,
};

void xen_console_receive(void)
{
	struct xencons_interface *r = cons_ring;
	XENCONS_RING_IDX cons, prod;
	unsigned long flags;
	bool bad = false, got;

	if (!r)
		return;
	spin_lock_irqsave(&in_lock, flags);
	cons = READ_ONCE(r->in_cons);
	prod = __atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE);
	if (prod - cons > sizeof(r->in)) {
		bad = true;
		cons = prod;
	}
	got = cons != prod;
	while (cons != prod) {
		char c = r->in[MASK_XENCONS_IDX(cons, r->in)];

		cons++;
		if (in_count == IN_BUF_SIZE) {
			in_head = (in_head + 1) % IN_BUF_SIZE;
			in_count--;
			in_dropped++;
		}
		in_buf[(in_head + in_count) % IN_BUF_SIZE] = c;
		in_count++;
	}
	__atomic_store_n(&r->in_cons, cons, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&in_lock, flags);
	if (bad)
		printk("console: input ring indexes out of range: skipped\n");
	if (got || bad) {
		notify_remote_via_evtchn(cons_port);
		wake_up(&in_wq);
	}
}

static void cons_event(evtchn_port_t port, struct pt_regs *regs)
{
	xen_console_receive();
}

/* Takes up to len buffered bytes; 0 if there are none. */
static size_t take_input(char *buf, size_t len)
{
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&in_lock, flags);
	while (n < len && in_count) {
		buf[n++] = in_buf[in_head];
		in_head = (in_head + 1) % IN_BUF_SIZE;
		in_count--;
	}
	spin_unlock_irqrestore(&in_lock, flags);
	return n;
}

size_t xen_console_read(char *buf, size_t len, u64 timeout_ns)
{
	size_t n = 0;

	if (!len)
		return 0;
	wait_event_timeout(in_wq, (n = take_input(buf, len)) != 0, timeout_ns);
	return n;
}

struct xencons_interface *xen_console_ring(void)
{
	return cons_ring;
}

bool xen_console_active(void)
{
	return READ_ONCE(cons_active);
}

int xen_console_init(void)
{
	mfn_t mfn = _mfn(xen_start_info->console.domU.mfn);
	int rc;

	cons_ring = xen_bootstrap_page(mfn);
	if (!cons_ring) {
		printk("console: the console page (mfn %#lx) is not in the start-of-day region\n",
		       (unsigned long)mfn_x(mfn));
		return -ENODEV;
	}
	rc = bind_toolstack_evtchn(EVTCHN_CONSOLE, cons_event);
	if (rc < 0) {
		printk("console: cannot bind its event channel: %d\n", rc);
		return rc;
	}
	cons_port = rc;
	evtchn_keep_updated(cons_port, &cons_port);
	register_console(&xen_cons);
	WRITE_ONCE(cons_active, true);
	printk("console: on the console ring (event channel %u)\n", cons_port);
	/* Input that came before the handler was bound. */
	xen_console_receive();
	return 0;
}
