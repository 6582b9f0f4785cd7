/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_SELFTEST_H
#define _LINUX_SELFTEST_H

/*
 * In-guest tests.  Each test is one Kconfig symbol (CONFIG_TEST_*), runs
 * inside the booted kernel on whichever hypervisor runs it, and ends in
 * exactly one line "<name>: SUCCESS|SKIP|ERROR|FAILURE" (after printk's
 * "[time] [cpu N] " prefix) so that the host hypervisor's results and real
 * Xen's can be compared line by line.
 * SKIP: the test does not apply here; ERROR: the test could not run;
 * FAILURE: what it checks is wrong.
 */

#include <linux/types.h>
#include <linux/compiler.h>

enum selftest_result {
	SELFTEST_SUCCESS,
	SELFTEST_SKIP,
	SELFTEST_ERROR,
	SELFTEST_FAILURE,
};

struct selftest {
	const char *name;
	enum selftest_result (*run)(void);
};

#define DEFINE_SELFTEST(_name, _fn)					\
	static const struct selftest __selftest_##_name			\
	__used __section(".selftests") __aligned(8) = {			\
		.name = #_name,						\
		.run = _fn,						\
	}

/* Record one expectation; prints the failing expression with its place. */
bool selftest_check(bool ok, const char *expr, const char *file, int line);
#define ST_CHECK(cond) selftest_check(!!(cond), #cond, __FILE__, __LINE__)

/* SUCCESS unless an ST_CHECK in the running test failed. */
enum selftest_result selftest_status(void);

/* Run the tests named on the command line ("selftests=all" or a list). */
void selftests_run(void);

/*
 * Runs fn(cpu, arg) in a kthread on every online CPU, all at once, and
 * waits until every one has returned.  Returns the number of CPUs where fn
 * returned non-zero, or -errno if the threads could not be started.
 * ST_CHECK may be used inside fn on any CPU.
 */
int selftest_on_each_cpu(int (*fn)(unsigned int cpu, void *arg), void *arg);

/*
 * Loads 8 bytes at va under an exception fixup: true if that took a page
 * fault with cr2 = va (recorded per CPU, so safe on several at once).
 */
bool selftest_read_faults(unsigned long va);

/* Sleeps in small steps until *flag is non-zero or timeout_ns passed. */
bool selftest_wait_flag(const volatile unsigned int *flag, u64 timeout_ns);

#endif
