// SPDX-License-Identifier: MIT
/*
 * The scheduler and kthreads: threads start on the CPU they are created
 * for and hand their return value to kthread_stop(); a thread stopped
 * before it ran never runs its function; wait queues put threads on every
 * CPU to sleep until a wake-up; a wait with a timeout ends after it;
 * yield() lets the other runnable thread of its CPU run first; a busy
 * thread that never gives up its CPU is preempted both by its slice
 * ending (two busy threads both make progress) and by a sleeping thread
 * waking up; the thread pool is reused and reports exhaustion.
 *
 * The CPU-bound parts run on the last online CPU, which is CPU 0 when
 * there is only one.  Every wait is bounded (GUARD_NS) so that a broken
 * scheduler fails the test instead of hanging it; no bound is a claim
 * about speed.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/selftest.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/time.h>
#include <linux/wait.h>

#define GUARD_NS	(10 * NSEC_PER_SEC)
#define YIELD_ROUNDS	50
#define SPIN_ROUNDS	3
#define SLEEPS		20

static unsigned int last_cpu(void)
{
	unsigned int cpu, last = 0;

	for_each_online_cpu(cpu)
		last = cpu;
	return last;
}

static bool guard_passed(u64 start)
{
	return xen_clocksource_read() - start > GUARD_NS;
}

/* ---- kthread basics ---- */

static unsigned int never_ran;

static int must_not_run(void *arg)
{
	never_ran++;
	return 0;
}

static int sleep_until_stopped(void *arg)
{
	unsigned int cpu = (unsigned long)arg;

	ST_CHECK(smp_processor_id() == cpu);
	ST_CHECK(current->cpu == cpu);
	while (!kthread_should_stop())
		msleep(1);
	return 100 + cpu;
}

static void test_kthreads(void)
{
	struct task_struct *t;
	unsigned int cpu;

	t = kthread_create(must_not_run, NULL, "never-%d", 7);
	if (ST_CHECK(!IS_ERR(t))) {
		ST_CHECK(!strcmp(t->comm, "never-7"));
		ST_CHECK(t->cpu == smp_processor_id());
		ST_CHECK(kthread_stop(t) == -EINTR);
		ST_CHECK(never_ran == 0);
	}
	for_each_online_cpu(cpu) {
		t = kthread_run_on_cpu(sleep_until_stopped,
				       (void *)(unsigned long)cpu, cpu,
				       "sleeper/%u", cpu);
		if (!ST_CHECK(!IS_ERR(t)))
			continue;
		ST_CHECK(t->cpu == cpu);
		msleep(2);
		ST_CHECK(kthread_stop(t) == (int)(100 + cpu));
	}
	t = kthread_create_on_cpu(must_not_run, NULL, NR_CPUS, "bad");
	ST_CHECK(IS_ERR(t) && PTR_ERR(t) == -EINVAL);
}

/* ---- wait queues ---- */

static DECLARE_WAIT_QUEUE_HEAD(gate);
static unsigned int gate_open, passed;

static int wait_at_gate(unsigned int cpu, void *arg)
{
	wait_event(gate, READ_ONCE(gate_open));
	__atomic_fetch_add(&passed, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int open_gate_later(void *arg)
{
	msleep(5);
	/* Nobody may pass a closed gate, however long they wait. */
	ST_CHECK(READ_ONCE(passed) == 0);
	WRITE_ONCE(gate_open, 1);
	wake_up(&gate);
	return 0;
}

static void test_wait_queues(void)
{
	struct task_struct *opener;
	u64 start, left;

	gate_open = 0;
	passed = 0;
	opener = kthread_run_on_cpu(open_gate_later, NULL, last_cpu(), "opener");
	if (ST_CHECK(!IS_ERR(opener))) {
		ST_CHECK(selftest_on_each_cpu(wait_at_gate, NULL) == 0);
		ST_CHECK(passed == num_online_cpus());
		ST_CHECK(kthread_stop(opener) == 0);
	}

	start = xen_clocksource_read();
	left = wait_event_timeout(gate, READ_ONCE(passed) == 0,
				  5 * NSEC_PER_MSEC);
	ST_CHECK(left == 0);
	ST_CHECK(xen_clocksource_read() - start >= 5 * NSEC_PER_MSEC);
	ST_CHECK(wait_event_timeout(gate, READ_ONCE(gate_open), GUARD_NS) > 0);
}

/* ---- yield ---- */

struct yielder {
	unsigned int count;
	unsigned int misses;
	bool done;
	struct yielder *other;
};

static unsigned int yielders_started;

static int yield_loop(void *arg)
{
	struct yielder *me = arg;
	u64 start = xen_clocksource_read();
	unsigned int i;

	__atomic_fetch_add(&yielders_started, 1, __ATOMIC_SEQ_CST);
	while (READ_ONCE(yielders_started) < 2) {
		if (guard_passed(start))
			return -ETIMEDOUT;
		yield();
	}
	for (i = 0; i < YIELD_ROUNDS; i++) {
		unsigned int before = READ_ONCE(me->other->count);

		WRITE_ONCE(me->count, me->count + 1);
		yield();
		if (!READ_ONCE(me->other->done) &&
		    READ_ONCE(me->other->count) == before)
			me->misses++;
	}
	WRITE_ONCE(me->done, true);
	return 0;
}

static void test_yield(void)
{
	struct yielder y[2] = { { .other = &y[1] }, { .other = &y[0] } };
	struct task_struct *t[2];
	unsigned int cpu = last_cpu(), i;

	yielders_started = 0;
	for (i = 0; i < 2; i++)
		t[i] = kthread_create_on_cpu(yield_loop, &y[i], cpu, "yield/%u", i);
	if (!ST_CHECK(!IS_ERR(t[0]) && !IS_ERR(t[1])))
		return;
	wake_up_process(t[0]);
	wake_up_process(t[1]);
	for (i = 0; i < 2; i++) {
		ST_CHECK(kthread_stop(t[i]) == 0);
		ST_CHECK(y[i].count == YIELD_ROUNDS);
		/*
		 * A yield that let the other thread run shows as a change of
		 * its count.  A thread preempted between counting and
		 * yielding can see one unchanged count legitimately; a
		 * yield() that does not yield misses every time.
		 */
		ST_CHECK(y[i].misses <= 2);
	}
}

/* ---- preemption ---- */

struct spinner {
	unsigned long count;
	unsigned int changes;		/* times the other's count moved */
	unsigned long nivcsw;
	struct spinner *other;
	const unsigned int *stop;	/* or NULL: stop on SPIN_ROUNDS */
};

/*
 * Never sleeps nor yields.  Without a stop flag, it spins until both it
 * and its partner on the same CPU have seen each other run SPIN_ROUNDS
 * times, which only preemption can bring about.
 */
static int busy_loop(void *arg)
{
	struct spinner *me = arg;
	u64 start = xen_clocksource_read();
	unsigned long seen = 0;

	for (;;) {
		if (me->stop) {
			if (READ_ONCE(*me->stop))
				break;
		} else {
			unsigned long o = READ_ONCE(me->other->count);

			if (o != seen) {
				seen = o;
				WRITE_ONCE(me->changes, me->changes + 1);
			}
			if (me->changes >= SPIN_ROUNDS &&
			    READ_ONCE(me->other->changes) >= SPIN_ROUNDS)
				break;
		}
		WRITE_ONCE(me->count, me->count + 1);
		if (guard_passed(start))
			return -ETIMEDOUT;
	}
	me->nivcsw = current->nivcsw;
	return 0;
}

static void test_slice_preemption(void)
{
	struct spinner s[2] = { { .other = &s[1] }, { .other = &s[0] } };
	struct task_struct *t[2];
	unsigned int cpu = last_cpu(), i;

	for (i = 0; i < 2; i++)
		t[i] = kthread_run_on_cpu(busy_loop, &s[i], cpu, "busy/%u", i);
	for (i = 0; i < 2; i++) {
		if (!ST_CHECK(!IS_ERR(t[i])))
			continue;
		ST_CHECK(kthread_stop(t[i]) == 0);
		ST_CHECK(s[i].changes >= SPIN_ROUNDS);
		ST_CHECK(s[i].nivcsw > 0);
	}
}

static unsigned int sleeper_done;
static unsigned long sleeper_slept;

static int sleep_often(void *arg)
{
	unsigned int i;

	for (i = 0; i < SLEEPS; i++)
		msleep(1);
	/* A sleep whose timer fired before it got to sleep is no switch. */
	sleeper_slept = current->nvcsw;
	WRITE_ONCE(sleeper_done, 1);
	return 0;
}

static void test_wakeup_preemption(void)
{
	struct spinner busy = { .stop = &sleeper_done };
	struct task_struct *b, *s;
	unsigned int cpu = last_cpu();

	sleeper_done = 0;
	b = kthread_run_on_cpu(busy_loop, &busy, cpu, "hog");
	s = kthread_run_on_cpu(sleep_often, NULL, cpu, "napper");
	if (!ST_CHECK(!IS_ERR(b) && !IS_ERR(s)))
		return;
	ST_CHECK(kthread_stop(s) == 0);
	ST_CHECK(kthread_stop(b) == 0);
	/*
	 * The hog never sleeps, so each time the sleeper slept the CPU went
	 * to the hog, and each wake-up had to take it back.
	 */
	ST_CHECK(sleeper_slept > 0);
	ST_CHECK(busy.nivcsw >= sleeper_slept);
}

/* ---- the thread pool ---- */

static int return_arg(void *arg)
{
	return (int)(unsigned long)arg;
}

static void test_pool(void)
{
	static struct task_struct *held[CONFIG_NR_KTHREADS];
	unsigned int free = nr_free_tasks(), i, n = 0;
	struct task_struct *t;

	for (i = 0; i < 2 * CONFIG_NR_KTHREADS; i++) {
		t = kthread_run(return_arg, (void *)(unsigned long)i, "pool");
		if (!ST_CHECK(!IS_ERR(t)))
			break;
		ST_CHECK(kthread_stop(t) == (int)i);
	}
	ST_CHECK(nr_free_tasks() == free);

	while (n < ARRAY_SIZE(held)) {
		t = kthread_create(return_arg, NULL, "held");
		if (IS_ERR(t)) {
			ST_CHECK(PTR_ERR(t) == -ENOMEM);
			break;
		}
		held[n++] = t;
	}
	ST_CHECK(n == free);
	while (n)
		kthread_stop(held[--n]);
	ST_CHECK(nr_free_tasks() == free);
}

static enum selftest_result test_sched_run(void)
{
	test_kthreads();
	test_wait_queues();
	test_yield();
	test_slice_preemption();
	test_wakeup_preemption();
	test_pool();
	return selftest_status();
}
DEFINE_SELFTEST(sched, test_sched_run);
