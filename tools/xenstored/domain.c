// SPDX-License-Identifier: MIT
/*
 * Domains as the daemon sees them: introduced or not, which domain a
 * domain acts for (SET_TARGET), and the per-domain counts the watch and
 * transaction quotas limit (the node count lives with the tree, since a
 * transaction's copy has its own).
 *
 * @releaseDomain fires when a domain's ring is released by the
 * toolstack, when its domain process goes away (domain destruction),
 * and when the domain process reports a shutdown -- but only once per
 * shutdown: RESUME re-arms it, as Xen documents.
 */
#include <stdio.h>
#include <stdlib.h>

#include "private.h"

static struct xsd_list domains = XSD_LIST_INIT(domains);

struct domain *domain_find(unsigned int domid)
{
	struct domain *d;

	xsd_list_for_each_entry(d, &domains, list)
		if (d->domid == domid)
			return d;
	return NULL;
}

struct domain *domain_get(unsigned int domid)
{
	struct domain *d = domain_find(domid);

	if (d)
		return d;
	d = xsd_zalloc(sizeof(*d));
	d->domid = domid;
	xsd_list_add_tail(&d->list, &domains);
	return d;
}

void domain_introduced(unsigned int domid, struct conn *ring)
{
	struct domain *d = domain_get(domid);

	d->introduced = true;
	d->released_fired = false;
	d->ring = ring;
	xsd_log("domain %u introduced", domid);
	watch_fire_special("@introduceDomain");
}

/* The toolstack's RELEASE: drop the ring, tell the watchers. */
int domain_release(unsigned int domid)
{
	struct domain *d = domain_find(domid);

	if (!d || !d->introduced)
		return XEN_ENOENT;
	d->introduced = false;
	if (d->ring)
		d->ring->dead = true;
	d->ring = NULL;
	d->released_fired = true;
	xsd_log("domain %u released", domid);
	watch_fire_special("@releaseDomain");
	return 0;
}

/* The ring connection of a domain went away on its own (domain died). */
void domain_gone(struct conn *ring)
{
	struct domain *d = domain_find(ring->domid);

	if (!d || d->ring != ring)
		return;
	d->introduced = false;
	d->ring = NULL;
	d->released_fired = true;
	xsd_log("domain %u gone", d->domid);
	watch_fire_special("@releaseDomain");
}

void domain_shutdown(unsigned int domid)
{
	struct domain *d = domain_find(domid);

	if (!d || !d->introduced || d->released_fired)
		return;
	d->released_fired = true;
	xsd_log("domain %u shut down", domid);
	watch_fire_special("@releaseDomain");
}

int domain_resume(unsigned int domid)
{
	struct domain *d = domain_find(domid);

	if (!d || !d->introduced)
		return XEN_ENOENT;
	d->released_fired = false;
	return 0;
}

int domain_set_target(unsigned int domid, unsigned int target)
{
	struct domain *d = domain_get(domid);

	d->has_target = true;
	d->target = target;
	return 0;
}

bool domain_target(unsigned int domid, unsigned int *target)
{
	struct domain *d = domain_find(domid);

	if (!d || !d->has_target)
		return false;
	*target = d->target;
	return true;
}
