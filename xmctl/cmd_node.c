/* xmctl nodeinfo, ping */
#include <stdlib.h>

#include "xmctl.h"

#define PING_SIZE	64	/* bytes in each echo */
#define PING_MAX	1000

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
		print_node_json(&ni);
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
	unsigned long count = 1;
	char *end;

	if (ctx->count != NULL) {
		count = strtoul(ctx->count, &end, 10);
		if (*ctx->count == '\0' || *end != '\0' || count == 0 ||
		    count > PING_MAX)
			return failx("count '%s': must be from 1 to %d",
			    ctx->count, PING_MAX);
	}
	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_node_ping(x, (unsigned int)count, PING_SIZE, &pg) !=
	    XMCTL_OK)
		return fail(x);
	print_ping(&pg, ctx->json);
	xmctl_free(x);
	return 0;
}
