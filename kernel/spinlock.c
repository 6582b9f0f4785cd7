// SPDX-License-Identifier: MIT
/*
 * The contended path of spin_lock (the fast path is inline in
 * linux/spinlock.h).  We read the lock word until it looks free and only
 * then try to take it, so waiters do not keep pulling its cache line away
 * from the holder; every SPIN_YIELD_INTERVAL reads the vCPU offers its
 * physical CPU to the holder (asm/processor.h).
 */
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <asm/processor.h>

void arch_spin_lock_slow(spinlock_t *lock, u32 me)
{
	unsigned int spins = 0;

	for (;;) {
		u32 owner = READ_ONCE(lock->owner);

		if (!owner) {
			if (arch_spin_trylock(lock))
				return;
			continue;
		}
		if (unlikely(owner == me))
			panic("spinlock %p taken again by CPU %u, which holds it",
			      lock, me - 1);
		cpu_relax_yield(&spins);
	}
}
