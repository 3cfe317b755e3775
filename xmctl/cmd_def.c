/*
 * xmctl's definition commands: validate and convert work offline (no
 * xmd), dumpxml and dumpjson ask xmd for a domain's definition.
 *
 *	xmctl validate FILE		check a definition (XML or JSON)
 *	xmctl convert [--json] FILE	its canonical XML (--json: JSON)
 *	xmctl dumpxml DOM		a domain's definition as XML
 *	xmctl dumpjson DOM		... as JSON
 *
 * FILE "-" is standard input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmctl.h"

#define DEF_MAX		(1024 * 1024)

/* The definition in path ("-": stdin); NULL after the error was printed. */
static char *
def_read(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *buf = NULL;
	size_t n;

	if (f == NULL) {
		failx("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(DEF_MAX + 1)) == NULL)
		failx("out of memory");
	else if ((n = fread(buf, 1, DEF_MAX + 1, f)) > DEF_MAX || ferror(f)) {
		failx("%s: %s", path, n > DEF_MAX ?
		    "a definition is at most 1 MiB" : strerror(errno));
		free(buf);
		buf = NULL;
	} else
		buf[n] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

void
print_def_warnings(struct xmctl *x, const char *text)
{
	char *w = NULL, *line, *save = NULL;

	if (xmctl_definition_warnings(x, text, &w) != XMCTL_OK)
		return;		/* not valid: the caller says why */
	for (line = strtok_r(w, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "xmctl: warning: %s\n", line);
	free(w);
}

/* text, with a newline at its end. */
static void
put_text(const char *text)
{
	size_t n = strlen(text);

	fputs(text, stdout);
	if (n == 0 || text[n - 1] != '\n')
		putchar('\n');
}

int
cmd_validate(struct cmd_ctx *ctx)
{
	const char *path = ctx->argv[1];
	char name[XMCTL_NAME_MAX], *text;
	struct xmctl *x = NULL;
	int rc = 1;

	if ((text = def_read(path)) == NULL)
		return 1;
	if ((x = xmctl_new()) == NULL)
		failx("out of memory");
	else if (xmctl_definition_check(x, text, name, sizeof(name)) !=
	    XMCTL_OK)
		failx("%s: %s", path, xmctl_errmsg(x));
	else {
		print_def_warnings(x, text);
		printf("%s: a valid definition of domain '%s'\n", path, name);
		rc = 0;
	}
	xmctl_free(x);
	free(text);
	return rc;
}

int
cmd_convert(struct cmd_ctx *ctx)
{
	const char *path = ctx->argv[1];
	const char *format = ctx->to != NULL ? ctx->to :
	    ctx->json ? "json" : "xml";
	char *text, *out = NULL;
	struct xmctl *x = NULL;
	int rc = 1;

	if (strcmp(format, "json") != 0 && strcmp(format, "xml") != 0)
		return usagex("convert: --to takes json or xml, not '%s'",
		    format);
	if ((text = def_read(path)) == NULL)
		return 1;
	if ((x = xmctl_new()) == NULL)
		failx("out of memory");
	else if (xmctl_definition_convert(x, text, format, &out) != XMCTL_OK)
		failx("%s: %s", path, xmctl_errmsg(x));
	else {
		put_text(out);
		rc = 0;
	}
	free(out);
	xmctl_free(x);
	free(text);
	return rc;
}

static int
dump(struct cmd_ctx *ctx, const char *format)
{
	struct xmctl *x;
	char *text;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_domain_definition(x, ctx->argv[1], format, &text) !=
	    XMCTL_OK)
		return fail(x);
	put_text(text);
	free(text);
	xmctl_free(x);
	return 0;
}

int
cmd_dumpxml(struct cmd_ctx *ctx)
{
	return dump(ctx, "xml");
}

int
cmd_dumpjson(struct cmd_ctx *ctx)
{
	return dump(ctx, "json");
}
