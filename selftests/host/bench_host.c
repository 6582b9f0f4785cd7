// SPDX-License-Identifier: MIT
/*
 * Host baselines for `make bench`: what a plain system call and a memcpy
 * of one page cost on this machine, so guest figures can be read as
 * ratios.  Prints "bench host: <what> <value> <unit>" lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 200000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(void)
{
	/* 64 MiB: larger than any cache, like a guest's memory. */
	static char a[64 << 20], b[64 << 20];
	uint64_t t0;
	int i;

	t0 = now_ns();
	for (i = 0; i < ROUNDS; i++)
		syscall(SYS_getppid);
	printf("bench host: syscall_ns %lu ns\n",
	       (unsigned long)((now_ns() - t0) / ROUNDS));
	memset(a, 1, sizeof(a));
	t0 = now_ns();
	for (i = 0; i < 20; i++) {
		memcpy(b, a, sizeof(a));
		__asm__ __volatile__("" : : "r"(b) : "memory");
	}
	printf("bench host: memcpy_mib_per_s %lu MiB/s\n",
	       (unsigned long)(20ULL * 64 * 1000000000ULL / (now_ns() - t0)));
	return 0;
}
