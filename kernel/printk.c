// SPDX-License-Identifier: MIT
/*
 * printk formats into a bounded buffer and hands the text to every
 * registered console.  Lines go out whole so that tests parsing the
 * console never see two lines interleaved.
 */
#include <linux/kernel.h>
#include <linux/string.h>

static struct console *consoles;

void register_console(struct console *con)
{
	con->next = consoles;
	consoles = con;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[CONFIG_LOG_BUF_LINE];
	struct console *con;
	int len;

	len = vscnprintf(buf, sizeof(buf), fmt, ap);
	for (con = consoles; con; con = con->next)
		con->write(buf, len);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vprintk(fmt, ap);
	va_end(ap);
	return len;
}
