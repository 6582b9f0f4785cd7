/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_XL_MIGRATE_H
#define _TOOLS_XL_MIGRATE_H

/* tern-xl migrate and migrate-receive (xl_migrate.c). */
int main_migrate(int argc, char **argv);
int main_migrate_receive(int argc, char **argv);

#endif
