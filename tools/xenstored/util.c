// SPDX-License-Identifier: MIT
/*
 * Logging, allocation and quotas: the small things every other file of
 * tern-xenstored uses.
 *
 * Allocation failure is fatal on purpose: every request is handled to
 * completion in one go, and unwinding half-made changes to the tree or a
 * transaction on ENOMEM would be more code, and more bugs, than the
 * situation deserves on a host with gigabytes of memory.  Quotas, not
 * malloc failures, are what stop a domain from eating memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "private.h"

int xsd_verbose;

struct xsd_quota xsd_quota = {
	.nodes = 1000,
	.entry_size = 2048,
	.watches = 128,
	.transactions = 10,
	.outstanding = 20,
	.perms = 5,
};

static const struct {
	const char *name;
	size_t off;
} quota_names[] = {
	{ "nodes", offsetof(struct xsd_quota, nodes) },
	{ "entry-size", offsetof(struct xsd_quota, entry_size) },
	{ "watches", offsetof(struct xsd_quota, watches) },
	{ "transactions", offsetof(struct xsd_quota, transactions) },
	{ "outstanding", offsetof(struct xsd_quota, outstanding) },
	{ "perms", offsetof(struct xsd_quota, perms) },
};

int xsd_quota_set(const char *name, unsigned int value)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(quota_names); i++) {
		if (strcmp(name, quota_names[i].name))
			continue;
		/* A zero limit would wedge a domain for good: refuse it. */
		if (!value)
			return -1;
		*(unsigned int *)((char *)&xsd_quota + quota_names[i].off) = value;
		return 0;
	}
	return -1;
}

const char *xsd_quota_names(void)
{
	return "nodes, entry-size, watches, transactions, outstanding, perms";
}

/*
 * One log line: local date and time to the millisecond, as Xen's
 * xenstored stamps its log (it stops at the second), then the message.
 */
static void vlog(const char *fmt, va_list ap)
{
	struct timespec ts;
	char when[32];
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (!localtime_r(&ts.tv_sec, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(when, sizeof(when), "@%lld", (long long)ts.tv_sec);
	fprintf(stderr, "%s.%03ld xenstored: ", when, ts.tv_nsec / 1000000);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fflush(stderr);
}

void xsd_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void xsd_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!xsd_verbose)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

static void *oom(void)
{
	fprintf(stderr, "xenstored: out of memory\n");
	abort();
}

void *xsd_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	return p ? p : oom();
}

void *xsd_zalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	return p ? p : oom();
}

void *xsd_realloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	return p ? p : oom();
}

char *xsd_strdup(const char *s)
{
	return xsd_memdup(s, strlen(s) + 1);
}

void *xsd_memdup(const void *p, size_t size)
{
	void *q = xsd_malloc(size);

	memcpy(q, p, size);
	return q;
}
