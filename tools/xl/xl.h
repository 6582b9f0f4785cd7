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

#include "tools/libs/light/tl.h"

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
	unsigned long long pid_start;	/* its start time (/proc), 0: unknown */
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
/*
 * libxl_domain_rename: domain domid, called from, is called to from now
 * on (its state file and its xenstore name nodes).  0, or -ESRCH (no such
 * live domain), -ESTALE (it is not called from), -EEXIST (another domain
 * is called to), -EINVAL (not a name), -errno.
 */
int xl_dom_rename(unsigned int domid, const char *from, const char *to);
/*
 * The state of a domain whose process lives: 0, or -1 if there is none
 * (a dead process's domain is reaped on the way: its xenstore nodes and
 * run directory files removed).
 */
int xl_dom_read(unsigned int domid, struct xl_dom *dom);
/* Removes the domain's state file, JSON and control socket. */
void xl_dom_forget(unsigned int domid);
int xl_dom_find(const char *name_or_id, struct xl_dom *dom);
/*
 * The domain a verb's single argument names (argv[1]): 0, or exit status
 * 1 with the usage or "no domain" said on stderr.
 */
int xl_dom_arg(const char *verb, int argc, char **argv, struct xl_dom *dom);
/*
 * An option's number, 1 to max, whole and in decimal: 0, or -1 with
 * "tern-xl: <verb>: <opt> takes <unit>1 to <max>, not '<arg>'" said
 * (unit: "" or e.g. "seconds, ").
 */
int xl_parse_number(const char *verb, const char *opt, const char *arg,
		    unsigned long max, const char *unit, unsigned long *v);
/* Calls fn for each live domain in domid order; fn's first non-zero result. */
int xl_for_each_dom(int (*fn)(const struct xl_dom *dom, void *arg), void *arg);
/* Whether the domain's process still runs (not a zombie, not a new one). */
bool xl_dom_alive(const struct xl_dom *dom);
/* A process's start time, for xl_dom.pid_start; 0 if unknown. */
unsigned long long xl_proc_start(pid_t pid);
void xl_console_path(unsigned int domid, char *buf, size_t len);

/*
 * The domain's configuration as libxl keeps it ("<domid>.json", libxl's
 * JSON): written by create, read by list -l and by anything that needs
 * the configuration a running domain was made with (save).  0, or -1 with
 * errno (write) or one line in err (read).
 */
int xl_dom_config_write(unsigned int domid, const struct tl_domain_config *c);
int xl_dom_config_read(unsigned int domid, struct tl_domain_config *c,
		       char *err, size_t errlen);

/* The console log, followed on stdout (xl_console.c). */
enum xl_console_end {
	XL_CONSOLE_ENDED,	/* ended() said so; everything before shown */
	XL_CONSOLE_DETACHED,	/* Ctrl-] on the terminal */
	XL_CONSOLE_ERROR,	/* stdout failed */
};
/*
 * Copies log to stdout from where it stands until ended(arg) is true
 * (checked every 100 ms) or, with a terminal on stdin (then in raw mode),
 * until Ctrl-] is typed.
 */
enum xl_console_end xl_console_follow(int log, bool (*ended)(void *arg),
				      void *arg);
/* Puts the terminal back as it was (also done at exit). */
void xl_console_restore(void);
/* Running, being built or suspended: not ended (and kept). */
bool xl_dom_running(const struct xl_dom *dom);

int main_create(int argc, char **argv);
/*
 * create's work once the configuration is read: the domain's own process
 * builds it (or, with restore_file, restores it from that save file) and
 * runs it; with console, this process follows its console.  An exit
 * status.
 */
int xl_create_domain(const struct tl_domain_config *cfg, bool console,
		     const char *restore_file);
/* migrate-receive's domain: restored, paused, until xl_incoming_go. */
struct xl_incoming {
	pid_t pid;			/* the domain's process */
	unsigned int domid;
	int sock;			/* the handshake with it */
};
struct xg_sr_in;
/*
 * The domain's process is forked and restores the libxl stream from in
 * (xl's header read already) into a domain called cfg->name (the
 * incoming name), which stays paused: 0 once restored, or -1 (said on
 * stderr) with nothing left.  chan (unless -1) is the receiver's channel,
 * which the domain's process must not keep open.
 */
int xl_receive_domain(const struct tl_domain_config *cfg,
		      const char *final_name, struct xg_sr_in *in, int chan,
		      struct xl_incoming *inc);
/*
 * "go": it takes final_name and runs: 0, or -1 with why (then the domain
 * is gone; xl_incoming_abort waits for its process).
 */
int xl_incoming_go(struct xl_incoming *inc, char *err, size_t errlen);
/* No go: the domain is destroyed and its process waited for. */
void xl_incoming_abort(struct xl_incoming *inc);
int main_list(int argc, char **argv);
int main_console(int argc, char **argv);
int main_destroy(int argc, char **argv);
/*
 * destroy's work: the domain's process told to destroy it (SIGTERM),
 * waited for, killed after 10 s.  0, or -1 with a line on stderr.
 */
int xl_dom_destroy(struct xl_dom *dom);
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
int main_offline_page(int argc, char **argv);
/*
 * Xen's fast resume of a suspended domain (what resume does): 0, or
 * -errno with why.
 */
int xl_fast_resume(struct xc_interface *xch, const struct xl_dom *dom,
		   char *why, size_t whylen);
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_info(int argc, char **argv);

#endif
