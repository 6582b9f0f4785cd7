/* SPDX-License-Identifier: MIT */
#ifndef TERN_T_LIVE_H
#define TERN_T_LIVE_H

/*
 * Helpers of the host tests that drive running guests from another
 * process, as the toolstack's verbs do (t_domctl_live.c, t_logdirty_live.c):
 * a temporary directory holding the run directory, tern-xl as a shell
 * command, the domain's console log, and its control socket.
 * live_env, when set, goes before each `tern-xl create` (environment
 * for the domain's process, such as TERN_HV_LOGDIRTY=ro).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hosttest.h"
#include "tools/libs/ctrl/xc.h"

static char tmp[64], top[512], xl[600], out[65536];
static const char *live_env = "";

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Runs a shell command; its output (stdout and stderr) into out. */
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	size_t n;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *console(unsigned int domid)
{
	static char buf[1 << 20];
	char path[200];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/run/%u.console", tmp, domid);
	f = fopen(path, "r");
	buf[0] = '\0';
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

static bool wait_console(unsigned int domid, const char *needle, int seconds)
{
	double end = now() + seconds;

	while (now() < end) {
		if (strstr(console(domid), needle))
			return true;
		usleep(50 * 1000);
	}
	return false;
}

/* tern-xl create in the background; the domain id, or -1. */
static int create(const char *name, const char *kernel, unsigned int vcpus,
		  const char *extra)
{
	char cfg[200];
	unsigned int id;
	FILE *f;

	snprintf(cfg, sizeof(cfg), "%s/%s.cfg", tmp, name);
	f = fopen(cfg, "w");
	if (!f)
		return -1;
	fprintf(f, "name = \"%s\"\nkernel = \"%s\"\nmemory = 128\nvcpus = %u\nextra = \"%s\"\n",
		name, kernel, vcpus, extra);
	fclose(f);
	if (sh("%s timeout 60 %s -v create %s", live_env, xl, cfg))
		return -1;
	if (sscanf(strstr(out, "(id=") ? strstr(out, "(id=") : "", "(id=%u)", &id) != 1)
		return -1;
	return wait_console(id, "staying up", 60) ? (int)id : -1;
}

static xc_interface *control(unsigned int domid)
{
	char path[200];

	snprintf(path, sizeof(path), "%s/run/%u.ctl", tmp, domid);
	return xc_interface_open_socket(path);
}

/*
 * The seconds of ptstress's last periodic report on the console, and
 * whether every report so far had no mismatch and no error.
 */
static unsigned int last_ptstress_s(unsigned int domid, bool *clean)
{
	const char *p = console(domid), *q;
	unsigned int s = 0, v;

	*clean = true;
	for (q = strstr(p, "ptstress: "); q; q = strstr(q + 1, "ptstress: ")) {
		unsigned long long r, u, mm, e;

		if (sscanf(q, "ptstress: %u s, %llu rounds, %llu updates, %llu mismatches, %llu errors",
			   &v, &r, &u, &mm, &e) == 5) {
			s = v;
			*clean &= !mm && !e;
		}
	}
	return s;
}

/*
 * Waits up to seconds for a ptstress report of more than after seconds;
 * the report's number is the guest's elapsed time, so on a loaded host it
 * may be 31 or 41 rather than 30: never wait for an exact one.
 */
static bool wait_ptstress_after(unsigned int domid, unsigned int after,
				int seconds)
{
	bool clean;
	int i;

	for (i = 0; i < seconds * 10; i++) {
		if (last_ptstress_s(domid, &clean) > after)
			return true;
		usleep(100000);
	}
	return false;
}

/*
 * The kernel and tern-xl from $TOP (else ../..), and a fresh directory
 * /tmp/<name>.XXXXXX with the run directory in it; false if it cannot be
 * made (a FAIL line says so).
 */
static bool live_setup(const char *name)
{
	const char *t = getenv("TOP");

	signal(SIGPIPE, SIG_IGN);
	snprintf(top, sizeof(top), "%s/tern", t ? t : "../..");
	snprintf(xl, sizeof(xl), "%s/tern-xl", t ? t : "../..");
	snprintf(tmp, sizeof(tmp), "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(tmp)) {
		printf("FAIL: mkdtemp\n");
		return false;
	}
	snprintf(out, sizeof(out), "%s/run", tmp);
	setenv("TERN_RUN_DIR", out, 1);
	return true;
}

#endif
