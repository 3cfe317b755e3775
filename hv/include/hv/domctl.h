/*
 * domctl's commands, by file. The table in hv/domctl.c says for each
 * command which handler runs it, how much of the struct's union is its
 * argument, and what its target domain must be; a handler finds all of
 * that checked.
 */
#ifndef HV_DOMCTL_H
#define HV_DOMCTL_H

#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/domctl.h>

struct domain;
struct vcpu;

/* One command as a handler sees it. */
struct domctl_call {
	struct domain	*caller;	/* privileged */
	struct domain	*target;	/* NULL unless the row has one */
	struct xm_domctl *op;		/* the argument in, results out */
};

typedef long domctl_fn_t(struct domctl_call *);

/* Copy in, check, run, copy out: do_domctl for the caller. */
long	domctl_run(struct domain *caller, uint64_t arg);

/* hv/domctl_domain.c: domains as a whole. */
domctl_fn_t domctl_create, domctl_destroy, domctl_pause, domctl_unpause,
	    domctl_getinfo, domctl_getinfo_list, domctl_physinfo,
	    domctl_shutdown, domctl_max_mem;
void	domctl_fill_info(const struct domain *, struct xm_domctl_info *);

/* hv/domctl_vcpu.c */
domctl_fn_t domctl_set_vcpu_context, domctl_get_vcpu_context;
/* Also VCPUOP_initialise's.  d's lock held. */
long	vcpu_set_context(struct domain *, struct vcpu *,
	    const struct xm_vcpu_guest_context *, bool pin);

/* hv/domctl_sched.c */
domctl_fn_t domctl_sched_get, domctl_sched_set, domctl_vcpu_affinity,
	    domctl_vcpu_list;

/* hv/domctl_mem.c */
domctl_fn_t domctl_populate, domctl_get_page_list, domctl_foreign_copy,
	    domctl_hypercall_init, domctl_console_ring;

/* hv/stats.c */
domctl_fn_t domctl_stats;
domctl_fn_t domctl_resume, domctl_page_info, domctl_pin_tables;

#endif
