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
 *
 * A toolstack moving a domain's ring to another frame (page exchange)
 * freezes it through XS_CONTROL ring-freeze, then ring-move or ring-thaw;
 * the freeze belongs to the connection that asked, and ends with it, so
 * that a toolstack that dies half way leaves the ring served where it
 * was rather than frozen for ever.
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
	d->frozen_by = 0;
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
	d->frozen_by = 0;
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

/* The frozen ring of domid, if the connection by froze it; else NULL. */
static struct domain *frozen_by(unsigned int domid, const struct conn *by)
{
	struct domain *d = domain_find(domid);

	return d && d->ring && d->frozen_by == by->id ? d : NULL;
}

/* ring-freeze: XEN_ENOENT without a ring, XEN_EBUSY if another froze it. */
int domain_ring_freeze(unsigned int domid, const struct conn *by)
{
	struct domain *d = domain_find(domid);

	if (!d || !d->introduced || !d->ring)
		return XEN_ENOENT;
	if (d->frozen_by && d->frozen_by != by->id)
		return XEN_EBUSY;
	d->frozen_by = by->id;
	ring_conn_freeze(d->ring, true);
	xsd_dbg("domain %u: ring frozen by conn %u", domid, by->id);
	return 0;
}

/* ring-move: the page is now frame mfn; the ring is thawed. */
int domain_ring_move(unsigned int domid, const struct conn *by, uint64_t mfn)
{
	struct domain *d = frozen_by(domid, by);
	int rc;

	if (!d)
		return XEN_EINVAL;
	rc = sock_ring_move(d->ring, mfn);
	if (rc)
		return rc;
	xsd_log("domain %u: ring moved to mfn %#llx", domid,
		(unsigned long long)mfn);
	return domain_ring_thaw(domid, by);
}

int domain_ring_thaw(unsigned int domid, const struct conn *by)
{
	struct domain *d = frozen_by(domid, by);

	if (!d)
		return XEN_EINVAL;
	d->frozen_by = 0;
	ring_conn_freeze(d->ring, false);
	xsd_dbg("domain %u: ring thawed", domid);
	return 0;
}

/* A connection goes away: the rings it froze are served again. */
void domain_conn_gone(const struct conn *c)
{
	struct domain *d;

	xsd_list_for_each_entry(d, &domains, list)
		if (d->frozen_by == c->id && d->ring) {
			xsd_log("domain %u: ring thawed: the connection that froze it closed",
				d->domid);
			d->frozen_by = 0;
			ring_conn_freeze(d->ring, false);
		}
}
