// SPDX-License-Identifier: MIT
/*
 * What both ways of parking CPUs share (kernel/stop_machine_stopper.c,
 * the default, and kernel/stop_machine_ipi.c, the unsafe test build): the
 * record of which CPUs are parked, and stop_machine() on the caller's CPU.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>

static bool parked[NR_CPUS];

bool cpu_stopped(unsigned int cpu)
{
	return cpu < NR_CPUS && READ_ONCE(parked[cpu]);
}

void stop_machine_set_parked(unsigned int cpu, bool p)
{
	WRITE_ONCE(parked[cpu], p);
}

/* Tasks never change CPU, so the caller's CPU cannot change under it. */
int stop_machine(int (*fn)(void *data), void *data)
{
	return stop_machine_on(smp_processor_id(), fn, NULL, data);
}
