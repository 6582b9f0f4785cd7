// SPDX-License-Identifier: MIT
/*
 * Moving a stream's bytes: the writer save uses and the reader restore
 * uses, shared by every layer of the file (xl's header, libxl's records,
 * libxc's records), which is why they buffer in one place: a layer that
 * read ahead on its own would take bytes that belong to the next.
 *
 * Why not plain read_exact/write_exact as Xen's libxc has: the page data
 * is nearly all of a stream, and copying it through a buffer of our own
 * would double the work.  The writer gathers the small pieces (record
 * headers, pfn lists, canonical pagetables) in a buffer and then hands
 * the kernel the buffer and the guest's pages where they lie in the
 * foreign mapping, one writev per record; neighbouring frames (the
 * hypervisor gives them out in runs) become one iovec.  The reader reads
 * ahead in a buffer for the small pieces, and reads page data straight
 * into the guest's frames once that buffer is drained.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "xg.h"

#define OUT_BUF		(256 * 1024)
#define IN_BUF		(256 * 1024)
#define PAGE		XG_PAGE_SIZE

/* ---- writing ---- */

int xg_sr_out_init(struct xg_sr_out *o, int fd)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->buf = malloc(OUT_BUF);
	o->cap = OUT_BUF;
	return o->buf ? 0 : -ENOMEM;
}

void xg_sr_out_free(struct xg_sr_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

/* writev until every byte of iov[0..n) is written; 0 or -errno. */
static int writev_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t done = writev(fd, iov, n > IOV_MAX ? IOV_MAX : n);

		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return -errno;
		if (done == 0)
			return -EIO;
		while (n > 0 && (size_t)done >= iov->iov_len) {
			done -= iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + done;
			iov->iov_len -= done;
		}
	}
	return 0;
}

int xg_sr_out_flush(struct xg_sr_out *o)
{
	struct iovec iov = { o->buf, o->len };

	if (o->error || !o->len)
		return o->error;
	o->error = writev_all(o->fd, &iov, 1);
	if (!o->error)
		o->offset += o->len;
	o->len = 0;
	return o->error;
}

int xg_sr_out_bytes(struct xg_sr_out *o, const void *p, size_t n)
{
	while (!o->error && n) {
		size_t chunk = o->cap - o->len;

		if (!chunk) {
			xg_sr_out_flush(o);
			continue;
		}
		if (chunk > n)
			chunk = n;
		memcpy(o->buf + o->len, p, chunk);
		o->len += chunk;
		p = (const uint8_t *)p + chunk;
		n -= chunk;
	}
	return o->error;
}

int xg_sr_out_pages(struct xg_sr_out *o, const void *const *pages,
		    unsigned int n)
{
	struct iovec iov[IOV_MAX];
	uint64_t bytes = 0;
	unsigned int i = 0;
	int niov = 0;

	if (o->error)
		return o->error;
	if (o->len) {
		iov[niov++] = (struct iovec){ o->buf, o->len };
		bytes = o->len;
	}
	while (i < n) {
		struct iovec *last = niov ? &iov[niov - 1] : NULL;

		if (last && (uint8_t *)last->iov_base + last->iov_len ==
			    (const uint8_t *)pages[i] && last->iov_base != o->buf) {
			last->iov_len += PAGE;
		} else {
			if (niov == IOV_MAX) {
				o->error = writev_all(o->fd, iov, niov);
				if (o->error)
					return o->error;
				o->offset += bytes;
				bytes = 0;
				niov = 0;
			}
			iov[niov++] = (struct iovec){ (void *)pages[i], PAGE };
		}
		bytes += PAGE;
		i++;
	}
	o->error = writev_all(o->fd, iov, niov);
	if (!o->error)
		o->offset += bytes;
	o->len = 0;
	return o->error;
}

int xg_sr_out_record(struct xg_sr_out *o, uint32_t type, const void *head,
		     size_t head_len, const void *tail, size_t tail_len)
{
	static const uint8_t zero[8];
	uint32_t hdr[2] = { type, (uint32_t)(head_len + tail_len) };
	size_t pad = (8 - (head_len + tail_len) % 8) % 8;

	if (head_len + tail_len > UINT32_MAX)
		return o->error ? o->error : (o->error = -E2BIG);
	xg_sr_out_bytes(o, hdr, sizeof(hdr));
	xg_sr_out_bytes(o, head, head_len);
	xg_sr_out_bytes(o, tail, tail_len);
	return xg_sr_out_bytes(o, zero, pad);
}

/* ---- reading ---- */

int xg_sr_in_init_fd(struct xg_sr_in *in, int fd)
{
	memset(in, 0, sizeof(*in));
	in->fd = fd;
	in->buf = malloc(IN_BUF);
	in->cap = IN_BUF;
	return in->buf ? 0 : -ENOMEM;
}

void xg_sr_in_init_mem(struct xg_sr_in *in, const void *p, size_t n)
{
	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->mem = p;
	in->mem_len = n;
}

void xg_sr_in_free(struct xg_sr_in *in)
{
	free(in->buf);
	in->buf = NULL;
}

/* read until n bytes or the end; bytes read, or -errno. */
static ssize_t read_full(int fd, void *dst, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (uint8_t *)dst + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

/* Some more bytes into the empty buffer: 0, -ENODATA at the end, -errno. */
static int refill(struct xg_sr_in *in)
{
	ssize_t r;

	in->pos = in->len = 0;
	for (;;) {
		r = read(in->fd, in->buf, in->cap);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ENODATA;
		in->len = r;
		return 0;
	}
}

int xg_sr_in_read(struct xg_sr_in *in, void *dst, size_t n)
{
	uint8_t *d = dst;
	ssize_t r;

	if (in->fd < 0) {
		if (in->offset > in->mem_len || n > in->mem_len - in->offset)
			return -ENODATA;
		memcpy(dst, in->mem + in->offset, n);
		in->offset += n;
		return 0;
	}
	while (n) {
		size_t have = in->len - in->pos, chunk;

		if (!have) {
			/* A large read skips the buffer. */
			if (n >= in->cap) {
				r = read_full(in->fd, d, n);
				if (r < 0)
					return r;
				in->offset += r;
				return (size_t)r == n ? 0 : -ENODATA;
			}
			r = refill(in);
			if (r)
				return r;
			continue;
		}
		chunk = have < n ? have : n;
		memcpy(d, in->buf + in->pos, chunk);
		in->pos += chunk;
		in->offset += chunk;
		d += chunk;
		n -= chunk;
	}
	return 0;
}

int xg_sr_in_pages(struct xg_sr_in *in, void *const *pages, unsigned int n)
{
	struct iovec iov[IOV_MAX];
	unsigned int i = 0;
	int rc;

	if (in->fd < 0) {
		for (; i < n; i++)
			if ((rc = xg_sr_in_read(in, pages[i], PAGE)))
				return rc;
		return 0;
	}
	/* What the buffer holds already, and no more: the rest is read in place. */
	while (i < n && in->len > in->pos) {
		size_t have = in->len - in->pos, chunk = have < PAGE ? have : PAGE;
		ssize_t r;

		memcpy(pages[i], in->buf + in->pos, chunk);
		in->pos += chunk;
		in->offset += chunk;
		if (chunk < PAGE) {
			r = read_full(in->fd, (uint8_t *)pages[i] + chunk,
				      PAGE - chunk);
			if (r < 0)
				return r;
			in->offset += r;
			if ((size_t)r != PAGE - chunk)
				return -ENODATA;
		}
		i++;
	}
	while (i < n) {
		int niov = 0;
		size_t want = 0;
		ssize_t got;

		for (; i < n && niov < IOV_MAX; i++) {
			if (niov && (uint8_t *)iov[niov - 1].iov_base +
				    iov[niov - 1].iov_len == (uint8_t *)pages[i]) {
				iov[niov - 1].iov_len += PAGE;
			} else {
				iov[niov++] = (struct iovec){ pages[i], PAGE };
			}
			want += PAGE;
		}
		while (want) {
			int k;

			got = readv(in->fd, iov, niov);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				return -errno;
			if (got == 0)
				return -ENODATA;
			in->offset += got;
			want -= got;
			for (k = 0; k < niov && (size_t)got >= iov[k].iov_len; k++)
				got -= iov[k].iov_len;
			memmove(iov, iov + k, (niov - k) * sizeof(*iov));
			niov -= k;
			if (niov) {
				iov[0].iov_base = (uint8_t *)iov[0].iov_base + got;
				iov[0].iov_len -= got;
			}
		}
	}
	return 0;
}

int xg_sr_in_at_end(struct xg_sr_in *in)
{
	int rc;

	if (in->fd < 0)
		return in->offset >= in->mem_len;
	if (in->len > in->pos)
		return 0;
	rc = refill(in);
	if (rc == -ENODATA)
		return 1;
	return rc ? rc : 0;
}
