/*
 * xmctl domstats [DOM...] [--json]: what domain.stats answers, as
 * virsh domstats prints it (Domain: 'name', then key=value lines) or,
 * with --json, the answers' domains in one {"domains": [...]}.  Both
 * print the keys xmd sent, in its order: nothing is re-encoded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "xmctl.h"

static void
print_entry(struct json_object *e)
{
	struct json_object *name = NULL, *st = NULL;

	json_object_object_get_ex(e, "name", &name);
	json_object_object_get_ex(e, "stats", &st);
	printf("Domain: '%s'\n", json_object_get_string(name));
	if (json_object_is_type(st, json_type_object)) {
		json_object_object_foreach(st, key, v)
			printf("  %s=%s\n", key, json_object_get_string(v));
	}
	printf("\n");
}

/* The domains of the last domain.stats answer, appended to all. */
static int
collect(struct xmctl *x, struct json_object *all)
{
	const char *text = xmctl_result_json(x);
	struct json_object *r, *a;
	size_t i;

	if (text == NULL || (r = json_tokener_parse(text)) == NULL)
		return failx("domain.stats: xmd's answer is not JSON");
	if (!json_object_object_get_ex(r, "domains", &a) ||
	    !json_object_is_type(a, json_type_array)) {
		json_object_put(r);
		return failx("domain.stats: xmd's answer has no domains");
	}
	for (i = 0; i < json_object_array_length(a); i++)
		json_object_array_add(all,
		    json_object_get(json_object_array_get_idx(a, i)));
	json_object_put(r);
	return 0;
}

/* One domain.stats call (name NULL: every domain) into all. */
static int
stats_of(struct xmctl *x, const char *name, struct json_object *all)
{
	struct xmctl_domain_stats *s = NULL;
	size_t n = 0;
	int rc;

	rc = xmctl_domain_stats(x, name != NULL ? &name : NULL,
	    name != NULL ? 1 : 0, &s, &n);
	free(s);
	if (rc != XMCTL_OK)
		return failx("%s", xmctl_errmsg(x));
	return collect(x, all);
}

static void
print_all(struct json_object *all, int json)
{
	struct json_object *o;
	size_t i;

	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "domains", json_object_get(all));
		printf("%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		return;
	}
	for (i = 0; i < json_object_array_length(all); i++)
		print_entry(json_object_array_get_idx(all, i));
}

int
cmd_domstats(struct cmd_ctx *ctx)
{
	struct json_object *all;
	struct xmctl *x;
	int i, rc = 0;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	all = json_object_new_array();
	if (ctx->argc <= 1)
		rc = stats_of(x, NULL, all);
	for (i = 1; rc == 0 && i < ctx->argc; i++)
		rc = stats_of(x, ctx->argv[i], all);
	if (rc == 0)
		print_all(all, ctx->json);
	json_object_put(all);
	xmctl_free(x);
	return rc;
}
