// SPDX-License-Identifier: MIT
/*
 * Runs the in-guest tests asked for with "selftests=all" or
 * "selftests=name1,name2", in link order, one result line each, then a
 * summary line.  The result line format is what the rig and the host tests
 * parse: "<name>: SUCCESS|SKIP|ERROR|FAILURE".
 */
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/selftest.h>
#include <linux/string.h>
#include <linux/errno.h>

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

static const char *const result_names[] = {
	[SELFTEST_SUCCESS] = "SUCCESS",
	[SELFTEST_SKIP] = "SKIP",
	[SELFTEST_ERROR] = "ERROR",
	[SELFTEST_FAILURE] = "FAILURE",
};

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
	printk("selftests done: %u success, %u skip, %u error, %u failure\n",
	       count[SELFTEST_SUCCESS], count[SELFTEST_SKIP],
	       count[SELFTEST_ERROR], count[SELFTEST_FAILURE]);
}
