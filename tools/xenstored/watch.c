// SPDX-License-Identifier: MIT
/*
 * Watches.
 *
 * A watch is (path, token) on one connection.  Every change to the live
 * tree is matched against every watch: the watch fires when the changed
 * path is its path or below it.  Removing a subtree also fires the
 * watches set *inside* it, each with its own path, since Xen promises
 * that an event path is always a child of the watch path.  A relative
 * watch (a domain naming "device/vif" instead of its full path) gets
 * relative event paths, so we remember how much of the absolute path to
 * strip.
 *
 * Events are filtered by read permission on the changed node (for a
 * removal, the permissions it had), as Xen's documentation asks: a
 * domain must not learn of nodes it cannot read.  The special watches
 * "@introduceDomain" and "@releaseDomain" fire only for privileged
 * connections, because they tell of other domains.
 *
 * An event is queued like a reply.  A peer that never reads could make
 * the queue grow without end, so past XSD_MAX_EVENTS queued events on
 * one connection further events are dropped (and logged); Xen allows
 * watches to be lossy in just this way for unreadable nodes, and a
 * client that far behind has lost track anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define XSD_MAX_EVENTS	4096

int watch_add(struct conn *c, const char *path, const char *token,
	      bool relative, struct watch **out)
{
	struct domain *d = domain_get(c->domid);
	struct watch *w;

	xsd_list_for_each_entry(w, &c->watches, list)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return XEN_EEXIST;
	if (!c->privileged && d->nr_watches >= xsd_quota.watches)
		return XEN_E2BIG;
	w = xsd_zalloc(sizeof(*w));
	w->path = xsd_strdup(path);
	w->token = xsd_strdup(token);
	if (relative)
		w->rel_off = snprintf(NULL, 0, XSD_DOMAIN_BASE "%u/", c->domid);
	xsd_list_add_tail(&w->list, &c->watches);
	d->nr_watches++;
	*out = w;
	return 0;
}

static void watch_free(struct conn *c, struct watch *w)
{
	struct domain *d = domain_find(c->domid);

	if (d && d->nr_watches)
		d->nr_watches--;
	xsd_list_del(&w->list);
	free(w->path);
	free(w->token);
	free(w);
}

int watch_del(struct conn *c, const char *path, const char *token)
{
	struct watch *w;

	xsd_list_for_each_entry(w, &c->watches, list) {
		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			watch_free(c, w);
			return 0;
		}
	}
	return XEN_ENOENT;
}

void watch_del_all(struct conn *c)
{
	struct watch *w, *tmp;

	xsd_list_for_each_entry_safe(w, tmp, &c->watches, list)
		watch_free(c, w);
}

/* Queues one WATCH_EVENT for w on c, for the change at path. */
void watch_event(struct conn *c, struct watch *w, const char *path)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t plen, tlen;

	if (c->nr_events >= XSD_MAX_EVENTS) {
		xsd_log("conn %u: event queue full, dropping event %s",
			c->id, path);
		return;
	}
	if (w->rel_off && strlen(path) > w->rel_off)
		path += w->rel_off;
	plen = strlen(path);
	tlen = strlen(w->token);
	if (plen + tlen + 2 > sizeof(buf))
		return;		/* cannot happen: both were checked on entry */
	memcpy(buf, path, plen + 1);
	memcpy(buf + plen + 1, w->token, tlen + 1);
	conn_queue(c, XS_WATCH_EVENT, 0, 0, buf, plen + tlen + 2, false);
}

void watch_fire(const char *path, const struct xs_perms *perms, bool removed)
{
	struct conn *c;
	struct watch *w;

	xsd_list_for_each_entry(c, &xsd_conns, list) {
		if (c->dead)
			continue;
		if (!(perms_access(c, perms) & XS_PERM_READ))
			continue;
		xsd_list_for_each_entry(w, &c->watches, list) {
			if (w->path[0] == '@')
				continue;
			if (path_is_child(path, w->path))
				watch_event(c, w, path);
			else if (removed && path_is_child(w->path, path))
				watch_event(c, w, w->path);
		}
	}
}

void watch_fire_special(const char *name)
{
	struct conn *c;
	struct watch *w;

	xsd_list_for_each_entry(c, &xsd_conns, list) {
		if (c->dead || !c->privileged)
			continue;
		xsd_list_for_each_entry(w, &c->watches, list)
			if (!strcmp(w->path, name))
				watch_event(c, w, name);
	}
}
