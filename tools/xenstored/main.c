// SPDX-License-Identifier: MIT
/*
 * tern-xenstored: options, start-up and shutdown.
 *
 * By default the daemon detaches, and the parent exits only once the
 * child is serving: the child binds and listens on its socket, writes
 * the pid file, and then writes one byte down a pipe the parent is
 * waiting on.  So "tern-xenstored && xenstore-write ..." never races the
 * daemon's start; if the child fails, the parent sees the pipe close
 * without that byte and exits non-zero with the child's message already
 * printed.  SIGTERM and SIGINT stop the loop cleanly: the socket files
 * and the pid file are removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/libs/store/xs_attach.h"
#include "private.h"

static volatile int stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* The run directory tern-xl uses too (xs_run_dir), created if missing. */
static const char *run_dir(void)
{
	static char dir[512];

	xs_run_dir(dir, sizeof(dir));
	mkdir(dir, 0700);
	return dir;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tern-xenstored [options]\n"
		"  -s, --socket PATH           listen here (default $TERN_RUN_DIR/xenstored.sock)\n"
		"  -p, --pid-file PATH         write the daemon's pid here\n"
		"  -F, --foreground            do not detach; log to stderr\n"
		"  -v, --verbose               log every request\n"
		"  -l, --log-file PATH         log here when detached (default: nowhere)\n"
		"  -D, --domain-socket DOMID:PATH\n"
		"                              also listen on PATH for clients acting as\n"
		"                              unprivileged domain DOMID (repeatable)\n"
		"  -Q, --quota NAME=VALUE      per-domain limit; NAME is one of\n"
		"                              %s\n"
		"  -X, --xen-socket            also listen where Xen's clients look without\n"
		"                              XENSTORED_PATH ($XENSTORED_RUNDIR/socket, else\n"
		"                              /var/run/xenstored/socket); fail if a live daemon\n"
		"                              has it or it cannot be made\n"
		"      --xen-socket-if-free    the same, but carry on without it if it cannot be\n"
		"                              had\n"
		"  -h, --help                  this text\n"
		"Clients: XENSTORED_PATH=<socket> xenstore-read ...  See Documentation/xenstore.rst.\n",
		xsd_quota_names());
}

static int add_quota(const char *arg)
{
	char name[32];
	unsigned long v;
	const char *eq = strchr(arg, '=');
	char *end;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(name))
		return -1;
	snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
	errno = 0;
	v = strtoul(eq + 1, &end, 10);
	if (errno || !eq[1] || *end || v > UINT32_MAX)
		return -1;
	return xsd_quota_set(name, v);
}

struct dsock {
	unsigned int domid;
	const char *path;
};

static int parse_dsock(const char *arg, struct dsock *d)
{
	char num[8];
	const char *colon = strchr(arg, ':');

	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof(num) ||
	    !colon[1])
		return -1;
	snprintf(num, sizeof(num), "%.*s", (int)(colon - arg), arg);
	d->path = colon + 1;
	return parse_domid(num, &d->domid);
}

static int write_pid_file(const char *path)
{
	char tmp[600];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", (int)getpid());
	if (fclose(f))
		return -1;
	return rename(tmp, path);
}

/*
 * Forks; the parent waits for the child's readiness byte and exits with
 * success only if it comes.  Returns the fd the child signals on.
 */
static int daemonize(void)
{
	int pfd[2];
	char ok;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(pfd[1]);
		if (read(pfd[0], &ok, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(pfd[0]);
	setsid();
	return pfd[1];
}

static void detach_stdio(const char *log_file)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (!log_file)
			dup2(fd, 2);
		close(fd);
	}
	if (log_file) {
		fd = open(log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			  0600);
		if (fd >= 0) {
			dup2(fd, 2);
			close(fd);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "log-file", required_argument, NULL, 'l' },
		{ "domain-socket", required_argument, NULL, 'D' },
		{ "quota", required_argument, NULL, 'Q' },
		{ "xen-socket", no_argument, NULL, 'X' },
		{ "xen-socket-if-free", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock_path = NULL, *pid_file = NULL, *log_file = NULL;
	struct dsock dsocks[16];
	unsigned int nr_dsocks = 0, i;
	char def_sock[600];
	bool foreground = false, verbose = false, xen_sock = false;
	bool xen_sock_required = false, xen_sock_ok = false;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t mask;
	int opt, ready = -1;

	while ((opt = getopt_long(argc, argv, "s:p:Fvl:D:Q:Xh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 's':
			sock_path = optarg;
			break;
		case 'p':
			pid_file = optarg;
			break;
		case 'F':
			foreground = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'l':
			log_file = optarg;
			break;
		case 'D':
			if (nr_dsocks == ARRAY_SIZE(dsocks) ||
			    parse_dsock(optarg, &dsocks[nr_dsocks])) {
				fprintf(stderr, "tern-xenstored: bad --domain-socket '%s' (DOMID:PATH)\n",
					optarg);
				return 1;
			}
			nr_dsocks++;
			break;
		case 'Q':
			if (add_quota(optarg)) {
				fprintf(stderr, "tern-xenstored: bad --quota '%s' (NAME=VALUE, NAME one of %s)\n",
					optarg, xsd_quota_names());
				return 1;
			}
			break;
		case 'X':
			xen_sock = xen_sock_required = true;
			break;
		case 'x':
			xen_sock = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	if (!sock_path) {
		snprintf(def_sock, sizeof(def_sock), "%s/xenstored.sock",
			 run_dir());
		sock_path = def_sock;
	}

	if (!foreground) {
		ready = daemonize();
		if (ready < 0) {
			perror("tern-xenstored: fork");
			return 1;
		}
	}

	if (foreground)
		xsd_verbose = verbose;
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	tree_init(&xsd_tree);
	if (sock_listen(sock_path, 0, true)) {
		fprintf(stderr, "tern-xenstored: %s: %s\n", sock_path,
			strerror(errno));
		return 1;
	}
	for (i = 0; i < nr_dsocks; i++) {
		if (sock_listen(dsocks[i].path, dsocks[i].domid, false)) {
			fprintf(stderr, "tern-xenstored: %s: %s\n",
				dsocks[i].path, strerror(errno));
			sock_close_all();
			return 1;
		}
	}
	if (xen_sock) {
		xen_sock_ok = !xen_socket_listen();
		if (!xen_sock_ok && xen_sock_required) {
			fprintf(stderr, "tern-xenstored: %s: %s\n",
				xen_socket_path(), xen_socket_why());
			sock_close_all();
			return 1;
		}
	}
	if (pid_file && write_pid_file(pid_file)) {
		fprintf(stderr, "tern-xenstored: %s: %s\n", pid_file,
			strerror(errno));
		sock_close_all();
		xen_socket_done();
		return 1;
	}
	if (ready >= 0) {
		detach_stdio(log_file);
		if (write(ready, "r", 1) != 1)
			return 1;
		close(ready);
	}
	/* Only now when detaching: the parent's terminal gets errors alone. */
	xsd_verbose = verbose;
	xsd_log("serving on %s", sock_path);
	if (xen_sock_ok)
		xsd_log("serving on %s too (Xen's default path)",
			xen_socket_path());
	else if (xen_sock)
		xsd_log("not serving on %s: %s", xen_socket_path(),
			xen_socket_why());

	sock_loop(&stop);

	xsd_log("stopping");
	sock_close_all();
	xen_socket_done();
	if (pid_file)
		unlink(pid_file);
	return 0;
}
