/*
 * xmctl's memory commands, with virsh's names and syntax:
 *
 *	setmaxmem DOM SIZE [--live] [--config] [--json]
 *	setmem DOM SIZE [--live] [--config] [--json]
 *
 * SIZE is virsh's scaled integer: KiB, or with a unit as libvirt
 * spells them (b; k or KiB, M or MiB ... powers of 1024; KB, MB ...
 * powers of 1000; common/parse_num.h), 4 KiB to 1 TiB, as definitions
 * have it.  Anything else is a usage error before xmd sees it.  Sizes
 * count whole pages (4 KiB): the rest is dropped.  Nothing is printed
 * on success but with --json (the maximum and the reservation after).
 */
#include "domain_def.h"
#include "exit_status.h"
#include "parse_num.h"
#include "xmctl.h"

#define SIZE_MIN_KIB	4			/* one page */

/* SIZE in KiB (rounded up, as libvirt does): 0, or a usage error. */
static int
size_kib(const char *s, uint64_t *kib)
{
	const char *p = s;
	uint64_t n, unit;

	if (xm_num_scan(&p, 0, UINT64_MAX, &n) != XM_NUM_OK)
		return usagex("size '%s': not a number", s);
	if ((unit = xm_unit_bytes(*p != '\0' ? p : NULL)) == 0)
		return usagex("size '%s': unknown unit (b, K or KiB, KB, M or MiB, MB, G or GiB, GB, T or TiB, TB)",
		    s);
	if (n > XM_DEF_MEMORY_MAX_KIB * 1024 / unit ||
	    (n * unit + 1023) / 1024 > XM_DEF_MEMORY_MAX_KIB)
		return usagex("size '%s': too large (at most 1 TiB)", s);
	if ((*kib = (n * unit + 1023) / 1024) < SIZE_MIN_KIB)
		return usagex("size '%s': too small (at least %d KiB, a page)",
		    s, SIZE_MIN_KIB);
	return 0;
}

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
	uint64_t kib = 0;
	int rc;

	if ((rc = size_kib(ctx->argv[2], &kib)) != 0)
		return rc;
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (fn(x, ctx->argv[1], kib, affect(ctx), &m) != XMCTL_OK)
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
