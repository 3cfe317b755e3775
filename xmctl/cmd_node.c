/* xmctl nodeinfo, ping, --version */
#include "config.h"

#include <stdio.h>
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

/*
 * xmctl --version: its own and its library's, then, if xmd answers at
 * the URI, xmd's and its node's hv and domain 0's (as virsh version).
 * Exit status 0 once xmctl's is printed: xmd not answering is said.
 */
int
print_versions(const struct cmd_ctx *ctx)
{
	struct xmctl_node_info ni;
	struct xmctl *x;
	char v[64];

	printf("xmctl %s (libxmctl %s)\n", PACKAGE_VERSION,
	    xmctl_library_version());
	if ((x = xmctl_new()) == NULL)
		return 0;
	if (connect_handle(x, ctx) != XMCTL_OK ||
	    xmctl_daemon_version(x, v, sizeof(v)) != XMCTL_OK) {
		printf("xmd: not reached (%s)\n", xmctl_errmsg(x));
		xmctl_free(x);
		return 0;
	}
	printf("xmd %s\n", v);
	if (xmctl_node_info(x, &ni) == XMCTL_OK)
		printf("hv %s, domain 0 %s (control protocol %u)\n",
		    ni.hv_version, ni.dom0_version, ni.protocol);
	else
		printf("hv: not reached (%s)\n", xmctl_errmsg(x));
	xmctl_free(x);
	return 0;
}
