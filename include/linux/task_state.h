/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_TASK_STATE_H
#define _LINUX_TASK_STATE_H

/*
 * Task states, in their own header so that wait.h can name them without
 * pulling in sched.h (whose task_struct embeds a completion).  There are
 * no signals: INTERRUPTIBLE and UNINTERRUPTIBLE sleeps behave alike; both
 * exist so that code reads as it would elsewhere.
 */
#define TASK_RUNNING		0x0
#define TASK_INTERRUPTIBLE	0x1
#define TASK_UNINTERRUPTIBLE	0x2
#define TASK_DEAD		0x4

#endif
