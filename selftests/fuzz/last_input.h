/* SPDX-License-Identifier: MIT */
/*
 * The input under test kept in the file $FUZZ_LAST_INPUT names, written
 * before each run: a process killed where no handler of libFuzzer's can
 * run (a stack overflow's SIGSEGV, for one) leaves no crash artifact, and
 * run-fuzz then keeps this file as the artifact instead.
 */
#ifndef FUZZ_LAST_INPUT_H
#define FUZZ_LAST_INPUT_H

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static inline void fuzz_keep_input(const uint8_t *data, size_t size)
{
	static int fd = -2;

	if (fd == -2) {
		const char *path = getenv("FUZZ_LAST_INPUT");

		fd = path ? open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644) : -1;
	}
	if (fd < 0)
		return;
	if (pwrite(fd, data, size, 0) != (ssize_t)size || ftruncate(fd, size))
		fd = -1;
}

#endif
