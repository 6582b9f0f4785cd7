// SPDX-License-Identifier: MIT
/*
 * Event channels as a guest relies on them: an IPI to ourselves arrives
 * through the upcall, a masked port holds its event until unmasked, status
 * describes ports, and the hypervisor refuses what Xen refuses.
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <linux/errno.h>
#include <asm/irqflags.h>
#include <asm/xen/hypercall.h>
#include <xen/events.h>
#include <xen/xen.h>

static volatile unsigned int hits;
static volatile evtchn_port_t last_port;

static void count_event(evtchn_port_t port, struct pt_regs *regs)
{
	last_port = port;
	hits++;
}

static long evtchn_op(int cmd, void *arg)
{
	return HYPERVISOR_event_channel_op(cmd, arg);
}

static void check_status(evtchn_port_t port, u32 want)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	ST_CHECK(evtchn_op(EVTCHNOP_status, &st) == 0);
	ST_CHECK(st.status == want);
	ST_CHECK(st.vcpu == 0);
}

static void check_refusals(evtchn_port_t ipi)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_bind_virq bad = { .virq = NR_VIRQS, .vcpu = 0 };
	struct evtchn_bind_virq badcpu = { .virq = VIRQ_DEBUG, .vcpu = 4096 };
	struct evtchn_send send = { .port = 0 };
	struct evtchn_close cl = { .port = 0 };

	/* VIRQ_TIMER is bound by time init already. */
	ST_CHECK(evtchn_op(EVTCHNOP_bind_virq, &bv) == -EEXIST);
	ST_CHECK(evtchn_op(EVTCHNOP_bind_virq, &bad) == -EINVAL);
	ST_CHECK(evtchn_op(EVTCHNOP_bind_virq, &badcpu) == -ENOENT);
	ST_CHECK(evtchn_op(EVTCHNOP_send, &send) == -EINVAL);
	ST_CHECK(evtchn_op(EVTCHNOP_close, &cl) == -EINVAL);
	send.port = 4095;
	ST_CHECK(evtchn_op(EVTCHNOP_send, &send) == -EINVAL);
	ST_CHECK(evtchn_op(0x7fff, &send) == -ENOSYS);
}

static enum selftest_result test_events_run(void)
{
	struct evtchn_send send;
	struct evtchn_close cl;
	int port = bind_ipi_to_handler(0, count_event);
	unsigned int before;

	if (!ST_CHECK(port > 0))
		return SELFTEST_ERROR;
	check_status(port, EVTCHNSTAT_ipi);

	before = hits;
	notify_remote_via_evtchn(port);
	ST_CHECK(hits == before + 1);
	ST_CHECK(last_port == (evtchn_port_t)port);

	/* Masked: held pending, delivered by the unmask. */
	mask_evtchn(port);
	notify_remote_via_evtchn(port);
	ST_CHECK(hits == before + 1);
	ST_CHECK(evtchn_is_pending(port));
	unmask_evtchn(port);
	ST_CHECK(hits == before + 2);
	ST_CHECK(!evtchn_is_pending(port));

	/* Events off: held until they are turned back on. */
	local_irq_disable();
	notify_remote_via_evtchn(port);
	ST_CHECK(hits == before + 2);
	local_irq_enable();
	ST_CHECK(hits == before + 3);

	check_refusals(port);

	unbind_from_handler(port);
	check_status(port, EVTCHNSTAT_closed);
	send.port = port;
	ST_CHECK(evtchn_op(EVTCHNOP_send, &send) == -EINVAL);
	cl.port = port;
	ST_CHECK(evtchn_op(EVTCHNOP_close, &cl) == -EINVAL);
	return selftest_status();
}
DEFINE_SELFTEST(events, test_events_run);
