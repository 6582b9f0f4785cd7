// SPDX-License-Identifier: MIT
/*
 * Splits the command line into words, "name" or "name=value" (a value may
 * be double-quoted to hold spaces), and calls the matching __setup handler.
 * Unknown or invalid words are reported, never fatal: a typo on the command
 * line must not stop a guest from booting.
 */
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/string.h>

extern const struct kernel_param __start_setup[], __stop_setup[];

char boot_command_line[1024];

static const struct kernel_param *find_param(const char *name)
{
	const struct kernel_param *p;

	for (p = __start_setup; p < __stop_setup; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void handle_word(char *word)
{
	const struct kernel_param *p;
	char *val = strchr(word, '=');
	int rc;

	if (val) {
		*val++ = '\0';
		if (*val == '"') {
			size_t n = strlen(++val);

			if (n && val[n - 1] == '"')
				val[n - 1] = '\0';
		}
	}
	p = find_param(word);
	if (!p) {
		printk("Unknown kernel command line parameter: %s\n", word);
		return;
	}
	rc = p->setup(val);
	if (rc)
		printk("Invalid value for %s: %s (%d)\n", word,
		       val ? val : "(none)", rc);
}

/* Returns the end of the word starting at s, honouring double quotes. */
static char *word_end(char *s)
{
	bool quoted = false;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (*s == ' ' && !quoted)
			break;
	}
	return s;
}

void parse_kernel_cmdline(const char *cmdline)
{
	char buf[sizeof(boot_command_line)];
	char *s = buf;

	strscpy(boot_command_line, cmdline, sizeof(boot_command_line));
	strscpy(buf, cmdline, sizeof(buf));
	while (*s) {
		char *end;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		end = word_end(s);
		if (*end)
			*end++ = '\0';
		handle_word(s);
		s = end;
	}
}
