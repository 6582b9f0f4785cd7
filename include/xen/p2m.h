/* SPDX-License-Identifier: MIT */
#ifndef _XEN_P2M_H
#define _XEN_P2M_H

#include <xen/frame.h>

/* Publishes the p2m in shared_info (max_pfn and the 3-level frame list). */
void xen_setup_p2m_frame_list(void);
/* The machine frame behind a page of the bootstrap region. */
mfn_t xen_bootstrap_virt_to_mfn(const void *va);
/* Entries of the published levels, for tests; 0 past the end. */
unsigned long xen_p2m_frame_list_entry(unsigned long i);
unsigned long xen_p2m_frame_list_list_entry(unsigned long i);

#endif
