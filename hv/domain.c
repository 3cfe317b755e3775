/*
 * Domains: creation, vCPUs, shutdown with a reason kept for the control
 * plane, crash, destruction that gives every frame back.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/vcpu.h>

#include <hv/console.h>
#include <hv/desc.h>
#include <hv/context.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/grant_table.h>
#include <hv/heap.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/x86.h>

struct domain *domain_table[HV_MAX_DOMAINS];
static spinlock_t domlist_lock = SPINLOCK_INIT;

static const char *const shutdown_names[] = {
	[XM_SHUTDOWN_POWEROFF] = "poweroff",
	[XM_SHUTDOWN_REBOOT] = "reboot",
	[XM_SHUTDOWN_SUSPEND] = "suspend",
	[XM_SHUTDOWN_CRASH] = "crash",
	[XM_SHUTDOWN_WATCHDOG] = "watchdog",
	[XM_SHUTDOWN_SOFT_RESET] = "soft_reset",
};

const char *
shutdown_reason_name(unsigned int reason)
{
	if (reason < sizeof(shutdown_names) / sizeof(shutdown_names[0]) &&
	    shutdown_names[reason] != NULL)
		return shutdown_names[reason];
	return "unknown";
}

/* For walks of domain_table that must not meet a domain being freed. */
void
domain_list_lock(void)
{
	spin_lock(&domlist_lock);
}

void
domain_list_unlock(void)
{
	spin_unlock(&domlist_lock);
}

struct domain *
domain_get(uint16_t id)
{
	return id < HV_MAX_DOMAINS ? domain_table[id] : NULL;
}

static int
domain_alloc_shared_info(struct domain *d)
{
	int64_t mfn = mm_domain_alloc_frame(&d->mm);

	if (mfn < 0)
		return (int)mfn;
	/* hv writes it: it must never become a page table. */
	if (mm_get_page_and_type(&d->mm, (uint64_t)mfn, MM_PGT_WRITABLE) != 0)
		return -XM_ENOMEM;
	d->shared_info_mfn = (uint64_t)mfn;
	d->shared_info = mm_map_frame((uint64_t)mfn);
	kmemset(d->shared_info, 0, PAGE_SIZE);
	return 0;
}

struct domain *
domain_create(uint16_t id, bool privileged, unsigned int max_vcpus,
    uint64_t max_pages)
{
	struct domain *d;

	if (id >= HV_MAX_DOMAINS || max_vcpus == 0 ||
	    max_vcpus > HV_MAX_VCPUS || domain_table[id] != NULL)
		return NULL;
	d = hv_alloc(sizeof(*d));
	if (d == NULL)
		return NULL;
	d->id = id;
	d->privileged = privileged;
	d->state = DOMAIN_BUILDING;
	d->max_vcpus = max_vcpus;
	d->created_ns = time_now();
	spin_lock_init(&d->lock);
	logdirty_init(d);
	sched_dom_init(d);
	mm_domain_init(&d->mm, id, max_pages);
	if (domain_alloc_shared_info(d) != 0 || evtchn_init(d) != 0 ||
	    gnttab_init(d) != 0) {
		log_err("d%u: out of memory creating the domain", id);
		evtchn_destroy(d);
		mm_domain_release_all(&d->mm);
		hv_free(d);
		return NULL;
	}
	spin_lock(&domlist_lock);
	domain_table[id] = d;
	spin_unlock(&domlist_lock);
	time_update_wallclock(d);	/* after: a settime meanwhile reaches it */
	return d;
}

struct vcpu *
vcpu_create(struct domain *d, unsigned int id)
{
	struct vcpu *v;

	if (id >= d->max_vcpus || id >= XM_LEGACY_MAX_VCPUS ||
	    d->vcpus[id] != NULL)
		return NULL;
	v = hv_alloc(sizeof(*v));
	if (v == NULL)
		return NULL;
	v->domain = d;
	v->id = id;
	v->state = VCPU_OFFLINE;
	v->runstate = XM_RUNSTATE_OFFLINE;	/* down until brought up */
	v->runstate_since = time_now();
	v->created_ns = v->runstate_since;
	v->vcpu_info = &d->shared_info->vcpu_info[id];
	v->vcpu_info->evtchn_upcall_mask = 1;
	context_init_vcpu(v);
	sched_vcpu_init(v);
	d->vcpus[id] = v;
	return v;
}

void
domain_shutdown(struct domain *d, unsigned int reason)
{
	unsigned int i;

	if (d->state != DOMAIN_RUNNING && d->state != DOMAIN_BUILDING)
		return;
	d->state = DOMAIN_SHUTDOWN;
	d->shutdown_reason = reason;
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] != NULL)
			vcpu_pause(d->vcpus[i]);
	log_info("d%u: shut down (%s)", d->id, shutdown_reason_name(reason));
	evtchn_send_dom_exc();
	if (domains_alive() == 0)
		raise_resched(0);	/* CPU 0 powers off when all are done */
}

void
domain_crash(struct domain *d, const char *why)
{
	if (d->state != DOMAIN_RUNNING && d->state != DOMAIN_BUILDING)
		return;
	log_warn("d%u: crashed: %s", d->id, why);
	domain_shutdown(d, XM_SHUTDOWN_CRASH);
}

/*
 * Wait until none of d's vCPUs is on a CPU, however long that takes:
 * they are paused, and a CPU running one switches away at its next way
 * out of hv (long hypercalls see the pause and continue later).
 */
void
domain_wait_off_cpu(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		while (v != NULL && __atomic_load_n(&v->on_cpu,
		    __ATOMIC_ACQUIRE))
			cpu_relax();
	}
}

/*
 * Wait until every other CPU has been out of hv (back in a guest, or
 * about to halt in its idle loop) since now. A domain taken out of
 * domain_table before this is then used by no hypercall or interrupt
 * handler any more: they find domains there and keep them only while
 * they run, and they are bounded (RCU's grace period, which Xen uses
 * for the same). A halted CPU is woken to go round its idle loop.
 */
void
domain_grace_period(void)
{
	uint64_t seen[HV_MAX_CPUS];
	struct cpu_info *me = this_cpu(), *ci;
	unsigned int cpu;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if ((ci = percpu_get(cpu)) != NULL)
			seen[cpu] = __atomic_load_n(&ci->quiesce_gen,
			    __ATOMIC_ACQUIRE);
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++) {
		if ((ci = percpu_get(cpu)) == NULL || ci == me)
			continue;
		if (__atomic_load_n(&ci->quiesce_gen, __ATOMIC_ACQUIRE) ==
		    seen[cpu])
			raise_resched(cpu);
		while (__atomic_load_n(&ci->quiesce_gen, __ATOMIC_ACQUIRE) ==
		    seen[cpu]) {
			/*
			 * A CPU waiting here too holds only the domain it
			 * destroys: it counts as out of hv for the other.
			 */
			__atomic_add_fetch(&me->quiesce_gen, 1,
			    __ATOMIC_RELEASE);
			cpu_relax();
		}
	}
}

/*
 * None of d's vCPUs may run (they are paused): d leaves the table, and
 * is torn down once no CPU can still be using it.
 */
void
domain_destroy(struct domain *d)
{
	unsigned int i;
	uint64_t held;

	if (__atomic_exchange_n(&d->destroy_claimed, true, __ATOMIC_ACQ_REL))
		return;		/* another CPU destroys it already */
	d->state = DOMAIN_DYING;
	spin_lock(&domlist_lock);
	domain_table[d->id] = NULL;
	spin_unlock(&domlist_lock);
	domain_wait_off_cpu(d);
	domain_grace_period();
	logdirty_destroy(d);
	evtchn_destroy(d);
	gnttab_destroy(d);
	spin_lock(&d->lock);
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (v == NULL)
			continue;
		if (v->kernel_l4 != 0)
			mm_put_base_table(&d->mm, v->kernel_l4);
		if (v->user_l4 != 0)
			mm_put_base_table(&d->mm, v->user_l4);
		if (v->vcpu_info_mfn != 0)	/* VCPUOP_register_vcpu_info */
			mm_put_page_and_type(&d->mm, v->vcpu_info_mfn);
		gdt_release(v);			/* set_gdt */
		ldt_release(v);			/* MMUEXT_SET_LDT */
		vcpu_traps_free(v);
		hv_free(v);
		d->vcpus[i] = NULL;
	}
	mm_put_page_and_type(&d->mm, d->shared_info_mfn);
	if (d->pirq_eoi_mfn != 0)	/* PHYSDEVOP_pirq_eoi_gmfn */
		mm_put_page_and_type(&d->mm, d->pirq_eoi_mfn);
	held = mm_domain_release_all(&d->mm);
	spin_unlock(&d->lock);
	if (held != 0)
		log_warn("d%u: %lu frames still referenced after destroy",
		    d->id, held);
	log_info("d%u: destroyed", d->id);
	hv_free(d);
}

unsigned int
domains_alive(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < HV_MAX_DOMAINS; i++)
		if (domain_table[i] != NULL &&
		    (domain_table[i]->state == DOMAIN_RUNNING ||
		    domain_table[i]->state == DOMAIN_BUILDING))
			n++;
	return n;
}

/*
 * Each domain may log 10 refusals a second; the rest are counted and
 * reported with the next line that gets through.
 */
void
domain_log_refusal(struct domain *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	domain_vlog_refusal(d, fmt, ap);
	va_end(ap);
}

void
domain_vlog_refusal(struct domain *d, const char *fmt, va_list ap)
{
	char buf[160];
	uint64_t now = time_now();

	if (now - d->log_window > 1000000000ULL) {
		d->log_window = now;
		d->log_count = 0;
	}
	if (++d->log_count > 10) {
		d->log_dropped++;
		return;
	}
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	if (d->log_dropped != 0) {
		log_warn("d%u: %s (%u similar lines dropped)", d->id, buf,
		    d->log_dropped);
		d->log_dropped = 0;
	} else
		log_warn("d%u: %s", d->id, buf);
}
