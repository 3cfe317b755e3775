/* xmctl nodeinfo, ping */
#include <stdlib.h>

#include "xmctl.h"

#define PING_SIZE	64	/* bytes in each echo */

int
cmd_nodeinfo(struct cmd_ctx *ctx)
{
	struct xmctl_node_info ni;
	struct xmctl *x;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_node_info(x, &ni) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else
		print_node_info(&ni);
	xmctl_free(x);
	return 0;
}

int
cmd_ping(struct cmd_ctx *ctx)
{
	struct xmctl_ping pg;
	struct xmctl *x;
	uint64_t count = 1;
	int rc;

	if (ctx->count != NULL && (rc = operand_number("count", ctx->count, 1,
	    XMCTL_PING_MAX_COUNT, &count)) != 0)
		return rc;
	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_node_ping(x, (unsigned int)count, PING_SIZE, &pg) !=
	    XMCTL_OK)
		return fail(x);
	print_ping(&pg, ctx->json);
	xmctl_free(x);
	return 0;
}
