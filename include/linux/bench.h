/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_BENCH_H
#define _LINUX_BENCH_H

/*
 * In-guest benchmarks, run with "benchmarks=all" (or a list of names).
 * They measure, they never judge: each prints lines
 * "bench <name>: <what> <value> <unit>" that selftests/host/bench collects
 * and compares with host figures.  Speed goals live here, never in tests.
 */

#include <linux/types.h>
#include <linux/compiler.h>

struct benchmark {
	const char *name;
	void (*run)(void);
};

#define DEFINE_BENCHMARK(_name, _fn)					\
	static const struct benchmark __benchmark_##_name		\
	__used __section(".benchmarks") __aligned(8) = {		\
		.name = #_name,						\
		.run = _fn,						\
	}

/* Prints one figure in the format the host side parses. */
void bench_report(const char *bench, const char *what, u64 value,
		  const char *unit);

void benchmarks_run(void);

#endif
