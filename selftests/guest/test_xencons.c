// SPDX-License-Identifier: MIT
/*
 * The console ring driver: printk goes through it (so a line printed
 * here moves the ring's producer index), and input the backend puts in
 * the input ring reaches a reader, in order, with the ring's space given
 * back.  To produce input the test plays the backend for a moment: it
 * writes into the input ring and runs the driver's receive path, as the
 * event handler would.  Nobody types on the console meanwhile, on the
 * host hypervisor (whose backend has no input yet) or in the rig.
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <linux/string.h>
#include <linux/time.h>
#include <xen/console.h>

static const char input[] = "tern input 0123456789";

static enum selftest_result xencons_test(void)
{
	struct xencons_interface *r = xen_console_ring();
	XENCONS_RING_IDX prod;
	char got[64];
	size_t n, i;

	if (!xen_console_active() || !r) {
		printk("xencons: the console driver is not up\n");
		return SELFTEST_ERROR;
	}
	prod = READ_ONCE(r->out_prod);
	printk("xencons: this line goes through the console ring\n");
	ST_CHECK(READ_ONCE(r->out_prod) != prod);

	/* Nothing typed: a read times out empty. */
	ST_CHECK(xen_console_read(got, sizeof(got), NSEC_PER_MSEC) == 0);

	prod = READ_ONCE(r->in_prod);
	for (i = 0; i < sizeof(input) - 1; i++)
		r->in[MASK_XENCONS_IDX(prod + i, r->in)] = input[i];
	__atomic_store_n(&r->in_prod, prod + i, __ATOMIC_RELEASE);
	xen_console_receive();
	ST_CHECK(READ_ONCE(r->in_cons) == prod + i);

	n = xen_console_read(got, 4, NSEC_PER_SEC);
	ST_CHECK(n == 4 && !memcmp(got, input, 4));
	n = xen_console_read(got, sizeof(got), NSEC_PER_SEC);
	ST_CHECK(n == sizeof(input) - 5 && !memcmp(got, input + 4, n));
	return selftest_status();
}
DEFINE_SELFTEST(xencons, xencons_test);
