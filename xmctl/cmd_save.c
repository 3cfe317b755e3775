/*
 * xmctl's save, restore and migrate, with virsh's names:
 *
 *	save DOM FILE [--timeout SECONDS] [--json]
 *	restore FILE [--json]
 *	migrate DOM URI [--timeout SECONDS] [--json]
 *	migrate-abort DOM
 *
 * FILE is xmd's, on its host; a relative one is taken from xmctl's
 * working directory (xmd runs in its own).  save waits for the domain
 * to suspend (--timeout, xmd's default 60 s) and for the file to be
 * written; the domain is gone when it returns.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exit_status.h"
#include "xmctl.h"

/* path made absolute into buf: 0, or the error printed and not 0. */
static int
absolute(const char *path, char *buf, size_t len)
{
	char cwd[PATH_MAX];

	if (path[0] == '/') {
		if (strlen(path) >= len)
			return failx("%s: path too long", path);
		snprintf(buf, len, "%s", path);
		return 0;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return failx("%s: cannot tell the working directory: %s",
		    path, strerror(errno));
	if ((size_t)snprintf(buf, len, "%s/%s", cwd, path) >= len)
		return failx("%s: path too long", path);
	return 0;
}

int
cmd_save(struct cmd_ctx *ctx)
{
	char path[XMCTL_PATH_LEN];
	struct xmctl_saved s;
	struct xmctl *x;
	uint64_t t = 0;

	if (ctx->timeout != NULL && operand_number("timeout", ctx->timeout,
	    1, 3600, &t) != 0)
		return XM_EXIT_USAGE;
	if (absolute(ctx->argv[2], path, sizeof(path)) != 0)
		return XM_EXIT_FAIL;
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (xmctl_domain_save(x, ctx->argv[1], path, (unsigned int)t, &s) !=
	    XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else
		printf("Domain '%s' saved to %s\n", s.domain, s.path);
	xmctl_free(x);
	return XM_EXIT_OK;
}

int
cmd_restore(struct cmd_ctx *ctx)
{
	char path[XMCTL_PATH_LEN];
	struct xmctl_domain d;
	struct xmctl *x;

	if (absolute(ctx->argv[1], path, sizeof(path)) != 0)
		return XM_EXIT_FAIL;
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (xmctl_node_restore(x, path, &d) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else
		printf("Domain '%s' restored from %s (id %d)\n", d.name, path,
		    d.id);
	xmctl_free(x);
	return XM_EXIT_OK;
}

int
cmd_migrate(struct cmd_ctx *ctx)
{
	struct xmctl_migrated m;
	struct xmctl *x;
	uint64_t t = 0;

	if (ctx->timeout != NULL && operand_number("timeout", ctx->timeout,
	    1, 3600, &t) != 0)
		return XM_EXIT_USAGE;
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (xmctl_domain_migrate(x, ctx->argv[1], ctx->argv[2],
	    (unsigned int)t, &m) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else
		printf("Domain '%s' migrated to %s (%llu bytes, %llu ms)\n",
		    m.domain, m.uri, (unsigned long long)m.bytes,
		    (unsigned long long)m.total_ms);
	xmctl_free(x);
	return XM_EXIT_OK;
}

int
cmd_migrate_abort(struct cmd_ctx *ctx)
{
	struct xmctl *x;

	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (xmctl_domain_abort_job(x, ctx->argv[1]) != XMCTL_OK)
		return fail(x);
	printf("Domain '%s': migration aborted\n", ctx->argv[1]);
	xmctl_free(x);
	return XM_EXIT_OK;
}
