/* SPDX-License-Identifier: MIT */
#ifndef _HV_PRIVATE_H
#define _HV_PRIVATE_H

/*
 * Internals of the host-side PV hypervisor.
 *
 * A domain is this process.  Its machine memory is a memfd ("machine
 * frames" are page offsets in it), mapped once in full at m->base for the
 * hypervisor's own use (the "direct map").  The guest's code runs natively
 * in ring 3 on vCPU threads, at its own virtual addresses inside the guest
 * window [HV_GUEST_VA_START, HV_GUEST_VA_END), where the hypervisor keeps a
 * shadow of the guest's pagetables as host mappings of memfd pages.
 *
 * The guest's hypercalls are syscall instructions that a seccomp filter
 * turns into SIGSYS; its faults arrive as SIGSEGV/SIGILL/SIGTRAP/SIGFPE.
 * All of those run on a per-thread alternate stack and see the guest's
 * registers in the signal's ucontext, which is where the hypervisor reads
 * and changes them: returning from the handler resumes the guest.
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
#include "config.h"
#include "hv.h"

#define HV_PAGE_SIZE		4096UL
#define HV_PAGE_SHIFT		12

/* L4 slots 32..127: where a guest may live on this hypervisor. */
#define HV_GUEST_VA_START	0x100000000000UL
#define HV_GUEST_VA_END		0x400000000000UL

/* ---- machine memory and the frame table (memory.c) ---- */

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
 * One entry per machine frame, as Xen's struct page_info: who owns it,
 * what it is used as (type, with a count of type references) and how many
 * references of any kind exist.  The rules are the PV MMU's (hv/mm.h,
 * Documentation/pv-mmu.rst).
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
	uint64_t *m2p;			/* machine -> pseudo-physical */
	int m2p_fd;			/* memfd behind m2p, mapped for guests */
	uint64_t m2p_bytes;		/* its size, whole pages */
	bool no_discard;		/* dying: freed frames keep their memory */
	uint32_t *run_order;		/* allocation order of frame runs */
	uint64_t nr_runs;
	uint64_t alloc_cursor;		/* position in run order */
	uint64_t nr_free;
	pthread_mutex_t lock;
};

#define HV_FRAME_RUN		64	/* frames handed out together */

struct hv_machine *hv_machine_create(uint64_t nr_frames, uint32_t seed,
				     char *err, size_t errlen);
void hv_machine_destroy(struct hv_machine *m);
int hv_alloc_frames(struct hv_machine *m, domid_t owner, uint64_t n,
		    mfn_t *out);
void hv_free_frame(struct hv_machine *m, mfn_t mfn);
bool hv_mfn_valid(const struct hv_machine *m, mfn_t mfn);
struct hv_frame *hv_frame(struct hv_machine *m, mfn_t mfn);

static inline void *hv_mfn_ptr(struct hv_machine *m, mfn_t mfn)
{
	return m->base + (mfn_x(mfn) << HV_PAGE_SHIFT);
}

/* ---- ELF image (elf.c) ---- */

struct hv_elf_info {
	uint64_t virt_base;
	uint64_t paddr_offset;
	uint64_t entry;
	uint64_t hypercall_page;
	uint64_t virt_kstart, virt_kend;	/* [start, end) of the image */
	char guest_os[32];
	char guest_version[32];
	char xen_version[32];
	char loader[32];
	char features[128];
	char pae_mode[16];
	bool suspend_cancel;
	bool have_hypercall_page;
};

struct hv_elf_image {
	const uint8_t *data;
	size_t size;
	struct hv_elf_info info;
};

int hv_elf_parse(struct hv_elf_image *img, const void *data, size_t size,
		 char *err, size_t errlen);
/* Copies the loadable segments; put(dst_va, src, len) with src NULL = zero. */
int hv_elf_load(const struct hv_elf_image *img,
		int (*put)(void *ctx, uint64_t va, const void *src, size_t len),
		void *ctx);

/* ---- event channels (event_channel.c) ---- */

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

/* ---- xenstore ring (store.c) ---- */

/* The toolstack's end of the store port: kick(arg) when the guest sends. */
struct hv_store_link {
	void (*kick)(void *arg);
	void *arg;
	bool stopped;			/* the vCPUs are going: raise nothing */
	int raising;			/* hv_domain_store_notify() in progress */
};

/* Before the vCPU threads are joined: no more raises from the toolstack. */
void hv_store_stop(struct hv_domain *d);

/* ---- domain and vCPUs ---- */

struct hv_domain;

struct hv_vcpu {
	struct hv_domain *d;
	unsigned int id;
	pthread_t thread;
	bool started;

	/* Register state while not running; loaded on entry. */
	struct cpu_user_regs regs;
	mfn_t cr3;			/* current base pointer (guest L4) */
	/* ---- PV MMU ---- */
	mfn_t cr3_user;			/* NEW_USER_BASEPTR, or INVALID_MFN */
	uint64_t fill_gen;		/* shadow generation of last_fill_va */
	bool kernel_mode;

	struct trap_info traps[256];
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
	bool down;			/* VCPUOP_down: parked until up; atomic */
	int64_t singleshot_ns;		/* system time of the one-shot, or 0 */
	int64_t periodic_ns;		/* period, or 0 */
	int64_t periodic_next;		/* system time of the next tick */
	mfn_t vcpu_info_mfn;		/* registered placement, or invalid */

	/* The same fault twice in a row after a shadow fill is the guest's. */
	uint64_t last_fill_va;
	unsigned int fill_repeats;

	/*
	 * For hv_domain_print_vcpus(), which runs on a toolstack thread.
	 * blocked: in SCHEDOP_block, atomic.  The rest under d->threads_lock,
	 * which the thread takes on its way out, so a reader holding it may
	 * use the thread's clock and /proc entry.
	 */
	bool blocked;
	unsigned int wakeups;		/* hv_vcpu_wake() calls; atomic */
	pid_t host_tid;			/* while the thread exists, else 0 */
	pthread_t host_thread;		/* valid while host_tid is set */
	uint64_t exit_cpu_ns;		/* its CPU time when it ended */
};

enum hv_domain_state {
	HV_DOM_BUILDING,
	HV_DOM_RUNNING,
	HV_DOM_SHUTDOWN,
	HV_DOM_DYING,
};

struct hv_domain {
	domid_t domid;
	struct hv_config cfg;
	struct hv_machine *m;
	struct hv_elf_info elf;

	uint64_t nr_pages;
	mfn_t *p2m;			/* builder's copy of the initial p2m */
	mfn_t shared_info_mfn;
	struct shared_info *shared_info;
	mfn_t start_info_mfn;
	mfn_t store_mfn, console_mfn;
	uint32_t store_evtchn, console_evtchn;
	mfn_t l4_mfn;
	uint64_t hypercall_page_va;
	uint64_t v_start, v_end;

	unsigned int nr_vcpus;
	struct hv_vcpu *vcpus;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_mutex_t threads_lock;	/* each vCPU's host_tid, host_thread */
	unsigned int nr_polling;	/* vCPUs in SCHEDOP_poll; atomic */
	enum hv_domain_state state;
	unsigned int shutdown_reason;	/* SHUTDOWN_* once shut down */
	bool crashed_by_hv;		/* fault with no handler, bad state */

	struct hv_evtchn evtchns[HV_NR_EVTCHNS];
	pthread_mutex_t evtchn_lock;

	int64_t boot_ns;		/* host CLOCK_MONOTONIC at creation */
	pthread_t timer_thread;
	pthread_cond_t timer_cond;	/* CLOCK_MONOTONIC; under d->lock */

	int console_fd;
	pthread_mutex_t console_lock;
	int console_fd2;		/* a second copy, or -1 */
	uint64_t shadow_maps;		/* host mappings made for the guest */

	/* ---- PV MMU ---- */
	pthread_mutex_t mmu_lock;	/* recursive: frames, pagetables, shadow */
	struct hv_mmu *mmu;		/* hv/mm.h */

	uint64_t hypercalls[64];	/* count per hypercall number */
	uint64_t hypercall_errors[64];
	uint64_t hypercalls_unknown;

	/* ---- xenstore ring (store.c) ---- */
	struct hv_store_link store_link;
};

/* build.c */
extern int hv_verbose;
int hv_domain_build(struct hv_domain *d, const struct hv_elf_image *img,
		    char *err, size_t errlen);

/* vcpu.c */
int hv_signals_init(char *err, size_t errlen);
int hv_vcpu_start(struct hv_vcpu *v);
void hv_vcpu_kick(struct hv_vcpu *v);
/* Makes v notice new events or state: wakes it if blocked, kicks it if not. */
void hv_vcpu_wake(struct hv_vcpu *v);
/* Delivers a pending upcall if events are unmasked; on return to guest. */
void hv_deliver_events(struct hv_vcpu *v, ucontext_t *uc);
void __attribute__((noreturn)) hv_vcpu_exit(struct hv_vcpu *v);
extern __thread struct hv_vcpu *hv_current;

/* seccomp.c */
int hv_seccomp_install(char *err, size_t errlen);

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

/* shadow.c */
int hv_shadow_reserve(char *err, size_t errlen);
int hv_shadow_map(struct hv_domain *d, uint64_t va, mfn_t mfn, bool write,
		  bool exec);
void hv_shadow_unmap(struct hv_domain *d, uint64_t va, uint64_t len);
enum hv_shadow_result {
	HV_SHADOW_RETRY,
	HV_SHADOW_GUEST,
	HV_SHADOW_LIMIT,
};
enum hv_shadow_result hv_shadow_fault(struct hv_vcpu *v, uint64_t va,
				      unsigned long hw_err, uint64_t *ec);

/* traps.c: exceptions into the guest */
void hv_inject_trap(struct hv_vcpu *v, ucontext_t *uc, unsigned int vector,
		    bool has_error, uint64_t error_code);
bool hv_inject_upcall(struct hv_vcpu *v, ucontext_t *uc);
void hv_inject_page_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t cr2,
			  uint64_t error_code);

/* hypercall.c */
typedef long (*hv_hypercall_fn)(struct hv_vcpu *v, ucontext_t *uc,
				const uint64_t a[5]);
void hv_dispatch_hypercall(struct hv_vcpu *v, ucontext_t *uc,
			   unsigned int nr);
long hv_do_set_trap_table(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_set_callbacks(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_callback_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_iret(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
void hv_console_ring_backend(struct hv_domain *d, uint32_t port,
			     enum hv_evtchn_backend_event ev, void *arg);
long hv_do_console_io(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_sched_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_xen_version(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_update_va_mapping(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_set_segment_base(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);

/* event_channel.c */
long hv_do_event_channel_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
void hv_evtchn_set_pending(struct hv_domain *d, uint32_t port);
int hv_evtchn_bind_backend(struct hv_domain *d, uint32_t port,
			   hv_evtchn_backend_fn fn, void *arg);
void hv_send_virq(struct hv_vcpu *v, unsigned int virq);

/* time.c: system time, vcpu_time_info, and the vCPU timers */
int hv_time_init(char *err, size_t errlen);
int64_t hv_system_time(struct hv_domain *d);
void hv_update_vcpu_time(struct hv_vcpu *v);
int hv_timers_start(struct hv_domain *d);
void hv_timers_stop(struct hv_domain *d);
void hv_timers_changed(struct hv_domain *d);

/* vcpu_op.c */
long hv_do_vcpu_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);

/* ---- PV MMU ---- */

/*
 * The read-only m2p, where XENMEM_machphys_mapping tells the guest to find
 * it: the top L4 slot of the guest window (slot 127), which is therefore a
 * hypervisor slot on hv as 256..271 are on Xen.
 */
#define HV_M2P_VIRT_START	0x3f8000000000UL
#define HV_M2P_VIRT_END		0x400000000000UL

/* mm.c, mm_types.c, multicall.c: the pagetable hypercalls. */
long hv_do_mmu_update(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_mmuext_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_multicall(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);
long hv_do_memory_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5]);

/* Sets up d->mmu; the builder calls it first.  TERN_HV_AUDIT=1 audits. */
int hv_mmu_init(struct hv_domain *d, char *err, size_t errlen);
/* Loads v's base pointer with a counted L4 reference (VCPUOP_initialise). */
int hv_mmu_vcpu_set_baseptr(struct hv_vcpu *v, mfn_t l4);
/*
 * A writable reference the hypervisor itself holds on a guest frame it
 * writes directly (rings, vcpu_info): the frame cannot become a pagetable
 * meanwhile.  -EINVAL if the domain does not own it or it is one.
 */
int hv_mmu_hold_page(struct hv_domain *d, mfn_t mfn);
void hv_mmu_release_page(struct hv_domain *d, mfn_t mfn);
/*
 * Domain destruction: drops base pointers, pins and allocation references
 * so that every frame returns to the free pool; returns how many did not.
 */
uint64_t hv_mmu_relinquish(struct hv_domain *d);
/* Relinquishes if not yet done and frees the MMU state (hv_domain_free). */
void hv_mmu_destroy(struct hv_domain *d);
void hv_mmu_lock(struct hv_domain *d);
void hv_mmu_unlock(struct hv_domain *d);
/* Counts from scratch and compares (audit.c); 0 or the number of faults. */
int hv_mmu_audit(struct hv_domain *d, char *why, size_t len);
/* The host's actual mappings of the window against the guest's tables. */
int hv_shadow_audit(struct hv_domain *d, char *why, size_t len);
void hv_mmu_print_stats(struct hv_domain *d, FILE *f);

/* hypercall.c: a hypercall by number, counted, as multicall needs it. */
long hv_hypercall_invoke(struct hv_vcpu *v, ucontext_t *uc, unsigned int nr,
			 const uint64_t a[5]);

/* domain.c */
void hv_domain_shutdown(struct hv_domain *d, unsigned int reason);
void __attribute__((noreturn)) hv_domain_crash(struct hv_vcpu *v, ucontext_t *uc,
					       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void hv_console_write(struct hv_domain *d, const char *buf, size_t len);
void hv_console_printf(struct hv_domain *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *hv_hypercall_name(unsigned int nr);

/* dump.c */
void hv_dump_registers(struct hv_vcpu *v, const ucontext_t *uc);

/* Guest register access in a signal context. */
#define UC_REG(uc, r)	((uc)->uc_mcontext.gregs[REG_##r])

#endif
