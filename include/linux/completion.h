/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_COMPLETION_H
#define _LINUX_COMPLETION_H

/*
 * Completions: "this has happened" as a count.  complete() adds one and
 * wakes a waiter; each wait_for_completion() consumes one, sleeping until
 * there is one.  complete_all() lets every present and future waiter
 * through until reinit_completion().
 */
#include <linux/types.h>
#include <linux/wait.h>

struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

#define COMPLETION_INITIALIZER(name)					\
	{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((name).wait) }
#define DECLARE_COMPLETION(name)					\
	struct completion name = COMPLETION_INITIALIZER(name)

void init_completion(struct completion *c);
void reinit_completion(struct completion *c);
void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
/* Returns 0 on timeout, otherwise the time left (at least 1 ns). */
u64 wait_for_completion_timeout(struct completion *c, u64 timeout_ns);
bool completion_done(struct completion *c);

#endif
