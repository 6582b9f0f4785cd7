// SPDX-License-Identifier: MIT
/* tern-xl: command dispatch and help. */
#include <stdio.h>
#include <string.h>

#include "xl.h"
#include "xl_migrate.h"
#include "xl_saverestore.h"
#include "xl_store.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "create", main_create, "create [-c] <config> [key=value ...]   build and start a guest" },
	{ "list", main_list, "list                                     list running guests" },
	{ "console", main_console, "console <domain>                         follow a guest's console" },
	{ "stats", main_stats, "stats <domain>                           hypercall and PV MMU counters" },
	{ "debug-keys", main_debug_keys, "debug-keys <keys>                        send debug keys ('q': VIRQ_DEBUG)" },
	{ "vcpu-list", main_vcpu_list, "vcpu-list [<domain>]                     vCPUs: state, host CPU, time" },
	{ "destroy", main_destroy, "destroy <domain>                         stop a guest at once" },
	{ "resume", main_resume, "resume <domain>                          resume a suspended guest in place" },
	{ "save", main_save, "save [-c] [-p] [-t SECS] <domain> <file>  save a guest to a file (-c: keep it running)" },
	{ "restore", main_restore, "restore [-c] [-n] <file>                 restore a saved guest (-n: check the file)" },
	{ "shutdown", main_shutdown, "shutdown [-w] [-F] [-t SECS] <-a|domain> ask guests to power off (-w: wait)" },
	{ "reboot", main_reboot, "reboot [-w] [-F] [-t SECS] <-a|domain>   ask guests to reboot (-w: wait)" },
	/* live migration (xl_migrate.c) */
	{ "migrate", main_migrate, "migrate [-s CMD] [-p PORT] [--max-rounds N] [--threshold PAGES] [--max-downtime MS] <domain> <host>  move a running guest" },
	{ "migrate-receive", main_migrate_receive, "migrate-receive [-l [ADDR:]PORT]        receive a guest (run by migrate)" },
	{ "offline-page", main_offline_page, "offline-page [--pfn] [-t SECS] <domain> <frame> move a guest off a machine frame" },
	{ "info", main_info, "info                                     the host's hypervisor: version, memory, log-dirty" },
};

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: tern-xl [-v] <command> [args]\n\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\n<domain> is a name or a domain id.  See Documentation/tern-xl.rst.\n");
}

int main(int argc, char **argv)
{
	unsigned int i;

	/* libxenstore finds the daemon through the environment. */
	if (xl_store_setenv()) {
		perror("tern-xl: setting XENSTORED_PATH");
		return XL_EXIT_ERROR;
	}
	while (argc > 1 && !strcmp(argv[1], "-v")) {
		xl_verbose = true;
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return XL_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		usage(stdout);
		return XL_EXIT_OK;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tern-xl: unknown command '%s' (try tern-xl help)\n",
		argv[1]);
	return XL_EXIT_ERROR;
}
