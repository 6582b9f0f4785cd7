// SPDX-License-Identifier: MIT
/*
 * A domain's console, as `xl console` shows it: the console log in the
 * run directory, copied to stdout from its beginning and then as it
 * grows.  The log is written by the domain's own process (its console
 * backend and its stderr), so the console survives a detach and a
 * re-attach, and any number of readers.
 *
 * On a terminal, the terminal is put in raw mode for the time, as xl
 * console does: what is typed goes to the console, not to the terminal
 * driver, so Ctrl-C is a byte for the guest and never a signal that could
 * end anything; Ctrl-] (0x1d) detaches, and the guest keeps running.
 * tern's console has no input side yet, so other bytes are dropped.
 * Output processing stays on, since the guest writes bare newlines.
 *
 * `tern-xl console` stops when the domain's process is gone or the domain
 * has ended (kept by "preserve"); a domain that is not running when asked
 * is reported, not followed.  `create -c` follows through
 * xl_console_follow() with its own test for the end (its child).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "xl.h"

#define CTRL_RBRACKET	0x1d	/* xl console's escape: detach */

static struct termios saved;
static bool raw;

void xl_console_restore(void)
{
	if (raw)
		tcsetattr(0, TCSANOW, &saved);
	raw = false;
}

/* Raw input (no echo, no line editing, no signals), output as it was. */
static void make_raw(void)
{
	struct termios t;

	if (!isatty(0) || tcgetattr(0, &saved))
		return;
	t = saved;
	cfmakeraw(&t);
	t.c_oflag = saved.c_oflag;
	if (tcsetattr(0, TCSANOW, &t))
		return;
	raw = true;
	atexit(xl_console_restore);
}

/* Copies what the log has beyond what was copied; false on a write error. */
static bool copy_out(int log)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(log, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return false;
	return true;
}

/* Reads what was typed; true when it held the detach key. */
static bool typed_detach(void)
{
	char buf[64];
	ssize_t n = read(0, buf, sizeof(buf));

	return n > 0 && memchr(buf, CTRL_RBRACKET, n);
}

enum xl_console_end xl_console_follow(int log, bool (*ended)(void *arg),
				      void *arg)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	enum xl_console_end end = XL_CONSOLE_ENDED;

	make_raw();
	for (;;) {
		/* The end is checked first, so what came before it is shown. */
		bool over = ended(arg);

		if (!copy_out(log)) {
			end = XL_CONSOLE_ERROR;
			break;
		}
		if (over)
			break;
		if (poll(&p, raw, 100) > 0 && typed_detach()) {
			end = XL_CONSOLE_DETACHED;
			break;
		}
	}
	xl_console_restore();
	return end;
}

/* A domain being followed by `tern-xl console` has ended or gone. */
static bool dom_ended(void *arg)
{
	const struct xl_dom *dom = arg;
	struct xl_dom now;

	if (xl_dom_read(dom->domid, &now) || now.pid != dom->pid)
		return true;
	return !xl_dom_running(&now);
}

bool xl_dom_running(const struct xl_dom *dom)
{
	return !strcmp(dom->state, "running") ||
	       !strcmp(dom->state, "building") ||
	       !strcmp(dom->state, "suspended");
}

int main_console(int argc, char **argv)
{
	struct xl_dom dom;
	char path[600];
	int fd;
	enum xl_console_end end;

	if (argc != 2) {
		fprintf(stderr, "usage: tern-xl console <domain>\n");
		return XL_EXIT_ERROR;
	}
	if (xl_dom_find(argv[1], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[1]);
		return XL_EXIT_ERROR;
	}
	xl_console_path(dom.domid, path, sizeof(path));
	if (!xl_dom_running(&dom)) {
		fprintf(stderr, "tern-xl: domain %s (id %u) is not running (state %s); its console log is %s\n",
			dom.name, dom.domid, dom.state, path);
		return XL_EXIT_ERROR;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tern-xl: %s: %s\n", path, strerror(errno));
		return XL_EXIT_ERROR;
	}
	end = xl_console_follow(fd, dom_ended, &dom);
	close(fd);
	return end == XL_CONSOLE_ERROR ? XL_EXIT_ERROR : XL_EXIT_OK;
}
