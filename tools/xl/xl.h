/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_XL_H
#define _TOOLS_XL_H

/*
 * tern-xl: the toolstack CLI, shaped like Xen's xl.  Each running domain is
 * one hypervisor process; the run directory holds, per domain, a state file
 * (name, domid, pid, memory, vCPUs, state), its console log and its control
 * socket, which is how list, console, destroy and the rest find it.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define XL_EXIT_OK		0
#define XL_EXIT_ERROR		1
#define XL_EXIT_CRASH		2
#define XL_EXIT_DESTROYED	3
#define XL_EXIT_SUSPEND		4
#define XL_EXIT_WATCHDOG	5

struct xl_dom {
	char name[64];
	unsigned int domid;
	pid_t pid;
	unsigned long memory_mb;
	unsigned int vcpus;
	char state[16];
	long started;
	unsigned int boot;		/* 1 for the first build, +1 per restart */
	bool suspend_cancel;		/* its kernel can resume in place */
};

/* tern-xl -v: the builder reports the start-of-day layout. */
extern bool xl_verbose;

const char *xl_run_dir(void);
/*
 * A free domain id for a domain called name, its state file written
 * ("building") under the run directory's lock, so that two creates of the
 * same name cannot both pass: -2 (and *clash) if name is taken, -1 with
 * errno if no id can be had.
 */
int xl_alloc_domid(const char *name, struct xl_dom *clash);
int xl_dom_write(const struct xl_dom *dom);
int xl_dom_read(unsigned int domid, struct xl_dom *dom);
void xl_dom_remove(unsigned int domid);
int xl_dom_find(const char *name_or_id, struct xl_dom *dom);
/* Calls fn for each live domain in domid order; fn's first non-zero result. */
int xl_for_each_dom(int (*fn)(const struct xl_dom *dom, void *arg), void *arg);
void xl_console_path(unsigned int domid, char *buf, size_t len);

int main_create(int argc, char **argv);
int main_list(int argc, char **argv);
int main_console(int argc, char **argv);
int main_destroy(int argc, char **argv);
int main_stats(int argc, char **argv);
int main_debug_keys(int argc, char **argv);
int main_vcpu_list(int argc, char **argv);

/* The domain process's control socket (xl_control.c). */
void xl_control_path(unsigned int domid, char *buf, size_t len);
/*
 * Serves this process's hypervisor on <run dir>/<domid>.ctl: 0, or -1
 * with errno.
 */
int xl_control_start(unsigned int domid);
void xl_control_stop(unsigned int domid);
/* A handle on dom's hypervisor, over its control socket; NULL with why. */
struct xc_interface *xl_control_open(const struct xl_dom *dom, char *why,
				     size_t whylen);
int main_resume(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_info(int argc, char **argv);

#endif
