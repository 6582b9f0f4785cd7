// SPDX-License-Identifier: MIT
/*
 * The console until drivers exist.  HYPERVISOR_console_io writes straight
 * to the hypervisor's console; Xen refuses it to unprivileged guests in
 * release builds, so when it fails we write into the console ring that the
 * domain builder gave us (start_info console.domU) and kick its event
 * channel, which is how xenconsoled hears us.  Output only: the ring's
 * input side belongs to the console driver, which replaces this console
 * once it is up (CON_BOOT).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/layout.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/io/console.h>

static struct xencons_interface *early_ring;
static evtchn_port_t early_ring_port;

static void hvc_io_write(const char *s, size_t len)
{
	HYPERVISOR_console_io(CONSOLEIO_write, len, s);
}

static void ring_kick(void)
{
	struct evtchn_send send = { .port = early_ring_port };

	HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
}

/* Copies into the output ring, waiting for the backend when it is full. */
static void ring_write(const char *s, size_t len)
{
	struct xencons_interface *r = early_ring;
	XENCONS_RING_IDX prod = r->out_prod;

	while (len) {
		XENCONS_RING_IDX cons = READ_ONCE(r->out_cons);

		if (prod - cons >= sizeof(r->out)) {
			r->out_prod = prod;
			ring_kick();
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
			continue;
		}
		r->out[MASK_XENCONS_IDX(prod, r->out)] = *s++;
		prod++;
		len--;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->out_prod = prod;
	ring_kick();
}

/* CON_BOOT: the console driver (drivers/xen/console.c) takes over. */
static struct console early_console = {
	.name = "xen-early",
	.flags = CON_BOOT,
};

void xen_early_console_init(void)
{
	static const char probe[] = "";

	if (HYPERVISOR_console_io(CONSOLEIO_write, 0, probe) == 0) {
		early_console.write = hvc_io_write;
	} else {
		if (!IS_ENABLED(CONFIG_XEN_EARLY_CONSOLE_RING))
			return;
		early_ring = xen_bootstrap_page(_mfn(xen_start_info->console.domU.mfn));
		early_ring_port = xen_start_info->console.domU.evtchn;
		if (!early_ring)
			return;
		early_console.write = ring_write;
	}
	register_console(&early_console);
}
