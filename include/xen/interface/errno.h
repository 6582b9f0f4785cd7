/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: error numbers.  Hypercalls return 0 or more on success
 * and -XEN_Exxx on failure.  On x86 the values coincide with Linux's errno
 * numbers; the XEN_ prefix keeps them apart from any libc <errno.h>.
 * Plain #defines, so usable from assembly too.
 */
#ifndef __XEN_INTERFACE_ERRNO_H__
#define __XEN_INTERFACE_ERRNO_H__

#define XEN_EPERM		1	/* operation not permitted */
#define XEN_ENOENT		2	/* no such entry */
#define XEN_ESRCH		3	/* no such domain / vCPU */
#define XEN_EINTR		4	/* Xen-internal; never seen by guests */
#define XEN_EIO			5	/* I/O error */
#define XEN_ENXIO		6	/* no such device or address */
#define XEN_E2BIG		7	/* argument too big */
#define XEN_ENOEXEC		8	/* bad executable format */
#define XEN_EBADF		9	/* bad descriptor / handle */
#define XEN_ECHILD		10	/* no child */
#define XEN_EAGAIN		11	/* try again */
#define XEN_EWOULDBLOCK		XEN_EAGAIN
#define XEN_ENOMEM		12	/* out of memory */
#define XEN_EACCES		13	/* permission denied */
#define XEN_EFAULT		14	/* bad guest address */
#define XEN_EBUSY		16	/* resource busy */
#define XEN_EEXIST		17	/* already exists */
#define XEN_EXDEV		18	/* cross-device link */
#define XEN_ENODEV		19	/* no such device */
#define XEN_ENOTDIR		20	/* not a directory */
#define XEN_EISDIR		21	/* is a directory */
#define XEN_EINVAL		22	/* invalid argument */
#define XEN_ENFILE		23	/* table full */
#define XEN_EMFILE		24	/* too many open */
#define XEN_ENOSPC		28	/* no space left */
#define XEN_EROFS		30	/* read-only */
#define XEN_EMLINK		31	/* too many links */
#define XEN_EDOM		33	/* argument out of domain */
#define XEN_ERANGE		34	/* result out of range */
#define XEN_EDEADLK		35	/* deadlock would occur */
#define XEN_EDEADLOCK		XEN_EDEADLK
#define XEN_ENAMETOOLONG	36	/* name too long */
#define XEN_ENOLCK		37	/* no locks available */
#define XEN_ENOSYS		38	/* hypercall not implemented */
#define XEN_ENOTEMPTY		39	/* not empty */
#define XEN_ENODATA		61	/* no data available */
#define XEN_ETIME		62	/* timer expired / deadline passed */
#define XEN_EBADMSG		74	/* bad message */
#define XEN_EOVERFLOW		75	/* value too large */
#define XEN_EILSEQ		84	/* illegal byte sequence */
#define XEN_ERESTART		85	/* Xen-internal; never seen by guests */
#define XEN_ENOTSOCK		88	/* not a socket */
#define XEN_EMSGSIZE		90	/* message too long */
#define XEN_EOPNOTSUPP		95	/* operation not supported */
#define XEN_EADDRINUSE		98	/* address in use */
#define XEN_EADDRNOTAVAIL	99	/* address not available */
#define XEN_ENOBUFS		105	/* no buffer space */
#define XEN_EISCONN		106	/* already connected */
#define XEN_ENOTCONN		107	/* not connected */
#define XEN_ETIMEDOUT		110	/* timed out */
#define XEN_ECONNREFUSED	111	/* connection refused */

#endif /* __XEN_INTERFACE_ERRNO_H__ */
