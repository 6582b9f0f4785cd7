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

#include "hv/private.h"

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

static void regs_to_uc(const struct cpu_user_regs *r, ucontext_t *uc)
{
	UC_REG(uc, R8) = r->r8;
	UC_REG(uc, R9) = r->r9;
	UC_REG(uc, R10) = r->r10;
	UC_REG(uc, R11) = r->r11;
	UC_REG(uc, R12) = r->r12;
	UC_REG(uc, R13) = r->r13;
	UC_REG(uc, R14) = r->r14;
	UC_REG(uc, R15) = r->r15;
	UC_REG(uc, RDI) = r->rdi;
	UC_REG(uc, RSI) = r->rsi;
	UC_REG(uc, RBP) = r->rbp;
	UC_REG(uc, RBX) = r->rbx;
	UC_REG(uc, RDX) = r->rdx;
	UC_REG(uc, RAX) = r->rax;
	UC_REG(uc, RCX) = r->rcx;
	UC_REG(uc, RSP) = r->rsp;
	UC_REG(uc, RIP) = r->rip;
	UC_REG(uc, EFL) = r->rflags;
}

static void enter_guest(struct hv_vcpu *v, ucontext_t *uc)
{
	hv_update_vcpu_time(v);
	regs_to_uc(&v->regs, uc);
	syscall(SYS_arch_prctl, ARCH_SET_GS, v->gs_base_kernel);
	sigdelset(&uc->uc_sigmask, HV_SIG_KICK);
	v->started = true;
}

static void page_fault(struct hv_vcpu *v, siginfo_t *si, ucontext_t *uc)
{
	uint64_t va = (uint64_t)si->si_addr, ec;

	switch (hv_shadow_fault(v, va, UC_REG(uc, ERR), &ec)) {
	case HV_SHADOW_RETRY:
		return;
	case HV_SHADOW_GUEST:
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
			page_fault(v, si, uc);
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
		if (v->d->state != HV_DOM_RUNNING)
			hv_vcpu_exit(v);
	} else if (sig == SIGSYS && si->si_arch != AUDIT_ARCH_X86_64) {
		int80(v, uc);
	} else if (sig == SIGSYS) {
		hv_dispatch_hypercall(v, uc, si->si_syscall);
	} else {
		guest_fault(v, sig, si, uc);
	}
	/* Every return to the guest is a chance to deliver events, as on Xen. */
	hv_deliver_events(v, uc);
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

/* Keeps the thread's CPU time for vcpu-list, then hides the thread from it. */
static void vcpu_thread_gone(struct hv_vcpu *v)
{
	struct timespec ts = { 0, 0 };

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	pthread_mutex_lock(&v->d->threads_lock);
	v->exit_cpu_ns = timespec_ns(&ts);
	v->host_tid = 0;
	pthread_mutex_unlock(&v->d->threads_lock);
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

int hv_vcpu_start(struct hv_vcpu *v)
{
	sigset_t set, old;
	int rc;

	v->altstack.ss_sp = malloc(ALTSTACK_SIZE);
	v->altstack.ss_size = ALTSTACK_SIZE;
	v->altstack.ss_flags = 0;
	if (!v->altstack.ss_sp)
		return -ENOMEM;
	/* The thread starts with the kick blocked until it is in the guest. */
	sigemptyset(&set);
	sigaddset(&set, HV_SIG_KICK);
	sigaddset(&set, HV_SIG_ENTER);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	rc = pthread_create(&v->thread, NULL, vcpu_main, v);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -rc;
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

/* Parks a vCPU that was taken down until it is brought up again. */
static void park_if_down(struct hv_vcpu *v)
{
	struct hv_domain *d = v->d;

	pthread_mutex_lock(&d->lock);
	while (__atomic_load_n(&v->down, __ATOMIC_RELAXED) &&
	       d->state == HV_DOM_RUNNING)
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);
	if (d->state != HV_DOM_RUNNING)
		hv_vcpu_exit(v);
}

void hv_deliver_events(struct hv_vcpu *v, ucontext_t *uc)
{
	if (__atomic_load_n(&v->down, __ATOMIC_RELAXED))
		park_if_down(v);
	hv_inject_upcall(v, uc);
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

/* "all" when set holds every online host CPU, else a list like "0-3,6". */
static void format_affinity(const cpu_set_t *set, char *buf, size_t len)
{
	int cpu, first = -1;
	size_t n = 0;

	if (CPU_COUNT(set) >= get_nprocs()) {
		snprintf(buf, len, "all");
		return;
	}
	buf[0] = '\0';
	for (cpu = 0; cpu <= CPU_SETSIZE && n < len; cpu++) {
		bool in = cpu < CPU_SETSIZE && CPU_ISSET(cpu, set);

		if (in && first < 0)
			first = cpu;
		if (in || first < 0)
			continue;
		if (first == cpu - 1)
			n += snprintf(buf + n, len - n, "%s%d", n ? "," : "",
				      first);
		else
			n += snprintf(buf + n, len - n, "%s%d-%d", n ? "," : "",
				      first, cpu - 1);
		first = -1;
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

static void print_vcpu(struct hv_vcpu *v, FILE *f)
{
	struct hv_domain *d = v->d;
	char cpu[16] = "-", affinity[4096] = "-";
	const char *state = "offline";
	struct timespec ts;
	uint64_t ns;
	cpu_set_t set;
	clockid_t cid;
	int last;

	pthread_mutex_lock(&d->threads_lock);
	ns = v->exit_cpu_ns;
	if (v->host_tid) {
		if (!pthread_getcpuclockid(v->host_thread, &cid) &&
		    !clock_gettime(cid, &ts))
			ns = timespec_ns(&ts);
		if (!pthread_getaffinity_np(v->host_thread, sizeof(set), &set))
			format_affinity(&set, affinity, sizeof(affinity));
		/* Parked by VCPUOP_down: offline, as on Xen, thread or not. */
		if (!__atomic_load_n(&v->down, __ATOMIC_RELAXED)) {
			state = __atomic_load_n(&v->blocked, __ATOMIC_RELAXED) ?
				"blocked" : "running";
			last = thread_last_cpu(v->host_tid);
			if (last >= 0)
				snprintf(cpu, sizeof(cpu), "%d", last);
		}
	}
	pthread_mutex_unlock(&d->threads_lock);
	fprintf(f, "%u %s %s %llu %s\n", v->id, state, cpu,
		(unsigned long long)ns, affinity);
}

void hv_domain_print_vcpus(struct hv_domain *d, FILE *f)
{
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++)
		print_vcpu(&d->vcpus[i], f);
}

int hv_domain_debug_key(struct hv_domain *d, char key, FILE *f)
{
	unsigned int i;

	if (key != 'q')
		return -EINVAL;
	for (i = 0; i < d->nr_vcpus; i++) {
		struct hv_vcpu *v = &d->vcpus[i];
		uint32_t port = __atomic_load_n(&v->virq_port[VIRQ_DEBUG],
						     __ATOMIC_ACQUIRE);

		fprintf(f, "notifying vCPU %u (virq %u, port %u)\n", v->id,
			VIRQ_DEBUG, port);
		hv_send_virq(v, VIRQ_DEBUG);
	}
	return 0;
}
