/*
 * xmctl store read|write|rm|ls|watch: xenstore as xenstore-read,
 * -write, -rm, -ls and -watch show it on Xen (admin connections).
 *
 *	store read PATH			the value
 *	store write PATH VALUE
 *	store rm PATH			the node and what lies below
 *	store ls [PATH]			the tree, "name = "value"", indented,
 *					with --json as xmd sent it
 *	store watch PATH [--count N]	each changed path, one a line
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_status.h"
#include "xmctl.h"

struct store_watch {
	struct xmctl	*sw_x;
	uint64_t	 sw_left;	/* 0: for ever */
};

static int
store_read(struct xmctl *x, const char *path)
{
	char *v;

	if (xmctl_store_read(x, path, &v) != XMCTL_OK)
		return -1;
	printf("%s\n", v);
	free(v);
	return XM_EXIT_OK;
}

/* Each returns an exit status, or -1 when a call failed. */

/* The last component of path, indented by its depth below top. */
static void
print_entry(const struct xmctl_store_entry *e, size_t top_depth)
{
	const char *name = strrchr(e->path, '/');
	size_t depth = 0, i;

	for (i = 0; e->path[i] != '\0'; i++)
		depth += e->path[i] == '/';
	name = name != NULL && name[1] != '\0' ? name + 1 : e->path;
	for (i = top_depth; i < depth; i++)
		fputs(" ", stdout);
	printf("%s = \"%s\"  (%s)\n", name, e->value != NULL ? e->value : "",
	    e->perms);
}

static int
store_ls(struct xmctl *x, const char *path, int json)
{
	struct xmctl_store_entry *e;
	size_t n, i, top = 0;
	int truncated;

	if (xmctl_store_ls(x, path, &e, &n, &truncated) != XMCTL_OK)
		return -1;
	if (json)
		print_result_json(x);
	else {
		for (i = 0; path[i] != '\0' && strcmp(path, "/") != 0; i++)
			top += path[i] == '/';
		/* The entry for path itself is the first: its children show. */
		for (i = 1; i < n; i++)
			print_entry(&e[i], top + 1);
	}
	xmctl_store_entries_free(e, n);
	if (truncated)
		fprintf(stderr, "xmctl: the tree was cut short by xmd\n");
	return XM_EXIT_OK;
}

static void
on_watch(void *arg, const char *watch, const char *path)
{
	struct store_watch *sw = arg;

	(void)watch;
	printf("%s\n", path);
	fflush(stdout);
	if (sw->sw_left != 0 && --sw->sw_left == 0)
		xmctl_events_stop(sw->sw_x);
}

static int
store_watch(struct xmctl *x, const char *path, uint64_t count)
{
	struct store_watch sw = { x, count };

	if (xmctl_store_watch(x, path, on_watch, &sw) != XMCTL_OK ||
	    xmctl_events_run(x) != XMCTL_OK)
		return -1;
	return XM_EXIT_OK;
}

/* Whether op takes n operands. */
static int
store_nargs_ok(const char *op, int n)
{
	if (strcmp(op, "write") == 0)
		return n == 2;
	if (strcmp(op, "ls") == 0)
		return n <= 1;
	return n == 1;
}

static int
store_run(struct xmctl *x, struct cmd_ctx *ctx, const char *op,
    uint64_t count)
{
	char **a = ctx->argv + 2;
	int n = ctx->argc - 2;

	if (strcmp(op, "read") == 0)
		return store_read(x, a[0]);
	if (strcmp(op, "write") == 0)
		return xmctl_store_write(x, a[0], a[1]) == XMCTL_OK ?
		    XM_EXIT_OK : -1;
	if (strcmp(op, "rm") == 0)
		return xmctl_store_rm(x, a[0]) == XMCTL_OK ? XM_EXIT_OK : -1;
	if (strcmp(op, "ls") == 0)
		return store_ls(x, n == 1 ? a[0] : "/", ctx->json);
	return store_watch(x, a[0], count);
}

int
cmd_store(struct cmd_ctx *ctx)
{
	static const char *const ops[] = { "read", "write", "rm", "ls",
	    "watch", NULL };
	struct xmctl *x;
	uint64_t count = 0;
	size_t i;
	int rc;

	if (ctx->argc < 2)
		return usagex("store: read, write, rm, ls or watch?");
	for (i = 0; ops[i] != NULL && strcmp(ops[i], ctx->argv[1]) != 0; i++)
		;
	if (ops[i] == NULL)
		return usagex("store: unknown operation '%s' (read, write, "
		    "rm, ls or watch)", ctx->argv[1]);
	if (!store_nargs_ok(ops[i], ctx->argc - 2))
		return usagex("store %s: wrong operands (see xmctl help store)",
		    ops[i]);
	if (ctx->count != NULL && operand_number("count", ctx->count, 1,
	    1000000, &count) != 0)
		return XM_EXIT_USAGE;
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	/* -1: the call failed, and fail() reports it and frees x. */
	if ((rc = store_run(x, ctx, ops[i], count)) < 0)
		return fail(x);
	xmctl_free(x);
	return rc;
}
