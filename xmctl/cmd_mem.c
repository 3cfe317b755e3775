/*
 * xmctl's memory commands, with virsh's names and syntax:
 *
 *	setmaxmem DOM SIZE [--live] [--config] [--json]
 *	setmem DOM SIZE [--live] [--config] [--json]
 *
 * SIZE is KiB, or with a suffix K, M, G or T (powers of 1024); a size
 * that is not one, or is 0, is a usage error before xmd sees it.  Sizes
 * count whole pages (4 KiB): the rest is dropped.  Nothing is printed
 * on success but with --json (the maximum and the reservation after).
 */
#include "exit_status.h"
#include "xmctl.h"

#define KIB		UINT64_C(1024)
#define SIZE_MIN	(4 * KIB)		/* one page */
#define SIZE_MAX_BYTES	(KIB << 40)		/* 1 PiB */

static unsigned int
affect(const struct cmd_ctx *ctx)
{
	return ((ctx->opts & O_LIVE) ? XMCTL_AFFECT_LIVE : 0) |
	    ((ctx->opts & O_CONFIG) ? XMCTL_AFFECT_CONFIG : 0);
}

typedef int	mem_call_fn(struct xmctl *, const char *, uint64_t,
		    unsigned int, struct xmctl_memory *);

static int
mem_command(struct cmd_ctx *ctx, mem_call_fn *fn)
{
	struct xmctl_memory m;
	struct xmctl *x;
	uint64_t bytes;
	int rc;

	if ((rc = operand_size("size", ctx->argv[2], KIB, SIZE_MIN,
	    SIZE_MAX_BYTES, &bytes)) != 0)
		return rc;
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (fn(x, ctx->argv[1], bytes / KIB, affect(ctx), &m) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	xmctl_free(x);
	return XM_EXIT_OK;
}

int
cmd_setmaxmem(struct cmd_ctx *ctx)
{
	return mem_command(ctx, xmctl_domain_set_max_memory);
}

int
cmd_setmem(struct cmd_ctx *ctx)
{
	return mem_command(ctx, xmctl_domain_set_memory);
}
