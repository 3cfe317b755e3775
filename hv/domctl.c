/*
 * domctl: domain 0's control over other domains (include/xm/domctl.h).
 * Only a privileged domain may call it; everyone else gets -EPERM and a
 * log line. Each command is a row of domctl_ops; the vCPU-context and
 * memory commands live in domctl_vcpu.c and domctl_mem.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/vcpu.h>
#include <xm/version.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>

extern uint64_t hv_total_pages;

static long
domctl_create(struct domain *self, struct xm_domctl *op)
{
	struct xm_domctl_create *c = &op->u.create;
	struct domain *d;
	unsigned int id = op->domain, i;

	(void)self;
	if (c->max_vcpus == 0 || c->max_vcpus > HV_MAX_VCPUS || c->flags != 0)
		return -XM_EINVAL;
	if (id == XM_DOMID_ANY) {
		for (id = 1; id < HV_MAX_DOMAINS && domain_table[id]; id++)
			;
		if (id == HV_MAX_DOMAINS)
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
	    self->id, c->max_vcpus, c->max_pages);
	return 0;
}

static long
domctl_destroy(struct domain *self, struct domain *d)
{
	unsigned int i;

	if (d == self || d->privileged)
		return -XM_EPERM;
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] != NULL)
			vcpu_pause(d->vcpus[i]);
	domain_wait_off_cpu(d);
	domain_destroy(d);
	evtchn_send_dom_exc();
	return 0;
}

static long
domctl_pause(struct domain *self, struct domain *d, bool pause)
{
	unsigned int i;

	if (d == self)
		return -XM_EINVAL;
	if (d->state != DOMAIN_RUNNING && d->state != DOMAIN_BUILDING)
		return -XM_EINVAL;
	if (!pause && d->state == DOMAIN_BUILDING) {
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
	info->max_pages = d->mm.max_pages;
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

static long
domctl_info_list(struct xm_domctl_info_list *l)
{
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

static long
domctl_physinfo(struct xm_domctl_physinfo *p)
{
	unsigned int id;

	kmemset(p, 0, sizeof(*p));
	p->nr_cpus = nr_cpus_online;
	p->hv_version = XM_XENVER_MAKE(4, 14);
	p->total_pages = hv_total_pages;
	p->free_pages = mm_free_count();
	p->max_mfn = mm_max_mfn;
	for (id = 0; id < HV_MAX_DOMAINS; id++)
		if (domain_table[id] != NULL)
			p->nr_domains++;
	kstrlcpy(p->hv_extraversion, ".0-xm", sizeof(p->hv_extraversion));
	return 0;
}

/* The commands that need a target domain other than the caller's. */
static long
domctl_on_domain(struct domain *self, struct domain *d, struct xm_domctl *op)
{
	switch (op->cmd) {
	case XM_DOMCTL_DESTROY:
		return domctl_destroy(self, d);
	case XM_DOMCTL_PAUSE:
		return domctl_pause(self, d, true);
	case XM_DOMCTL_UNPAUSE:
		return domctl_pause(self, d, false);
	case XM_DOMCTL_GETINFO:
		domctl_fill_info(d, &op->u.info);
		return 0;
	case XM_DOMCTL_SHUTDOWN:
		if (op->u.shutdown.reason > XM_SHUTDOWN_MAX)
			return -XM_EINVAL;
		domain_shutdown(d, op->u.shutdown.reason);
		return 0;
	case XM_DOMCTL_MAX_MEM:
		d->mm.max_pages = op->u.max_mem.max_pages;
		return 0;
	case XM_DOMCTL_SET_VCPU_CONTEXT:
	case XM_DOMCTL_GET_VCPU_CONTEXT:
		return domctl_vcpu_context(d, op);
	case XM_DOMCTL_POPULATE:
	case XM_DOMCTL_GET_PAGE_LIST:
	case XM_DOMCTL_FOREIGN_COPY:
	case XM_DOMCTL_HYPERCALL_INIT:
	case XM_DOMCTL_CONSOLE_RING:
		return domctl_memory(self, d, op);
	}
	return -XM_ENOSYS;
}

static long
domctl_dispatch(struct domain *self, struct xm_domctl *op)
{
	struct domain *d;

	switch (op->cmd) {
	case XM_DOMCTL_CREATE:
		return domctl_create(self, op);
	case XM_DOMCTL_GETINFO_LIST:
		return domctl_info_list(&op->u.info_list);
	case XM_DOMCTL_PHYSINFO:
		return domctl_physinfo(&op->u.physinfo);
	}
	d = domain_get(op->domain);
	if (d == NULL || d->state == DOMAIN_DYING)
		return -XM_ESRCH;
	return domctl_on_domain(self, d, op);
}

long
do_domctl(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct domain *self = current_vcpu()->domain;
	struct xm_domctl op;
	long rc;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!self->privileged) {
		domain_log_refusal(self, "domctl refused: not privileged");
		return -XM_EPERM;
	}
	if (copy_from_guest(&op, arg, sizeof(op)) != 0)
		return -XM_EFAULT;
	if (op.interface_version != XM_DOMCTL_INTERFACE_VERSION)
		return -XM_EACCES;
	rc = domctl_dispatch(self, &op);
	if (rc == 0 && copy_to_guest(arg, &op, sizeof(op)) != 0)
		return -XM_EFAULT;
	return rc;
}
