/*
 * Domain state changes for xmd (see domexc.h), found by comparing a
 * full GETINFO_LIST walk with the last one (domtab.c).  A walk that
 * fails half-way is not compared: every domain would look gone.
 */

#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/event_channel.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/events.h>

#include "ringback.h"
#include "ctl_server.h"
#include "dom0.h"
#include "domexc.h"
#include "domtab.h"
#include "hc.h"
#include "log.h"

#define LIST_CHUNK	64

static struct domtab		dx_tab;
static struct xm_domctl_info	dx_info[LIST_CHUNK];
static volatile int		dx_pending;
static struct ratelimit		dx_rl;

static void
dx_event(xm_evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	dx_pending = 1;
	dom0_kick();
}

static void
dx_send(const struct xm_domctl_info *info)
{
	struct xm_ctl_domain_event ev;

	ev.info = *info;
	(void)ctl_send_event(XM_CTL_OP_DOMAIN_EVENT, &ev, sizeof(ev), NULL,
	    0);
}

static void
dx_gone(void *arg, xm_domid_t id)
{
	struct xm_domctl_info info;

	(void)arg;
	kmemset(&info, 0, sizeof(info));
	info.domain = id;
	ringback_detach(id);
	dx_send(&info);
}

/* Domains from first on; how many, or -XM_E*. */
static int
dx_list(xm_domid_t first)
{
	struct xm_domctl d;
	int rc;

	domctl_init(&d, XM_DOMCTL_GETINFO_LIST, 0);
	d.u.info_list.first = first;
	d.u.info_list.max = LIST_CHUNK;
	d.u.info_list.buffer = (xm_guest_handle_t)dx_info;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	return d.u.info_list.count <= LIST_CHUNK ?
	    (int)d.u.info_list.count : -XM_EIO;
}

/* One walk; with notify, DOMAIN_EVENTs for what changed. */
static int
dx_scan(int notify)
{
	unsigned int first = 0;
	int i, n;

	domtab_begin(&dx_tab);
	do {
		if ((n = dx_list((xm_domid_t)first)) < 0)
			return n;
		for (i = 0; i < n; i++)
			if (domtab_see(&dx_tab, &dx_info[i]) && notify)
				dx_send(&dx_info[i]);
		if (n > 0)
			first = dx_info[n - 1].domain + 1U;
	} while (n == LIST_CHUNK && first < XM_DOMID_FIRST_RESERVED);
	domtab_end(&dx_tab, dx_gone, NULL);
	return 0;
}

int
domexc_init(void)
{
	int port;

	domtab_init(&dx_tab);
	if ((port = evtchn_bind_virq(XM_VIRQ_DOM_EXC)) < 0)
		return port;
	(void)evtchn_bind((xm_evtchn_port_t)port, dx_event, NULL);
	return dx_scan(0);
}

void
domexc_poll(void)
{
	int rc;

	if (!dx_pending)
		return;
	dx_pending = 0;
	if ((rc = dx_scan(1)) < 0)
		dlog_limited(&dx_rl, "cannot list domains (%d)", rc);
}
