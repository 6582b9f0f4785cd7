// SPDX-License-Identifier: MIT
/*
 * vCPU threads and the signals that are the guest's traps into us.
 *
 * A vCPU thread runs host code only inside signal handlers, on its
 * alternate stack; the rest of the time it runs guest code.  It enters the
 * guest by sending itself HV_SIG_ENTER, whose handler replaces the
 * interrupted host context with the guest's registers.  From then on every
 * hypercall (SIGSYS), fault (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE) and
 * kick (HV_SIG_KICK, from other threads) is handled with the guest's
 * registers in the ucontext and resumes the guest on return.  A vCPU leaves
 * guest context for good by siglongjmp to the point where it entered.
 *
 * Parking.  Every handler ends in one place, the common exit, before it
 * returns to the guest (and before it delivers an event, which would
 * change the registers).  There a vCPU whose domain is frozen (paused,
 * suspended, not started) or that is down parks: it copies the guest's
 * whole register state out of the ucontext into its struct hv_vcpu
 * (general registers, rip, rflags and the FXSAVE image), says so under
 * d->lock, and sleeps on d->cond.  While it sleeps that copy is the
 * vCPU's state -- what getvcpucontext reads and setvcpucontext writes --
 * and the thread holds no lock and no guest state of its own.  When it may
 * run again it loads the copy back into the ucontext, so whatever the
 * toolstack wrote is what the guest resumes with.  A vCPU blocked in
 * SCHEDOP_block or SCHEDOP_poll returns from the hypercall (0, as an
 * early wake-up Xen allows) to park at the same place.
 *
 * A fault signal while a handler is already running is a hypervisor bug,
 * not a guest event: we report it and die with the default action.
 */
#include <asm/prctl.h>
#include <linux/audit.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "private.h"

#define HV_SIG_ENTER	SIGUSR2
#define HV_SIG_KICK	SIGUSR1
#define ALTSTACK_SIZE	(256 * 1024)

__thread struct hv_vcpu *hv_current;
static __thread int in_handler;

/* What the guest's hypercalls and faults arrive as (see hv_signals_init). */
static const int guest_trap_signals[] = {
	SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE,
};

static void host_bug(int sig, siginfo_t *si, ucontext_t *uc)
{
	static const char msg[] = "tern-hv: fault inside the hypervisor itself\n";

	(void)!write(2, msg, sizeof(msg) - 1);
	fprintf(stderr, "tern-hv: signal %d at %#llx address %p\n", sig,
		(unsigned long long)UC_REG(uc, RIP), si->si_addr);
	signal(sig, SIG_DFL);
}

static void enter_guest(struct hv_vcpu *v, ucontext_t *uc)
{
	pthread_mutex_lock(&v->d->lock);
	hv_update_vcpu_time(v);
	pthread_mutex_unlock(&v->d->lock);
	hv_regs_to_uc(v, uc);
	sigdelset(&uc->uc_sigmask, HV_SIG_KICK);
	v->started = true;
}

/*
 * Xen's read-only m2p lives at MACH2PHYS_VIRT_START, in the upper half a
 * host process can never map; ours is where XENMEM_machphys_mapping says.
 * A guest that touches Xen's range here learned that address on Xen and
 * kept it across a restore: it cannot run on, and a #PF (which a guest
 * may fix up and carry on with a wrong answer) would hide why.
 */
static bool xen_m2p_access(struct hv_vcpu *v, ucontext_t *uc, uint64_t va)
{
	if (va < MACH2PHYS_VIRT_START || va >= MACH2PHYS_VIRT_END)
		return false;
	hv_domain_crash(v, uc, "the guest touches %#lx, in Xen's read-only m2p (%#lx-%#lx): it kept Xen's m2p address across a move to this hypervisor, whose m2p is at %#lx-%#lx (XENMEM_machphys_mapping); a guest must ask for the m2p again after every resume",
			(unsigned long)va, (unsigned long)MACH2PHYS_VIRT_START,
			(unsigned long)MACH2PHYS_VIRT_END - 1,
			(unsigned long)HV_M2P_VIRT_START,
			(unsigned long)HV_M2P_VIRT_END - 1);
	return true;
}

void hv_guest_page_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t va,
			 unsigned long hw_err)
{
	uint64_t ec;

	if (xen_m2p_access(v, uc, va))
		return;
	switch (hv_shadow_fault(v, va, hw_err, &ec)) {
	case HV_SHADOW_RETRY:
		return;
	case HV_SHADOW_GUEST:
		if (!hv_ptwr_fault(v, uc, va, ec))
			hv_inject_page_fault(v, uc, va, ec);
		return;
	case HV_SHADOW_LIMIT:
		hv_domain_crash(v, uc, "guest maps %#lx, which this hypervisor cannot show it (window %#lx-%#lx, or host mapping limit)",
				(unsigned long)va, HV_GUEST_VA_START,
				HV_GUEST_VA_END);
	}
}

/* Host signal and trap number to the x86 exception the guest must see. */
static void guest_fault(struct hv_vcpu *v, int sig, siginfo_t *si,
			ucontext_t *uc)
{
	unsigned long trapno = UC_REG(uc, TRAPNO), err = UC_REG(uc, ERR);

	switch (sig) {
	case SIGSEGV:
		if (trapno == 14) {
			hv_guest_page_fault(v, uc, (uint64_t)si->si_addr,
					    UC_REG(uc, ERR));
			return;
		}
		if (trapno == 10 || trapno == 11 || trapno == 12)
			hv_inject_trap(v, uc, trapno, true, err);
		else
			hv_inject_trap(v, uc, 13, true, err);
		return;
	case SIGBUS:
		if (trapno == 17 || trapno == 12) {
			hv_inject_trap(v, uc, trapno, true, err);
			return;
		}
		hv_domain_crash(v, uc, "bus error at %p", si->si_addr);
	case SIGILL:
		hv_inject_trap(v, uc, 6, false, 0);
		return;
	case SIGTRAP:
		hv_inject_trap(v, uc, trapno == 3 ? 3 : 1, false, 0);
		return;
	case SIGFPE:
		hv_inject_trap(v, uc, trapno == 16 || trapno == 19 ? trapno : 0,
			       false, 0);
		return;
	}
}

/*
 * int $0x80 comes through seccomp as a 32-bit system call.  On Xen it is a
 * software interrupt: delivered through the guest's trap table entry 0x80
 * if that allows ring 3, a #GP naming the gate otherwise.
 */
static void int80(struct hv_vcpu *v, ucontext_t *uc)
{
	const struct trap_info *ti = &v->traps[0x80];

	if (ti->address && TI_GET_DPL(ti) == 3) {
		hv_inject_trap(v, uc, 0x80, false, 0);
		return;
	}
	/* A fault, so rip names the int instruction itself (2 bytes). */
	UC_REG(uc, RIP) -= 2;
	hv_inject_trap(v, uc, 13, true, (0x80 << 3) | 2);
}

/* Whether v must stop at the common exit: frozen, down, or leaving. */
static bool must_park(struct hv_vcpu *v)
{
	return hv_domain_frozen(v->d) || hv_domain_over(v->d) ||
	       __atomic_load_n(&v->down, __ATOMIC_ACQUIRE);
}

void hv_vcpu_park(struct hv_vcpu *v, ucontext_t *uc)
{
	struct hv_domain *d = v->d;

	if (hv_domain_over(d))
		hv_vcpu_exit(v);
	hv_regs_from_uc(v, uc);
	pthread_mutex_lock(&d->lock);
	v->parked = true;
	pthread_cond_broadcast(&d->cond);
	while (!hv_domain_over(d) &&
	       (hv_domain_frozen(d) || __atomic_load_n(&v->down, __ATOMIC_ACQUIRE)))
		pthread_cond_wait(&d->cond, &d->lock);
	v->parked = false;
	/* Under d->lock: the timer thread, thawing too, may be writing it. */
	hv_update_vcpu_time(v);
	pthread_mutex_unlock(&d->lock);
	if (hv_domain_over(d))
		hv_vcpu_exit(v);
	hv_regs_to_uc(v, uc);
}

bool hv_domain_still(struct hv_domain *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i].live && !d->vcpus[i].parked)
			return false;
	return true;
}

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	struct hv_vcpu *v = hv_current;

	if (!v || in_handler) {
		if (sig != HV_SIG_KICK)
			host_bug(sig, si, uc);
		return;
	}
	in_handler = 1;
	if (sig == HV_SIG_ENTER) {
		enter_guest(v, uc);
	} else if (sig == HV_SIG_KICK) {
		if (hv_domain_over(v->d))
			hv_vcpu_exit(v);
	} else if (sig == SIGSYS && si->si_arch != AUDIT_ARCH_X86_64) {
		int80(v, uc);
	} else if (sig == SIGSYS) {
		hv_dispatch_hypercall(v, uc, si->si_syscall);
	} else {
		guest_fault(v, sig, si, uc);
	}
	/* The common exit: park if we must, then deliver events, as Xen does. */
	if (must_park(v))
		hv_vcpu_park(v, uc);
	hv_inject_upcall(v, uc);
	in_handler = 0;
}

int hv_signals_init(char *err, size_t errlen)
{
	static const int sigs[] = { SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGTRAP,
				    SIGFPE, HV_SIG_ENTER, HV_SIG_KICK };
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, HV_SIG_KICK);
	sigaddset(&sa.sa_mask, HV_SIG_ENTER);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		if (sigaction(sigs[i], &sa, NULL)) {
			snprintf(err, errlen, "sigaction: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

void hv_vcpu_exit(struct hv_vcpu *v)
{
	in_handler = 0;
	siglongjmp(v->exit_jmp, 1);
}

static uint64_t timespec_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ULL + ts->tv_nsec;
}

/*
 * Keeps the thread's CPU time for getvcpuinfo, hides the thread from it,
 * and tells a pause waiter this vCPU is no longer live.
 */
static void vcpu_thread_gone(struct hv_vcpu *v)
{
	struct hv_domain *d = v->d;
	struct timespec ts = { 0, 0 };

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	pthread_mutex_lock(&d->threads_lock);
	v->exit_cpu_ns = timespec_ns(&ts);
	v->host_tid = 0;
	pthread_mutex_unlock(&d->threads_lock);
	pthread_mutex_lock(&d->lock);
	v->live = false;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

static void *vcpu_main(void *arg)
{
	struct hv_vcpu *v = arg;
	unsigned int i;
	sigset_t set;

	hv_current = v;
	pthread_mutex_lock(&v->d->threads_lock);
	v->host_tid = gettid();
	v->host_thread = pthread_self();
	pthread_mutex_unlock(&v->d->threads_lock);
	sigaltstack(&v->altstack, NULL);
	/*
	 * VCPUOP_up starts us from inside another vCPU's SIGSYS handler, so
	 * we inherit that handler's mask, which blocks SIGSYS: a blocked
	 * SIGSYS turns our first hypercall into a kill.  Open every signal
	 * the guest's traps arrive as, and ENTER; keep what else the
	 * toolstack blocked (it waits for SIGTERM and friends in a thread
	 * of its own).  The kick stays blocked until enter_guest() opens it.
	 */
	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(guest_trap_signals); i++)
		sigaddset(&set, guest_trap_signals[i]);
	sigaddset(&set, HV_SIG_ENTER);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, HV_SIG_KICK);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (sigsetjmp(v->exit_jmp, 1) == 0)
		pthread_kill(pthread_self(), HV_SIG_ENTER);
	/* Back in host context: the domain is over for this vCPU. */
	syscall(SYS_arch_prctl, ARCH_SET_GS, 0UL);
	vcpu_thread_gone(v);
	return NULL;
}

/*
 * Starts v's thread, which enters the guest from v->regs.  Under d->lock,
 * so a domain being destroyed (which joins every thread it finds once it
 * has said so under the same lock) never gains a thread it would miss.
 */
int hv_vcpu_start(struct hv_vcpu *v)
{
	struct hv_domain *d = v->d;
	sigset_t set, old;
	int rc = -ESRCH;

	if (!v->altstack.ss_sp) {
		v->altstack.ss_sp = malloc(ALTSTACK_SIZE);
		v->altstack.ss_size = ALTSTACK_SIZE;
		v->altstack.ss_flags = 0;
		if (!v->altstack.ss_sp)
			return -ENOMEM;
	}
	pthread_mutex_lock(&d->lock);
	if (d->state != HV_DOM_DYING && !v->thread) {
		/* The thread starts with the kick blocked until it is in the guest. */
		sigemptyset(&set);
		sigaddset(&set, HV_SIG_KICK);
		sigaddset(&set, HV_SIG_ENTER);
		pthread_sigmask(SIG_BLOCK, &set, &old);
		rc = -pthread_create(&v->thread, NULL, vcpu_main, v);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		v->live = !rc;
	} else if (v->thread) {
		rc = 0;
	}
	pthread_mutex_unlock(&d->lock);
	return rc;
}

void hv_vcpu_wake(struct hv_vcpu *v)
{
	struct hv_domain *d = v->d;

	__atomic_fetch_add(&v->wakeups, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&d->lock);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (v != hv_current)
		hv_vcpu_kick(v);
}

void hv_vcpu_kick(struct hv_vcpu *v)
{
	if (v->thread)
		pthread_kill(v->thread, HV_SIG_KICK);
}

/* Host CPU that thread tid last ran on (field 39 of its stat), or -1. */
static int thread_last_cpu(pid_t tid)
{
	char path[64], buf[1024], *p;
	unsigned int field;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	/* Field 2, the name, may hold blanks and ')': count from its end. */
	p = strrchr(buf, ')');
	for (field = 2; p && field < 39; field++)
		p = strchr(p + 1, ' ');
	return p ? atoi(p + 1) : -1;
}

void hv_vcpu_thread_info(struct hv_vcpu *v, struct hv_domctl_getvcpuinfo *i)
{
	struct hv_domain *d = v->d;
	struct timespec ts;
	clockid_t cid;
	int last;

	pthread_mutex_lock(&d->threads_lock);
	i->cpu_time = v->exit_cpu_ns;
	i->cpu = HV_VCPUINFO_NO_CPU;
	i->online = i->blocked = i->running = i->paused = 0;
	if (v->host_tid) {
		if (!pthread_getcpuclockid(v->host_thread, &cid) &&
		    !clock_gettime(cid, &ts))
			i->cpu_time = timespec_ns(&ts);
		/* Down (VCPUOP_down): offline, as on Xen, thread or not. */
		if (!__atomic_load_n(&v->down, __ATOMIC_RELAXED)) {
			i->online = 1;
			i->blocked = __atomic_load_n(&v->blocked, __ATOMIC_RELAXED);
			i->paused = hv_domain_frozen(d);
			i->running = !i->blocked && !i->paused;
			last = thread_last_cpu(v->host_tid);
			if (last >= 0)
				i->cpu = last;
		}
	}
	pthread_mutex_unlock(&d->threads_lock);
}

size_t hv_vcpu_thread_affinity(struct hv_vcpu *v, uint8_t *map, size_t len)
{
	struct hv_domain *d = v->d;
	size_t n = 0, cpu;
	cpu_set_t set;

	memset(map, 0, len);
	pthread_mutex_lock(&d->threads_lock);
	if (v->host_tid &&
	    !pthread_getaffinity_np(v->host_thread, sizeof(set), &set)) {
		for (cpu = 0; cpu < CPU_SETSIZE && cpu / 8 < len; cpu++)
			if (CPU_ISSET(cpu, &set))
				map[cpu / 8] |= 1 << (cpu % 8);
		n = len < CPU_SETSIZE / 8 ? len : CPU_SETSIZE / 8;
	}
	pthread_mutex_unlock(&d->threads_lock);
	return n;
}
