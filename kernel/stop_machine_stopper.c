// SPDX-License-Identifier: MIT
/*
 * stop_machine() with stopper threads (Linux's way): each CPU has a
 * kthread, "stopper/N", that the scheduler runs before anything else the
 * moment the CPU reaches a schedule point (kernel/sched.c).  A CPU
 * therefore parks only where its task could have been switched out: never
 * inside a section that runs with preemption disabled, which is what every
 * pagetable update is (asm/xen/mmu.h).  What a switched-out task holds is
 * the freezer's business (linux/freezer.h).
 *
 * The stoppers walk through the states together, each acknowledging each
 * state; the last acknowledgement moves everybody on:
 *
 *   PREPARE  every stopper arrives, events still enabled: a CPU still on
 *            its way to a schedule point may be waiting for a cross-CPU
 *            call that an arrived CPU must serve;
 *   DISABLE  each masks its events;
 *   RUN      the chosen CPU runs fn, the others spin;
 *   AFTER    each runs the after step (e.g. re-arming its own timer once a
 *            suspend has returned);
 *   EXIT     each unmasks its events and goes back to sleep.
 *
 * While parked a CPU reads nothing but plain memory: during a suspend,
 * shared_info (its clock, its event mask) is not even mapped, and after a
 * restore it comes back on new machine frames.  If not every CPU arrives
 * within STOP_TIMEOUT, an arrived stopper (still in PREPARE, where the
 * clock may be read) aborts before DISABLE, says which CPUs did not come,
 * and the ones that did arrive go back; a late stopper finds the abort
 * and goes back too, and the next stop_machine() waits for it.  The
 * stoppers decide this, not the caller: the caller's own CPU is one of
 * those parking, so the caller cannot run until its stopper leaves.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/time.h>
#include <linux/wait.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

#define STOP_TIMEOUT	(5 * NSEC_PER_SEC)

enum { SM_NONE, SM_PREPARE, SM_DISABLE, SM_RUN, SM_AFTER, SM_EXIT, SM_ABORT };

struct stopper {
	struct task_struct *task;
	unsigned int gen;		/* the stop_machine() it was woken for */
};

static struct {
	int (*fn)(void *data);
	void (*after)(void *data);
	void *data;
	unsigned int cpu;		/* runs fn */
	unsigned int nr;		/* CPUs taking part */
	int ret;
} sm_work;

static struct stopper stoppers[NR_CPUS];
static bool in_stopper[NR_CPUS];		/* arrived in multi_cpu_stop() */
static unsigned int sm_state = SM_NONE, sm_ack, sm_gen;
static unsigned int sm_outstanding;	/* stoppers woken, not yet back */
static DECLARE_WAIT_QUEUE_HEAD(sm_wq);
static DEFINE_MUTEX(sm_mutex);

/* Acknowledges state; the last one resets the count and moves on. */
static void ack_state(unsigned int state)
{
	unsigned int s = state;

	if (__atomic_sub_fetch(&sm_ack, 1, __ATOMIC_SEQ_CST))
		return;
	__atomic_store_n(&sm_ack, sm_work.nr, __ATOMIC_SEQ_CST);
	/* In PREPARE the caller may have aborted meanwhile: then it stays. */
	__atomic_compare_exchange_n(&sm_state, &s, state + 1, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static void report_late(void);

/* In PREPARE for too long: give up, unless the last CPU just came. */
static void maybe_abort(u64 arrived)
{
	unsigned int s = SM_PREPARE;

	if (xen_clocksource_read() - arrived < STOP_TIMEOUT)
		return;
	if (!__atomic_compare_exchange_n(&sm_state, &s, SM_ABORT, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	printk("stop_machine: not every CPU parked within %llu s, given up\n",
	       STOP_TIMEOUT / NSEC_PER_SEC);
	report_late();
}

/* One CPU's part, in its stopper thread (Linux's multi_cpu_stop()). */
static void multi_cpu_stop(void)
{
	/* volatile: arch_park_checkpoint() may return twice. */
	volatile unsigned int cpu = smp_processor_id(), cur = SM_NONE;
	unsigned int st, spins = 0;
	volatile unsigned long flags = arch_local_save_flags();
	u64 arrived = xen_clocksource_read();

	WRITE_ONCE(in_stopper[cpu], true);
	do {
		st = __atomic_load_n(&sm_state, __ATOMIC_ACQUIRE);
		if (st == cur) {
			if (cur == SM_PREPARE && !(spins % 1024))
				maybe_abort(arrived);
			cpu_relax_yield(&spins);
			continue;
		}
		cur = st;
		switch (cur) {
		case SM_DISABLE:
			local_irq_disable();
			stop_machine_set_parked(cpu, true);
			/* A vCPU started anew after a restore comes back here. */
			if (cpu != sm_work.cpu && arch_park_checkpoint(cpu)) {
				cur = SM_RUN;
				continue;
			}
			break;
		case SM_RUN:
			if (cpu == sm_work.cpu)
				sm_work.ret = sm_work.fn(sm_work.data);
			break;
		case SM_AFTER:
			if (sm_work.after)
				sm_work.after(sm_work.data);
			break;
		default:
			break;
		}
		if (cur != SM_ABORT && cur != SM_NONE && cur != SM_EXIT)
			ack_state(cur);
	} while (cur != SM_EXIT && cur != SM_ABORT && cur != SM_NONE);
	WRITE_ONCE(in_stopper[cpu], false);
	stop_machine_set_parked(cpu, false);
	local_irq_restore(flags);
}

static int stopper_main(void *arg)
{
	struct stopper *s = arg;
	unsigned int seen = 0;

	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (READ_ONCE(s->gen) == seen) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		seen = READ_ONCE(s->gen);
		if (seen == __atomic_load_n(&sm_gen, __ATOMIC_ACQUIRE))
			multi_cpu_stop();
		__atomic_sub_fetch(&sm_outstanding, 1, __ATOMIC_SEQ_CST);
		wake_up(&sm_wq);
	}
	return 0;
}

void stop_machine_init(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *t;

		t = kthread_create_on_cpu(stopper_main, &stoppers[cpu], cpu,
					  "stopper/%u", cpu);
		if (IS_ERR(t))
			panic("stop_machine: no stopper thread for CPU %u: %ld",
			      cpu, PTR_ERR(t));
		t->flags |= PF_STOPPER;
		stoppers[cpu].task = t;
		wake_up_process(t);
	}
}

static bool all_back(void)
{
	return !__atomic_load_n(&sm_outstanding, __ATOMIC_ACQUIRE);
}

/* Names the CPUs whose stopper has not arrived, and what they run. */
static void report_late(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (!READ_ONCE(in_stopper[cpu]))
			printk("stop_machine: CPU %u did not come: it runs %s\n",
			       cpu, cpu_curr_comm(cpu));
}

int stop_machine_on(unsigned int cpu, int (*fn)(void *data),
		    void (*after)(void *data), void *data)
{
	unsigned int c, s = SM_PREPARE;
	int ret;

	if (cpu >= NR_CPUS || !cpu_online(cpu) || !stoppers[cpu].task)
		return -EINVAL;
	mutex_lock(&sm_mutex);
	/* A stopper of an aborted round may still be on its way back. */
	if (!wait_event_timeout(sm_wq, all_back(), STOP_TIMEOUT)) {
		mutex_unlock(&sm_mutex);
		return -ETIMEDOUT;
	}
	sm_work.fn = fn;
	sm_work.after = after;
	sm_work.data = data;
	sm_work.cpu = cpu;
	sm_work.nr = num_online_cpus();
	sm_work.ret = 0;
	__atomic_store_n(&sm_ack, sm_work.nr, __ATOMIC_SEQ_CST);
	__atomic_store_n(&sm_outstanding, sm_work.nr, __ATOMIC_SEQ_CST);
	__atomic_store_n(&sm_state, SM_PREPARE, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&sm_gen, 1, __ATOMIC_SEQ_CST);
	/* All woken before ours preempts us, or ours would wait alone. */
	preempt_disable();
	for_each_online_cpu(c) {
		WRITE_ONCE(stoppers[c].gen, sm_gen);
		wake_up_process(stoppers[c].task);
	}
	preempt_enable();
	if (wait_event_timeout(sm_wq, all_back() ||
				    __atomic_load_n(&sm_state, __ATOMIC_ACQUIRE) == SM_ABORT,
				    2 * STOP_TIMEOUT) &&
	    __atomic_load_n(&sm_state, __ATOMIC_ACQUIRE) != SM_ABORT) {
		ret = sm_work.ret;
	} else if (__atomic_load_n(&sm_state, __ATOMIC_ACQUIRE) == SM_ABORT ||
		   __atomic_compare_exchange_n(&sm_state, &s, SM_ABORT, false,
					       __ATOMIC_SEQ_CST,
					       __ATOMIC_SEQ_CST)) {
		/* A stopper gave up (and said why), or we did: see the top. */
		mutex_unlock(&sm_mutex);
		return -ETIMEDOUT;
	} else {
		/* All parked after all: fn runs or ran; wait for the end. */
		wait_event(sm_wq, all_back());
		ret = sm_work.ret;
	}
	__atomic_store_n(&sm_state, SM_NONE, __ATOMIC_SEQ_CST);
	mutex_unlock(&sm_mutex);
	return ret;
}
