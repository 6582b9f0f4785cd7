/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: vCPU operations, HYPERVISOR_vcpu_op(cmd, vcpuid, arg).
 */
#ifndef __XEN_INTERFACE_VCPU_H__
#define __XEN_INTERFACE_VCPU_H__

#include <xen/interface/xen.h>

#define VCPUOP_initialise		0	/* struct vcpu_guest_context */
#define VCPUOP_up			1	/* NULL: start the vCPU */
#define VCPUOP_down			2	/* NULL: stop it */
#define VCPUOP_is_up			3	/* NULL: returns 1 if running */
#define VCPUOP_get_runstate_info	4	/* struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area 5	/* ..._runstate_memory_area */
#define VCPUOP_set_periodic_timer	6	/* ..._set_periodic_timer */
#define VCPUOP_stop_periodic_timer	7	/* NULL */
#define VCPUOP_set_singleshot_timer	8	/* ..._set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer	9	/* NULL */
#define VCPUOP_register_vcpu_info	10	/* ..._register_vcpu_info */
#define VCPUOP_send_nmi			11	/* NULL */
#define VCPUOP_get_physid		12	/* struct vcpu_get_physid */
#define VCPUOP_register_vcpu_time_memory_area 13 /* ..._time_memory_area */

/* vcpu_runstate_info.state */
#define RUNSTATE_running	0	/* on a physical CPU */
#define RUNSTATE_runnable	1	/* ready, waiting for a CPU */
#define RUNSTATE_blocked	2	/* waiting for an event */
#define RUNSTATE_offline	3	/* neither: down or paused */

/*
 * Set in state_entry_time while Xen rewrites a registered runstate area
 * (with VMASST_TYPE_runstate_update_flag), so readers can retry.
 */
#define XEN_RUNSTATE_UPDATE	(xen_mk_ullong(1) << 63)

/*
 * vcpu_set_singleshot_timer.flags: ask for -ETIME if the deadline has
 * already passed.  Xen may ignore it (4.17 does), so never rely on it.
 */
#define _VCPU_SSHOTTMR_future	0
#define VCPU_SSHOTTMR_future	(xen_mk_uint(1) << _VCPU_SSHOTTMR_future)

#ifndef __ASSEMBLY__

/* Time spent by a vCPU in each state, in ns. */
struct vcpu_runstate_info {
	int32_t state;			/* RUNSTATE_* */
	uint32_t pad;
	uint64_t state_entry_time;	/* system time of the last change */
	uint64_t time[4];		/* indexed by RUNSTATE_* */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);
XEN_ABI_OFFSET(struct vcpu_runstate_info, state_entry_time, 8);
XEN_ABI_OFFSET(struct vcpu_runstate_info, time, 16);
XEN_ABI_SIZE(struct vcpu_runstate_info, 48);

/*
 * VCPUOP_register_runstate_memory_area: Xen keeps a copy of the runstate
 * at this guest virtual address up to date.
 */
struct vcpu_register_runstate_memory_area {
	union {
		XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
		uint64_t p;
	} addr;
};
typedef struct vcpu_register_runstate_memory_area
	vcpu_register_runstate_memory_area_t;
XEN_ABI_SIZE(struct vcpu_register_runstate_memory_area, 8);

/* VCPUOP_set_periodic_timer: fire VIRQ_TIMER every period_ns. */
struct vcpu_set_periodic_timer {
	uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
XEN_ABI_SIZE(struct vcpu_set_periodic_timer, 8);

/* VCPUOP_set_singleshot_timer: fire VIRQ_TIMER once at timeout_abs_ns. */
struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;	/* system time, ns */
	uint32_t flags;			/* VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
XEN_ABI_OFFSET(struct vcpu_set_singleshot_timer, flags, 8);
XEN_ABI_SIZE(struct vcpu_set_singleshot_timer, 16);

/*
 * VCPUOP_register_vcpu_info: move this vCPU's vcpu_info out of the
 * shared-info page to offset in frame mfn (which must hold it entirely).
 * Needed for vCPUs beyond XEN_LEGACY_MAX_VCPUS; done once per vCPU.
 */
struct vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;
	uint32_t rsvd;			/* must be zero */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
XEN_ABI_OFFSET(struct vcpu_register_vcpu_info, offset, 8);
XEN_ABI_SIZE(struct vcpu_register_vcpu_info, 16);

/* VCPUOP_get_physid: APIC id in bits 0-31, ACPI id in bits 32-63. */
struct vcpu_get_physid {
	uint64_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
XEN_ABI_SIZE(struct vcpu_get_physid, 8);
#define xen_vcpu_physid_to_x86_apicid(physid)	((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid)	((uint32_t)((physid) >> 32))

/*
 * VCPUOP_register_vcpu_time_memory_area: Xen also keeps a copy of the
 * vcpu_time_info at this guest virtual address up to date.
 */
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
	union {
		XEN_GUEST_HANDLE(vcpu_time_info_t) h;
		uint64_t p;
	} addr;
};
typedef struct vcpu_register_time_memory_area
	vcpu_register_time_memory_area_t;
XEN_ABI_SIZE(struct vcpu_register_time_memory_area, 8);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_VCPU_H__ */
