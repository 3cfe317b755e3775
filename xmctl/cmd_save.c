/*
 * xmctl's save, restore and migrate, with virsh's names:
 *
 *	save DOM FILE [--timeout SECONDS] [--json]
 *	restore FILE [--json]
 *	migrate [--live [--max-rounds N] [--max-downtime MS]] [--verbose]
 *	    [--timeout SECONDS] [--json] DOM URI
 *	migrate-abort DOM
 *
 * FILE is xmd's, on its host; a relative one is taken from xmctl's
 * working directory (xmd runs in its own).  save waits for the domain
 * to suspend (--timeout, xmd's default 60 s) and for the file to be
 * written; the domain is gone when it returns.  migrate --verbose
 * shows a live migration's progress on standard error: one line redrawn
 * on a terminal, else a line per migration.progress notification.
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

/* migrate's options into o: 0, or XM_EXIT_USAGE after the error. */
static int
migrate_opts(const struct cmd_ctx *ctx, struct xmctl_migrate_opts *o)
{
	uint64_t t = 0, r = 0, d = 0, b = 0;

	memset(o, 0, sizeof(*o));
	o->live = (ctx->opts & O_LIVE) != 0;
	if (!o->live && ctx->max_rounds != NULL)
		return usagex("migrate: --max-rounds needs --live");
	if (!o->live && ctx->max_downtime != NULL)
		return usagex("migrate: --max-downtime needs --live");
	if ((ctx->timeout != NULL && operand_number("timeout", ctx->timeout,
	    1, 3600, &t) != 0) ||
	    (ctx->max_rounds != NULL && operand_number("--max-rounds",
	    ctx->max_rounds, 1, 1000, &r) != 0) ||
	    (ctx->max_downtime != NULL && operand_number("--max-downtime",
	    ctx->max_downtime, 1, 600000, &d) != 0) ||
	    (ctx->bandwidth != NULL && operand_number("--bandwidth",
	    ctx->bandwidth, 0, 1048576, &b) != 0))
		return XM_EXIT_USAGE;
	o->bandwidth = (unsigned int)b;
	o->persistent = (ctx->opts & O_PERSISTENT) != 0;
	o->undefine_source = (ctx->opts & O_UNDEFSOURCE) != 0;
	o->timeout_s = (unsigned int)t;
	o->max_rounds = (unsigned int)r;
	o->max_downtime_ms = (unsigned int)d;
	return 0;
}

/* migrate --verbose: where the progress goes. */
struct progress_view {
	uint64_t	pages;		/* the domain's; 0: not known */
	int		tty;		/* one line, drawn again and again */
	int		drawn;		/* a line of it is on the terminal */
};

/* How far, as virsh's: 100% less what the round has still to send. */
static void
progress_done(const struct progress_view *v,
    const struct xmctl_migration_progress *p, char *buf, size_t len)
{
	uint64_t done;

	if (v->pages == 0) {
		snprintf(buf, len, "%llu pages sent",
		    (unsigned long long)p->sent);
		return;
	}
	done = p->remaining < v->pages ? v->pages - p->remaining : 0;
	snprintf(buf, len, "%3llu%%", (unsigned long long)(done * 100 /
	    v->pages));
}

/* "Migration: [ 99%] precopy, round 1, 108 dirty pages, 95 MB/s" */
static void
show_progress(void *arg, const struct xmctl_migration_progress *p)
{
	struct progress_view *v = arg;
	char done[48];

	progress_done(v, p, done, sizeof(done));
	fprintf(stderr, "%sMigration: [%s] %s, round %u, %llu dirty pages, "
	    "%llu MB/s%s", v->tty ? "\r" : "", done, p->phase, p->round,
	    (unsigned long long)p->dirty, (unsigned long long)p->mbps,
	    v->tty ? "\033[K" : "\n");
	v->drawn = v->tty;
}

/* --verbose: the domain's size, for the percentages; 0 or the status. */
static int
progress_view_init(struct xmctl *x, const char *dom, struct progress_view *v)
{
	struct xmctl_domain d;

	memset(v, 0, sizeof(*v));
	v->tty = isatty(STDERR_FILENO);
	if (xmctl_domain_info(x, dom, &d) != XMCTL_OK)
		return fail(x);
	/* Pages of 4 KiB, as the notifications count them. */
	v->pages = (d.current_kib != 0 ? d.current_kib : d.memory_kib) / 4;
	return 0;
}

int
cmd_migrate(struct cmd_ctx *ctx)
{
	struct xmctl_migrate_opts o;
	struct progress_view v = { 0, 0, 0 };
	struct xmctl_migrated m;
	struct xmctl *x;
	int rc;

	if ((rc = migrate_opts(ctx, &o)) != 0)
		return rc;
	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if (ctx->opts & O_VERBOSE) {
		if ((rc = progress_view_init(x, ctx->argv[1], &v)) != 0)
			return rc;
		o.progress = show_progress;
		o.progress_arg = &v;
	}
	rc = xmctl_domain_migrate_opts(x, ctx->argv[1], ctx->argv[2], &o, &m);
	if (o.progress != NULL && v.drawn)
		fputc('\n', stderr);
	if (rc != XMCTL_OK)
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
