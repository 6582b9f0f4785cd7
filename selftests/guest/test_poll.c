// SPDX-License-Identifier: MIT
/*
 * SCHEDOP_poll, as a spinlock slow path or a suspend handshake uses it:
 * with events masked, sleep until one named port is pending (masked
 * ports included) or a deadline passes.  Like Xen's, a poll may also end
 * early whenever an event is newly pending for the vCPU (a timer tick,
 * say), so callers - and these tests - loop on their own condition.
 * Returns at once for a port already pending; a loop of polls lasts until
 * its deadline and no port turns pending; an event sent from another CPU
 * ends the loop long before a deadline seconds away; with events enabled
 * a due upcall ends it; more than 128 ports, an unreadable port list and
 * a port beyond the 2-level ABI are refused.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/selftest.h>
#include <linux/smp.h>
#include <linux/time.h>
#include <linux/timer.h>
#include <asm/irqflags.h>
#include <asm/xen/hypercall.h>
#include <xen/events.h>
#include <xen/interface/sched.h>

#define MS		1000000ULL
#define FAR		(10000 * MS)
#define SLACK		MS

static volatile unsigned int hits;

static void count_event(evtchn_port_t port, struct pt_regs *regs)
{
	hits++;
}

static int poll(evtchn_port_t *ports, unsigned int n, u64 timeout)
{
	struct sched_poll sp = {
		.nr_ports = n,
		.timeout = timeout ? xen_clock_to_system(timeout) : 0,
	};

	set_xen_guest_handle(sp.ports, ports);
	return HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
}

/* Lets the masked port's one event through, then masks it again. */
static void drain(evtchn_port_t port)
{
	unsigned int want = hits + 1;
	u64 t0 = xen_clocksource_read();

	unmask_evtchn(port);
	while (hits != want && xen_clocksource_read() - t0 < FAR)
		msleep(1);
	ST_CHECK(hits == want);
	mask_evtchn(port);
}

static void already_pending(evtchn_port_t port)
{
	unsigned long flags;

	notify_remote_via_evtchn(port);
	local_irq_save(flags);
	ST_CHECK(evtchn_is_pending(port));
	ST_CHECK(poll(&port, 1, xen_clocksource_read() + FAR) == 0);
	local_irq_restore(flags);
	drain(port);
}

/*
 * Polls (events masked) until the deadline or until port is pending;
 * false if a poll failed.  The deadline is checked with SLACK, for a guest
 * clock a hair behind the hypervisor's.
 */
static bool poll_until(evtchn_port_t *port, unsigned int n, u64 until)
{
	while (xen_clocksource_read() + SLACK < until &&
	       !(n && evtchn_is_pending(*port)))
		if (poll(port, n, until))
			return false;
	return true;
}

static void deadline(evtchn_port_t port)
{
	unsigned long flags;

	local_irq_save(flags);
	ST_CHECK(poll_until(&port, 1, xen_clocksource_read() + 20 * MS));
	ST_CHECK(!evtchn_is_pending(port));
	/* No ports at all: the deadline alone. */
	ST_CHECK(poll_until(NULL, 0, xen_clocksource_read() + 5 * MS));
	local_irq_restore(flags);
}

static int send_later(void *data)
{
	msleep(10);
	notify_remote_via_evtchn(*(evtchn_port_t *)data);
	return 0;
}

/* Another CPU sends while we poll with events masked. */
static void remote_send(evtchn_port_t port)
{
	struct task_struct *t;
	unsigned long flags;
	u64 t0;

	if (num_online_cpus() < 2)
		return;
	t = kthread_run_on_cpu(send_later, &port, 1, "poll-sender");
	if (!ST_CHECK(!IS_ERR(t)))
		return;
	local_irq_save(flags);
	t0 = xen_clocksource_read();
	ST_CHECK(poll_until(&port, 1, t0 + FAR));
	ST_CHECK(xen_clocksource_read() - t0 < FAR);
	ST_CHECK(evtchn_is_pending(port));
	local_irq_restore(flags);
	kthread_stop(t);
	drain(port);
}

static volatile unsigned int timer_fired;

static void timer_fn(struct timer_list *t)
{
	timer_fired = 1;
}

/* Events enabled: a due upcall (our timer's) ends the poll. */
static void upcall_ends_poll(evtchn_port_t port)
{
	struct timer_list tl;
	u64 t0 = xen_clocksource_read();

	timer_fired = 0;
	timer_setup(&tl, timer_fn);
	mod_timer(&tl, t0 + 10 * MS);
	while (!timer_fired && xen_clocksource_read() - t0 < FAR)
		ST_CHECK(poll(&port, 1, t0 + FAR) == 0);
	ST_CHECK(timer_fired);
	ST_CHECK(xen_clocksource_read() - t0 < FAR);
	del_timer_sync(&tl);
}

static void refusals(evtchn_port_t port)
{
	static evtchn_port_t many[129];
	evtchn_port_t bad = 4096;
	unsigned long flags;

	/* Masked: Xen returns 0 before looking at the ports if an upcall is due. */
	local_irq_save(flags);
	ST_CHECK(poll(many, 129, 1) == -EINVAL);
	ST_CHECK(poll(&bad, 1, 1) == -EINVAL);
	ST_CHECK(poll((evtchn_port_t *)0x1000deadb000UL, 1, 1) == -EFAULT);
	local_irq_restore(flags);
}

static enum selftest_result test_poll_run(void)
{
	int port = bind_ipi_to_handler(0, count_event);

	if (port < 0) {
		printk("  cannot bind an IPI: %d\n", port);
		return SELFTEST_ERROR;
	}
	mask_evtchn(port);
	already_pending(port);
	deadline(port);
	remote_send(port);
	upcall_ends_poll(port);
	refusals(port);
	unbind_from_handler(port);
	return selftest_status();
}
DEFINE_SELFTEST(poll, test_poll_run);
