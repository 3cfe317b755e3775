/*
 * domctl: domain 0's control over other domains (include/xm/domctl.h).
 * Only a privileged domain may call it; everyone else gets -EPERM and a
 * log line. Each command is a row of domctl_table: its handler, the
 * union member that is its argument, and what its target must be. The
 * handlers live in domctl_domain.c, domctl_vcpu.c, domctl_mem.c and
 * domctl_sched.c.
 */
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/logdirty.h>
#include <hv/percpu.h>

/*
 * What a row asks of op->domain before its handler runs: a live domain
 * (else -ESRCH); not the caller's own (else -EINVAL); not a privileged
 * one, so not the caller's either (else -EPERM).
 */
#define DOMCTL_TARGET		(1U << 0)
#define DOMCTL_NOT_SELF		(1U << 1)
#define DOMCTL_UNPRIVILEGED	(1U << 2)

struct domctl_row {
	domctl_fn_t	*fn;
	uint16_t	arg_size;	/* bytes of op->u, in and out */
	uint16_t	flags;		/* DOMCTL_* */
};

#define ARG(member)	sizeof(((struct xm_domctl *)0)->u.member)
#define NOARG		0
#define ROW(cmd, h, size, flags)	[XM_DOMCTL_##cmd] = { h, size, flags }
#define OTHER		(DOMCTL_TARGET | DOMCTL_NOT_SELF)

static const struct domctl_row domctl_table[] = {
	ROW(CREATE, domctl_create, ARG(create), 0),
	ROW(DESTROY, domctl_destroy, NOARG, DOMCTL_TARGET |
	    DOMCTL_UNPRIVILEGED),
	ROW(PAUSE, domctl_pause, NOARG, OTHER),
	ROW(UNPAUSE, domctl_unpause, NOARG, OTHER),
	ROW(GETINFO, domctl_getinfo, ARG(info), DOMCTL_TARGET),
	ROW(GETINFO_LIST, domctl_getinfo_list, ARG(info_list), 0),
	ROW(MAX_MEM, domctl_max_mem, ARG(max_mem), DOMCTL_TARGET),
	ROW(POPULATE, domctl_populate, ARG(populate), DOMCTL_TARGET),
	ROW(SET_VCPU_CONTEXT, domctl_set_vcpu_context, ARG(vcpu_context),
	    DOMCTL_TARGET),
	ROW(GET_VCPU_CONTEXT, domctl_get_vcpu_context, ARG(vcpu_context),
	    DOMCTL_TARGET),
	ROW(GET_PAGE_LIST, domctl_get_page_list, ARG(page_list),
	    DOMCTL_TARGET),
	ROW(FOREIGN_COPY, domctl_foreign_copy, ARG(copy), OTHER),
	ROW(HYPERCALL_INIT, domctl_hypercall_init, ARG(hypercall_init),
	    DOMCTL_TARGET),
	ROW(PHYSINFO, domctl_physinfo, ARG(physinfo), 0),
	ROW(SHUTDOWN, domctl_shutdown, ARG(shutdown), DOMCTL_TARGET),
	ROW(CONSOLE_RING, domctl_console_ring, ARG(console), DOMCTL_TARGET),
	ROW(SCHED_GET, domctl_sched_get, ARG(sched), DOMCTL_TARGET),
	ROW(SCHED_SET, domctl_sched_set, ARG(sched), DOMCTL_TARGET),
	ROW(VCPU_AFFINITY, domctl_vcpu_affinity, ARG(vcpu_affinity),
	    DOMCTL_TARGET),
	ROW(VCPU_LIST, domctl_vcpu_list, ARG(vcpu_list), DOMCTL_TARGET),
	ROW(STATS, domctl_stats, ARG(stats), 0),
	ROW(RESUME, domctl_resume, NOARG, OTHER),
	ROW(PAGE_INFO, domctl_page_info, ARG(page_info), DOMCTL_TARGET),
	ROW(PIN_TABLES, domctl_pin_tables, ARG(pin_tables), OTHER),
	ROW(LOG_DIRTY, domctl_log_dirty, ARG(log_dirty), DOMCTL_TARGET |
	    DOMCTL_UNPRIVILEGED),
};

#define DOMCTL_HDR_SIZE	offsetof(struct xm_domctl, u)

static const struct domctl_row *
domctl_row(uint32_t cmd)
{
	if (cmd >= sizeof(domctl_table) / sizeof(domctl_table[0]) ||
	    domctl_table[cmd].fn == NULL)
		return NULL;
	return &domctl_table[cmd];
}

/* The target the row asks for, or the error that refuses it. */
static long
domctl_target(const struct domctl_row *row, struct domctl_call *c)
{
	struct domain *d;

	if (!(row->flags & DOMCTL_TARGET))
		return 0;
	d = domain_get(c->op->domain);
	if (d == NULL || d->state == DOMAIN_DYING)
		return -XM_ESRCH;
	if ((row->flags & DOMCTL_UNPRIVILEGED) && d->privileged)
		return -XM_EPERM;
	if ((row->flags & DOMCTL_NOT_SELF) && d == c->caller)
		return -XM_EINVAL;
	c->target = d;
	return 0;
}

long
domctl_run(struct domain *caller, uint64_t arg)
{
	struct xm_domctl op;
	struct domctl_call c = { caller, NULL, &op };
	const struct domctl_row *row;
	long rc;

	if (!caller->privileged) {
		domain_log_refusal(caller, "domctl refused: not privileged");
		return -XM_EPERM;
	}
	kmemset(&op, 0, sizeof(op));
	if (copy_from_guest(&op, arg, DOMCTL_HDR_SIZE) != 0)
		return -XM_EFAULT;
	if (op.interface_version != XM_DOMCTL_INTERFACE_VERSION)
		return -XM_EACCES;
	if ((row = domctl_row(op.cmd)) == NULL)
		return -XM_ENOSYS;
	if (copy_from_guest(&op.u, arg + DOMCTL_HDR_SIZE, row->arg_size) != 0)
		return -XM_EFAULT;
	if ((rc = domctl_target(row, &c)) != 0)
		return rc;
	rc = row->fn(&c);
	if (rc == 0 && copy_to_guest(arg, &op, DOMCTL_HDR_SIZE +
	    row->arg_size) != 0)
		return -XM_EFAULT;
	return rc;
}

long
do_domctl(uint64_t arg)
{
	return domctl_run(current_vcpu()->domain, arg);
}
