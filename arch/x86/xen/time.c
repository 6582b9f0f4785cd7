// SPDX-License-Identifier: MIT
/*
 * Time for a PV guest.  The hypervisor publishes, per vCPU, a pvclock
 * record: system time at a TSC stamp and a scale factor.  We extrapolate
 * with rdtsc, retrying while the record's version is odd or changes under
 * us.  Records are refreshed by the hypervisor from its own clock, so an
 * extrapolated value can be a little ahead of the next record: the clock
 * we hand out is the maximum of every value handed out so far, so time
 * never goes backwards on any CPU.
 *
 * Timers: each CPU stops Xen's default 10 ms periodic tick of its vCPU and
 * uses its one-shot timer (VCPUOP_set_singleshot_timer, which only ever
 * acts on the calling vCPU) instead; it raises VIRQ_TIMER, which each CPU
 * binds for itself.  The handler is the same on every CPU (kernel/timer.c
 * looks after the CPU it runs on).
 *
 * Across a restore.  The hypervisor's system time is its own uptime (Xen's
 * since it booted, tern's hypervisor's since the domain's process
 * started), so a domain restored on another host, or in another process,
 * finds a clock that may be far behind the one it left.  The guest's
 * clock is the system time plus an offset, raised after each restore
 * just enough that it never goes back: timers keep their deadlines in
 * guest time and are converted to system time only for the hypervisor.
 */
#include <linux/kernel.h>
#include <linux/time.h>
#include <linux/cpumask.h>
#include <asm/xen/hypercall.h>
#include <xen/events.h>
#include <xen/xen.h>
#include <xen/interface/vcpu.h>

static u64 last_value;
static u64 boot_value;
static u64 clock_offset;	/* guest clock - system time */
static void (*timer_handler)(void);

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static u64 scale_delta(u64 delta, u32 mul, s8 shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (u64)(((unsigned __int128)delta * mul) >> 32);
}

static u64 pvclock_read(const struct vcpu_time_info *t)
{
	u32 version;
	u64 ns;

	do {
		version = READ_ONCE(t->version);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		ns = t->system_time +
		     scale_delta(rdtsc() - t->tsc_timestamp,
				 t->tsc_to_system_mul, t->tsc_shift);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != READ_ONCE(t->version));
	return ns;
}

u64 xen_clocksource_read(void)
{
	u64 ns = pvclock_read(&xen_vcpu_info()->time) + READ_ONCE(clock_offset);
	u64 last = __atomic_load_n(&last_value, __ATOMIC_RELAXED);

	do {
		if (ns <= last)
			return last;
	} while (!__atomic_compare_exchange_n(&last_value, &last, ns, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return ns;
}

void xen_clock_mark_boot(void)
{
	WRITE_ONCE(boot_value, xen_clocksource_read());
}

u64 local_clock(void)
{
	u64 now = xen_clocksource_read(), base = READ_ONCE(boot_value);

	return now > base ? now - base : 0;
}

void xen_read_wallclock(u64 *sec, u32 *nsec)
{
	const struct shared_info *s = HYPERVISOR_shared_info;
	u32 version;

	do {
		version = READ_ONCE(s->wc_version);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		*sec = ((u64)s->wc_sec_hi << 32) | s->wc_sec;
		*nsec = s->wc_nsec;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != READ_ONCE(s->wc_version));
}

static void timer_interrupt(evtchn_port_t port, struct pt_regs *regs)
{
	if (timer_handler)
		timer_handler();
}

void xen_set_timer_handler(void (*fn)(void))
{
	timer_handler = fn;
}

u64 xen_clock_to_system(u64 t)
{
	u64 off = READ_ONCE(clock_offset);

	/* A deadline before the system clock began is simply due. */
	return t > off ? t - off : 1;
}

u64 xen_clock_offset(void)
{
	return READ_ONCE(clock_offset);
}

u64 xen_tsc_to_clock(u64 tsc)
{
	return xen_tsc_to_clock_rec(&xen_vcpu_info()->time, tsc);
}

u64 xen_tsc_to_clock_rec(const struct vcpu_time_info *t, u64 tsc)
{
	s64 d = (s64)(tsc - t->tsc_timestamp);
	u64 ns = t->system_time + READ_ONCE(clock_offset);
	u64 delta = scale_delta(d < 0 ? -d : d, t->tsc_to_system_mul,
				t->tsc_shift);

	return d < 0 ? ns - delta : ns + delta;
}

u64 xen_read_tsc(void)
{
	return rdtsc();
}

/* The other CPUs are parked and this one's events are masked. */
void xen_time_resume(void)
{
	u64 sys = pvclock_read(&xen_vcpu_info()->time);
	u64 last = __atomic_load_n(&last_value, __ATOMIC_ACQUIRE);
	unsigned int cpu;

	if (sys + clock_offset < last)
		WRITE_ONCE(clock_offset, last - sys);
	/* Xen gives every vCPU a 10 ms tick again; we use one-shots only. */
	for_each_online_cpu(cpu)
		HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, cpu, NULL);
}

int xen_timer_set_oneshot(u64 when)
{
	struct vcpu_set_singleshot_timer t = {
		.timeout_abs_ns = xen_clock_to_system(when),
		.flags = 0,
	};

	return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer,
				  smp_processor_id(), &t);
}

void xen_setup_cpu_timer(unsigned int cpu)
{
	int port;

	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, cpu, NULL);
	port = bind_virq_to_handler(VIRQ_TIMER, cpu, timer_interrupt);
	if (port < 0)
		panic("cannot bind VIRQ_TIMER on CPU %u: %d", cpu, port);
}

void xen_time_init(void)
{
	xen_setup_cpu_timer(0);
}
