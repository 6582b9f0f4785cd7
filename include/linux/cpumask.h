/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_CPUMASK_H
#define _LINUX_CPUMASK_H

/*
 * Sets of CPUs as one word (NR_CPUS is at most 32).  cpu_possible_mask:
 * the vCPUs the domain has that this kernel will use; cpu_online_mask: the
 * CPUs running the scheduler and taking IPIs now.  Updates are atomic, so
 * CPUs may come and go while others read the masks.
 */
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/threads.h>

struct cpumask {
	unsigned long bits;
};

_Static_assert(NR_CPUS <= 8 * sizeof(unsigned long), "NR_CPUS fits a word");

extern struct cpumask __cpu_possible_mask, __cpu_online_mask;
#define cpu_possible_mask	(&__cpu_possible_mask)
#define cpu_online_mask		(&__cpu_online_mask)

static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	return cpu < NR_CPUS && (READ_ONCE(m->bits) >> cpu) & 1;
}

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits, 1UL << cpu, __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_and(&m->bits, ~(1UL << cpu), __ATOMIC_SEQ_CST);
}

/* Counted by hand: the compiler's popcount wants a libgcc helper. */
static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned long bits = READ_ONCE(m->bits);
	unsigned int n = 0;

	for (; bits; bits &= bits - 1)
		n++;
	return n;
}

/* Iterates over the CPUs in mask, lowest first. */
#define for_each_cpu(cpu, mask)						\
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)			\
		if (!cpumask_test_cpu((cpu), (mask))) {} else

#define for_each_possible_cpu(cpu)	for_each_cpu((cpu), cpu_possible_mask)
#define for_each_online_cpu(cpu)	for_each_cpu((cpu), cpu_online_mask)

#define cpu_online(cpu)		cpumask_test_cpu((cpu), cpu_online_mask)
#define cpu_possible(cpu)	cpumask_test_cpu((cpu), cpu_possible_mask)
#define num_online_cpus()	cpumask_weight(cpu_online_mask)
#define num_possible_cpus()	cpumask_weight(cpu_possible_mask)

#endif
