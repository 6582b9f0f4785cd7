/* SPDX-License-Identifier: MIT */
#ifndef _HV_PRIVATE_H
#define _HV_PRIVATE_H

/*
 * Internals of the host-side PV hypervisor shared by its parts: the
 * domain and its vCPUs, machine memory and the frame table, event
 * channels, and what each part offers the others.  Each part keeps what
 * only it needs in a private.h of its own (common/private.h for the
 * domctls, the life cycle and the toolstack's ports, arch/x86/private.h
 * for the vCPU threads and signals, arch/x86/mm/private.h for the PV
 * MMU).
 *
 * A domain runs in this process.  Its machine memory is a memfd
 * ("machine frames" are page offsets in it), mapped once in full at
 * m->base for the hypervisor's own use (the "direct map").  The guest's
 * code runs natively in ring 3 on vCPU threads, at its own virtual
 * addresses inside the guest window [HV_GUEST_VA_START, HV_GUEST_VA_END),
 * where the hypervisor keeps a shadow of the guest's pagetables as host
 * mappings of memfd pages.
 *
 * The guest's hypercalls are syscall instructions that a seccomp filter
 * turns into SIGSYS; its faults arrive as SIGSEGV/SIGILL/SIGTRAP/SIGFPE.
 * All of those run on a per-thread alternate stack and see the guest's
 * registers in the signal's ucontext, which is where the hypervisor reads
 * and changes them: returning from the handler resumes the guest.  While
 * a vCPU is parked (paused, down, suspended) its registers live in its
 * struct hv_vcpu instead, which is what the toolstack reads and writes.
 *
 * The toolstack reaches all this only through hv_domctl()
 * (hv/include/hv/domctl.h).
 */

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <ucontext.h>

#include <xen/frame.h>
#include <xen/interface/xen.h>
#include <xen/interface/arch-x86/xen.h>
#include <xen/interface/sched.h>
#include "hv/include/hv/domctl.h"
#include "hv/include/hv/hv.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define HV_PAGE_SIZE		4096UL
#define HV_PAGE_SHIFT		12

/* The read-only m2p's slot, where XENMEM_machphys_mapping points the guest. */
#define HV_M2P_VIRT_END		HV_GUEST_VA_END

/* ---- machine memory and the frame table (arch/x86/mm/frames.c) ---- */

enum hv_page_type {
	HV_PGT_NONE,
	HV_PGT_L1,
	HV_PGT_L2,
	HV_PGT_L3,
	HV_PGT_L4,
	HV_PGT_WRITABLE,
	HV_PGT_SEG_DESC,
};

#define HV_PGF_ALLOCATED	0x01	/* general count holds an allocation ref */
#define HV_PGF_PINNED		0x02
#define HV_PGF_VALIDATED	0x04	/* contents checked for the current type */
#define HV_PGF_XENHEAP		0x08	/* hypervisor-owned page shared with guest */
/*
 * Page offline states, as Xen's PGC_state: a frame in use that is to be
 * taken out of service is "offline pending" until its owner lets go of
 * it; then, or at once if it was free, "offlined": never handed out
 * again (arch/x86/mm/offline.c, Documentation/page-exchange.rst).
 */
#define HV_PGF_OFFLINE_PENDING	0x10
#define HV_PGF_OFFLINED		0x20

/*
 * One entry per machine frame, as Xen's struct page_info: who owns it,
 * what it is used as (type, with a count of type references) and how many
 * references of any kind exist.  The rules are the PV MMU's
 * (arch/x86/mm/private.h, Documentation/pv-mmu.rst).
 */
struct hv_frame {
	domid_t owner;			/* DOMID_INVALID when free */
	uint8_t type;			/* enum hv_page_type */
	uint8_t flags;			/* HV_PGF_* */
	uint32_t type_count;
	uint32_t count;
	/* ---- PV MMU ---- */
	int16_t linear;			/* >0: linear entries held, <0: uses */
	uint8_t hv_refs;		/* writable refs the hypervisor holds */
};

struct hv_machine {
	int memfd;
	uint8_t *base;			/* direct map of all machine frames */
	uint64_t nr_frames;
	struct hv_frame *frames;
	pfn_t *m2p;			/* machine -> pseudo-physical */
	int m2p_fd;			/* memfd behind m2p, mapped for guests */
	uint64_t m2p_bytes;		/* its size, whole pages */
	bool no_discard;		/* dying: freed frames keep their memory */
	uint64_t nr_domheap;		/* frames guests are given: after I/O */
	uint64_t xenheap_next;		/* next hypervisor page, at the top */
	uint32_t *run_order;		/* allocation order of frame runs */
	uint64_t nr_runs;
	uint64_t alloc_cursor;		/* position in run order */
	uint64_t nr_free;
	pthread_mutex_t lock;
	/* prefill.c's thread; started and stopped under hv_domctl_lock */
	pthread_t prefill_thread;
	bool prefill_running;
	bool prefill_stop;
	uint64_t prefill_start;		/* position in run order */
	uint64_t prefill_nr;
	uint64_t prefilled;		/* frames done so far */
};

#define HV_FRAME_RUN		64	/* frames handed out together */
#define HV_XENHEAP_GAP		4096	/* DOMID_XEN's, below the xenheap */
#define HV_LOW_IO_FRAMES	256	/* the first MiB: DOMID_IO's, as on Xen */

/*
 * The first MiB for DOMID_IO, nr_domheap frames for guests, then the gap
 * (DOMID_XEN's) and a run of xenheap.
 */
struct hv_machine *hv_machine_create(uint64_t nr_domheap, uint32_t seed,
				     char *err, size_t errlen);
int hv_alloc_xenheap_frame(struct hv_machine *m, domid_t owner, mfn_t *out);
void hv_machine_destroy(struct hv_machine *m);
int hv_alloc_frames(struct hv_machine *m, domid_t owner, uint64_t n,
		    mfn_t *out);
void hv_free_frame(struct hv_machine *m, mfn_t mfn);
bool hv_mfn_valid(const struct hv_machine *m, mfn_t mfn);
struct hv_frame *hv_frame(struct hv_machine *m, mfn_t mfn);
/* The frame at position pos of the allocation order (frames.c). */
mfn_t hv_position_to_mfn(const struct hv_machine *m, uint64_t pos);
/*
 * prefill.c: the host memory of the next nr frames hv_alloc_frames()
 * will hand out touched by a thread of its own (replacing one that
 * runs); how many are done; the thread stopped and joined.
 */
int hv_machine_prefill(struct hv_machine *m, uint64_t nr);
uint64_t hv_machine_prefilled(struct hv_machine *m);
void hv_machine_prefill_stop(struct hv_machine *m);

static inline void *hv_mfn_ptr(struct hv_machine *m, mfn_t mfn)
{
	return m->base + (mfn_x(mfn) << HV_PAGE_SHIFT);
}

/* The m2p entry of a frame; the guest reads the same words. */
static inline pfn_t hv_m2p(const struct hv_machine *m, mfn_t mfn)
{
	return _pfn(__atomic_load_n(&m->m2p[mfn_x(mfn)].pfn, __ATOMIC_ACQUIRE));
}

static inline void hv_set_m2p(struct hv_machine *m, mfn_t mfn, pfn_t pfn)
{
	__atomic_store_n(&m->m2p[mfn_x(mfn)].pfn, pfn_x(pfn), __ATOMIC_RELEASE);
}

/* ---- event channels (common/event_channel.c, common/evtchn_fd.c) ---- */

#define HV_NR_EVTCHNS		4096	/* 2-level ABI on 64-bit */

enum hv_evtchn_state {
	HV_EVTCHN_FREE,
	HV_EVTCHN_UNBOUND,
	HV_EVTCHN_INTERDOMAIN,
	HV_EVTCHN_VIRQ,
	HV_EVTCHN_IPI,
};

enum hv_evtchn_backend_event {
	HV_EVTCHN_BACKEND_NOTIFY,	/* the guest sent on the port */
	HV_EVTCHN_BACKEND_CLOSED,	/* the guest closed it */
};

struct hv_domain;
typedef void (*hv_evtchn_backend_fn)(struct hv_domain *d, uint32_t port,
				     enum hv_evtchn_backend_event ev,
				     void *arg);

struct hv_evtchn {
	uint8_t state;			/* enum hv_evtchn_state */
	uint8_t virq;
	uint16_t notify_vcpu;
	domid_t remote_dom;
	uint32_t remote_port;
	hv_evtchn_backend_fn backend;	/* interdomain: the toolstack end */
	void *backend_arg;
};

struct hv_evtchn_fd;			/* common/evtchn_fd.c */
struct hv_evtchn_fd_relay;

/* ---- vCPUs and the domain ---- */

struct hv_vcpu {
	struct hv_domain *d;
	unsigned int id;
	pthread_t thread;		/* 0 until started, and once joined */
	bool started;			/* has entered the guest (timers run) */

	/*
	 * The register state while the vCPU is not in the guest: loaded on
	 * entry and when it leaves a park, saved when it parks.  What
	 * getvcpucontext reads and setvcpucontext writes.
	 */
	struct cpu_user_regs regs;
	uint8_t fpu[512] __attribute__((aligned(16)));	/* FXSAVE image */
	bool fpu_valid;			/* fpu holds a saved state */
	uint64_t vgc_flags;		/* VGCF_* as last set */
	mfn_t cr3;			/* current base pointer (guest L4) */
	/* ---- PV MMU ---- */
	mfn_t cr3_user;			/* NEW_USER_BASEPTR, or INVALID_MFN */
	uint64_t fill_gen;		/* shadow generation of last_fill_va */
	bool kernel_mode;

	struct trap_info traps[256];	/* by vector */
	uint64_t event_callback;
	uint64_t failsafe_callback;
	uint64_t syscall_callback;
	uint64_t kernel_ss, kernel_sp;
	uint64_t gs_base_kernel, gs_base_user;

	struct vcpu_info *vcpu_info;	/* host view of its shared_info slot */

	sigjmp_buf exit_jmp;		/* leave guest context for good */
	stack_t altstack;

	uint32_t virq_port[NR_VIRQS];	/* port bound to each VIRQ, or 0 */
	bool initialised;		/* has a register state to run */
	bool down;			/* not up: parked until up; atomic */
	int64_t singleshot_ns;		/* system time of the one-shot, or 0 */
	int64_t periodic_ns;		/* period, or 0 */
	int64_t periodic_next;		/* system time of the next tick */
	mfn_t vcpu_info_mfn;		/* registered placement, or invalid */

	/*
	 * While frame_holds has this vCPU's holds aside (frame_holds.c): its
	 * vcpu_info lives in aside_info, at offset aside_info_off of the
	 * frame when taken again; base pointers to take again.
	 */
	struct vcpu_info aside_info;
	uint16_t aside_info_off;
	bool aside_vcpu_info, aside_cr3, aside_cr3_user;

	/* The same fault twice in a row after a shadow fill is the guest's. */
	uint64_t last_fill_va;
	unsigned int fill_repeats;

	/*
	 * Under d->lock: live from hv_vcpu_start() until the thread is about
	 * to end; parked while it waits in hv_vcpu_park() with its state in
	 * the fields above.  A domain is still when every live vCPU is
	 * parked.
	 */
	bool live;
	bool parked;

	/*
	 * For getvcpuinfo, which runs on a toolstack thread.  blocked: in
	 * SCHEDOP_block or SCHEDOP_poll, atomic.  The rest under
	 * d->threads_lock, which the thread takes on its way out, so a reader
	 * holding it may use the thread's clock and /proc entry.
	 */
	bool blocked;
	unsigned int wakeups;		/* hv_vcpu_wake() calls; atomic */
	pid_t host_tid;			/* while the thread exists, else 0 */
	pthread_t host_thread;		/* valid while host_tid is set */
	uint64_t exit_cpu_ns;		/* its CPU time when it ended */
};

enum hv_domain_state {
	HV_DOM_BUILDING,		/* created, never unpaused yet */
	HV_DOM_RUNNING,
	HV_DOM_SHUTDOWN,		/* the guest shut down (reason) */
	HV_DOM_DYING,			/* being destroyed */
};

struct hv_domain {
	domid_t domid;
	struct hv_machine *m;

	/*
	 * Which machine frame each pfn has, as populate_physmap gave it
	 * (INVALID_MFN where none): hv's own record, through hv_p2m() and
	 * hv_set_p2m().  A PV guest keeps its own list too, in its memory.
	 */
	mfn_t *p2m;
	uint64_t max_pages;
	uint64_t tot_pages;

	mfn_t shared_info_mfn;
	struct shared_info *shared_info;
	mfn_t store_mfn, console_mfn;	/* ring_setup, or INVALID_MFN */
	/*
	 * Page exchange: the frame whose holds frame_holds set aside
	 * (INVALID_MFN if none), which rings were on it, and whether the
	 * guest kicked the console meanwhile.  Under the MMU lock; the
	 * console flags also under console_lock.
	 */
	mfn_t aside_mfn;
	bool aside_console, aside_store, console_kick_aside;
	uint32_t store_evtchn, console_evtchn;
	uint64_t vm_assist;

	unsigned int nr_vcpus;
	struct hv_vcpu *vcpus;

	/*
	 * d->lock guards the state, the pause count and each vCPU's live and
	 * parked flags; every change is broadcast on d->cond, which blocked,
	 * polling and parked vCPUs and the pause waiter sleep on.
	 */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_mutex_t threads_lock;	/* each vCPU's host_tid, host_thread */
	unsigned int nr_polling;	/* vCPUs in SCHEDOP_poll; atomic */
	unsigned int state;		/* enum hv_domain_state */
	unsigned int shutdown_reason;	/* SHUTDOWN_* once shut down */
	bool crashed_by_hv;		/* fault with no handler, bad state */
	unsigned int pause_count;	/* the toolstack's pauses (domctl) */
	bool audit_at_start;		/* run the MMU audit at first unpause */

	/*
	 * Frozen: paused, suspended, or not started.  Read without the lock
	 * at every exit to the guest; while set no vCPU runs guest code, no
	 * timer fires and raised ports wait in deferred[] until it clears.
	 */
	bool frozen;
	uint64_t deferred[HV_NR_EVTCHNS / 64];

	struct hv_evtchn evtchns[HV_NR_EVTCHNS];
	pthread_mutex_t evtchn_lock;
	struct hv_evtchn_fd *evtchn_fds;	/* toolstack ends (evtchn_fd.c) */
	struct hv_evtchn_fd_relay *evtchn_relay;

	int64_t boot_ns;		/* host CLOCK_MONOTONIC at creation */
	uint32_t tsc_mode;		/* XC_SR_TSC_MODE_* (settscinfo) */
	uint32_t incarnation;		/* restores and migrations into it */
	pthread_t timer_thread;
	pthread_cond_t timer_cond;	/* CLOCK_MONOTONIC; under d->lock */

	int console_fds[HV_CONSOLE_OUTPUTS];
	unsigned int nr_console_fds;
	pthread_mutex_t console_lock;
	uint64_t shadow_maps;		/* host mappings made for the guest */

	/* ---- PV MMU ---- */
	pthread_mutex_t mmu_lock;	/* recursive: frames, pagetables, shadow */
	struct hv_mmu *mmu;		/* arch/x86/mm/private.h */
	/*
	 * Log-dirty (arch/x86/mm/logdirty.c): on, read by every mark without
	 * a lock; the state stays allocated from the first ENABLE until the
	 * domain is freed, so a mark racing with OFF is harmless.
	 */
	bool logdirty_on;
	struct hv_logdirty *logdirty;

	uint64_t hypercalls[64];	/* count per hypercall number */
	uint64_t hypercall_errors[64];
	uint64_t hypercalls_unknown;
};

/* The frame of pfn, or INVALID_MFN; any thread (the p2m changes only by domctl). */
static inline mfn_t hv_p2m(const struct hv_domain *d, pfn_t pfn)
{
	return pfn_x(pfn) < d->max_pages ? d->p2m[pfn_x(pfn)] : INVALID_MFN;
}

static inline void hv_set_p2m(struct hv_domain *d, pfn_t pfn, mfn_t mfn)
{
	d->p2m[pfn_x(pfn)] = mfn;
}

/* ---- arch/x86/mm/logdirty.c: log-dirty ---- */

/*
 * The hypervisor wrote to frame mfn of d (Xen's paging_mark_dirty): its
 * pfn, by the m2p, goes into the dirty bitmap if log-dirty is on.  Call
 * it after the write, never before: a CLEAN that takes the mark must
 * find the write already in memory (logdirty.c says why).  Frames that
 * are not the domain's, or have no pfn (shared_info), are ignored.
 */
void hv_logdirty_mark(struct hv_domain *d, mfn_t mfn);
void hv_logdirty_mark_pfn(struct hv_domain *d, pfn_t pfn);

static inline void hv_mark_dirty(struct hv_domain *d, mfn_t mfn)
{
	if (__atomic_load_n(&d->logdirty_on, __ATOMIC_ACQUIRE))
		hv_logdirty_mark(d, mfn);
}

/* Xen's paging_mark_pfn_dirty: pfn itself, as MMU_MACHPHYS_UPDATE does. */
static inline void hv_mark_pfn_dirty(struct hv_domain *d, pfn_t pfn)
{
	if (__atomic_load_n(&d->logdirty_on, __ATOMIC_ACQUIRE))
		hv_logdirty_mark_pfn(d, pfn);
}

/* The frame that direct-map pointer p points into was written. */
static inline void hv_mark_dirty_at(struct hv_domain *d, const void *p)
{
	hv_mark_dirty(d, _mfn(((const uint8_t *)p - d->m->base) >>
			     HV_PAGE_SHIFT));
}

/* shadow_op (domctl): Xen's verbs; bitmap may be NULL (stats only). */
long hv_logdirty_op(struct hv_domain *d, struct hv_domctl_shadow_op *s,
		    uint8_t *bitmap, size_t room, size_t *out_len);
/* At destroy, once no thread of the domain is left. */
void hv_logdirty_destroy(struct hv_domain *d);
/* The mechanism ENABLE would use in this process, and why not the other. */
const char *hv_logdirty_mechanism(char *why, size_t len);
void hv_logdirty_print_stats(struct hv_domain *d, FILE *f);

/* ---- common/domain.c: life cycle ---- */

/* The guest shut down with reason (SCHEDOP_shutdown, a crash). */
void hv_domain_shutdown(struct hv_domain *d, unsigned int reason);
void __attribute__((noreturn)) hv_domain_crash(struct hv_vcpu *v, ucontext_t *uc,
					       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Some domain's state changed: wake hv_domain_state_wait(). */
void hv_domain_state_changed(void);
void hv_console_write(struct hv_domain *d, const char *buf, size_t len);
void hv_console_printf(struct hv_domain *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Whether a vCPU thread must leave for good (shut down, or dying). */
static inline bool hv_domain_over(struct hv_domain *d)
{
	unsigned int s = __atomic_load_n(&d->state, __ATOMIC_ACQUIRE);

	return s == HV_DOM_DYING ||
	       (s == HV_DOM_SHUTDOWN && d->shutdown_reason != SHUTDOWN_suspend);
}

static inline bool hv_domain_frozen(struct hv_domain *d)
{
	return __atomic_load_n(&d->frozen, __ATOMIC_ACQUIRE);
}

/* ---- common/event_channel.c, common/evtchn_fd.c ---- */

long hv_do_event_channel_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
void hv_evtchn_set_pending(struct hv_domain *d, uint32_t port);
/* Raises what was deferred while the domain was frozen. */
void hv_evtchn_replay_deferred(struct hv_domain *d);
int hv_evtchn_bind_backend(struct hv_domain *d, uint32_t port,
			   hv_evtchn_backend_fn fn, void *arg);
void hv_send_virq(struct hv_vcpu *v, unsigned int virq);

/* ---- common/time.c: system time, vcpu_time_info, the vCPU timers ---- */

int hv_time_init(char *err, size_t errlen);
int64_t hv_system_time(struct hv_domain *d);
/*
 * Refreshes v's pvclock record; under d->lock, so that two writers (the
 * timer thread and the vCPU's own thread) never interleave: both would
 * read the same even version and a reader could take half of each.
 */
void hv_update_vcpu_time(struct hv_vcpu *v);
void hv_timers_init(struct hv_domain *d);
int hv_timers_start(struct hv_domain *d);
void hv_timers_stop(struct hv_domain *d);
void hv_timers_changed(struct hv_domain *d);
/* gettscinfo / settscinfo (Xen's tsc_get_info / tsc_set_info). */
long hv_tsc_get_info(struct hv_domain *d, struct hv_domctl_tsc_info *t);
long hv_tsc_set_info(struct hv_domain *d, const struct hv_domctl_tsc_info *t);

/* ---- common/: hypercalls ---- */

typedef long (*hv_hypercall_fn)(struct hv_vcpu *v, ucontext_t *uc,
				const uint64_t a[5]);
/* A hypercall by number, counted, as the entry path and multicall need. */
long hv_hypercall_invoke(struct hv_vcpu *v, ucontext_t *uc, unsigned int nr,
			 const uint64_t a[5]);
const char *hv_hypercall_name(unsigned int nr);
long hv_do_console_io(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_sched_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_xen_version(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_vcpu_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);

/* ---- arch/x86: vCPU threads, traps, contexts, guest memory ---- */

int hv_signals_init(char *err, size_t errlen);
int hv_seccomp_install(char *err, size_t errlen);
/* Starts v's thread; it enters the guest from v->regs. */
int hv_vcpu_start(struct hv_vcpu *v);
void hv_vcpu_kick(struct hv_vcpu *v);
/* Makes v notice new events or state: wakes it if blocked, kicks it if not. */
void hv_vcpu_wake(struct hv_vcpu *v);
void __attribute__((noreturn)) hv_vcpu_exit(struct hv_vcpu *v);
/* Whether every live vCPU thread is parked; under d->lock. */
bool hv_domain_still(struct hv_domain *d);
extern __thread struct hv_vcpu *hv_current;

/*
 * Xen's arch_get_info_guest / arch_set_info_guest on a still vCPU
 * (context.c).  set checks everything before it changes anything.
 */
void hv_arch_get_info_guest(struct hv_vcpu *v, struct vcpu_guest_context *c);
long hv_arch_set_info_guest(struct hv_vcpu *v,
			    const struct vcpu_guest_context *c);
/* vm_assist (context.c): the hypercall, and whether an assist is on. */
long hv_do_vm_assist(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
bool hv_vm_assist(const struct hv_domain *d, unsigned int type);
/* The guest's registers and stack on its console, when hv crashes it. */
void hv_dump_registers(struct hv_vcpu *v, const ucontext_t *uc);
/* Writes the hypercall page into frame mfn (hypercall_init). */
void hv_hypercall_page_init(struct hv_domain *d, mfn_t mfn);
/* What getvcpuinfo and getvcpuaffinity report of a vCPU's thread. */
void hv_vcpu_thread_info(struct hv_vcpu *v, struct hv_domctl_getvcpuinfo *i);
size_t hv_vcpu_thread_affinity(struct hv_vcpu *v, uint8_t *map, size_t len);

/* guest_mem.c: the only way the hypervisor touches guest virtual memory. */
struct hv_walk {
	bool present;		/* every level present */
	bool writable;		/* RW at every level */
	bool nx;		/* NX at some level */
	mfn_t mfn;		/* leaf frame when present */
	uint64_t *l1e;		/* host pointer to the leaf entry, or NULL */
	int level;		/* level of the first non-present entry */
	mfn_t table[5];		/* table[n]: the level-n table walked */
};
int hv_guest_walk(struct hv_domain *d, mfn_t cr3, uint64_t va,
		  struct hv_walk *w);
int hv_copy_from_guest(struct hv_vcpu *v, void *dst, uint64_t gva,
		       size_t len);
int hv_copy_to_guest(struct hv_vcpu *v, uint64_t gva, const void *src,
		     size_t len);
bool hv_is_canonical(uint64_t va);

/* traps.c: set_trap_table, callbacks, iret; exceptions into the guest */
long hv_do_set_trap_table(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_set_callbacks(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_callback_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_iret(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);

/* ---- arch/x86/mm: the PV MMU ---- */

/* The shadow's reservation of the guest window, once per process. */
int hv_shadow_reserve(char *err, size_t errlen);
void hv_shadow_unmap(struct hv_domain *d, uint64_t va, uint64_t len);
enum hv_shadow_result {
	HV_SHADOW_RETRY,
	HV_SHADOW_GUEST,
	HV_SHADOW_LIMIT,
};
enum hv_shadow_result hv_shadow_fault(struct hv_vcpu *v, uint64_t va,
				      unsigned long hw_err, uint64_t *ec);

long hv_do_mmu_update(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_mmuext_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_multicall(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_memory_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_update_va_mapping(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_set_segment_base(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);

/* Sets up d->mmu; createdomain calls it.  TERN_HV_AUDIT=1 audits. */
int hv_mmu_init(struct hv_domain *d);
/*
 * Loads v's (user) base pointer with a counted L4 reference, or drops the
 * kernel one: Xen's errors, nothing changed on failure.
 */
int hv_mmu_vcpu_set_baseptr(struct hv_vcpu *v, mfn_t l4);
int hv_mmu_vcpu_set_user_baseptr(struct hv_vcpu *v, mfn_t l4);
void hv_mmu_vcpu_drop_baseptr(struct hv_vcpu *v);
/*
 * A writable reference the hypervisor itself holds on a guest frame it
 * writes directly (rings, vcpu_info): the frame cannot become a pagetable
 * meanwhile.  -EINVAL if the domain does not own it or it is one.
 */
int hv_mmu_hold_page(struct hv_domain *d, mfn_t mfn);
void hv_mmu_release_page(struct hv_domain *d, mfn_t mfn);
/* mmuext_op's pin and unpin, for the toolstack (domctl mmuext_op). */
long hv_mmu_pin_for_toolstack(struct hv_domain *d, unsigned int cmd, mfn_t mfn);
/*
 * Page exchange (arch/x86/mm/exchange.c, mm.c): the domctls of the same
 * names on a suspended domain, and the guest's own XENMEM_exchange.
 */
long hv_memory_exchange(struct hv_vcpu *v, uint64_t arg);
long hv_memory_exchange_for_toolstack(struct hv_domain *d,
				      struct hv_domctl_memory_exchange *x,
				      const uint64_t *in, uint64_t *out);
long hv_mmu_update_for_toolstack(struct hv_domain *d,
				 const struct mmu_update *reqs,
				 unsigned int count, unsigned int *done);
long hv_page_offline_op(struct hv_domain *d, unsigned int cmd, mfn_t mfn,
			uint32_t *status);
long hv_frame_state(struct hv_domain *d, struct hv_domctl_frame_state *s);
/*
 * Page exchange of a frame the hypervisor itself uses (frame_holds.c):
 * the frame_holds domctl (*kick: the console ring is back and the guest
 * kicked it meanwhile: the backend must look); the HV_FRAME_* flags of what it holds on mfn;
 * whether some frame's holds are aside (the domain must not run).
 */
long hv_frame_holds(struct hv_domain *d, struct hv_domctl_frame_holds *h,
		    bool *kick);
uint32_t hv_frame_hold_flags(struct hv_domain *d, mfn_t mfn);
bool hv_frame_holds_aside(struct hv_domain *d);
/*
 * Domain destruction: drops base pointers, pins and allocation references
 * so that every frame returns to the free pool; returns how many did not.
 */
uint64_t hv_mmu_relinquish(struct hv_domain *d);
/* Relinquishes if not yet done and frees the MMU state. */
void hv_mmu_destroy(struct hv_domain *d);
void hv_mmu_lock(struct hv_domain *d);
void hv_mmu_unlock(struct hv_domain *d);
/* Counts from scratch and compares (audit.c); 0 or the number of faults. */
int hv_mmu_audit(struct hv_domain *d, char *why, size_t len);
/* The host's actual mappings of the window against the guest's tables. */
int hv_shadow_audit(struct hv_domain *d, char *why, size_t len);
void hv_mmu_print_stats(struct hv_domain *d, FILE *f);
/* p2m.c: populate_physmap, decrease_reservation, getmemlist, frame types. */
long hv_p2m_populate(struct hv_domain *d, pfn_t first, uint64_t nr,
		     uint64_t *mfns);
long hv_p2m_release(struct hv_domain *d, pfn_t first, uint64_t nr);
void hv_p2m_memlist(struct hv_domain *d, pfn_t first, uint64_t nr,
		    uint64_t *mfns);
uint32_t hv_p2m_frame_type(struct hv_domain *d, pfn_t pfn);

#endif
