/* SPDX-License-Identifier: MIT */
#ifndef _HV_INCLUDE_DOMCTL_H
#define _HV_INCLUDE_DOMCTL_H

/*
 * The door into the hypervisor: domain control operations shaped like
 * Xen's domctls (public/domctl.h, whose numbers they keep where Xen has
 * the operation), for the toolstack in tools/.  Every request is a
 * struct hv_domctl -- a command, the domain it acts on, and a small
 * fixed-size argument -- plus, for some, a payload in (a vCPU context,
 * a list of pfns) and a payload out (mfns, frame types, a context, text)
 * and at most one file descriptor each way.  The same request is served
 * in the domain's own process by hv_domctl() and from any other process
 * over the domain's control socket (hv/include/hv/control.h), which
 * carries these bytes unchanged.
 *
 * Results are 0 or a negative errno, Xen's where Xen has the operation:
 * -ESRCH for a domain this hypervisor does not run, -ENOSYS for an
 * unknown command, -EINVAL for an argument out of range, and for each
 * operation the codes listed with it below.  A refused request changes
 * nothing.
 *
 * Frame numbers cross this door as bare 64-bit values (they are data in
 * a message); tools turn them into mfn_t/pfn_t at once.
 */
#include <stddef.h>
#include <stdint.h>

#include <xen/frame.h>
#include <xen/interface/xen.h>
#include <xen/interface/arch-x86/xen.h>
#include <xen/interface/domctl.h>

#define HV_DOMCTL_INTERFACE_VERSION	1

/*
 * Where a guest may live on this hypervisor: L4 slots 32..127 of its
 * address space, the last of which holds the read-only m2p (as Xen's
 * slots 256..271 hold Xen).  A kernel and its start-of-day region must
 * fit below HV_M2P_VIRT_START.
 */
#define HV_GUEST_VA_START	0x100000000000UL
#define HV_GUEST_VA_END		0x400000000000UL
#define HV_M2P_VIRT_START	0x3f8000000000UL

/* vCPUs a domain may have: the vcpu_info slots of shared_info. */
#define HV_MAX_VCPUS		XEN_LEGACY_MAX_VCPUS
/* Frames one populate, release, getmemlist or frame-info request may name. */
#define HV_DOMCTL_MAX_BATCH	65536U
/* Largest payload either way (text reports, batches, a vCPU context). */
#define HV_DOMCTL_MAX_PAYLOAD	(HV_DOMCTL_MAX_BATCH * 8)

/*
 * Commands.  Those with Xen's number behave as Xen's do for a PV domain;
 * the 0x1000 range is what Xen does through other interfaces (memory_op
 * on behalf of a domain, privcmd's foreign mappings, mmuext_op with a
 * foreign domain, the console and xenstore set-up of libxl, sysctls).
 * physinfo, a sysctl on Xen, names no domain.
 */
enum hv_domctl_cmd {
	/* Xen's */
	HV_DOMCTL_createdomain		= XEN_DOMCTL_createdomain,
	HV_DOMCTL_destroydomain		= XEN_DOMCTL_destroydomain,
	HV_DOMCTL_pausedomain		= XEN_DOMCTL_pausedomain,
	HV_DOMCTL_unpausedomain		= XEN_DOMCTL_unpausedomain,
	HV_DOMCTL_getdomaininfo		= XEN_DOMCTL_getdomaininfo,
	HV_DOMCTL_getmemlist		= XEN_DOMCTL_getmemlist,
	HV_DOMCTL_shadow_op		= XEN_DOMCTL_shadow_op,
	HV_DOMCTL_setvcpucontext	= XEN_DOMCTL_setvcpucontext,
	HV_DOMCTL_getvcpucontext	= XEN_DOMCTL_getvcpucontext,
	HV_DOMCTL_getvcpuinfo		= XEN_DOMCTL_getvcpuinfo,
	HV_DOMCTL_hypercall_init	= XEN_DOMCTL_hypercall_init,
	HV_DOMCTL_getvcpuaffinity	= XEN_DOMCTL_getvcpuaffinity,
	HV_DOMCTL_resumedomain		= XEN_DOMCTL_resumedomain,
	HV_DOMCTL_gettscinfo		= XEN_DOMCTL_gettscinfo,
	HV_DOMCTL_settscinfo		= XEN_DOMCTL_settscinfo,
	HV_DOMCTL_getpageframeinfo3	= XEN_DOMCTL_getpageframeinfo3,
	/* hv's, where Xen uses another interface */
	HV_DOMCTL_populate_physmap	= 0x1000,
	HV_DOMCTL_decrease_reservation	= 0x1001,
	HV_DOMCTL_map_foreign		= 0x1002,
	HV_DOMCTL_mmuext_op		= 0x1003,
	HV_DOMCTL_ring_setup		= 0x1004,
	HV_DOMCTL_evtchn_bind_fd	= 0x1005,
	HV_DOMCTL_console_output	= 0x1006,
	HV_DOMCTL_debug_keys		= 0x1007,
	HV_DOMCTL_get_stats		= 0x1008,
	HV_DOMCTL_physinfo		= 0x1009,
	/* save and restore's (0x1010 on) */
	HV_DOMCTL_map_m2p		= 0x1010,
	HV_DOMCTL_audit			= 0x1011,
	HV_DOMCTL_prefill		= 0x1012,
	/* page exchange's (0x1020 on) */
	HV_DOMCTL_memory_exchange	= 0x1020,
	HV_DOMCTL_mmu_update		= 0x1021,
	HV_DOMCTL_page_offline		= 0x1022,
	HV_DOMCTL_frame_state		= 0x1023,
	HV_DOMCTL_frame_holds		= 0x1024,
};

/*
 * createdomain: an empty domain -- no memory, no vCPU initialised,
 * paused once (as Xen's controller pause count starts at 1): the first
 * unpause starts it.  Its machine memory holds 2 * max_pages + 1024
 * frames, handed out in runs of 64 in an order scrambled by seed, so
 * that pfns and mfns never line up and no two seeds give one layout.
 * shared_info is allocated here (getdomaininfo.shared_info_frame).
 * -EEXIST: the domid is in use; -EINVAL: no pages, or vCPUs not in
 * 1..HV_MAX_VCPUS, or a domid Xen reserves; -ENOMEM: no host memory.
 */
struct hv_domctl_createdomain {
	uint64_t max_pages;
	uint32_t max_vcpus;
	uint32_t seed;
};

/* getdomaininfo: out.  Xen's fields, and what hv adds after them. */
struct hv_domctl_getdomaininfo {
	uint32_t flags;			/* XEN_DOMINF_*, shutdown reason */
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t pause_count;		/* toolstack pauses held */
	uint64_t tot_pages;		/* populated pfns */
	uint64_t max_pages;
	uint64_t shared_info_frame;	/* its mfn */
	uint64_t cpu_time;		/* ns, all vCPU threads */
	uint64_t nr_frames;		/* machine frames (map_foreign) */
	uint32_t crashed_by_hv;		/* shut down by hv, not the guest */
	uint32_t pad;
};

/*
 * populate_physmap: first_pfn .. first_pfn + nr - 1 get machine frames,
 * zeroed, in the domain's scrambled-run order; out: nr mfns (8 bytes
 * each).  The m2p learns every pair.  All or nothing: -EINVAL for a run
 * beyond max_pages or longer than HV_DOMCTL_MAX_BATCH, -EEXIST if a pfn
 * already has a frame, -ENOMEM when the machine is full.
 *
 * decrease_reservation: gives those pfns' frames back.  All or nothing:
 * -ENOENT for a pfn without a frame, -EBUSY for a frame anything but its
 * allocation references (mapped, typed, held).
 *
 * getmemlist: out: the mfn of each pfn, INVALID_MFN_RAW where none.
 */
struct hv_domctl_pfn_range {
	uint64_t first_pfn;
	uint64_t nr;
};

/*
 * getpageframeinfo3: in: num pfns, 8 bytes each; out: num slots, each
 * the pfn's frame type (XEN_DOMCTL_PFINFO_*): L1TAB..L4TAB for a frame
 * of that pagetable type (whether or not a reference holds it, as Xen
 * reports), LPINTAB added if pinned, NOTAB for any other frame, XTAB for
 * a pfn without a frame.  Xen takes gfns, which for a PV guest are mfns;
 * hv takes pfns, since it keeps the p2m.
 */

/*
 * setvcpucontext / getvcpucontext: payload one struct vcpu_guest_context
 * (in for set, out for get) in Xen's 64-bit PV layout: all general
 * registers, rip, rflags, cs/ss, the FXSAVE image, the trap table by
 * vector, kernel_ss/sp, ctrlreg[3] = xen_pfn_to_cr3(the L4's mfn) and
 * ctrlreg[1] for a user L4, the callbacks, vm_assist, the GS bases, and
 * flags: VGCF_in_kernel, VGCF_online (the vCPU is up), VGCF_i387_valid.
 *
 * get reads what resuming the vCPU will use: the domain is paused for
 * the time of the call if it was not.  -EINVAL for a bad vCPU number,
 * -ENODATA for a vCPU never initialised.
 *
 * set follows Xen's arch_set_info_guest and checks everything before it
 * changes anything: -EINVAL for a non-canonical address (rip, rsp,
 * kernel_sp, a callback, a trap handler, a GS base), an LDT or GDT, a
 * vm_assist bit Xen does not know, user mode without a user L4, or a
 * ctrlreg[3] that is not a frame of the domain able to be its L4;
 * -EOPNOTSUPP for a vCPU already initialised whose ctrlreg[3] or [1]
 * differs from the one it runs on (Xen never moves a live vCPU's base
 * pointer this way); -EOPNOTSUPP for what hv cannot give a vCPU: an FS
 * base (the host's FS is the hypervisor thread's), guest user mode.  A
 * GDT or LDT is neither kept nor used (the guest runs on the host's flat
 * segments) and reads back as none.
 * VGCF_online brings the vCPU up (its thread starts once the domain
 * runs), its absence takes it down.  The domain is paused meanwhile.
 */
struct hv_domctl_vcpu {
	uint32_t vcpu;
	uint32_t pad;
};

/*
 * getvcpuinfo: Xen's fields.  online: up (VCPUOP_up, or VGCF_online) and
 * with a thread; blocked: in SCHEDOP_block or SCHEDOP_poll; running:
 * online and not blocked; cpu: host CPU its thread last ran on, or
 * HV_VCPUINFO_NO_CPU; cpu_time: ns its thread has run.
 */
#define HV_VCPUINFO_NO_CPU	0xffffffffU
struct hv_domctl_getvcpuinfo {
	uint32_t vcpu;			/* in */
	uint8_t online, blocked, running, paused;
	uint64_t cpu_time;
	uint32_t cpu;
	uint32_t pad;
};

/*
 * getvcpuaffinity: out: the vCPU thread's host CPU mask, as a byte
 * bitmap (CPU n: bit n % 8 of byte n / 8); empty when it has no thread.
 */

/*
 * hypercall_init: fills frame gmfn (an mfn, as for a PV guest) with the
 * hypercall page: Xen's 64-bit stubs, syscall in each 32-byte slot.
 * -EINVAL if the domain does not own it or it cannot be writable.
 */
struct hv_domctl_hypercall_init {
	uint64_t gmfn;
};

/*
 * resumedomain: a domain shut down with SHUTDOWN_suspend runs on, each
 * vCPU from its context as it now is (Xen's domain_resume; the fast
 * resume a toolstack wants sets vCPU 0's rax to 1 first).  0 and nothing
 * done for a domain that is running; -EINVAL for one that shut down for
 * another reason (its vCPU threads are gone on hv).
 */

/*
 * gettscinfo / settscinfo: Xen's TSC record of a domain, what a save
 * carries in X86_TSC_INFO.  The guest reads the host's TSC natively, so
 * get says XC_SR_TSC_MODE_DEFAULT (not emulated), the host's TSC rate in
 * kHz, the TSC as nanoseconds, and the incarnation (how many times the
 * domain was restored or migrated into).  set takes a stream's record for
 * a domain not started yet: the incarnation becomes one more than given;
 * DEFAULT and NEVER_EMULATE are accepted whatever the rate (the guest
 * scales the TSC with its vcpu_time_info, which hv fills with this host's
 * rate), ALWAYS_EMULATE is -EOPNOTSUPP (hv cannot trap rdtsc), any other
 * mode -EINVAL, and -EBUSY once the domain runs.
 */
struct hv_domctl_tsc_info {
	uint32_t tsc_mode;
	uint32_t gtsc_khz;
	uint32_t incarnation;
	uint32_t pad;
	uint64_t elapsed_nsec;
};

/*
 * shadow_op: log-dirty with Xen's verbs (XEN_DOMCTL_SHADOW_OP_*), for a
 * PV domain as Xen 4.17 answers them (Documentation/log-dirty.rst):
 *
 * ENABLE_LOGDIRTY, or ENABLE with XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY in
 *   mode: from now on every pfn written is marked, by the guest or by
 *   the hypervisor.  -EINVAL if on already; -EOPNOTSUPP if this host can
 *   use no mechanism (or not the one TERN_HV_LOGDIRTY names).  ENABLE
 *   without LOG_DIRTY: -EOPNOTSUPP for mode 0 (Xen's test mode), -EINVAL
 *   otherwise; ENABLE_TEST -EOPNOTSUPP.  The domain is paused meanwhile.
 * OFF: stops it; 0 also when it was off.
 * PEEK: the bitmap, unchanged.  CLEAN: the bitmap, cleared, with write
 *   tracking re-armed atomically with respect to guest writes: a write
 *   is in this bitmap or in the next one, never lost between.  The
 *   domain is not paused.  mode may hold XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL
 *   (the last round: the pages the hypervisor holds writable -- the
 *   console and xenstore rings, a registered vcpu_info -- are marked
 *   first), any other bit is -EINVAL.  The bitmap goes out as the
 *   payload: pages bits, bit n (bit n % 8 of byte n / 8) for pfn n;
 *   pfns at and above the domain's max_pages read as clear.  CLEAN clears
 *   only the bits it returns.  No payload room at all (out_max 0): only
 *   the counts, and CLEAN still clears, as Xen with a NULL handle;
 *   room for fewer than (pages + 7) / 8 bytes: -ENOBUFS and nothing
 *   changed; pages beyond HV_DOMCTL_MAX_PAYLOAD * 8: -EINVAL.  Without
 *   ENABLE both succeed with an all-clear bitmap and zero counts, as
 *   Xen's do.  fault_count: first writes the tracking took since the last
 *   CLEAN; dirty_count: pfns dirty (before a CLEAN clears them).  pages
 *   comes back unchanged.
 * Others (ENABLE_TRANSLATE, GET/SET_ALLOCATION, unknown): -EINVAL.  A
 * dying domain: 0 and nothing done, as Xen.
 *
 * shared_info has no pfn and is never in the bitmap: a migration sends it
 * as Xen's does, as a record read through map_foreign at getdomaininfo's
 * shared_info_frame while the guest is suspended.
 */
struct hv_domctl_shadow_op {
	uint32_t op;
	uint32_t mode;
	uint64_t pages;			/* in: bitmap size in pfns */
	uint32_t fault_count;		/* out */
	uint32_t dirty_count;		/* out */
};

/*
 * map_foreign: the domain's machine memory, for another process to map
 * ("foreign mapping"): the memfd comes back as the fd (over the control
 * socket with SCM_RIGHTS), frame n at byte n * 4096, nr_frames of them.
 * The caller owns the fd and closes it; the memory stays the domain's.
 */
struct hv_domctl_map_foreign {
	uint64_t nr_frames;		/* out */
};

/*
 * mmuext_op: what a toolstack does to a domain's pagetables on its
 * behalf (Xen: mmuext_op with the domain as foreigndom): cmd is
 * MMUEXT_PIN_L1_TABLE..MMUEXT_PIN_L4_TABLE or MMUEXT_UNPIN_TABLE on mfn,
 * with the hypercall's result (-EINVAL for a frame that does not
 * validate or is pinned already); other commands -EINVAL.
 */
struct hv_domctl_mmuext_op {
	uint32_t cmd;
	uint32_t pad;
	uint64_t mfn;
};

/*
 * ring_setup: the start-of-day rings.  The frame becomes one the
 * hypervisor holds writable (it can never become a pagetable), and the
 * lowest free event channel port is allocated for it, port coming back:
 * HV_RING_CONSOLE ports go to hv's console backend (the guest's output
 * reaches the console outputs), HV_RING_STORE ports stay unbound until
 * the toolstack binds them (evtchn_bind_fd), as Xen's do until xenstored
 * is told of the domain.  -EINVAL for a frame the domain does not own or
 * that cannot be writable, -EEXIST if that ring is set up already.
 */
#define HV_RING_CONSOLE		1
#define HV_RING_STORE		2
struct hv_domctl_ring_setup {
	uint32_t kind;
	uint32_t port;			/* out */
	uint64_t mfn;
};

/*
 * evtchn_bind_fd: the toolstack's end of an unbound port is the fd given
 * (a socket or pipe): each EVTCHNOP_send the guest makes on the port
 * writes send_byte to it (never blocking: a full socket already holds a
 * notification), and each raise_byte read from it raises the port in the
 * guest.  Any other byte, or the end of the file, ends the binding with a
 * line on the console; sends then go nowhere.  -EINVAL for a port that
 * is not an unbound one of the domain.
 */
struct hv_domctl_evtchn_bind_fd {
	uint32_t port;
	uint8_t send_byte;
	uint8_t raise_byte;
	uint16_t pad;
};

/*
 * console_output: the fd given also receives the domain's console (the
 * console ring, console_io, and hv's own messages about the domain).  At
 * most HV_CONSOLE_OUTPUTS of them: -ENOSPC after.
 */
#define HV_CONSOLE_OUTPUTS	2

/*
 * physinfo (no domain): out: one struct hv_physinfo, what `xl info` prints
 * of a host, from this hypervisor's process: the host's CPUs and memory,
 * the Xen version it answers as, and how log-dirty would track writes
 * here (the mechanism the next ENABLE would use, and why not the other).
 */
struct hv_physinfo {
	uint32_t nr_cpus;		/* online host CPUs */
	uint32_t pagesize;
	uint64_t total_pages;		/* host RAM, in pages */
	uint64_t free_pages;
	uint32_t xen_major, xen_minor;
	uint64_t virt_start;		/* XENVER_platform_parameters */
	uint64_t max_map_count;		/* vm.max_map_count, 0 if unknown */
	char xen_extra[16];
	char xen_caps[64];
	char xen_changeset[64];
	char logdirty[32];		/* mechanism name */
	char logdirty_note[160];	/* why not the other one, or empty */
};

/*
 * map_m2p: the machine-to-pseudophysical table of the domain's machine,
 * read-only, for a save to turn the frames it finds in pagetables into
 * pfns (Xen's toolstack maps the m2p the same way): the fd comes back,
 * one 8-byte pfn per machine frame (INVALID_PFN for a frame nobody
 * owns), nr_frames entries; the caller closes it.  The guest's own view
 * at XENMEM_machphys_mapping is the same memory.
 */
struct hv_domctl_map_m2p {
	uint64_t nr_frames;		/* out */
	uint64_t bytes;			/* out: the fd's size */
};

/*
 * audit: the PV MMU audit (reference counts, types, the m2p against the
 * guest's p2m, the shadow against the guest's tables) run once now, the
 * domain paused for its duration if it was running: 0, or -EIO with
 * what it found as text in the payload out.  A restore runs it before
 * the domain's first instruction.
 */

/*
 * debug_keys: in: the keys, as Xen's console takes them; out: what each
 * did, one line per vCPU notified.  Only 'q' exists: VIRQ_DEBUG on every
 * vCPU.  -EINVAL (and nothing sent) if any key is unknown.
 *
 * get_stats: out: the hypercall and PV MMU counters as text, the report
 * of `tern-xl stats`.
 */

/*
 * memory_exchange: XENMEM_exchange on behalf of a suspended domain (Xen's
 * toolstack calls the memory_op with the domain's id; hv lets it only
 * while the domain is shut down for suspend: -EBUSY otherwise).  Payload
 * in: nr_extents input mfns, then nr_extents output pfns, 8 bytes each;
 * out: room for nr_extents new mfns.  Extents are order 0 (in_order and
 * out_order both 0; unequal orders -EINVAL as Xen's size check, equal
 * non-zero ones -EOPNOTSUPP on hv).  Each input frame must be the
 * domain's, held by nothing but its allocation (no mapping, type,
 * pin or hypervisor hold: Xen's steal_page), or the exchange stops
 * there with -EINVAL; the first nr_exchanged extents are skipped, as
 * on a continuation, and nr_exchanged comes back counting the extents
 * done (Xen's partial progress).  Each new frame gets the m2p entry of
 * its output pfn, and hv's p2m record moves with it; the input frame is
 * freed, and offlined if it was offline pending.  The new frame's
 * contents are undefined (zero on hv): the toolstack copies.
 */
struct hv_domctl_memory_exchange {
	uint64_t nr_extents;
	uint64_t nr_exchanged;		/* in and out */
	uint32_t in_order, out_order;
};

/*
 * mmu_update: mmu_update requests (payload in, struct mmu_update each)
 * applied to a suspended domain's pagetables as if the domain had made
 * them (Xen: mmu_update with the domain as foreigndom):
 * MMU_NORMAL_PT_UPDATE, MMU_PT_UPDATE_PRESERVE_AD, MMU_MACHPHYS_UPDATE,
 * with the hypercall's checks and errors; done counts those applied
 * before the first failure.  -EBUSY for a domain that is not suspended.
 */
struct hv_domctl_mmu_update {
	uint32_t count;
	uint32_t done;			/* out */
};

/*
 * page_offline: Xen's XEN_SYSCTL_page_offline_op on one frame of the
 * domain's machine.  cmd HV_PAGE_OFFLINE: a free frame is offlined at
 * once (PG_OFFLINE_OFFLINED), a frame in use becomes offline pending
 * (PG_OFFLINE_PENDING | PG_OFFLINE_OWNED, the owner in the status's upper
 * 16 bits) and is offlined when freed, a hypervisor frame (I/O, xenheap)
 * is refused (PG_OFFLINE_FAILED | PG_OFFLINE_XENPAGE, rc -EPERM).
 * HV_PAGE_ONLINE takes an offlined frame back into the free pool or
 * withdraws a pending offline (PG_ONLINE_ONLINED).  HV_PAGE_QUERY:
 * PG_OFFLINE_STATUS_*.  -EINVAL for a frame beyond the machine.
 */
#define HV_PAGE_OFFLINE		1
#define HV_PAGE_ONLINE		2
#define HV_PAGE_QUERY		3
#define PG_OFFLINE_INVALID	(1U << 0)
#define PG_OFFLINE_OFFLINED	(1U << 1)
#define PG_OFFLINE_PENDING	(1U << 2)
#define PG_OFFLINE_FAILED	(1U << 3)
#define PG_ONLINE_FAILED	PG_OFFLINE_FAILED
#define PG_ONLINE_ONLINED	PG_OFFLINE_OFFLINED
#define PG_OFFLINE_STATUS_OFFLINED		(1U << 1)
#define PG_OFFLINE_STATUS_ONLINE		(1U << 2)
#define PG_OFFLINE_STATUS_OFFLINE_PENDING	(1U << 3)
#define PG_OFFLINE_XENPAGE	(1U << 8)
#define PG_OFFLINE_ANONYMOUS	(1U << 10)
#define PG_OFFLINE_OWNED	(1U << 12)
#define PG_OFFLINE_OWNER_SHIFT	16
struct hv_domctl_page_offline {
	uint32_t cmd;
	uint32_t status;		/* out */
	uint64_t mfn;
};

/*
 * frame_state: what holds one frame of the domain, for a toolstack that
 * must know why a frame cannot be exchanged (Xen's toolstack reads the
 * same from getpageframeinfo and the grant tables): the counts and
 * type, whether it is pinned, a vCPU's base pointer, held by the
 * hypervisor (a ring, a vcpu_info, the hypercall page: hv's grant-like
 * holds) or the hypervisor's own.  -EINVAL for a frame beyond the
 * machine; a frame of another owner comes back with that owner.
 */
#define HV_FRAME_PINNED		(1U << 0)
#define HV_FRAME_BASEPTR	(1U << 1)	/* some vCPU's cr3 or user cr3 */
#define HV_FRAME_HV_HELD	(1U << 2)	/* the hypervisor maps it */
#define HV_FRAME_XENHEAP	(1U << 3)
#define HV_FRAME_VALIDATED	(1U << 4)
#define HV_FRAME_OFFLINE_PENDING (1U << 5)
#define HV_FRAME_OFFLINED	(1U << 6)
#define HV_FRAME_CONSOLE_RING	(1U << 7)	/* hv's console backend's ring */
#define HV_FRAME_STORE_RING	(1U << 8)	/* the xenstore ring */
#define HV_FRAME_VCPU_INFO	(1U << 9)	/* a registered vcpu_info */
struct hv_domctl_frame_state {
	uint64_t mfn;			/* in */
	uint32_t count, type_count;	/* out */
	uint16_t owner;			/* out: DOMID_INVALID if free */
	uint8_t type;			/* out: 0 none, 1..4 L1..L4, 5 writable */
	uint8_t pad;
	uint32_t flags;			/* out: HV_FRAME_* */
};

/*
 * frame_holds: the hypervisor's own uses of one frame of a suspended
 * domain, set aside and taken again, so that page exchange can move a
 * frame the hypervisor holds (Xen has no counterpart: there the rings
 * are granted to backend domains and a live vCPU's cr3 cannot change,
 * so Xen's method refuses such frames).  HV_HOLDS_RELEASE on frame mfn:
 * every hold the hypervisor has on it -- the console ring its backend
 * reads, the xenstore ring, vcpu_infos placed in it, vCPUs' base
 * pointers -- is dropped and remembered (held says which; 0 if none);
 * the console backend leaves the ring alone meanwhile, a vcpu_info
 * lives in the hypervisor, and the domain cannot be resumed or
 * unpaused (-EBUSY) until HV_HOLDS_TAKE puts every remembered hold on
 * frame mfn (the new frame, or the old one to roll back; a vcpu_info's
 * contents come along), all or nothing.  -EBUSY: the domain is not
 * suspended, or (RELEASE) holds of another frame are aside; -ENOENT:
 * (TAKE) nothing is aside; -EINVAL: the frame is not the domain's or
 * cannot take the holds (a base pointer needs a frame that validates
 * as an L4).
 */
#define HV_HOLDS_RELEASE	1
#define HV_HOLDS_TAKE		2
#define HV_HOLD_CONSOLE_RING	(1U << 0)
#define HV_HOLD_STORE_RING	(1U << 1)
#define HV_HOLD_VCPU_INFO	(1U << 2)
#define HV_HOLD_BASEPTR		(1U << 3)
struct hv_domctl_frame_holds {
	uint32_t cmd;
	uint32_t held;			/* out: HV_HOLD_* */
	uint64_t mfn;
};

/*
 * prefill: the host memory behind the next nr frames the domain will be
 * given (by populate_physmap) made ready in the background -- allocated
 * and zeroed by the host -- so that a restore filling them does not wait
 * for the host's page allocator page by page (Xen's heap is memory it
 * owns already).  HV_PREFILL_START returns at once; a second START
 * replaces the first; nr 0 stops it.  HV_PREFILL_STATUS: nr and done
 * (frames ready) of the last START.  Only host memory changes: no frame
 * is handed out, nothing the guest or the toolstack sees differs.
 * -EINVAL: nr above max_pages, or another cmd.
 */
#define HV_PREFILL_START	1
#define HV_PREFILL_STATUS	2
struct hv_domctl_prefill {
	uint32_t cmd;
	uint32_t pad;
	uint64_t nr;			/* START: in; STATUS: out */
	uint64_t done;			/* STATUS: out */
};

struct hv_domctl {
	uint32_t cmd;			/* enum hv_domctl_cmd */
	uint32_t interface_version;	/* HV_DOMCTL_INTERFACE_VERSION */
	domid_t domain;
	uint16_t pad[3];
	union {
		struct hv_domctl_createdomain createdomain;
		struct hv_domctl_getdomaininfo getdomaininfo;
		struct hv_domctl_pfn_range pfns;
		struct hv_domctl_vcpu vcpu;
		struct hv_domctl_getvcpuinfo getvcpuinfo;
		struct hv_domctl_hypercall_init hypercall_init;
		struct hv_domctl_shadow_op shadow_op;
		struct hv_domctl_map_foreign map_foreign;
		struct hv_domctl_mmuext_op mmuext_op;
		struct hv_domctl_ring_setup ring_setup;
		struct hv_domctl_evtchn_bind_fd evtchn_bind_fd;
		struct hv_domctl_tsc_info tsc_info;
		struct hv_domctl_map_m2p map_m2p;
		struct hv_domctl_memory_exchange memory_exchange;
		struct hv_domctl_mmu_update mmu_update;
		struct hv_domctl_page_offline page_offline;
		struct hv_domctl_frame_state frame_state;
		struct hv_domctl_frame_holds frame_holds;
		struct hv_domctl_prefill prefill;
		uint8_t raw[64];
	} u;
};
_Static_assert(sizeof(struct hv_domctl) == 80, "hv_domctl is a wire format");

/* The payloads and descriptors that go with one request. */
struct hv_domctl_payload {
	const void *in;			/* request payload */
	size_t in_len;
	void *out;			/* room for the answer's payload */
	size_t out_max;
	size_t out_len;			/* set: bytes written to out */
	int fd_in;			/* handed over (the callee dups it), or -1 */
	int fd_out;			/* set: handed back, the caller's, or -1 */
};

/*
 * Runs one request against a domain of this process: 0 or -errno, with
 * op's argument and p's out part updated.  Any thread except a vCPU's;
 * requests run one at a time (Xen's domctl lock), and none waits on the
 * guest except pause and destroy, which wait for the vCPU threads to be
 * still or gone.  p may be NULL for requests without payload or fds.
 */
long hv_domctl(struct hv_domctl *op, struct hv_domctl_payload *p);

#endif
