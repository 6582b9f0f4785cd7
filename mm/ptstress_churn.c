// SPDX-License-Identifier: MIT
/*
 * ptchurn: pagetable updates by tasks that do not freeze.
 *
 * ptstress's workers are freezable, so by the time a suspend stops the
 * CPUs they are parked at a round boundary and no pagetable update is
 * under way.  Not every task is freezable: creating or ending a kthread
 * maps or unmaps its stack whenever it happens.  What keeps such a task
 * safe is that it holds machine frames only inside a pagetable-update
 * section, and that no CPU parks inside one (asm/xen/mmu.h).  ptchurn is
 * that kind of task, made busy: one thread per CPU, not freezable, that
 * maps one page at a fixed place (the last page of its CPU's ptstress
 * window) by pfn, fills it through that mapping, unmaps it and checks the
 * page through the direct map, over and over.  A CPU parked half-way
 * through one of its mmu_update batches (parking by IPI,
 * CONFIG_SUSPEND_SAFE_PARKING=n) issues that batch after the restore with
 * frame numbers of the old host: refused, or a wrong page mapped, which
 * the counters show.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/ptstress.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/layout.h>
#include <asm/xen/mmu.h>

#define WORDS	(PAGE_SIZE / sizeof(u64))

struct churner {
	struct task_struct *task;
	unsigned int cpu;
	pfn_t pfn;
	struct ptstress_stats st;
};

static struct churner *churners[NR_CPUS];
static DEFINE_SPINLOCK(churn_lock);
static bool churn_wanted;

static int churn_setup(const char *val)
{
	if (!val) {
		churn_wanted = true;
		return 0;
	}
	return kstrtobool(val, &churn_wanted);
}
__setup("ptchurn", churn_setup);

static unsigned long churn_va(unsigned int cpu)
{
	return PTSTRESS_BASE + (cpu + 1) * PTSTRESS_WINDOW - PAGE_SIZE;
}

static void bad(struct churner *c, u64 *counter, const char *what, long v)
{
	(*counter)++;
	if (c->st.errors + c->st.mismatches <= 4)
		printk("ptchurn: cpu %u: %s (%ld)\n", c->cpu, what, v);
}

static int churn_main(void *data)
{
	struct churner *c = data;
	unsigned long va = churn_va(c->cpu);
	u64 n = 0;

	while (!kthread_should_stop()) {
		volatile u64 *p = (volatile u64 *)va;
		const volatile u64 *d = pfn_to_virt(c->pfn);
		u64 v = ((u64)c->cpu << 56) ^ (n * 0x9e3779b97f4a7c15ULL);
		unsigned int i, wrong = 0;
		int rc;

		rc = xen_map_pfns(&xen_kernel_pgd, va, &c->pfn, 1, PAGE_KERNEL);
		if (rc) {
			bad(c, &c->st.errors, "mapping refused", rc);
			continue;
		}
		for (i = 0; i < WORDS; i++)
			p[i] = v + i;
		rc = xen_unmap_pages(&xen_kernel_pgd, va, 1, XEN_FLUSH_LOCAL);
		if (rc)
			bad(c, &c->st.errors, "unmapping refused", rc);
		for (i = 0; i < WORDS; i++)
			wrong += d[i] != v + i;
		if (wrong)
			bad(c, &c->st.mismatches, "page reads back wrong", wrong);
		c->st.updates += 2;
		c->st.pages_checked++;
		c->st.rounds++;
		n++;
	}
	return 0;
}

int ptchurn_start(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct churner *c = kzalloc(sizeof(*c));
		struct task_struct *t;
		unsigned long flags;

		if (!c)
			return -ENOMEM;
		c->cpu = cpu;
		c->pfn = alloc_pfns(0);
		if (pfn_eq(c->pfn, INVALID_PFN)) {
			kfree(c);
			return -ENOMEM;
		}
		t = kthread_create_on_cpu(churn_main, c, cpu, "ptchurn/%u", cpu);
		if (IS_ERR(t)) {
			free_pfns(c->pfn, 0);
			kfree(c);
			return PTR_ERR(t);
		}
		c->task = t;
		spin_lock_irqsave(&churn_lock, flags);
		churners[cpu] = c;
		spin_unlock_irqrestore(&churn_lock, flags);
		wake_up_process(t);
	}
	printk("ptchurn: a non-freezable pagetable updater on each of %u CPUs\n",
	       num_online_cpus());
	return 0;
}

void ptchurn_get_stats(struct ptstress_stats *total)
{
	unsigned long flags;
	unsigned int cpu;

	memset(total, 0, sizeof(*total));
	spin_lock_irqsave(&churn_lock, flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct churner *c = churners[cpu];

		if (!c)
			continue;
		total->rounds += READ_ONCE(c->st.rounds);
		total->updates += READ_ONCE(c->st.updates);
		total->pages_checked += READ_ONCE(c->st.pages_checked);
		total->mismatches += READ_ONCE(c->st.mismatches);
		total->errors += READ_ONCE(c->st.errors);
	}
	spin_unlock_irqrestore(&churn_lock, flags);
}

void ptchurn_boot_start(void)
{
	int rc;

	if (!churn_wanted)
		return;
	rc = ptchurn_start();
	if (rc)
		printk("ptchurn: cannot start: %d\n", rc);
}
