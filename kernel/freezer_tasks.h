/* SPDX-License-Identifier: MIT */
/* kernel/'s own: the freezable tasks (freezer_tasks.c) and their lock. */
#ifndef KERNEL_FREEZER_TASKS_H
#define KERNEL_FREEZER_TASKS_H

#include <linux/list.h>
#include <linux/spinlock.h>

extern struct list_head freezable_tasks;
extern spinlock_t freezer_lock;

#endif
