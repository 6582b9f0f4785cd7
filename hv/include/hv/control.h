/* SPDX-License-Identifier: MIT */
#ifndef _HV_INCLUDE_CONTROL_H
#define _HV_INCLUDE_CONTROL_H

/*
 * The control socket: how any process reaches the domains of the process
 * that runs them.  A unix stream socket; each connection carries any
 * number of requests, one after the other, each answered before the next
 * is read.  A request is a struct hv_ctl_request followed by in_len
 * payload bytes; an answer is a struct hv_ctl_response followed by
 * out_len bytes.  A descriptor travels with the header's first byte as
 * SCM_RIGHTS ancillary data, when HV_CTL_FD says so.  Both sides are this
 * machine: the structs go as they are in memory.
 *
 * A request the server cannot read (bad magic or version, a payload over
 * HV_DOMCTL_MAX_PAYLOAD) gets one answer with -EINVAL (-EPROTO for the
 * magic) and the connection is closed, since the next request's start
 * is lost.  Everything else is hv_domctl()'s answer.  The server reads
 * and writes the socket without holding any lock a vCPU thread, the
 * timer thread or the toolstack's signal thread needs: a stalled client
 * stalls only its own connection.
 */
#include <stddef.h>
#include <stdint.h>

#include "hv/include/hv/domctl.h"

#define HV_CTL_MAGIC		0x6c746374U	/* "tctl" */
#define HV_CTL_FD		0x1		/* a descriptor rides along */

struct hv_ctl_request {
	uint32_t magic;
	uint32_t flags;			/* HV_CTL_FD */
	uint32_t in_len;		/* payload bytes that follow */
	uint32_t out_max;		/* room the client has for the answer */
	struct hv_domctl op;
};

struct hv_ctl_response {
	uint32_t magic;
	uint32_t flags;			/* HV_CTL_FD */
	int32_t rc;			/* 0 or -errno */
	uint32_t out_len;		/* payload bytes that follow */
	struct hv_domctl op;		/* with its out fields */
};

/*
 * The two ends' way of moving bytes: exactly len of them, retrying short
 * transfers and EINTR.  hv_ctl_send() attaches pass_fd (unless -1) to the
 * first byte; hv_ctl_recv() takes a descriptor that comes with them into
 * *got_fd if that is -1 (the caller closes it), and closes any other.
 * 0, or -1 when the connection broke or ended.
 */
int hv_ctl_send(int sock, const void *buf, size_t len, int pass_fd);
int hv_ctl_recv(int sock, void *buf, size_t len, int *got_fd);

/*
 * Serves the listening socket fd (bound and listening; the server owns
 * it from now on) on a thread of its own, one more thread per
 * connection.  0, or -errno if no thread can be had.
 */
int hv_control_serve(int fd);

#endif
