/*
 * domctl on domains as a whole: create, destroy, pause and unpause,
 * shut down, limit memory, and what hv reports about domains and about
 * itself. The table in domctl.c has checked each target already.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/vcpu.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/event.h>
#include <hv/grant_table.h>
#include <hv/guest_access.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/version.h>

extern uint64_t hv_total_pages;

/* No domain's limit is higher (16 PiB): no sum with it overflows. */
#define MAX_MEM_PAGES_MAX	(UINT64_C(1) << 42)

/*
 * The id after the last one handed out that is free, as Xen's rover: an
 * id comes back only once the others have been used (a toolstack or a
 * log that still names a domain that went does not find another under
 * its id).  domctls are serialised, so the rover needs no lock.
 */
static unsigned int
free_domid(void)
{
	static unsigned int rover;
	unsigned int id = rover, n;

	for (n = 1; n < HV_MAX_DOMAINS; n++) {
		if (++id >= HV_MAX_DOMAINS)
			id = 1;
		if (domain_table[id] == NULL) {
			rover = id;
			return id;
		}
	}
	return HV_MAX_DOMAINS;
}

long
domctl_create(struct domctl_call *call)
{
	struct xm_domctl *op = call->op;
	struct xm_domctl_create *c = &op->u.create;
	struct domain *d;
	unsigned int id = op->domain, i;

	if (c->max_vcpus == 0 || c->max_vcpus > HV_MAX_VCPUS || c->flags != 0)
		return -XM_EINVAL;
	if (id == XM_DOMID_ANY) {
		if ((id = free_domid()) == HV_MAX_DOMAINS)
			return -XM_ENOSPC;
	} else if (id == 0 || id >= HV_MAX_DOMAINS)
		return -XM_EINVAL;
	else if (domain_table[id] != NULL)
		return -XM_EEXIST;
	d = domain_create((uint16_t)id, false, c->max_vcpus, c->max_pages);
	if (d == NULL)
		return -XM_ENOMEM;
	for (i = 0; i < c->max_vcpus; i++)
		if (vcpu_create(d, i) == NULL) {
			domain_destroy(d);
			return -XM_ENOMEM;
		}
	d->paused = true;
	op->domain = (xm_domid_t)id;
	log_info("d%u: created by d%u (%u vCPUs, at most %lu pages)", id,
	    call->caller->id, c->max_vcpus, c->max_pages);
	return 0;
}

/* Never a privileged domain, which the caller is (its row says). */
long
domctl_destroy(struct domctl_call *c)
{
	struct domain *d = c->target;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] != NULL)
			vcpu_pause(d->vcpus[i]);
	domain_wait_off_cpu(d);
	domain_destroy(d);
	evtchn_send_dom_exc();
	return 0;
}

/* A built domain's first unpause: it runs from the context it was given. */
static long
start_built(struct domain *d)
{
	unsigned int i;

	if (d->vcpus[0] == NULL || d->vcpus[0]->kernel_l4 == 0)
		return -XM_EINVAL;	/* no context set yet */
	d->shared_info->arch.max_pfn = d->nr_pfns;
	d->state = DOMAIN_RUNNING;
	d->paused = false;
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] != NULL && d->vcpus[i]->kernel_l4)
			sched_add_vcpu(d->vcpus[i]);
	log_info("d%u: started", d->id);
	return 0;
}

/* Never the caller's own domain (its rows say). */
static long
pause_domain(struct domain *d, bool pause)
{
	unsigned int i;

	if (d->state != DOMAIN_RUNNING && d->state != DOMAIN_BUILDING)
		return -XM_EINVAL;
	if (!pause && d->state == DOMAIN_BUILDING)
		return start_built(d);
	d->paused = pause;
	for (i = 0; i < d->max_vcpus; i++) {
		if (d->vcpus[i] == NULL)
			continue;
		if (pause)
			vcpu_pause(d->vcpus[i]);
		else
			vcpu_unpause(d->vcpus[i]);
	}
	if (pause)
		domain_wait_off_cpu(d);
	return 0;
}

static uint32_t
info_flags(const struct domain *d)
{
	uint32_t f = 0, blocked = 0, n = 0, i;

	for (i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpus[i];

		if (v == NULL || v->state == VCPU_OFFLINE)
			continue;
		n++;
		if (v->state == VCPU_RUNNING)
			f |= XM_DOMINF_RUNNING;
		if (v->state == VCPU_BLOCKED)
			blocked++;
	}
	if (n != 0 && blocked == n)
		f |= XM_DOMINF_BLOCKED;
	if (d->paused)
		f |= XM_DOMINF_PAUSED;
	if (d->state == DOMAIN_SHUTDOWN)
		f |= XM_DOMINF_SHUTDOWN;
	if (d->state == DOMAIN_DYING)
		f |= XM_DOMINF_DYING;
	if (d->state == DOMAIN_BUILDING)
		f |= XM_DOMINF_BUILDING;
	if (d->privileged)
		f |= XM_DOMINF_PRIVILEGED;
	return f;
}

void
domctl_fill_info(const struct domain *d, struct xm_domctl_info *info)
{
	uint64_t now = time_now();
	unsigned int i;

	kmemset(info, 0, sizeof(*info));
	info->domain = d->id;
	info->flags = info_flags(d);
	info->shutdown_reason = d->shutdown_reason;
	info->tot_pages = d->mm.tot_pages;
	info->frames_gen = d->mm.frames_gen;
	/* As create and max_mem were given it: the grant frames apart. */
	info->max_pages = d->mm.max_pages - gnttab_max_frames(d);
	info->shared_info_mfn = d->shared_info_mfn;
	info->nr_pfns = d->nr_pfns;
	for (i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpus[i];

		if (v == NULL)
			continue;
		info->nr_vcpus++;
		if (v->state != VCPU_OFFLINE)
			info->nr_online_vcpus++;
		info->cpu_time_ns += v->runstate_time[XM_RUNSTATE_RUNNING];
		if (v->runstate == XM_RUNSTATE_RUNNING && now >
		    v->runstate_since)
			info->cpu_time_ns += now - v->runstate_since;
	}
}

/*
 * Xen's domain_resume: a domain that shut down runs again from where
 * its vCPUs stopped (those the toolstack paused stay paused); one that
 * runs is left alone.
 */
long
domctl_resume(struct domctl_call *c)
{
	struct domain *d = c->target;
	unsigned int i;

	if (d->state == DOMAIN_RUNNING)
		return 0;
	if (d->state != DOMAIN_SHUTDOWN)
		return -XM_EINVAL;
	domain_wait_off_cpu(d);
	log_info("d%u: resumed after shutdown (%s)", d->id,
	    shutdown_reason_name(d->shutdown_reason));
	d->shutdown_reason = 0;
	d->state = DOMAIN_RUNNING;
	for (i = 0; i < d->max_vcpus && !d->paused; i++)
		if (d->vcpus[i] != NULL)
			vcpu_unpause(d->vcpus[i]);
	return 0;
}

long
domctl_pause(struct domctl_call *c)
{
	return pause_domain(c->target, true);
}

long
domctl_unpause(struct domctl_call *c)
{
	return pause_domain(c->target, false);
}

long
domctl_getinfo(struct domctl_call *c)
{
	domctl_fill_info(c->target, &c->op->u.info);
	return 0;
}

long
domctl_getinfo_list(struct domctl_call *c)
{
	struct xm_domctl_info_list *l = &c->op->u.info_list;
	struct xm_domctl_info info;
	unsigned int id;

	l->count = 0;
	for (id = l->first; id < HV_MAX_DOMAINS && l->count < l->max; id++) {
		if (domain_table[id] == NULL)
			continue;
		domctl_fill_info(domain_table[id], &info);
		if (copy_to_guest(l->buffer + l->count * sizeof(info), &info,
		    sizeof(info)) != 0)
			return -XM_EFAULT;
		l->count++;
	}
	return 0;
}

long
domctl_physinfo(struct domctl_call *c)
{
	struct xm_domctl_physinfo *p = &c->op->u.physinfo;
	unsigned int id;

	kmemset(p, 0, sizeof(*p));
	p->nr_cpus = nr_cpus_online;
	p->hv_version = HV_XEN_VERSION;
	p->total_pages = hv_total_pages;
	p->free_pages = mm_free_count();
	p->max_mfn = mm_max_mfn;
	for (id = 0; id < HV_MAX_DOMAINS; id++)
		if (domain_table[id] != NULL)
			p->nr_domains++;
	kstrlcpy(p->hv_extraversion, HV_XEN_EXTRAVERSION,
	    sizeof(p->hv_extraversion));
	return 0;
}

long
domctl_shutdown(struct domctl_call *c)
{
	if (c->op->u.shutdown.reason > XM_SHUTDOWN_MAX)
		return -XM_EINVAL;
	domain_shutdown(c->target, c->op->u.shutdown.reason);
	return 0;
}

/*
 * The toolstack's limit counts what create's did (the guest's pages and
 * XM_DOMAIN_HV_PAGES); the grant table's frames stay on top, as
 * gnttab_init put them. A limit below what the domain has is refused:
 * its pages are not taken back.
 */
long
domctl_max_mem(struct domctl_call *c)
{
	struct domain *d = c->target;
	uint64_t want = c->op->u.max_mem.max_pages;
	long rc = 0;

	if (want > MAX_MEM_PAGES_MAX)
		return -XM_EINVAL;
	spin_lock(&d->lock);
	want += gnttab_max_frames(d);
	if (want < d->mm.tot_pages + gnttab_room(d))
		rc = -XM_EBUSY;
	else
		d->mm.max_pages = want;
	spin_unlock(&d->lock);
	if (rc != 0)
		log_info("d%u: max_mem %lu pages refused: it has more", d->id,
		    c->op->u.max_mem.max_pages);
	return rc;
}
