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
 * Because of that maximum, one wild reading ruins the clock for good, so
 * a reading must never come out ahead by more than the record's own
 * error.  rdtsc is not ordered with loads: the CPU may sample the TSC
 * before its load of the version completes, and so before a record that
 * the hypervisor stamped a moment later on another physical CPU (the host
 * hypervisor's timer thread rewrites running vCPUs' records; Xen rewrites
 * a record when the vCPU migrates).  The delta is then negative, and as
 * an unsigned number about 2^63 ns: the clock stood centuries ahead for
 * good and every delay and timer of the guest waited for ever.  So the
 * TSC is read ordered (lfence first, as Linux's rdtsc_ordered()), and a
 * TSC still before the stamp (TSCs of two physical CPUs a little apart)
 * counts as the stamp itself.
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

/* The TSC, read only once every earlier load has completed. */
static inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
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

/*
 * System time by a live record (Linux's pvclock_clocksource_read()):
 * never before the record's own system time, whatever the TSC says.
 */
u64 xen_pvclock_read(const struct vcpu_time_info *t)
{
	u32 version;
	u64 ns;
	s64 d;

	do {
		version = READ_ONCE(t->version);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		d = (s64)(rdtsc_ordered() - READ_ONCE(t->tsc_timestamp));
		ns = READ_ONCE(t->system_time) +
		     (d > 0 ? scale_delta(d, t->tsc_to_system_mul, t->tsc_shift) : 0);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != READ_ONCE(t->version));
	return ns;
}

u64 xen_clocksource_read(void)
{
	u64 ns = xen_pvclock_read(&xen_vcpu_info()->time) + READ_ONCE(clock_offset);
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
	return rdtsc_ordered();
}

/* The other CPUs are parked and this one's events are masked. */
void xen_time_resume(void)
{
	u64 sys = xen_pvclock_read(&xen_vcpu_info()->time);
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
