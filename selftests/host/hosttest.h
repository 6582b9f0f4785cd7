/* SPDX-License-Identifier: MIT */
#ifndef TERN_HOSTTEST_H
#define TERN_HOSTTEST_H

/*
 * Host unit tests print one "PASS: <name>" or "FAIL: <name>: <why>" line per
 * check; selftests/host/run-tests counts them.  A test program exits non-zero
 * if any of its checks failed.
 */
#include <stdio.h>
#include <stdlib.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static int hosttest_failures;

#define T_CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			printf("PASS: ");				\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		} else {						\
			hosttest_failures++;				\
			printf("FAIL: ");				\
			printf(__VA_ARGS__);				\
			printf(": %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
		}							\
		fflush(stdout);						\
	} while (0)

#define T_DONE() return hosttest_failures ? 1 : 0

#endif
