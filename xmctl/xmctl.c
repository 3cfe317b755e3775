/*
 * xmctl: control xm domains through xmd.
 *
 *	xmctl [-r] [-c URI] COMMAND [OPTIONS] [ARGS]
 *
 * A domain (DOM) is named by its name, id or UUID.  Exit status 0 on
 * success, 1 on failure, with "xmctl: domain 'NAME': REASON" on
 * standard error, 2 on a usage error (common/exit_status.h).  The verbs
 * are virsh's, with xl's names as aliases (pause for suspend, unpause
 * for resume); xmctl(1) describes them.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_status.h"
#include "parse_num.h"
#include "xmctl.h"

static int	cmd_help(struct cmd_ctx *);

static const struct cmd commands[] = {
	{ "help", cmd_help, "[COMMAND]",
	    "show the commands, or how to use one", NARGS_0_OR_1, 0 },
	{ "define", cmd_define, "FILE",
	    "store a definition in xmd (not started)", 1, O_JSON },
	{ "undefine", cmd_undefine, "DOM",
	    "forget a domain's stored definition", 1, 0 },
	{ "create", cmd_create, "FILE",
	    "create and start a domain from a definition", 1, O_JSON },
	{ "start", cmd_start, "DOM",
	    "start a defined domain", 1, 0 },
	{ "shutdown", cmd_shutdown, "DOM",
	    "ask a domain to power off and wait (--force: destroy it if it does not)",
	    1, O_TIMEOUT | O_FORCE },
	{ "reboot", cmd_reboot, "DOM",
	    "ask a domain to reboot and wait (--force: destroy it if it does not)",
	    1, O_TIMEOUT | O_FORCE },
	{ "destroy", cmd_destroy, "DOM",
	    "stop a domain at once and free its memory", 1, 0 },
	{ "suspend", cmd_pause, "DOM",
	    "pause a domain", 1, 0 },
	{ "pause", cmd_pause, "DOM",
	    "pause a domain (xl's name for suspend)", 1, 0 },
	{ "resume", cmd_resume, "DOM",
	    "resume a paused domain", 1, 0 },
	{ "unpause", cmd_resume, "DOM",
	    "resume a paused domain (xl's name for resume)", 1, 0 },
	{ "list", cmd_list, "",
	    "list the running domains (--all: the defined ones too)", 0,
	    O_JSON | O_ALL | O_NAME | O_UUID },
	{ "dominfo", cmd_dominfo, "DOM",
	    "show a domain", 1, O_JSON },
	{ "domstate", cmd_domstate, "DOM",
	    "show a domain's state and why it is in it", 1, O_JSON },
	{ "console", cmd_console, "DOM",
	    "show a domain's console and follow it (Ctrl-] detaches)", 1,
	    O_NOFOLLOW },
	{ "autostart", cmd_autostart, "DOM",
	    "start a domain when xmd starts (--disable: do not)", 1,
	    O_DISABLE },
	{ "dumpxml", cmd_dumpxml, "DOM",
	    "show a domain's definition as XML", 1, 0 },
	{ "dumpjson", cmd_dumpjson, "DOM",
	    "show a domain's definition as JSON", 1, 0 },
	{ "edit", cmd_edit, "DOM",
	    "edit a domain's definition in $VISUAL or $EDITOR and define it",
	    1, 0 },
	{ "validate", cmd_validate, "FILE",
	    "check a definition (XML or JSON; - is standard input)", 1, 0 },
	{ "convert", cmd_convert, "FILE",
	    "write a definition in canonical XML or JSON (--to json|xml)", 1,
	    O_TO | O_JSON },
	{ "nodeinfo", cmd_nodeinfo, "",
	    "show the node: hv, CPUs, memory", 0, O_JSON },
	{ "ping", cmd_ping, "",
	    "time the control channel's round trip to the node (--count N echoes)",
	    0, O_JSON | O_COUNT },
	{ "schedinfo", cmd_schedinfo, "DOM",
	    "show or set a domain's scheduler weight and cap", 1,
	    O_JSON | O_WEIGHT | O_CAP | O_LIVE | O_CONFIG },
	{ "vcpuinfo", cmd_vcpuinfo, "DOM",
	    "show a running domain's vCPUs: CPU, state, time, affinity", 1,
	    O_JSON },
	{ "vcpupin", cmd_vcpupin, "DOM [VCPU CPULIST]",
	    "pin a vCPU to CPUs (like 0-3,^2,5), or show the pinning",
	    NARGS_1_OR_3, O_JSON | O_LIVE | O_CONFIG },
	{ "domstats", cmd_domstats, "[DOM...]",
	    "show domains' statistics as key=value (all running ones by default)",
	    NARGS_ANY, O_JSON },
	{ "top", cmd_top, "",
	    "show the domains live, as xentop (-b: plain tables, for scripts)",
	    0, O_BATCH | O_DELAY | O_ITER | O_SORT },
	{ "store", cmd_store, "read|write|rm|ls|watch PATH [VALUE]",
	    "read, write, remove, list or watch xenstore paths (admin)",
	    NARGS_ANY, O_JSON | O_COUNT },
	{ "event", cmd_event, "",
	    "wait for a lifecycle event and show it (--loop: all of them)", 0,
	    O_JSON | O_LOOP },
	{ "setmaxmem", cmd_setmaxmem, "DOM SIZE",
	    "set a domain's maximum memory (KiB, or with K, M, G, T)", 2,
	    O_JSON | O_LIVE | O_CONFIG },
	{ "setmem", cmd_setmem, "DOM SIZE",
	    "set a domain's memory at start, up to its maximum (--config)", 2,
	    O_JSON | O_LIVE | O_CONFIG },
	{ "save", cmd_save, "DOM FILE",
	    "suspend a domain, write it to a file and destroy it", 2,
	    O_JSON | O_TIMEOUT },
	{ "restore", cmd_restore, "FILE",
	    "start a domain again from a file that save wrote", 1, O_JSON },
	{ "migrate", cmd_migrate, "DOM URI",
	    "move a running domain to another xmd (xm+unix:///PATH, xm+tls://HOST/)",
	    2, O_JSON | O_TIMEOUT | O_LIVE | O_MAX_ROUNDS | O_MAX_DOWNTIME |
	    O_VERBOSE | O_BANDWIDTH | O_PERSISTENT | O_UNDEFSOURCE },
	{ "migrate-abort", cmd_migrate_abort, "DOM",
	    "stop a domain's migration before it is committed", 1, 0 },
	{ NULL, NULL, NULL, NULL, 0, 0 },
};

/*
 * The verbs' options: long name, bit, the name of its argument if any,
 * and a letter for the few that have a short form too (top's, as
 * xentop's).
 */
static const struct {
	const char	*name;
	int		 bit;
	const char	*arg;
	int		 letter;
} options[] = {
	{ "json",	O_JSON,		NULL,		0 },
	{ "no-follow",	O_NOFOLLOW,	NULL,		0 },
	{ "all",	O_ALL,		NULL,		0 },
	{ "name",	O_NAME,		NULL,		0 },
	{ "uuid",	O_UUID,		NULL,		0 },
	{ "disable",	O_DISABLE,	NULL,		0 },
	{ "loop",	O_LOOP,		NULL,		0 },
	{ "to",		O_TO,		"json|xml",	0 },
	{ "count",	O_COUNT,	"N",		0 },
	{ "weight",	O_WEIGHT,	"N",		0 },
	{ "cap",	O_CAP,		"N",		0 },
	{ "live",	O_LIVE,		NULL,		0 },
	{ "config",	O_CONFIG,	NULL,		0 },
	{ "batch",	O_BATCH,	NULL,		'b' },
	{ "delay",	O_DELAY,	"SECONDS",	'd' },
	{ "iterations",	O_ITER,		"N",		'n' },
	{ "sort",	O_SORT,		"name|cpu|mem",	's' },
	{ "timeout",	O_TIMEOUT,	"SECONDS",	0 },
	{ "force",	O_FORCE,	NULL,		0 },
	{ "max-rounds",	O_MAX_ROUNDS,	"N",		0 },
	{ "max-downtime", O_MAX_DOWNTIME, "MS",		0 },
	{ "verbose",	O_VERBOSE,	NULL,		0 },
	{ "bandwidth",	O_BANDWIDTH,	"MiB/s",	0 },
	{ "persistent",	O_PERSISTENT,	NULL,		0 },
	{ "undefinesource", O_UNDEFSOURCE, NULL,	0 },
	{ NULL,		0,		NULL,		0 },
};

/* " [--json] [--all]": the options c takes, in buf. */
static const char *
cmd_opts(const struct cmd *c, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; options[i].name != NULL; i++)
		if ((c->opts & options[i].bit) && off < len &&
		    options[i].letter != 0)
			off += (size_t)snprintf(buf + off, len - off,
			    options[i].arg ? " [-%c %s]" : " [-%c]",
			    options[i].letter, options[i].arg);
		else if ((c->opts & options[i].bit) && off < len)
			off += (size_t)snprintf(buf + off, len - off,
			    options[i].arg ? " [--%s %s]" : " [--%s]",
			    options[i].name, options[i].arg);
	return buf;
}

static void
usage(FILE *f)
{
	const struct cmd *c;
	char buf[256];

	fprintf(f, "usage: xmctl [-hr] [-c URI] COMMAND [OPTIONS] [ARGS]\n"
	    "       xmctl [-r] [-c URI] --version\n\n");
	fprintf(f, "URI is unix:///path/to/xmd.sock, xm+tls://HOST[:PORT]/ or\n"
	    "xm+ssh://[USER@]HOST[:PORT]/[PATH] (default: $XMCTL_URI, or xmd's\n"
	    "default socket directory); -r connects read-only (xmd-ro.sock).\n"
	    "DOM is a domain's name, id or UUID.\n"
	    "Exit status: 0 done, 1 failed, 2 a usage error.\n"
	    "COMMAND -h (or help COMMAND) shows how to use one.  Commands:\n");
	for (c = commands; c->name != NULL; c++)
		fprintf(f, "  %s%s%s%s\n      %s\n", c->name,
		    cmd_opts(c, buf, sizeof(buf)), *c->args != '\0' ? " " : "",
		    c->args, c->help);
}

/* The verb's usage line; on standard output, what it does too. */
static void
print_usage_cmd(FILE *f, const struct cmd *c)
{
	char buf[256];

	fprintf(f, "usage: xmctl %s%s%s%s\n", c->name,
	    cmd_opts(c, buf, sizeof(buf)), *c->args != '\0' ? " " : "",
	    c->args);
	if (f == stdout)
		fprintf(f, "  %s\n", c->help);
}

int
usage_cmd(const struct cmd *c)
{
	print_usage_cmd(stderr, c);
	return XM_EXIT_USAGE;
}

static int
vreport(int status, const char *fmt, va_list ap)
{
	fprintf(stderr, "xmctl: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return status;
}

int
failx(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(XM_EXIT_FAIL, fmt, ap);
	va_end(ap);
	return rc;
}

int
usagex(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(XM_EXIT_USAGE, fmt, ap);
	va_end(ap);
	return rc;
}

int
fail(struct xmctl *x)
{
	failx("%s", xmctl_errmsg(x));
	xmctl_free(x);
	return XM_EXIT_FAIL;
}

int
operand_number(const char *what, const char *s, uint64_t min, uint64_t max,
    uint64_t *v)
{
	enum xm_num_err e = xm_num_parse(s, min, max, v);
	char why[128];

	if (e == XM_NUM_OK)
		return 0;
	return usagex("%s '%s': %s", what, s,
	    xm_num_why(e, min, max, why, sizeof(why)));
}

int
operand_size(const char *what, const char *s, uint64_t scale, uint64_t min,
    uint64_t max, uint64_t *bytes)
{
	enum xm_num_err e = xm_size_parse(s, scale, min, max, bytes);
	char why[128];

	if (e == XM_NUM_OK)
		return 0;
	return usagex("%s '%s': %s", what, s,
	    xm_size_why(e, min, max, why, sizeof(why)));
}

int
connect_handle(struct xmctl *x, const struct cmd_ctx *ctx)
{
	if (ctx->readonly)
		return xmctl_connect_readonly(x, ctx->uri);
	return xmctl_connect(x, ctx->uri);
}

struct xmctl *
connect_xmd(const struct cmd_ctx *ctx)
{
	struct xmctl *x = xmctl_new();

	if (x == NULL) {
		failx("out of memory");
		return NULL;
	}
	if (connect_handle(x, ctx) != XMCTL_OK) {
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

/* Whether n operands are what c takes. */
static int
nargs_ok(const struct cmd *c, int n)
{
	if (c->nargs == NARGS_0_OR_1)
		return n == 0 || n == 1;
	if (c->nargs == NARGS_1_OR_3)
		return n == 1 || n == 3;
	if (c->nargs == NARGS_ANY)
		return n >= 0;
	return n == c->nargs;
}

/* A short option's bit; a long option's val is its bit already. */
static int
option_bit(int ch)
{
	size_t i;

	for (i = 0; options[i].name != NULL; i++)
		if (options[i].letter != 0 && options[i].letter == ch)
			return options[i].bit;
	return ch;
}

/*
 * The verb's own options (and -h, --help: its usage on standard output):
 * -1 to go on, or the exit status.
 */
static int
cmd_options(const struct cmd *c, struct cmd_ctx *ctx)
{
	struct option longopts[sizeof(options) / sizeof(options[0]) + 1];
	char shortopts[2 * sizeof(options) / sizeof(options[0]) + 2] = "h";
	size_t i, n = 1;
	int ch;

	memset(longopts, 0, sizeof(longopts));
	for (i = 0; options[i].name != NULL; i++) {
		longopts[i].name = options[i].name;
		longopts[i].val = options[i].bit;
		longopts[i].has_arg = options[i].arg != NULL ?
		    required_argument : no_argument;
		if ((c->opts & options[i].bit) && options[i].letter != 0) {
			shortopts[n++] = (char)options[i].letter;
			if (options[i].arg != NULL)
				shortopts[n++] = ':';
		}
	}
	shortopts[n] = '\0';
	longopts[i].name = "help";
	longopts[i].val = 'h';
	optind = 0;	/* GNU getopt: start afresh, at argv[1] */
	opterr = 0;	/* the usage line says it */
	while ((ch = getopt_long(ctx->argc, ctx->argv, shortopts, longopts,
	    NULL)) != -1) {
		if (ch == 'h') {
			print_usage_cmd(stdout, c);
			return XM_EXIT_OK;
		}
		ch = option_bit(ch);
		if (ch == '?' || !(c->opts & ch))
			return usage_cmd(c);
		ctx->opts |= ch;
		if (ch == O_TO)
			ctx->to = optarg;
		if (ch == O_COUNT)
			ctx->count = optarg;
		if (ch == O_WEIGHT)
			ctx->weight = optarg;
		if (ch == O_CAP)
			ctx->cap = optarg;
		if (ch == O_DELAY)
			ctx->delay = optarg;
		if (ch == O_ITER)
			ctx->iter = optarg;
		if (ch == O_SORT)
			ctx->sort = optarg;
		if (ch == O_TIMEOUT)
			ctx->timeout = optarg;
		if (ch == O_MAX_ROUNDS)
			ctx->max_rounds = optarg;
		if (ch == O_MAX_DOWNTIME)
			ctx->max_downtime = optarg;
		if (ch == O_BANDWIDTH)
			ctx->bandwidth = optarg;
	}
	ctx->json = (ctx->opts & O_JSON) != 0;
	ctx->no_follow = (ctx->opts & O_NOFOLLOW) != 0;
	ctx->argc -= optind - 1;
	ctx->argv += optind - 1;
	if (!nargs_ok(c, ctx->argc - 1))
		return usage_cmd(c);
	return -1;
}

static int
unknown_cmd(const char *name)
{
	return usagex("unknown command '%s' (xmctl -h lists them)", name);
}

/* xmctl help [COMMAND]: as xmctl -h, or COMMAND -h. */
static int
cmd_help(struct cmd_ctx *ctx)
{
	const struct cmd *c;

	if (ctx->argc == 1) {
		usage(stdout);
		return XM_EXIT_OK;
	}
	if ((c = find_cmd(ctx->argv[1])) == NULL)
		return unknown_cmd(ctx->argv[1]);
	print_usage_cmd(stdout, c);
	return XM_EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx;
	const struct cmd *c;
	int ch, rc;

	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int version = 0;

	memset(&ctx, 0, sizeof(ctx));
	while ((ch = getopt_long(argc, argv, "+c:hrV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctx.uri = optarg;
			break;
		case 'h':
			usage(stdout);
			return XM_EXIT_OK;
		case 'V':
			version = 1;
			break;
		case 'r':
			ctx.readonly = 1;
			break;
		default:
			usage(stderr);
			return XM_EXIT_USAGE;
		}
	}
	if (version)
		return print_versions(&ctx);
	if (optind >= argc) {
		usage(stderr);
		return XM_EXIT_USAGE;
	}
	/* Hidden: what xm+ssh:// runs on the remote host. */
	if (strcmp(argv[optind], "stdio-proxy") == 0)
		return stdio_proxy(argc - optind, argv + optind);
	if ((c = find_cmd(argv[optind])) == NULL)
		return unknown_cmd(argv[optind]);
	ctx.argc = argc - optind;
	ctx.argv = argv + optind;
	if ((rc = cmd_options(c, &ctx)) >= 0)
		return rc;
	return c->fn(&ctx);
}
