/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

/* Kernel stacks mapped below an unmapped guard page (mm/vmalloc.c). */
#include <linux/types.h>

/* THREAD_SIZE bytes of stack, lowest address returned; NULL if short. */
void *vmalloc_stack(void);
/* Unmaps and frees a stack; anything else is refused with -EINVAL. */
int vfree_stack(void *stack);
unsigned int vmalloc_stacks_in_use(void);
/* Is va in the guard page below some stack slot? */
bool vmalloc_is_guard(unsigned long va);

#endif
