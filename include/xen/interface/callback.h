/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: guest entry points, HYPERVISOR_callback_op(cmd, arg).
 */
#ifndef __XEN_INTERFACE_CALLBACK_H__
#define __XEN_INTERFACE_CALLBACK_H__

#include <xen/interface/xen.h>

/* Which entry point a callback_register names. */
#define CALLBACKTYPE_event		0	/* event-channel upcall */
#define CALLBACKTYPE_failsafe		1	/* bad segment on return */
#define CALLBACKTYPE_syscall		2	/* 64-bit SYSCALL from user */
#define CALLBACKTYPE_sysenter_deprecated 3	/* old number; do not use */
#define CALLBACKTYPE_nmi		4	/* NMI delivered to the guest */
#define CALLBACKTYPE_sysenter		5	/* SYSENTER (32-bit user) */
/* 6 is unused. */
#define CALLBACKTYPE_syscall32		7	/* SYSCALL from 32-bit user */

/* Mask events (set evtchn_upcall_mask) when entering the callback. */
#define _CALLBACKF_mask_events		0
#define CALLBACKF_mask_events	(xen_mk_uint(1) << _CALLBACKF_mask_events)

#define CALLBACKOP_register		0	/* struct callback_register */
#define CALLBACKOP_unregister		1	/* struct callback_unregister */

#ifndef __ASSEMBLY__

struct callback_register {
	uint16_t type;			/* CALLBACKTYPE_* */
	uint16_t flags;			/* CALLBACKF_* */
	uint32_t pad;
	xen_callback_t address;		/* entry point */
};
typedef struct callback_register callback_register_t;
DEFINE_XEN_GUEST_HANDLE(callback_register_t);
XEN_ABI_OFFSET(struct callback_register, flags, 2);
XEN_ABI_OFFSET(struct callback_register, address, 8);
XEN_ABI_SIZE(struct callback_register, 16);

/* The NMI callback is the only one that can be unregistered. */
struct callback_unregister {
	uint16_t type;			/* CALLBACKTYPE_* */
	uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
DEFINE_XEN_GUEST_HANDLE(callback_unregister_t);
XEN_ABI_SIZE(struct callback_unregister, 4);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_CALLBACK_H__ */
