// SPDX-License-Identifier: MIT
/*
 * Host-side check of include/xen/interface/.
 *
 * Including every header compiles its _Static_assert layout checks; main()
 * then re-checks a handful of sizes, offsets and constants at run time and
 * exercises the macros (guest handles, ring helpers, xenstore error table).
 * One "PASS: abi <header>" or "FAIL: abi <header>: ..." line per header;
 * the exit status is non-zero if anything failed.
 *
 *   gcc -std=gnu11 -Wall -Wextra -Werror -Iinclude \
 *       selftests/host/abi_headers.c -o /tmp/abi && /tmp/abi
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xen/interface/xen.h>
#include <xen/interface/arch-x86/xen.h>
#include <xen/interface/arch-x86/xen-x86_64.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/memory.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/callback.h>
#include <xen/interface/elfnote.h>
#include <xen/interface/features.h>
#include <xen/interface/version.h>
#include <xen/interface/errno.h>
#include <xen/interface/domctl.h>
#include <xen/interface/io/xs_wire.h>
#include <xen/interface/io/console.h>
#include <xen/interface/io/ring.h>

static int failures;
static int header_failed;
static const char *current_header;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("FAIL: abi %s: %s (line %d)\n",		\
			       current_header, #cond, __LINE__);	\
			header_failed = 1;				\
		}							\
	} while (0)

static void begin(const char *header)
{
	current_header = header;
	header_failed = 0;
}

static void end(void)
{
	if (header_failed)
		failures++;
	else
		printf("PASS: abi %s\n", current_header);
}

static void test_xen_h(void)
{
	struct mmuext_op op;
	uint64_t mask = 0x5;
	struct shared_info *si = NULL;

	begin("xen.h");
	CHECK(sizeof(struct start_info) == 1168);
	CHECK(offsetof(struct start_info, cmd_line) == 128);
	CHECK(offsetof(struct start_info, nr_p2m_frames) == 1160);
	CHECK(sizeof(struct shared_info) == 3136);
	CHECK(offsetof(struct shared_info, arch) == 3088);
	CHECK(offsetof(struct shared_info, wc_sec_hi) == 3084);
	CHECK(sizeof(si->evtchn_pending) == 512);
	CHECK(EVTCHN_2L_NR_CHANNELS == 4096);
	CHECK(sizeof(struct vcpu_info) == 64);
	CHECK(sizeof(struct vcpu_time_info) == 32);
	CHECK(sizeof(struct multicall_entry) == 64);
	CHECK(sizeof(struct mmu_update) == 16);
	CHECK(sizeof(struct mmuext_op) == 24);
	CHECK(__HYPERVISOR_mmu_update == 1);
	CHECK(__HYPERVISOR_iret == 23);
	CHECK(__HYPERVISOR_sched_op == 29);
	CHECK(__HYPERVISOR_event_channel_op == 32);
	CHECK(__HYPERVISOR_dm_op == 41);
	CHECK(__HYPERVISOR_arch_0 == 48 && __HYPERVISOR_arch_7 == 55);
	CHECK(VIRQ_TIMER == 0 && VIRQ_XENPMU == 13 && NR_VIRQS == 24);
	CHECK(MMUEXT_NEW_USER_BASEPTR == 15 && MMUEXT_UNMARK_SUPER == 20);
	CHECK(UVMF_INVLPG == 2 && UVMF_ALL == 4);
	CHECK(DOMID_SELF == 0x7FF0 && DOMID_INVALID == 0x7FF4);
	CHECK(SIF_INITDOMAIN == 2 && SIF_PM_MASK == 0xFF00);
	CHECK(XEN_PAGE_SIZE == 4096);
	CHECK(sizeof(XEN_GUEST_HANDLE(void)) == 8);
	set_xen_guest_handle(op.arg2.vcpumask, &mask);
	CHECK(op.arg2.vcpumask.p == &mask);
	CHECK(xen_guest_handle_addr(op.arg2.vcpumask) == (uintptr_t)&mask);
	end();
}

static void test_arch_x86_xen_h(void)
{
	struct trap_info ti = { .vector = 14 };

	begin("arch-x86/xen.h");
	CHECK(sizeof(struct trap_info) == 16);
	CHECK(sizeof(struct vcpu_guest_context) == 5168);
	CHECK(offsetof(struct vcpu_guest_context, user_regs) == 520);
	CHECK(offsetof(struct vcpu_guest_context, ctrlreg) == 4984);
	CHECK(offsetof(struct vcpu_guest_context, gs_base_user) == 5160);
	CHECK(sizeof(struct arch_shared_info) == 48);
	CHECK(XEN_LEGACY_MAX_VCPUS == 32);
	CHECK(VGCF_online == 32 && VGCF_IN_KERNEL == 4);
	TI_SET_DPL(&ti, 3);
	TI_SET_IF(&ti, 1);
	CHECK(ti.flags == 7 && TI_GET_DPL(&ti) == 3 && TI_GET_IF(&ti));
	end();
}

static void test_xen_x86_64_h(void)
{
	struct xen_bounce_frame64 f = { .cs = 0xe033 | (1ULL << 32) };

	begin("arch-x86/xen-x86_64.h");
	CHECK(sizeof(struct cpu_user_regs) == 200);
	CHECK(offsetof(struct cpu_user_regs, saved_upcall_mask) == 140);
	CHECK(offsetof(struct cpu_user_regs, gs) == 192);
	CHECK(sizeof(struct iret_context) == 72);
	CHECK(sizeof(struct xen_bounce_frame64) == 56);
	CHECK(sizeof(struct xen_bounce_frame64_ec) == 64);
	CHECK(offsetof(struct xen_bounce_frame64_ec, rip) == 24);
	CHECK(XEN_BOUNCE_CS_SELECTOR(f.cs) == FLAT_KERNEL_CS);
	CHECK(XEN_BOUNCE_CS_UPCALL_MASK(f.cs) == 1);
	CHECK(FLAT_KERNEL_CS == 0xe033 && FLAT_KERNEL_SS == 0xe02b);
	CHECK(FLAT_USER_CS32 == 0xe023 && FLAT_KERNEL_DS == 0);
	CHECK(HYPERVISOR_VIRT_START == 0xFFFF800000000000UL);
	CHECK(HYPERVISOR_VIRT_END == 0xFFFF880000000000UL);
	CHECK(MACH2PHYS_VIRT_END == 0xFFFF804000000000UL);
	CHECK(MACH2PHYS_NR_ENTRIES == (256UL << 30) / 8);
	CHECK(xen_pfn_to_cr3(0x1234) == 0x1234000);
	CHECK(xen_cr3_to_pfn(0x1234000) == 0x1234);
	CHECK(SEGBASE_GS_USER_SEL == 3 && VGCF_in_syscall == 256);
	end();
}

static void test_sched_h(void)
{
	begin("sched.h");
	CHECK(SCHEDOP_shutdown == 2 && SCHEDOP_pin_override == 7);
	CHECK(SHUTDOWN_crash == 3 && SHUTDOWN_soft_reset == 5);
	CHECK(sizeof(struct sched_poll) == 24);
	CHECK(offsetof(struct sched_poll, timeout) == 16);
	CHECK(sizeof(struct sched_remote_shutdown) == 8);
	end();
}

static void test_vcpu_h(void)
{
	begin("vcpu.h");
	CHECK(VCPUOP_register_vcpu_info == 10);
	CHECK(VCPUOP_register_vcpu_time_memory_area == 13);
	CHECK(sizeof(struct vcpu_runstate_info) == 48);
	CHECK(offsetof(struct vcpu_runstate_info, time) == 16);
	CHECK(sizeof(struct vcpu_set_singleshot_timer) == 16);
	CHECK(sizeof(struct vcpu_register_vcpu_info) == 16);
	CHECK(XEN_RUNSTATE_UPDATE == 1ULL << 63);
	end();
}

static void test_event_channel_h(void)
{
	begin("event_channel.h");
	CHECK(EVTCHNOP_send == 4 && EVTCHNOP_set_priority == 13);
	CHECK(EVTCHNSTAT_ipi == 5);
	CHECK(sizeof(struct evtchn_status) == 24);
	CHECK(offsetof(struct evtchn_status, u) == 16);
	CHECK(sizeof(struct evtchn_op) == 28);
	CHECK(sizeof(struct evtchn_init_control) == 24);
	CHECK(sizeof(evtchn_port_t) == 4);
	end();
}

static void test_memory_h(void)
{
	begin("memory.h");
	CHECK(XENMEM_populate_physmap == 6 && XENMEM_exchange == 11);
	CHECK(XENMEM_maximum_gpfn == 14 && XENMEM_machphys_mapping == 12);
	CHECK(XENMEM_acquire_resource == 28);
	CHECK(sizeof(struct xen_memory_reservation) == 32);
	CHECK(offsetof(struct xen_memory_reservation, domid) == 24);
	CHECK(sizeof(struct xen_memory_exchange) == 72);
	CHECK(sizeof(struct xen_add_to_physmap) == 24);
	CHECK(sizeof(struct xen_e820_entry) == 20);
	CHECK(XENMAPSPACE_gmfn_foreign == 4);
	end();
}

static void test_grant_table_h(void)
{
	begin("grant_table.h");
	CHECK(GNTTABOP_copy == 5 && GNTTABOP_cache_flush == 12);
	CHECK(sizeof(struct grant_entry_v1) == 8);
	CHECK(sizeof(union grant_entry_v2) == 16);
	CHECK(sizeof(struct gnttab_map_grant_ref) == 32);
	CHECK(offsetof(struct gnttab_map_grant_ref, handle) == 20);
	CHECK(sizeof(struct gnttab_copy) == 40);
	CHECK(sizeof(struct gnttab_setup_table) == 24);
	CHECK(GTF_permit_access == 1 && GTF_readonly == 4);
	CHECK(GTF_reading == 8 && GTF_writing == 16);
	CHECK(GNTMAP_host_map == 2 && GNTMAP_guest_avail_mask == 0xffff0000u);
	CHECK(GNTST_eagain == -12 && GNTST_no_space == -13);
	end();
}

static void test_callback_h(void)
{
	begin("callback.h");
	CHECK(CALLBACKTYPE_event == 0 && CALLBACKTYPE_syscall == 2);
	CHECK(CALLBACKTYPE_nmi == 4 && CALLBACKTYPE_sysenter == 5);
	CHECK(CALLBACKTYPE_syscall32 == 7);
	CHECK(sizeof(struct callback_register) == 16);
	CHECK(offsetof(struct callback_register, address) == 8);
	CHECK(CALLBACKF_mask_events == 1);
	end();
}

static void test_elfnote_h(void)
{
	begin("elfnote.h");
	CHECK(XEN_ELFNOTE_ENTRY == 1 && XEN_ELFNOTE_HYPERCALL_PAGE == 2);
	CHECK(XEN_ELFNOTE_FEATURES == 10);
	CHECK(XEN_ELFNOTE_SUSPEND_CANCEL == 14);
	CHECK(XEN_ELFNOTE_PHYS32_ENTRY == 18 && XEN_ELFNOTE_MAX == 18);
	CHECK(strcmp(XEN_ELFNOTE_NAME, "Xen") == 0);
	end();
}

static void test_features_h(void)
{
	begin("features.h");
	CHECK(XENFEAT_auto_translated_physmap == 2);
	CHECK(XENFEAT_gnttab_map_avail_bits == 7 && XENFEAT_dom0 == 11);
	CHECK(XENFEAT_memory_op_vnode_supported == 13);
	CHECK(XENFEAT_NR_SUBMAPS == 1);
	end();
}

static void test_version_h(void)
{
	begin("version.h");
	CHECK(XENVER_get_features == 6 && XENVER_build_id == 10);
	CHECK(XEN_EXTRAVERSION_LEN == 16);
	CHECK(XEN_CAPABILITIES_INFO_LEN == 1024);
	CHECK(XEN_CHANGESET_INFO_LEN == 64);
	CHECK(sizeof(struct xen_feature_info) == 8);
	CHECK(sizeof(struct xen_compile_info) == 144);
	end();
}

static void test_domctl_h(void)
{
	begin("domctl.h");
	/* Xen's public/domctl.h numbers, which a toolstack reads on both. */
	CHECK(XEN_DOMCTL_createdomain == 1 && XEN_DOMCTL_pausedomain == 3 &&
	      XEN_DOMCTL_getdomaininfo == 5 && XEN_DOMCTL_shadow_op == 10);
	CHECK(XEN_DOMCTL_setvcpucontext == 12 && XEN_DOMCTL_getvcpucontext == 13 &&
	      XEN_DOMCTL_hypercall_init == 22 && XEN_DOMCTL_resumedomain == 27 &&
	      XEN_DOMCTL_getpageframeinfo3 == 61);
	CHECK(XEN_DOMINF_shutdown == 4 && XEN_DOMINF_paused == 8 &&
	      XEN_DOMINF_shutdownshift == 16);
	CHECK(XEN_DOMCTL_PFINFO_L1TAB == 0x10000000U &&
	      XEN_DOMCTL_PFINFO_L4TAB == 0x40000000U &&
	      XEN_DOMCTL_PFINFO_LPINTAB == 0x80000000U &&
	      XEN_DOMCTL_PFINFO_XTAB == 0xf0000000U &&
	      XEN_DOMCTL_PFINFO_BROKEN == 0xd0000000U);
	CHECK(XEN_DOMCTL_SHADOW_OP_OFF == 0 &&
	      XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY == 2 &&
	      XEN_DOMCTL_SHADOW_OP_CLEAN == 11 && XEN_DOMCTL_SHADOW_OP_PEEK == 12);
	end();
}

static void test_errno_h(void)
{
	begin("errno.h");
	/* The numbers are Linux's x86 errno values. */
	CHECK(XEN_EPERM == 1 && XEN_ENOENT == 2 && XEN_ESRCH == 3);
	CHECK(XEN_EINTR == 4 && XEN_EIO == 5 && XEN_E2BIG == 7);
	CHECK(XEN_EAGAIN == 11 && XEN_EWOULDBLOCK == XEN_EAGAIN);
	CHECK(XEN_ENOMEM == 12 && XEN_EACCES == 13 && XEN_EFAULT == 14);
	CHECK(XEN_EBUSY == 16 && XEN_EEXIST == 17 && XEN_EINVAL == 22);
	CHECK(XEN_ENOSPC == 28 && XEN_EROFS == 30 && XEN_EDEADLK == 35);
	CHECK(XEN_ENOSYS == 38 && XEN_ENOTEMPTY == 39 && XEN_ENODATA == 61);
	CHECK(XEN_ETIME == 62 && XEN_EOVERFLOW == 75 && XEN_ERESTART == 85);
	CHECK(XEN_EOPNOTSUPP == 95 && XEN_ENOBUFS == 105);
	CHECK(XEN_EISCONN == 106 && XEN_ETIMEDOUT == 110);
	CHECK(XEN_ECONNREFUSED == 111);
	end();
}

static int xs_errno_of(const char *name)
{
	size_t i;

	for (i = 0; i < XSD_NR_ERRORS; i++)
		if (strcmp(xsd_errors[i].errstring, name) == 0)
			return xsd_errors[i].errnum;
	return xsd_errors[0].errnum;
}

static void test_xs_wire_h(void)
{
	struct xenstore_domain_interface *intf = NULL;

	begin("io/xs_wire.h");
	CHECK(XS_CONTROL == 0 && XS_DEBUG == 0 && XS_DIRECTORY == 1);
	CHECK(XS_WATCH == 4 && XS_TRANSACTION_END == 7);
	CHECK(XS_WRITE == 11 && XS_WATCH_EVENT == 15 && XS_ERROR == 16);
	CHECK(XS_SET_TARGET == 19 && XS_RESET_WATCHES == 21);
	CHECK(XS_DIRECTORY_PART == 22 && XS_TYPE_COUNT == 23);
	CHECK(XS_INVALID == 0xffff);
	CHECK(XS_WATCH_PATH == 0 && XS_WATCH_TOKEN == 1);
	CHECK(sizeof(struct xsd_sockmsg) == 16);
	CHECK(sizeof(struct xenstore_domain_interface) == 2076);
	CHECK(sizeof(intf->req) == XENSTORE_RING_SIZE);
	CHECK(MASK_XENSTORE_IDX(1025u) == 1);
	CHECK(XENSTORE_PAYLOAD_MAX == 4096);
	CHECK(XSD_NR_ERRORS == 16);
	CHECK(xsd_errors[0].errnum == XEN_EINVAL);
	CHECK(xs_errno_of("ENOENT") == XEN_ENOENT);
	CHECK(xs_errno_of("EPERM") == XEN_EPERM);
	CHECK(xs_errno_of("EBOGUS") == XEN_EINVAL);
	end();
}

static void test_console_h(void)
{
	struct xencons_interface intf;

	begin("io/console.h");
	CHECK(sizeof(struct xencons_interface) == 3088);
	CHECK(offsetof(struct xencons_interface, out) == 1024);
	CHECK(offsetof(struct xencons_interface, out_prod) == 3084);
	CHECK(MASK_XENCONS_IDX(2049u, intf.out) == 1);
	CHECK(MASK_XENCONS_IDX(1025u, intf.in) == 1);
	end();
}

struct abi_test_request {
	uint64_t id;
	uint32_t op;
};

struct abi_test_response {
	uint64_t id;
	int16_t status;
};

XEN_DEFINE_RING_TYPES(abi_test, struct abi_test_request,
		      struct abi_test_response);

static void test_ring_h(void)
{
	static union {
		uint8_t bytes[4096];
		struct abi_test_sring sring;
	} page __attribute__((__aligned__(4096)));
	struct abi_test_front_ring front;
	struct abi_test_back_ring back;
	RING_IDX i, n;
	int notify, work;

	begin("io/ring.h");
	CHECK(sizeof(struct xen_sring_header) == 64);
	CHECK(offsetof(struct abi_test_sring, ring) == 64);
	CHECK(XEN_ROUNDDOWN_POW2(0) == 0 && XEN_ROUNDDOWN_POW2(1) == 1);
	CHECK(XEN_ROUNDDOWN_POW2(252) == 128);
	CHECK(XEN_ROUNDDOWN_POW2(0x80000001u) == 0x80000000u);
	/* 16-byte slots: (4096 - 64) / 16 = 252, rounded down to 128. */
	CHECK(XEN_RING_ENTRIES(4096, 16) == 128);
	CHECK(XEN_RING_ENTRIES_OF(abi_test, 4096) == 128);
	/* 112-byte slots, as a block ring: 36 fit, 32 are used. */
	CHECK(XEN_RING_ENTRIES(4096, 112) == 32);
	CHECK(!xen_ring_need_notify(5, 5, 5));
	CHECK(xen_ring_need_notify(1, 1, 0));
	CHECK(!xen_ring_need_notify(3, 2, 0));
	CHECK(xen_ring_need_notify(0xffffffffu, 1, 0xfffffffeu));

	memset(&page, 0xa5, sizeof(page));
	XEN_SRING_INIT(&page.sring);
	CHECK(page.sring.req_prod == 0 && page.sring.req_event == 1);
	CHECK(page.sring.rsp_prod == 0 && page.sring.rsp_event == 1);
	CHECK(page.sring.__pad[0] == 0 && page.sring.__pad[47] == 0);
	XEN_FRONT_RING_INIT(&front, &page.sring, sizeof(page));
	XEN_BACK_RING_INIT(&back, &page.sring, sizeof(page));
	CHECK(XEN_RING_SIZE(&front) == 128 && XEN_RING_SIZE(&back) == 128);
	CHECK(XEN_RING_FREE_REQUESTS(&front) == 128);

	/* Frontend queues three requests; the backend asked for an event. */
	for (i = 0; i < 3; i++) {
		struct abi_test_request *req =
			XEN_RING_REQUEST(&front, front.req_prod_pvt);

		req->id = 100 + i;
		req->op = i;
		front.req_prod_pvt++;
	}
	CHECK(XEN_RING_FREE_REQUESTS(&front) == 125);
	XEN_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
	CHECK(notify);
	CHECK(page.sring.req_prod == 3);

	/* Backend consumes them and answers each. */
	n = XEN_RING_UNCONSUMED_REQUESTS(&back);
	CHECK(n == 3);
	for (i = 0; i < n; i++) {
		struct abi_test_request req =
			*XEN_RING_REQUEST(&back, back.req_cons);
		struct abi_test_response *rsp;

		back.req_cons++;
		CHECK(req.id == 100 + i);
		rsp = XEN_RING_RESPONSE(&back, back.rsp_prod_pvt);
		rsp->id = req.id;
		rsp->status = 0;
		back.rsp_prod_pvt++;
	}
	XEN_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
	CHECK(notify);
	XEN_RING_FINAL_CHECK_FOR_REQUESTS(&back, work);
	CHECK(!work && page.sring.req_event == 4);

	/* Frontend collects the responses. */
	CHECK(XEN_RING_UNCONSUMED_RESPONSES(&front) == 3);
	while (XEN_RING_UNCONSUMED_RESPONSES(&front)) {
		CHECK(XEN_RING_RESPONSE(&front, front.rsp_cons)->id ==
		      100 + front.rsp_cons);
		front.rsp_cons++;
	}
	XEN_RING_FINAL_CHECK_FOR_RESPONSES(&front, work);
	CHECK(!work && page.sring.rsp_event == 4);
	CHECK(XEN_RING_FREE_REQUESTS(&front) == 128);

	/* A push that does not reach the peer's event index is silent. */
	page.sring.req_event = 10;
	front.req_prod_pvt++;
	XEN_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
	CHECK(!notify);
	end();
}

int main(void)
{
	test_xen_h();
	test_arch_x86_xen_h();
	test_xen_x86_64_h();
	test_sched_h();
	test_vcpu_h();
	test_event_channel_h();
	test_memory_h();
	test_grant_table_h();
	test_callback_h();
	test_elfnote_h();
	test_features_h();
	test_version_h();
	test_errno_h();
	test_domctl_h();
	test_xs_wire_h();
	test_console_h();
	test_ring_h();

	if (failures) {
		printf("FAIL: abi: %d header(s) failed\n", failures);
		return 1;
	}
	return 0;
}
