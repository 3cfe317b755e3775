/*
 * xmctl's scheduler commands, with virsh's names and syntax:
 *
 *	schedinfo DOM [--weight N] [--cap N] [--live|--config] [--json]
 *	vcpuinfo DOM [--json]
 *	vcpupin DOM [VCPU CPULIST] [--live] [--config] [--json]
 *
 * What can be checked here is, before xmd sees it, as a usage error: a
 * weight out of 1..65535, a cap that is not a number, a malformed CPU
 * list (common/cpulist.c).  What only xmd knows (a cap above 100 per
 * vCPU, a vCPU the domain does not have, a CPU the node does not
 * have) fails with its message.  Nothing is changed either way.
 */
#include <stdlib.h>

#include "cpulist.h"
#include "exit_status.h"
#include "xmctl.h"

/* --live and --config as XMCTL_AFFECT_* flags. */
static unsigned int
affect_flags(const struct cmd_ctx *ctx)
{
	return ((ctx->opts & O_LIVE) ? XMCTL_AFFECT_LIVE : 0) |
	    ((ctx->opts & O_CONFIG) ? XMCTL_AFFECT_CONFIG : 0);
}

int
cmd_schedinfo(struct cmd_ctx *ctx)
{
	uint64_t w = 0, c = 0;
	int64_t weight, cap;
	struct xmctl_sched s;
	struct xmctl *x;
	int rc;

	if ((ctx->opts & O_LIVE) && (ctx->opts & O_CONFIG) &&
	    ctx->weight == NULL && ctx->cap == NULL)
		return usagex("schedinfo: --live and --config together only set");
	if ((ctx->weight != NULL && (rc = operand_number("--weight",
	    ctx->weight, 1, 65535, &w)) != 0) || (ctx->cap != NULL &&
	    (rc = operand_number("--cap", ctx->cap, 0, UINT32_MAX, &c)) != 0))
		return rc;
	weight = (int64_t)w;
	cap = (int64_t)c;
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (ctx->weight != NULL || ctx->cap != NULL)
		rc = xmctl_domain_set_sched_params(x, ctx->argv[1],
		    ctx->weight != NULL ? &weight : NULL,
		    ctx->cap != NULL ? &cap : NULL, affect_flags(ctx), &s);
	else
		rc = xmctl_domain_schedinfo(x, ctx->argv[1],
		    affect_flags(ctx), &s);
	if (rc != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else
		print_sched(&s);
	xmctl_free(x);
	return XM_EXIT_OK;
}

int
cmd_vcpuinfo(struct cmd_ctx *ctx)
{
	struct xmctl_vcpu *v;
	struct xmctl *x;
	size_t n;

	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (xmctl_domain_vcpuinfo(x, ctx->argv[1], &v, &n) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else
		print_vcpus(v, n);
	free(v);
	xmctl_free(x);
	return XM_EXIT_OK;
}

int
cmd_vcpupin(struct cmd_ctx *ctx)
{
	const char *list = ctx->argc == 4 ? ctx->argv[3] : NULL, *why;
	struct xmctl_vcpu_pin *p;
	struct xmctl *x;
	uint64_t vcpu = 0, map;
	size_t n;
	int rc;

	if (list != NULL && ((rc = operand_number("vcpu", ctx->argv[2], 0,
	    INT32_MAX, &vcpu)) != 0))
		return rc;
	if (list != NULL && xm_cpulist_parse(list, &map, &why) != 0)
		return usagex("cpulist '%s' %s", list, why);
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (xmctl_domain_vcpupin(x, ctx->argv[1], list != NULL ? (int)vcpu :
	    -1, list, affect_flags(ctx), &p, &n) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else if (list == NULL)
		print_vcpu_pins(p, n);
	free(p);
	xmctl_free(x);
	return XM_EXIT_OK;
}
