/* xmctl nodeinfo */
#include "xmctl.h"

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
