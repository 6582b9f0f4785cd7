/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

/* Kernel error numbers are Xen's, which on x86 equal Linux's. */
#include <xen/interface/errno.h>

#define EPERM		XEN_EPERM
#define ENOENT		XEN_ENOENT
#define EINTR		XEN_EINTR
#define EIO		XEN_EIO
#define ENXIO		XEN_ENXIO
#define E2BIG		XEN_E2BIG
#define EAGAIN		XEN_EAGAIN
#define ENOMEM		XEN_ENOMEM
#define EACCES		XEN_EACCES
#define EFAULT		XEN_EFAULT
#define EBUSY		XEN_EBUSY
#define EEXIST		XEN_EEXIST
#define ENODEV		XEN_ENODEV
#define EINVAL		XEN_EINVAL
#define ENOSPC		XEN_ENOSPC
#define ERANGE		XEN_ERANGE
#define EDEADLK		XEN_EDEADLK
#define ENAMETOOLONG	XEN_ENAMETOOLONG
#define ENOSYS		XEN_ENOSYS
#define ETIMEDOUT	XEN_ETIMEDOUT

#endif
