/*
 * xmctl: control xm domains through xmd.
 *
 *	xmctl [-c URI] COMMAND [--json] [ARGS]
 *
 * A domain (DOM) is named by its name, id or UUID.  Exit status 0 on
 * success, 1 on failure, with "xmctl: domain 'NAME': REASON" on
 * standard error.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmctl.h"

static const struct cmd commands[] = {
	{ "create", cmd_create, "FILE",
	    "create and start a domain from a definition", 1, 1 },
	{ "list", cmd_list, "",
	    "list the domains", 0, 1 },
	{ "dominfo", cmd_dominfo, "DOM",
	    "show a domain", 1, 1 },
	{ "pause", cmd_pause, "DOM",
	    "pause a domain", 1, 0 },
	{ "resume", cmd_resume, "DOM",
	    "resume a paused domain", 1, 0 },
	{ "destroy", cmd_destroy, "DOM",
	    "stop a domain at once and free its memory", 1, 0 },
	{ "console", cmd_console, "[--no-follow] DOM",
	    "show a domain's console and follow it (Ctrl-] detaches)", 1, 0 },
	{ "nodeinfo", cmd_nodeinfo, "",
	    "show the node: hv, CPUs, memory", 0, 1 },
	{ NULL, NULL, NULL, NULL, 0, 0 },
};

static void
usage(FILE *f)
{
	const struct cmd *c;

	fprintf(f, "usage: xmctl [-c URI] COMMAND [ARGS]\n\n");
	fprintf(f, "URI is unix:///path/to/xmd.sock (default: $XMCTL_URI, or xmd's\n"
	    "default state directory); DOM is a domain's name, id or UUID.\n"
	    "Commands (--json where marked):\n");
	for (c = commands; c->name != NULL; c++)
		fprintf(f, "  %-9s%s %-18s %s\n", c->name, c->json ? " [--json]" :
		    "         ", c->args, c->help);
}

void
usage_cmd(const struct cmd *c)
{
	fprintf(stderr, "usage: xmctl %s%s%s%s\n", c->name,
	    c->json ? " [--json]" : "", *c->args != '\0' ? " " : "", c->args);
}

int
failx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xmctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int
fail(struct xmctl *x)
{
	failx("%s", xmctl_errmsg(x));
	xmctl_free(x);
	return 1;
}

struct xmctl *
connect_xmd(const struct cmd_ctx *ctx)
{
	struct xmctl *x = xmctl_new();

	if (x == NULL) {
		failx("out of memory");
		return NULL;
	}
	if (xmctl_connect(x, ctx->uri) != XMCTL_OK) {
		fail(x);
		return NULL;
	}
	return x;
}

static const struct cmd *
find_cmd(const char *name)
{
	const struct cmd *c;

	for (c = commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* The verb's own options; 0, or -1 after a usage message. */
static int
cmd_options(const struct cmd *c, struct cmd_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-follow", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 0;	/* GNU getopt: start afresh, at argv[1] */
	while ((ch = getopt_long(ctx->argc, ctx->argv, "", longopts,
	    NULL)) != -1) {
		if (ch == 'j' && c->json)
			ctx->json = 1;
		else if (ch == 'n' && c->fn == cmd_console)
			ctx->no_follow = 1;
		else {
			usage_cmd(c);
			return -1;
		}
	}
	ctx->argc -= optind - 1;
	ctx->argv += optind - 1;
	if (ctx->argc - 1 != c->nargs) {
		usage_cmd(c);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx = { 0, NULL, NULL, 0, 0 };
	const struct cmd *c;
	int ch;

	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c':
			ctx.uri = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	if ((c = find_cmd(argv[optind])) == NULL)
		return failx("unknown command '%s' (xmctl -h lists them)",
		    argv[optind]);
	ctx.argc = argc - optind;
	ctx.argv = argv + optind;
	if (cmd_options(c, &ctx) != 0)
		return 1;
	return c->fn(&ctx);
}
