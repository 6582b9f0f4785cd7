// SPDX-License-Identifier: MIT
/*
 * Watches.  Registering sends WATCH <node> <token>, the token being this
 * client's name for the watch (the watch's address in hex); the store
 * then sends WATCH_EVENT <path> <token> for every change at or below the
 * node, and once right away.
 *
 * The reader thread must never wait for a callback (a callback may make
 * requests, whose replies that very thread delivers), so events go into a
 * bounded queue and one thread, "xenwatch", runs the callbacks in order.
 * An event identical to one still queued is merged into it: a watch says
 * "look again", and one look sees both changes.  If the queue is full the
 * event is dropped and said so on the console.
 *
 * Unregistering sends UNWATCH, takes the watch off the list (so later
 * events find no watch and are dropped), purges its queued events, and
 * waits until its callback is not running: afterwards the watch's memory
 * is the caller's again.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "xenbus.h"

#define XS_EVENT_QUEUE	16

struct xs_event {
	struct xenbus_watch *watch;
	char path[XENSTORE_ABS_PATH_MAX + 1];
};

static LIST_HEAD(watches);
static struct xs_event events[XS_EVENT_QUEUE];
static unsigned int ev_head, ev_count;
static struct xenbus_watch *running;	/* whose callback runs now */
static struct task_struct *watch_task;
static DEFINE_SPINLOCK(watch_lock);	/* the list, the queue, running */
static DECLARE_WAIT_QUEUE_HEAD(watch_wq);
static char run_path[XENSTORE_ABS_PATH_MAX + 1];

static struct xenbus_watch *find_watch(const char *token)
{
	struct xenbus_watch *w;

	list_for_each_entry(w, &watches, list)
		if (!strcmp(w->token, token))
			return w;
	return NULL;
}

void xs_watch_event(const char *body, u32 len)
{
	const char *path = body, *token;
	struct xenbus_watch *w;
	unsigned int i;
	bool queued = false, dropped = false;
	size_t plen = strnlen(body, len);

	if (plen >= len || plen > XENSTORE_ABS_PATH_MAX) {
		printk("xenbus: malformed watch event dropped\n");
		return;
	}
	token = body + plen + 1;
	spin_lock(&watch_lock);
	w = find_watch(token);
	for (i = 0; w && i < ev_count && !queued; i++) {
		struct xs_event *e = &events[(ev_head + i) % XS_EVENT_QUEUE];

		queued = e->watch == w && !strcmp(e->path, path);
	}
	if (w && !queued) {
		if (ev_count == XS_EVENT_QUEUE) {
			dropped = true;
		} else {
			struct xs_event *e =
				&events[(ev_head + ev_count) % XS_EVENT_QUEUE];

			e->watch = w;
			strscpy(e->path, path, sizeof(e->path));
			ev_count++;
		}
	}
	spin_unlock(&watch_lock);
	if (dropped)
		printk("xenbus: watch event queue full, event for %s dropped\n",
		       path);
	if (w && !queued && !dropped)
		wake_up(&watch_wq);
}

static int xenwatch_thread(void *unused)
{
	for (;;) {
		struct xenbus_watch *w;

		wait_event(watch_wq, READ_ONCE(ev_count) != 0);
		spin_lock(&watch_lock);
		if (!ev_count) {
			spin_unlock(&watch_lock);
			continue;
		}
		w = events[ev_head].watch;
		strscpy(run_path, events[ev_head].path, sizeof(run_path));
		ev_head = (ev_head + 1) % XS_EVENT_QUEUE;
		ev_count--;
		running = w;
		spin_unlock(&watch_lock);

		w->callback(w, run_path);

		spin_lock(&watch_lock);
		running = NULL;
		spin_unlock(&watch_lock);
		wake_up(&watch_wq);
	}
	return 0;
}

int xs_watch_init(void)
{
	struct task_struct *t = kthread_run(xenwatch_thread, NULL, "xenwatch");

	if (IS_ERR(t))
		return PTR_ERR(t);
	watch_task = t;
	return 0;
}

/* A WATCH or UNWATCH request for w. */
static int watch_request(u32 type, struct xenbus_watch *w)
{
	struct xs_iov iov[2] = {
		{ w->node, strlen(w->node) + 1 },
		{ w->token, strlen(w->token) + 1 },
	};
	char ok[8];
	int rc = xs_talk(type, XBT_NIL, iov, 2, ok, sizeof(ok));

	return rc < 0 ? rc : 0;
}

/* Removes w's queued events, keeping the others in order. */
static void purge_events(struct xenbus_watch *w)
{
	unsigned int i, kept = 0;

	for (i = 0; i < ev_count; i++) {
		struct xs_event *from, *to;

		from = &events[(ev_head + i) % XS_EVENT_QUEUE];
		to = &events[(ev_head + kept) % XS_EVENT_QUEUE];

		if (from->watch == w)
			continue;
		if (to != from) {
			to->watch = from->watch;
			strscpy(to->path, from->path, sizeof(to->path));
		}
		kept++;
	}
	ev_count = kept;
}

/*
 * Takes w off the list and out of the queue, then waits until its
 * callback is not running (unless this is that callback).
 */
static void forget_watch(struct xenbus_watch *w)
{
	spin_lock(&watch_lock);
	list_del_init(&w->list);
	purge_events(w);
	spin_unlock(&watch_lock);
	if (current != watch_task)
		wait_event(watch_wq, READ_ONCE(running) != w);
}

#define MAX_RESUME_WATCHES	32

int xs_watch_resume(void)
{
	struct xenbus_watch *w, *list[MAX_RESUME_WATCHES];
	unsigned int n = 0, all = 0, i;
	int rc, first = 0;

	spin_lock(&watch_lock);
	list_for_each_entry(w, &watches, list)
		if (all++ < MAX_RESUME_WATCHES)
			list[n++] = w;
	spin_unlock(&watch_lock);
	for (i = 0; i < n; i++) {
		rc = watch_request(XS_WATCH, list[i]);
		if (rc) {
			printk("xenbus: watch on %s not registered again: %d\n",
			       list[i]->node, rc);
			first = first ?: rc;
		}
	}
	if (all > n)
		printk("xenbus: only %u of %u watches were registered again\n",
		       n, all);
	return first;
}

int register_xenbus_watch(struct xenbus_watch *w)
{
	int rc;

	snprintf(w->token, sizeof(w->token), "%lx", (unsigned long)w);
	/* On the list first: the first event may beat the reply. */
	spin_lock(&watch_lock);
	list_add_tail(&w->list, &watches);
	spin_unlock(&watch_lock);
	rc = watch_request(XS_WATCH, w);
	if (rc)
		forget_watch(w);
	return rc;
}

void unregister_xenbus_watch(struct xenbus_watch *w)
{
	int rc;
	bool listed;

	spin_lock(&watch_lock);
	listed = find_watch(w->token) == w;
	spin_unlock(&watch_lock);
	if (!listed)
		return;
	rc = watch_request(XS_UNWATCH, w);
	if (rc && rc != -ENOENT)
		printk("xenbus: UNWATCH %s failed: %d\n", w->node, rc);
	forget_watch(w);
}
