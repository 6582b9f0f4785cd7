// SPDX-License-Identifier: MIT
/*
 * The calls of xc.h: each fills a struct hv_domctl and its payloads and
 * hands them to the hypervisor, in this process (hv_domctl()) or over the
 * control socket.  The socket side writes a request, waits for its answer,
 * and passes a descriptor each way as SCM_RIGHTS; one request at a time
 * per handle (a mutex keeps threads that share a handle in turn).  A
 * socket that breaks mid-request is an -EIO, and the handle is of no
 * further use.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "hv/include/hv/control.h"
#include "hv/include/hv/hv.h"
#include "xc.h"

struct xc_interface {
	int fd;				/* control socket, or -1: in-process */
	bool broken;
	pthread_mutex_t lock;
};

static xc_interface *alloc_handle(int fd)
{
	xc_interface *xch = calloc(1, sizeof(*xch));

	if (!xch)
		return NULL;
	xch->fd = fd;
	pthread_mutex_init(&xch->lock, NULL);
	return xch;
}

xc_interface *xc_interface_open_local(void)
{
	return alloc_handle(-1);
}

xc_interface *xc_interface_open_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	xc_interface *xch;
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = errno;
		close(fd);
		errno = err;
		return NULL;
	}
	xch = alloc_handle(fd);
	if (!xch)
		close(fd);
	return xch;
}

void xc_interface_close(xc_interface *xch)
{
	if (!xch)
		return;
	if (xch->fd >= 0)
		close(xch->fd);
	pthread_mutex_destroy(&xch->lock);
	free(xch);
}

/* ---- the socket ---- */

static long over_socket(xc_interface *xch, struct hv_domctl *op,
			struct hv_domctl_payload *p)
{
	struct hv_ctl_request req = {
		.magic = HV_CTL_MAGIC,
		.flags = p->fd_in >= 0 ? HV_CTL_FD : 0,
		.in_len = p->in_len,
		.out_max = p->out_max,
		.op = *op,
	};
	struct hv_ctl_response resp;
	int fd = -1;

	if (xch->broken)
		return -EIO;
	if (p->in_len > HV_DOMCTL_MAX_PAYLOAD || p->out_max > HV_DOMCTL_MAX_PAYLOAD)
		return -EINVAL;
	if (hv_ctl_send(xch->fd, &req, sizeof(req), p->fd_in) ||
	    (p->in_len && hv_ctl_send(xch->fd, p->in, p->in_len, -1)) ||
	    hv_ctl_recv(xch->fd, &resp, sizeof(resp), &fd))
		goto broken;
	if (resp.magic != HV_CTL_MAGIC || resp.out_len > p->out_max ||
	    (resp.out_len && hv_ctl_recv(xch->fd, p->out, resp.out_len, NULL)))
		goto broken;
	*op = resp.op;
	p->out_len = resp.out_len;
	p->fd_out = fd;
	return resp.rc;
broken:
	if (fd >= 0)
		close(fd);
	xch->broken = true;
	return -EIO;
}

long xc_domctl(xc_interface *xch, struct hv_domctl *op,
	       struct hv_domctl_payload *p)
{
	struct hv_domctl_payload none = { .fd_in = -1, .fd_out = -1 };
	long rc;

	if (!p)
		p = &none;
	op->interface_version = HV_DOMCTL_INTERFACE_VERSION;
	p->out_len = 0;
	p->fd_out = -1;
	if (xch->fd < 0)
		return hv_domctl(op, p);
	pthread_mutex_lock(&xch->lock);
	rc = over_socket(xch, op, p);
	pthread_mutex_unlock(&xch->lock);
	return rc;
}

static void op_init(struct hv_domctl *op, unsigned int cmd, domid_t domid)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->domain = domid;
}

static int simple(xc_interface *xch, unsigned int cmd, domid_t domid)
{
	struct hv_domctl op;

	op_init(&op, cmd, domid);
	return xc_domctl(xch, &op, NULL);
}

/* ---- the life cycle ---- */

int xc_domain_create(xc_interface *xch, domid_t domid, uint64_t max_pages,
		     unsigned int max_vcpus, uint32_t seed)
{
	struct hv_domctl op;

	op_init(&op, HV_DOMCTL_createdomain, domid);
	op.u.createdomain.max_pages = max_pages;
	op.u.createdomain.max_vcpus = max_vcpus;
	op.u.createdomain.seed = seed;
	return xc_domctl(xch, &op, NULL);
}

int xc_domain_destroy(xc_interface *xch, domid_t domid)
{
	return simple(xch, HV_DOMCTL_destroydomain, domid);
}

int xc_domain_pause(xc_interface *xch, domid_t domid)
{
	return simple(xch, HV_DOMCTL_pausedomain, domid);
}

int xc_domain_unpause(xc_interface *xch, domid_t domid)
{
	return simple(xch, HV_DOMCTL_unpausedomain, domid);
}

int xc_domain_resume_domctl(xc_interface *xch, domid_t domid)
{
	return simple(xch, HV_DOMCTL_resumedomain, domid);
}

int xc_domain_getinfo(xc_interface *xch, domid_t domid,
		      struct hv_domctl_getdomaininfo *info)
{
	struct hv_domctl op;
	int rc;

	op_init(&op, HV_DOMCTL_getdomaininfo, domid);
	rc = xc_domctl(xch, &op, NULL);
	if (!rc)
		*info = op.u.getdomaininfo;
	return rc;
}

int xc_domain_wait_change(xc_interface *xch, domid_t domid, uint32_t *flags,
			  struct hv_domctl_getdomaininfo *info)
{
	uint64_t seq;
	int rc;

	for (;;) {
		seq = xch->fd < 0 ? hv_domain_state_seq() : 0;
		rc = xc_domain_getinfo(xch, domid, info);
		if (rc)
			return rc;
		if ((info->flags & ~XC_DOMINF_SCHEDULING) !=
		    (*flags & ~XC_DOMINF_SCHEDULING)) {
			*flags = info->flags;
			return 0;
		}
		if (xch->fd < 0)
			hv_domain_state_wait(&seq);
		else
			poll(NULL, 0, 20);
	}
}

/* ---- vCPUs ---- */

int xc_vcpu_getcontext(xc_interface *xch, domid_t domid, unsigned int vcpu,
		       struct vcpu_guest_context *ctxt)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = {
		.out = ctxt, .out_max = sizeof(*ctxt), .fd_in = -1,
	};
	int rc;

	op_init(&op, HV_DOMCTL_getvcpucontext, domid);
	op.u.vcpu.vcpu = vcpu;
	rc = xc_domctl(xch, &op, &p);
	if (!rc && p.out_len != sizeof(*ctxt))
		rc = -EIO;
	return rc;
}

int xc_vcpu_setcontext(xc_interface *xch, domid_t domid, unsigned int vcpu,
		       const struct vcpu_guest_context *ctxt)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = {
		.in = ctxt, .in_len = sizeof(*ctxt), .fd_in = -1,
	};

	op_init(&op, HV_DOMCTL_setvcpucontext, domid);
	op.u.vcpu.vcpu = vcpu;
	return xc_domctl(xch, &op, &p);
}

int xc_vcpu_getinfo(xc_interface *xch, domid_t domid, unsigned int vcpu,
		    struct hv_domctl_getvcpuinfo *info)
{
	struct hv_domctl op;
	int rc;

	op_init(&op, HV_DOMCTL_getvcpuinfo, domid);
	op.u.getvcpuinfo.vcpu = vcpu;
	rc = xc_domctl(xch, &op, NULL);
	if (!rc)
		*info = op.u.getvcpuinfo;
	return rc;
}

long xc_vcpu_getaffinity(xc_interface *xch, domid_t domid, unsigned int vcpu,
			 uint8_t *map, size_t len)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = { .out = map, .out_max = len, .fd_in = -1 };
	long rc;

	op_init(&op, HV_DOMCTL_getvcpuaffinity, domid);
	op.u.vcpu.vcpu = vcpu;
	rc = xc_domctl(xch, &op, &p);
	return rc ? rc : (long)p.out_len;
}

/* ---- memory ---- */

/* One pfn-range request per batch; out (8 bytes a frame) may be NULL. */
static int pfn_batches(xc_interface *xch, unsigned int cmd, domid_t domid,
		       pfn_t first, uint64_t nr, mfn_t *out)
{
	uint64_t done = 0;
	int rc = 0;

	while (!rc && done < nr) {
		uint64_t n = nr - done;
		struct hv_domctl op;
		struct hv_domctl_payload p = { .fd_in = -1 };

		if (n > HV_DOMCTL_MAX_BATCH)
			n = HV_DOMCTL_MAX_BATCH;
		op_init(&op, cmd, domid);
		op.u.pfns.first_pfn = pfn_x(first) + done;
		op.u.pfns.nr = n;
		if (out) {
			/* mfn_t is a boxed uint64_t: the wire's layout. */
			p.out = out + done;
			p.out_max = n * sizeof(*out);
		}
		rc = xc_domctl(xch, &op, &p);
		if (!rc && out && p.out_len != n * sizeof(*out))
			rc = -EIO;
		done += n;
	}
	return rc;
}

int xc_domain_populate_physmap(xc_interface *xch, domid_t domid, pfn_t first,
			       uint64_t nr, mfn_t *mfns)
{
	return pfn_batches(xch, HV_DOMCTL_populate_physmap, domid, first, nr,
			   mfns);
}

int xc_domain_decrease_reservation(xc_interface *xch, domid_t domid,
				   pfn_t first, uint64_t nr)
{
	return pfn_batches(xch, HV_DOMCTL_decrease_reservation, domid, first,
			   nr, NULL);
}

int xc_get_memlist(xc_interface *xch, domid_t domid, pfn_t first, uint64_t nr,
		   mfn_t *mfns)
{
	return pfn_batches(xch, HV_DOMCTL_getmemlist, domid, first, nr, mfns);
}

int xc_get_pfn_type_batch(xc_interface *xch, domid_t domid, uint64_t n,
			  const pfn_t *pfns, uint32_t *types)
{
	uint64_t *buf = malloc(HV_DOMCTL_MAX_BATCH * 8), done = 0, i;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	while (!rc && done < n) {
		uint64_t k = n - done;
		struct hv_domctl op;
		struct hv_domctl_payload p = { .fd_in = -1 };

		if (k > HV_DOMCTL_MAX_BATCH)
			k = HV_DOMCTL_MAX_BATCH;
		op_init(&op, HV_DOMCTL_getpageframeinfo3, domid);
		p.in = pfns + done;
		p.in_len = k * 8;
		p.out = buf;
		p.out_max = k * 8;
		rc = xc_domctl(xch, &op, &p);
		if (!rc && p.out_len != k * 8)
			rc = -EIO;
		for (i = 0; !rc && i < k; i++)
			types[done + i] = buf[i];
		done += k;
	}
	free(buf);
	return rc;
}

int xc_map_foreign(xc_interface *xch, domid_t domid, struct xc_foreign_map *m)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = { .fd_in = -1 };
	struct stat st;
	void *base;
	int rc;

	op_init(&op, HV_DOMCTL_map_foreign, domid);
	rc = xc_domctl(xch, &op, &p);
	if (rc)
		return rc;
	if (p.fd_out < 0)
		return -EIO;
	if (fstat(p.fd_out, &st) ||
	    (uint64_t)st.st_size < op.u.map_foreign.nr_frames << 12) {
		close(p.fd_out);
		return -EIO;
	}
	base = mmap(NULL, op.u.map_foreign.nr_frames << 12,
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
		    p.fd_out, 0);
	if (base == MAP_FAILED) {
		rc = -errno;
		close(p.fd_out);
		return rc;
	}
	m->memfd = p.fd_out;
	m->base = base;
	m->nr_frames = op.u.map_foreign.nr_frames;
	return 0;
}

void xc_unmap_foreign(struct xc_foreign_map *m)
{
	if (m->base)
		munmap(m->base, m->nr_frames << 12);
	if (m->memfd >= 0)
		close(m->memfd);
	m->base = NULL;
	m->memfd = -1;
}

/* ---- start of day ---- */

int xc_domain_hypercall_init(xc_interface *xch, domid_t domid, mfn_t mfn)
{
	struct hv_domctl op;

	op_init(&op, HV_DOMCTL_hypercall_init, domid);
	op.u.hypercall_init.gmfn = mfn_x(mfn);
	return xc_domctl(xch, &op, NULL);
}

int xc_mmuext_pin(xc_interface *xch, domid_t domid, unsigned int level,
		  mfn_t mfn)
{
	struct hv_domctl op;

	op_init(&op, HV_DOMCTL_mmuext_op, domid);
	op.u.mmuext_op.cmd = level ? MMUEXT_PIN_L1_TABLE + level - 1 :
			     MMUEXT_UNPIN_TABLE;
	op.u.mmuext_op.mfn = mfn_x(mfn);
	return xc_domctl(xch, &op, NULL);
}

int xc_ring_setup(xc_interface *xch, domid_t domid, unsigned int kind,
		  mfn_t mfn, uint32_t *port)
{
	struct hv_domctl op;
	int rc;

	op_init(&op, HV_DOMCTL_ring_setup, domid);
	op.u.ring_setup.kind = kind;
	op.u.ring_setup.mfn = mfn_x(mfn);
	rc = xc_domctl(xch, &op, NULL);
	if (!rc)
		*port = op.u.ring_setup.port;
	return rc;
}

int xc_evtchn_bind_fd(xc_interface *xch, domid_t domid, uint32_t port, int fd,
		      uint8_t send_byte, uint8_t raise_byte)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = { .fd_in = fd };

	op_init(&op, HV_DOMCTL_evtchn_bind_fd, domid);
	op.u.evtchn_bind_fd.port = port;
	op.u.evtchn_bind_fd.send_byte = send_byte;
	op.u.evtchn_bind_fd.raise_byte = raise_byte;
	return xc_domctl(xch, &op, &p);
}

int xc_console_output(xc_interface *xch, domid_t domid, int fd)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = { .fd_in = fd };

	op_init(&op, HV_DOMCTL_console_output, domid);
	return xc_domctl(xch, &op, &p);
}

/* ---- reports ---- */

#define TEXT_MAX	(256 * 1024)

static int text_request(xc_interface *xch, unsigned int cmd, domid_t domid,
			const char *in, char **out)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = { .fd_in = -1 };
	char *buf = malloc(TEXT_MAX + 1);
	int rc;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	op_init(&op, cmd, domid);
	p.in = in;
	p.in_len = in ? strlen(in) : 0;
	p.out = buf;
	p.out_max = TEXT_MAX;
	rc = xc_domctl(xch, &op, &p);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[p.out_len] = '\0';
	*out = buf;
	return 0;
}

int xc_debug_keys(xc_interface *xch, domid_t domid, const char *keys,
		  char **out)
{
	return text_request(xch, HV_DOMCTL_debug_keys, domid, keys, out);
}

int xc_domain_stats(xc_interface *xch, domid_t domid, char **out)
{
	return text_request(xch, HV_DOMCTL_get_stats, domid, NULL, out);
}

int xc_shadow_control(xc_interface *xch, domid_t domid,
		      struct hv_domctl_shadow_op *sop, uint8_t *bitmap,
		      size_t bitmap_len)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = {
		.out = bitmap, .out_max = bitmap_len, .fd_in = -1,
	};
	int rc;

	op_init(&op, HV_DOMCTL_shadow_op, domid);
	op.u.shadow_op = *sop;
	rc = xc_domctl(xch, &op, &p);
	*sop = op.u.shadow_op;
	return rc;
}

long long xc_logdirty_control(xc_interface *xch, domid_t domid,
			      unsigned int sop, uint8_t *bitmap,
			      unsigned long pages, unsigned int mode,
			      xc_shadow_op_stats_t *stats)
{
	struct hv_domctl_shadow_op so = { .op = sop, .mode = mode,
					  .pages = pages };
	int rc;

	rc = xc_shadow_control(xch, domid, &so, bitmap,
			       bitmap ? (pages + 7) / 8 : 0);
	if (stats) {
		stats->fault_count = so.fault_count;
		stats->dirty_count = so.dirty_count;
	}
	return rc ? rc : (long long)so.pages;
}

int xc_physinfo(xc_interface *xch, struct hv_physinfo *info)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = {
		.out = info, .out_max = sizeof(*info), .fd_in = -1,
	};
	int rc;

	op_init(&op, HV_DOMCTL_physinfo, DOMID_INVALID);
	rc = xc_domctl(xch, &op, &p);
	if (!rc && p.out_len != sizeof(*info))
		rc = -EPROTO;
	return rc;
}
/* ---- save and restore ---- */

int xc_map_m2p(xc_interface *xch, domid_t domid, struct xc_m2p_map *m)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = { .fd_in = -1 };
	struct stat st;
	void *base;
	int rc;

	op_init(&op, HV_DOMCTL_map_m2p, domid);
	rc = xc_domctl(xch, &op, &p);
	if (rc)
		return rc;
	if (p.fd_out < 0)
		return -EIO;
	if (fstat(p.fd_out, &st) || (uint64_t)st.st_size < op.u.map_m2p.bytes ||
	    op.u.map_m2p.nr_frames * sizeof(pfn_t) > op.u.map_m2p.bytes) {
		close(p.fd_out);
		return -EIO;
	}
	base = mmap(NULL, op.u.map_m2p.bytes, PROT_READ, MAP_SHARED, p.fd_out, 0);
	rc = base == MAP_FAILED ? -errno : 0;
	close(p.fd_out);
	if (rc)
		return rc;
	m->m2p = base;
	m->nr_frames = op.u.map_m2p.nr_frames;
	m->bytes = op.u.map_m2p.bytes;
	return 0;
}

void xc_unmap_m2p(struct xc_m2p_map *m)
{
	if (m->m2p)
		munmap((void *)m->m2p, m->bytes);
	m->m2p = NULL;
	m->nr_frames = m->bytes = 0;
}

int xc_domain_get_tsc_info(xc_interface *xch, domid_t domid,
			   struct hv_domctl_tsc_info *t)
{
	struct hv_domctl op;
	int rc;

	op_init(&op, HV_DOMCTL_gettscinfo, domid);
	rc = xc_domctl(xch, &op, NULL);
	if (!rc)
		*t = op.u.tsc_info;
	return rc;
}

int xc_domain_set_tsc_info(xc_interface *xch, domid_t domid,
			   const struct hv_domctl_tsc_info *t)
{
	struct hv_domctl op;

	op_init(&op, HV_DOMCTL_settscinfo, domid);
	op.u.tsc_info = *t;
	return xc_domctl(xch, &op, NULL);
}

int xc_domain_audit(xc_interface *xch, domid_t domid, char **why)
{
	int rc = text_request(xch, HV_DOMCTL_audit, domid, NULL, why);

	if (rc || **why)
		return rc ? rc : -EIO;
	free(*why);
	*why = NULL;
	return 0;
}

/* ---- page exchange ---- */

int xc_domain_memory_exchange_pages(xc_interface *xch, domid_t domid,
				    uint64_t nr, const mfn_t *in,
				    const pfn_t *out_pfns, mfn_t *out,
				    uint64_t *nr_exchanged)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = { .fd_in = -1 };
	uint64_t *buf;
	int rc;

	if (nr > HV_DOMCTL_MAX_BATCH / 2)
		return -EINVAL;
	buf = malloc((nr ? nr : 1) * 16);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, in, nr * 8);
	memcpy(buf + nr, out_pfns, nr * 8);
	op_init(&op, HV_DOMCTL_memory_exchange, domid);
	op.u.memory_exchange.nr_extents = nr;
	op.u.memory_exchange.nr_exchanged = nr_exchanged ? *nr_exchanged : 0;
	p.in = buf;
	p.in_len = nr * 16;
	p.out = out;
	p.out_max = nr * sizeof(*out);
	rc = xc_domctl(xch, &op, &p);
	if (nr_exchanged)
		*nr_exchanged = op.u.memory_exchange.nr_exchanged;
	free(buf);
	return rc;
}

int xc_mmu_update(xc_interface *xch, domid_t domid,
		  const struct mmu_update *reqs, unsigned int count,
		  unsigned int *done)
{
	struct hv_domctl op;
	struct hv_domctl_payload p = { .fd_in = -1 };
	int rc;

	op_init(&op, HV_DOMCTL_mmu_update, domid);
	op.u.mmu_update.count = count;
	p.in = reqs;
	p.in_len = count * sizeof(*reqs);
	rc = xc_domctl(xch, &op, &p);
	if (done)
		*done = op.u.mmu_update.done;
	return rc;
}

int xc_page_offline_op(xc_interface *xch, domid_t domid, unsigned int cmd,
		       mfn_t mfn, uint32_t *status)
{
	struct hv_domctl op;
	int rc;

	op_init(&op, HV_DOMCTL_page_offline, domid);
	op.u.page_offline.cmd = cmd;
	op.u.page_offline.mfn = mfn_x(mfn);
	rc = xc_domctl(xch, &op, NULL);
	if (status)
		*status = op.u.page_offline.status;
	return rc;
}

int xc_frame_state(xc_interface *xch, domid_t domid, mfn_t mfn,
		   struct hv_domctl_frame_state *s)
{
	struct hv_domctl op;
	int rc;

	op_init(&op, HV_DOMCTL_frame_state, domid);
	op.u.frame_state.mfn = mfn_x(mfn);
	rc = xc_domctl(xch, &op, NULL);
	*s = op.u.frame_state;
	return rc;
}

int xc_frame_holds(xc_interface *xch, domid_t domid, unsigned int cmd,
		   mfn_t mfn, uint32_t *held)
{
	struct hv_domctl op;
	int rc;

	op_init(&op, HV_DOMCTL_frame_holds, domid);
	op.u.frame_holds.cmd = cmd;
	op.u.frame_holds.mfn = mfn_x(mfn);
	rc = xc_domctl(xch, &op, NULL);
	if (held)
		*held = rc ? 0 : op.u.frame_holds.held;
	return rc;
}

int xc_domain_prefill(xc_interface *xch, domid_t domid, uint64_t nr)
{
	struct hv_domctl op;

	op_init(&op, HV_DOMCTL_prefill, domid);
	op.u.prefill.cmd = HV_PREFILL_START;
	op.u.prefill.nr = nr;
	return xc_domctl(xch, &op, NULL);
}

int xc_domain_prefill_status(xc_interface *xch, domid_t domid, uint64_t *nr,
			     uint64_t *done)
{
	struct hv_domctl op;
	int rc;

	op_init(&op, HV_DOMCTL_prefill, domid);
	op.u.prefill.cmd = HV_PREFILL_STATUS;
	rc = xc_domctl(xch, &op, NULL);
	*nr = rc ? 0 : op.u.prefill.nr;
	*done = rc ? 0 : op.u.prefill.done;
	return rc;
}
