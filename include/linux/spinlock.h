/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

/*
 * Spinlocks.  The lock word is 0 when free and the owner's CPU number plus
 * one when held, which lets the slow path catch a CPU that spins on a lock
 * it already holds (an upcall taking a lock its interrupted task holds
 * without spin_lock_irqsave): that is a deadlock, reported as a panic.
 *
 * Test-and-test-and-set rather than tickets: with more vCPUs than physical
 * CPUs a ticket lock hands the lock to the next waiter in line even when
 * that vCPU is not running, and everyone behind it waits for the physical
 * scheduler.  Waiters give their physical CPU away now and then
 * (cpu_relax_yield), so the holder gets to run.
 *
 * spin_lock() disables preemption: a task holding a lock is never switched
 * out involuntarily.  spin_lock_irqsave() also masks events, which is
 * required for any lock an event handler takes.
 */
#include <linux/types.h>
#include <linux/preempt.h>
#include <asm/irqflags.h>

typedef struct spinlock {
	u32 owner;			/* 0, or holder's CPU + 1 */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED		{ .owner = 0 }
#define DEFINE_SPINLOCK(name)		spinlock_t name = __SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *lock)
{
	WRITE_ONCE(lock->owner, 0);
}

void arch_spin_lock_slow(spinlock_t *lock, u32 me);

static __always_inline bool arch_spin_trylock(spinlock_t *lock)
{
	u32 free = 0;

	return __atomic_compare_exchange_n(&lock->owner, &free,
					   smp_processor_id() + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Takes the lock without touching preemption or events. */
static __always_inline void arch_spin_lock(spinlock_t *lock)
{
	if (unlikely(!arch_spin_trylock(lock)))
		arch_spin_lock_slow(lock, smp_processor_id() + 1);
}

static __always_inline void arch_spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *lock)
{
	return READ_ONCE(lock->owner) != 0;
}

static __always_inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	arch_spin_lock(lock);
}

static __always_inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (arch_spin_trylock(lock))
		return true;
	preempt_enable();
	return false;
}

static __always_inline void spin_unlock(spinlock_t *lock)
{
	arch_spin_unlock(lock);
	preempt_enable();
}

#define spin_lock_irqsave(lock, flags)					\
	do {								\
		local_irq_save(flags);					\
		spin_lock(lock);					\
	} while (0)

/* Events come back on before preemption does, so a pending switch happens. */
static __always_inline void spin_unlock_irqrestore(spinlock_t *lock,
						   unsigned long flags)
{
	arch_spin_unlock(lock);
	local_irq_restore(flags);
	preempt_enable();
}

static __always_inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static __always_inline void spin_unlock_irq(spinlock_t *lock)
{
	arch_spin_unlock(lock);
	local_irq_enable();
	preempt_enable();
}

#endif
