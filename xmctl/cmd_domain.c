/*
 * xmctl's domain commands: define, undefine, create, start, shutdown,
 * reboot, destroy, suspend, resume, autostart, list, dominfo, domstate.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_status.h"
#include "xmctl.h"

#define DEF_MAX		(1024 * 1024)

/* The file's text, NUL-terminated; NULL after the error was printed. */
static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL) {
		failx("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(DEF_MAX + 1)) == NULL) {
		fclose(f);
		failx("out of memory");
		return NULL;
	}
	n = fread(buf, 1, DEF_MAX + 1, f);
	fclose(f);
	if (n > DEF_MAX) {
		free(buf);
		failx("%s: a definition is at most 1 MiB", path);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int
cmd_create(struct cmd_ctx *ctx)
{
	const char *path = ctx->argv[1];
	struct xmctl_domain d;
	struct xmctl *x;
	char name[XMCTL_NAME_MAX], *text;
	int rc = 1;

	if ((text = read_text(path)) == NULL)
		return 1;
	if ((x = xmctl_new()) == NULL) {
		free(text);
		return failx("out of memory");
	}
	if (xmctl_definition_check(x, text, name, sizeof(name)) != XMCTL_OK)
		failx("%s: %s", path, xmctl_errmsg(x));
	else if (print_def_warnings(x, text), connect_handle(x, ctx) !=
	    XMCTL_OK || xmctl_domain_create(x, text, &d) != XMCTL_OK)
		failx("%s", xmctl_errmsg(x));
	else {
		rc = 0;
		if (ctx->json)
			print_result_json(x);
		else
			printf("Domain '%s' created (id %d)\n", d.name, d.id);
	}
	xmctl_free(x);
	free(text);
	return rc;
}

int
cmd_define(struct cmd_ctx *ctx)
{
	const char *path = ctx->argv[1];
	char name[XMCTL_NAME_MAX], uuid[XMCTL_UUID_LEN], *text;
	struct xmctl *x;
	int rc = 1;

	if ((text = read_text(path)) == NULL)
		return 1;
	if ((x = xmctl_new()) == NULL) {
		free(text);
		return failx("out of memory");
	}
	if (xmctl_definition_check(x, text, name, sizeof(name)) != XMCTL_OK)
		failx("%s: %s", path, xmctl_errmsg(x));
	else if (print_def_warnings(x, text), connect_handle(x, ctx) !=
	    XMCTL_OK || xmctl_domain_define(x, text, name, uuid) != XMCTL_OK)
		failx("%s", xmctl_errmsg(x));
	else {
		rc = 0;
		if (ctx->json)
			printf("{ \"name\": \"%s\", \"uuid\": \"%s\" }\n", name,
			    uuid);
		else
			printf("Domain '%s' defined from %s\n", name, path);
	}
	xmctl_free(x);
	free(text);
	return rc;
}

/* The one line of list --name or --uuid. */
static void
print_domain_key(const struct xmctl_domain *d, int opts)
{
	if ((opts & O_NAME) && (opts & O_UUID))
		printf("%s %s\n", d->uuid, d->name);
	else
		printf("%s\n", (opts & O_NAME) ? d->name : d->uuid);
}

int
cmd_list(struct cmd_ctx *ctx)
{
	struct xmctl_domain *doms;
	struct xmctl *x;
	size_t i, n;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_domain_list_flags(x, (ctx->opts & O_ALL) ? XMCTL_LIST_ALL :
	    0, &doms, &n) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else if (ctx->opts & (O_NAME | O_UUID))
		for (i = 0; i < n; i++)
			print_domain_key(&doms[i], ctx->opts);
	else
		print_domains_table(doms, n);
	xmctl_free_domains(doms);
	xmctl_free(x);
	return 0;
}

int
cmd_dominfo(struct cmd_ctx *ctx)
{
	struct xmctl_domain d;
	struct xmctl *x;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_domain_info(x, ctx->argv[1], &d) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else
		print_domain_info(&d);
	xmctl_free(x);
	return 0;
}

int
cmd_domstate(struct cmd_ctx *ctx)
{
	struct xmctl_domain_state st;
	struct xmctl *x;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_domain_state(x, ctx->argv[1], &st) != XMCTL_OK)
		return fail(x);
	if (ctx->json)
		print_result_json(x);
	else if (st.reason[0] != '\0')
		printf("%s (%s)\n", st.state, st.reason);
	else
		printf("%s\n", st.state);
	xmctl_free(x);
	return 0;
}

/* One call on a domain, one line of report. */
static int
lifecycle(struct cmd_ctx *ctx, int (*call)(struct xmctl *, const char *),
    const char *done)
{
	struct xmctl *x;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (call(x, ctx->argv[1]) != XMCTL_OK)
		return fail(x);
	printf("Domain '%s' %s\n", ctx->argv[1], done);
	xmctl_free(x);
	return 0;
}

int
cmd_undefine(struct cmd_ctx *ctx)
{
	return lifecycle(ctx, xmctl_domain_undefine, "undefined");
}

int
cmd_start(struct cmd_ctx *ctx)
{
	return lifecycle(ctx, xmctl_domain_start, "started");
}

/*
 * shutdown and reboot: asked through the guest's xenstore when it
 * listens there, waiting --timeout seconds (60; 0: do not wait); then,
 * with --force, destroyed.
 */
static int
shutdown_wait(struct cmd_ctx *ctx, int reboot)
{
	const char *dom = ctx->argv[1];
	uint64_t t = 60;
	struct xmctl *x;
	int rc;

	if (ctx->timeout != NULL && operand_number("timeout", ctx->timeout,
	    0, 3600, &t) != 0)
		return XM_EXIT_USAGE;
	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	rc = xmctl_domain_shutdown_wait(x, dom, reboot, (unsigned int)t);
	if (rc == XMCTL_E_TIMEOUT && (ctx->opts & O_FORCE)) {
		fprintf(stderr, "xmctl: %s: destroying it\n",
		    xmctl_errmsg(x));
		rc = xmctl_domain_destroy(x, dom);
		if (rc == XMCTL_OK)
			printf("Domain '%s' destroyed\n", dom);
	} else if (rc == XMCTL_OK)
		printf("Domain '%s' %s\n", dom, t == 0 ?
		    (reboot ? "is being rebooted" : "is being shut down") :
		    (reboot ? "rebooted" : "shut down"));
	if (rc != XMCTL_OK)
		return fail(x);
	xmctl_free(x);
	return 0;
}

int
cmd_shutdown(struct cmd_ctx *ctx)
{
	return shutdown_wait(ctx, 0);
}

int
cmd_reboot(struct cmd_ctx *ctx)
{
	return shutdown_wait(ctx, 1);
}

int
cmd_pause(struct cmd_ctx *ctx)
{
	return lifecycle(ctx, xmctl_domain_pause, "paused");
}

int
cmd_resume(struct cmd_ctx *ctx)
{
	return lifecycle(ctx, xmctl_domain_resume, "resumed");
}

int
cmd_destroy(struct cmd_ctx *ctx)
{
	return lifecycle(ctx, xmctl_domain_destroy, "destroyed");
}

int
cmd_autostart(struct cmd_ctx *ctx)
{
	int enable = (ctx->opts & O_DISABLE) == 0;
	struct xmctl *x;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_domain_autostart(x, ctx->argv[1], enable) != XMCTL_OK)
		return fail(x);
	printf("Domain '%s' %s\n", ctx->argv[1], enable ?
	    "marked as autostarted" : "unmarked as autostarted");
	xmctl_free(x);
	return 0;
}
