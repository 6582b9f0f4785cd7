// SPDX-License-Identifier: MIT
/*
 * printk formats into a bounded buffer and hands the text, line by line,
 * to every registered console, each line prefixed with the seconds since
 * the kernel could first read the clock (local_clock(), the same on Xen
 * and on the host hypervisor) and the CPU that printed it:
 * "[    1.234567] [cpu 2] text".
 *
 * Whole lines only.  Each CPU collects text in its own line buffer until a
 * newline (or until the buffer is full), so a line built by several
 * printk calls stays one line; then the line goes to the consoles under
 * the console lock, so lines from different CPUs never interleave.  Events
 * are masked while a CPU touches its buffer, so an event handler's printk
 * cannot land in the middle of a line being copied; it can still land
 * between two printk calls that build one line, as anywhere else.
 *
 * Consoles change under the same lock (register_console()), so a boot
 * console hands over to the real one between two lines.
 *
 * Panic.  After panic() has stopped the other CPUs, one of them may have
 * been stopped holding the console lock.  console_panic() makes printk
 * wait only a bounded time for the lock and then write anyway: no other
 * CPU is left to write at the same time.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/spinlock.h>
#include <linux/time.h>
#include <asm/processor.h>

#define PANIC_LOCK_SPINS	(1U << 16)

struct printk_line {
	char buf[CONFIG_LOG_BUF_LINE];
	unsigned int len;
	bool started;
	u64 ts;				/* when its first character came */
};

static struct console *consoles;
static struct printk_line lines[NR_CPUS];
static DEFINE_SPINLOCK(console_lock);
static bool panicking;

/* Takes the console lock; in a panic, gives up waiting after a while. */
static bool console_lock_acquire(void)
{
	unsigned int spins = 0;

	if (!READ_ONCE(panicking)) {
		arch_spin_lock(&console_lock);
		return true;
	}
	while (!arch_spin_trylock(&console_lock))
		if (++spins > PANIC_LOCK_SPINS)
			return false;
	return true;
}

void register_console(struct console *con)
{
	struct console **pp;
	unsigned long flags;
	bool locked;

	local_irq_save(flags);
	locked = console_lock_acquire();
	if (!(con->flags & CON_BOOT)) {
		for (pp = &consoles; *pp;) {
			if ((*pp)->flags & CON_BOOT)
				*pp = (*pp)->next;
			else
				pp = &(*pp)->next;
		}
	}
	con->next = consoles;
	consoles = con;
	if (locked)
		arch_spin_unlock(&console_lock);
	local_irq_restore(flags);
}

/* Sends l out as one line; events are masked. */
static void emit_line(struct printk_line *l, unsigned int cpu)
{
	char out[CONFIG_LOG_BUF_LINE + 40];
	struct console *con;
	size_t n;
	bool locked;

	n = scnprintf(out, sizeof(out), "[%5lu.%06lu] [cpu %u] ",
		      (unsigned long)(l->ts / NSEC_PER_SEC),
		      (unsigned long)(l->ts % NSEC_PER_SEC / NSEC_PER_USEC), cpu);
	memcpy(out + n, l->buf, l->len);
	n += l->len;
	out[n++] = '\n';
	l->len = 0;
	l->started = false;

	locked = console_lock_acquire();
	for (con = consoles; con; con = con->next)
		con->write(out, n);
	if (locked)
		arch_spin_unlock(&console_lock);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[CONFIG_LOG_BUF_LINE];
	struct printk_line *l;
	unsigned long flags;
	unsigned int cpu;
	int len, i;

	len = vscnprintf(buf, sizeof(buf), fmt, ap);
	local_irq_save(flags);
	cpu = smp_processor_id();
	l = &lines[cpu];
	for (i = 0; i < len; i++) {
		/* A full buffer is sent out as a line of its own. */
		if (l->len == sizeof(l->buf) && buf[i] != '\n')
			emit_line(l, cpu);
		if (!l->started) {
			l->ts = local_clock();
			l->started = true;
		}
		if (buf[i] == '\n')
			emit_line(l, cpu);
		else
			l->buf[l->len++] = buf[i];
	}
	local_irq_restore(flags);
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

void console_panic(void)
{
	unsigned long flags;
	unsigned int cpu;

	local_irq_save(flags);
	WRITE_ONCE(panicking, true);
	cpu = smp_processor_id();
	if (lines[cpu].len)
		emit_line(&lines[cpu], cpu);
	local_irq_restore(flags);
}
