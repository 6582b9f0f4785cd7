// SPDX-License-Identifier: MIT
/*
 * printk from every CPU at once, each line built from several printk
 * calls with pauses in between, all CPUs starting together.  The guest
 * cannot see its own console, so this test only makes the noise: the host
 * test (t_smp.sh) checks that every such line came out whole, with the
 * prefix of the CPU that printed it, and that none is missing.
 *
 * Line format: "console: cpu C line L of N <payload> end".
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/selftest.h>
#include <linux/smp.h>

#define LINES		20
#define GUARD_NS	(10 * NSEC_PER_SEC)

static unsigned int arrived;

static const char payload[] =
	"abcdefghijklmnopqrstuvwxyz-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static int chatter(unsigned int cpu, void *arg)
{
	u64 start = xen_clocksource_read();
	unsigned int i, spins = 0;

	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	while (READ_ONCE(arrived) < num_online_cpus()) {
		if (xen_clocksource_read() - start > GUARD_NS)
			return -1;
		cpu_relax_yield(&spins);
	}
	for (i = 0; i < LINES; i++) {
		printk("console: cpu %u ", cpu);
		udelay(20);
		printk("line %u of %u ", i, LINES);
		udelay(20);
		printk("%s", payload);
		udelay(20);
		printk(" end\n");
	}
	return 0;
}

static enum selftest_result test_console_run(void)
{
	arrived = 0;
	ST_CHECK(selftest_on_each_cpu(chatter, NULL) == 0);
	return selftest_status();
}
DEFINE_SELFTEST(console, test_console_run);
