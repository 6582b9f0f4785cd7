// SPDX-License-Identifier: MIT
/*
 * What a guest pays to talk to its hypervisor: a null hypercall
 * (xen_version), a hypercall that copies to guest memory, and an event
 * sent to ourselves and taken through the upcall.  On the host hypervisor
 * each hypercall is a seccomp trap and a signal return; on Xen a syscall
 * into the hypervisor.
 */
#include <linux/kernel.h>
#include <linux/bench.h>
#include <linux/time.h>
#include <asm/xen/hypercall.h>
#include <xen/events.h>

#define ROUNDS 20000

static volatile unsigned int events_seen;

static void count_event(evtchn_port_t port, struct pt_regs *regs)
{
	events_seen++;
}

/* Mean nanoseconds per call of fn over ROUNDS calls. */
static u64 time_per_call(void (*fn)(void))
{
	u64 t0 = xen_clocksource_read();
	unsigned int i;

	for (i = 0; i < ROUNDS; i++)
		fn();
	return (xen_clocksource_read() - t0) / ROUNDS;
}

static void null_hypercall(void)
{
	HYPERVISOR_xen_version(XENVER_version, NULL);
}

static void copying_hypercall(void)
{
	xen_extraversion_t extra;

	HYPERVISOR_xen_version(XENVER_extraversion, extra);
}

static int self_port;

static void self_event(void)
{
	notify_remote_via_evtchn(self_port);
}

static void bench_hypercall_run(void)
{
	u64 ns;

	ns = time_per_call(null_hypercall);
	bench_report("hypercall", "null_hypercall_ns", ns, "ns");
	ns = time_per_call(copying_hypercall);
	bench_report("hypercall", "copy_to_guest_hypercall_ns", ns, "ns");
	self_port = bind_ipi_to_handler(0, count_event);
	if (self_port < 0)
		return;
	events_seen = 0;
	ns = time_per_call(self_event);
	bench_report("hypercall", "self_event_roundtrip_ns", ns, "ns");
	bench_report("hypercall", "events_delivered", events_seen, "events");
	unbind_from_handler(self_port);
}
DEFINE_BENCHMARK(hypercall, bench_hypercall_run);
