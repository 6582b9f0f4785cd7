// SPDX-License-Identifier: MIT
/*
 * Runs the in-guest tests asked for with "selftests=all" or
 * "selftests=name1,name2", in link order, one result line each, then a
 * summary line.  The result line format is what the rig and the host tests
 * parse: "<name>: SUCCESS|SKIP|ERROR|FAILURE", behind printk's time and CPU
 * prefix.  Tests run in the init task on CPU 0 and may sleep; the helpers
 * below run a function on every CPU and wait for a flag.
 */
#include <linux/kernel.h>
#include <asm/traps.h>
#include <linux/init.h>
#include <linux/selftest.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/smp.h>

extern const struct selftest __start_selftests[], __stop_selftests[];

static char selftest_list[256];
static bool current_failed;

static int selftests_setup(const char *val)
{
	if (!val || !*val)
		return -EINVAL;
	strscpy(selftest_list, val, sizeof(selftest_list));
	return 0;
}
__setup("selftests", selftests_setup);

bool selftest_check(bool ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		printk("  check failed at %s:%d: %s\n", file, line, expr);
		current_failed = true;
	}
	return ok;
}

enum selftest_result selftest_status(void)
{
	return current_failed ? SELFTEST_FAILURE : SELFTEST_SUCCESS;
}

/* True if name is "all" or appears in the comma-separated list. */
static bool selected(const char *name)
{
	size_t n = strlen(name);
	const char *s = selftest_list;

	if (!strcmp(s, "all"))
		return true;
	while (*s) {
		if (!strncmp(s, name, n) && (s[n] == ',' || s[n] == '\0'))
			return true;
		s = strchr(s, ',');
		if (!s)
			break;
		s++;
	}
	return false;
}

struct cpu_job {
	int (*fn)(unsigned int cpu, void *arg);
	void *arg;
	unsigned int cpu;
};

static struct cpu_job cpu_jobs[NR_CPUS];

static int cpu_job_main(void *data)
{
	struct cpu_job *job = data;

	return job->fn(job->cpu, job->arg);
}

int selftest_on_each_cpu(int (*fn)(unsigned int cpu, void *arg), void *arg)
{
	struct task_struct *threads[NR_CPUS] = { NULL };
	unsigned int cpu;
	int failed = 0, err = 0;

	for_each_online_cpu(cpu) {
		cpu_jobs[cpu] = (struct cpu_job){ fn, arg, cpu };
		threads[cpu] = kthread_create_on_cpu(cpu_job_main,
						     &cpu_jobs[cpu], cpu,
						     "selftest/%u", cpu);
		if (IS_ERR(threads[cpu])) {
			err = PTR_ERR(threads[cpu]);
			threads[cpu] = NULL;
		}
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (threads[cpu] && !err)
			wake_up_process(threads[cpu]);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (threads[cpu] && kthread_stop(threads[cpu]))
			failed++;
	return err ? err : failed;
}

bool selftest_read_faults(unsigned long va)
{
	unsigned long n = last_fixup_trap.count, v = 0;

	__asm__ __volatile__("1: movq (%1), %0\n2:\n" _ASM_EXTABLE(1b, 2b)
			     : "+r"(v) : "r"(va) : "memory");
	return last_fixup_trap.count == n + 1 &&
	       last_fixup_trap.vector == X86_TRAP_PF &&
	       last_fixup_trap.cr2 == va;
}

bool selftest_wait_flag(const volatile unsigned int *flag, u64 timeout_ns)
{
	u64 end = xen_clocksource_read() + timeout_ns;

	while (!*flag) {
		if (xen_clocksource_read() > end)
			return false;
		msleep(1);
	}
	return true;
}

static const char *const result_names[] = {
	[SELFTEST_SUCCESS] = "SUCCESS",
	[SELFTEST_SKIP] = "SKIP",
	[SELFTEST_ERROR] = "ERROR",
	[SELFTEST_FAILURE] = "FAILURE",
};

/* A name asked for that no test has is reported, not silently dropped. */
static unsigned int report_unknown(void)
{
	const struct selftest *t;
	char name[64];
	const char *s = selftest_list, *end;
	unsigned int unknown = 0;

	if (!strcmp(s, "all"))
		return 0;
	while (*s) {
		size_t n;

		end = strchr(s, ',');
		n = end ? (size_t)(end - s) : strlen(s);
		if (n && n < sizeof(name)) {
			memcpy(name, s, n);
			name[n] = '\0';
			for (t = __start_selftests; t < __stop_selftests; t++)
				if (!strcmp(t->name, name))
					break;
			if (t == __stop_selftests) {
				printk("%s: ERROR (no such test in this kernel)\n", name);
				unknown++;
			}
		}
		if (!end)
			break;
		s = end + 1;
	}
	return unknown;
}

void selftests_run(void)
{
	const struct selftest *t;
	unsigned int count[4] = { 0 };

	if (!selftest_list[0])
		return;
	for (t = __start_selftests; t < __stop_selftests; t++) {
		enum selftest_result r;

		if (!selected(t->name))
			continue;
		current_failed = false;
		r = t->run();
		if (r > SELFTEST_FAILURE)
			r = SELFTEST_ERROR;
		count[r]++;
		printk("%s: %s\n", t->name, result_names[r]);
	}
	count[SELFTEST_ERROR] += report_unknown();
	printk("selftests done: %u success, %u skip, %u error, %u failure\n",
	       count[SELFTEST_SUCCESS], count[SELFTEST_SKIP],
	       count[SELFTEST_ERROR], count[SELFTEST_FAILURE]);
}
