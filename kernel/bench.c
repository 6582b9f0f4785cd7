// SPDX-License-Identifier: MIT
/*
 * Runs the benchmarks named by "benchmarks=" after the in-guest tests.
 */
#include <linux/kernel.h>
#include <linux/bench.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/string.h>

extern const struct benchmark __start_benchmarks[], __stop_benchmarks[];

static char bench_list[128];

static int benchmarks_setup(const char *val)
{
	if (!val || !*val)
		return -EINVAL;
	strscpy(bench_list, val, sizeof(bench_list));
	return 0;
}
__setup("benchmarks", benchmarks_setup);

/* True if name is in the comma-separated list, or the list is "all". */
static bool wanted(const char *name)
{
	size_t n = strlen(name);
	const char *s = bench_list;

	if (!strcmp(s, "all"))
		return true;
	for (; s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
		if (!strncmp(s, name, n) && (s[n] == ',' || !s[n]))
			return true;
	return false;
}

void bench_report(const char *bench, const char *what, u64 value,
		  const char *unit)
{
	printk("bench %s: %s %llu %s\n", bench, what,
	       (unsigned long long)value, unit);
}

void benchmarks_run(void)
{
	const struct benchmark *b;

	if (!bench_list[0])
		return;
	for (b = __start_benchmarks; b < __stop_benchmarks; b++)
		if (wanted(b->name))
			b->run();
	printk("benchmarks done\n");
}
