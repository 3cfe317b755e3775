/*
 * libxmctl: domain consoles (the kept output, then a followed stream of
 * notifications) and offline checks of definitions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "domain_def.h"

static int
copy_data(struct xmctl *x, struct json_object *o, char **data, size_t *len)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, "data", &v) ||
	    !json_object_is_type(v, json_type_string))
		return xc_fail(x, XMCTL_E_PROTOCOL, "console output without data");
	*len = (size_t)json_object_get_string_len(v);
	if ((*data = malloc(*len + 1)) == NULL)
		return xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	memcpy(*data, json_object_get_string(v), *len + 1);
	return XMCTL_OK;
}

XMCTL_API int
xmctl_domain_console(struct xmctl *x, const char *dom, int follow,
    char **data, size_t *len)
{
	struct json_object *p = xc_dom_params(dom), *r;
	int rc;

	*data = NULL;
	*len = 0;
	json_object_object_add(p, "follow", json_object_new_boolean(follow));
	if ((rc = xc_call(x, "domain.console", p, &r)) != XMCTL_OK)
		return rc;
	rc = copy_data(x, r, data, len);
	json_object_put(r);
	if (rc == XMCTL_OK && follow)
		x->x_following = 1;
	return rc;
}

XMCTL_API int
xmctl_domain_console_input(struct xmctl *x, const char *dom,
    const char *data, size_t len)
{
	struct json_object *p = xc_dom_params(dom), *r;
	int rc;

	if (len > 1024)
		return xc_fail(x, XMCTL_E_ARG, "console input of %zu bytes: at "
		    "most 1024 at a time", len);
	json_object_object_add(p, "data", json_object_new_string_len(data,
	    (int)len));
	if ((rc = xc_call(x, "domain.console.input", p, &r)) == XMCTL_OK)
		json_object_put(r);
	return rc;
}

static int
console_closed(struct xmctl *x, struct json_object *params)
{
	struct json_object *dom, *why;

	json_object_object_get_ex(params, "domain", &dom);
	json_object_object_get_ex(params, "reason", &why);
	return xc_fail(x, XMCTL_E_CLOSED, "domain '%s': console closed: %s",
	    json_object_get_string(dom), json_object_get_string(why));
}

XMCTL_API int
xmctl_console_next(struct xmctl *x, char **data, size_t *len,
    int timeout_ms)
{
	struct json_object *msg, *method, *params;
	const char *m;
	int rc;

	*data = NULL;
	*len = 0;
	if (!x->x_following)
		return xc_fail(x, XMCTL_E_ARG, "no console is followed");
	for (;;) {
		if ((rc = xc_next_message(x, &msg, timeout_ms)) != XMCTL_OK)
			return rc;
		m = json_object_object_get_ex(msg, "method", &method) ?
		    json_object_get_string(method) : "";
		json_object_object_get_ex(msg, "params", &params);
		if (strcmp(m, "domain.console.output") == 0)
			rc = copy_data(x, params, data, len);
		else if (strcmp(m, "domain.console.closed") == 0)
			rc = console_closed(x, params);
		else
			rc = -1;	/* not for us: the next one */
		json_object_put(msg);
		if (rc != -1)
			return rc == XMCTL_OK ? xc_ok(x) : rc;
	}
}

XMCTL_API int
xmctl_definition_check(struct xmctl *x, const char *text, char *name,
    size_t namelen)
{
	struct xm_domain_def def;
	char err[512];
	int rc = XMCTL_OK;

	xm_domain_def_init(&def);
	if (xm_domain_def_parse(&def, text, strlen(text), err,
	    sizeof(err)) != 0)
		rc = xc_fail(x, XMCTL_E_DEFINITION, "%s", err);
	else if (name != NULL)
		snprintf(name, namelen, "%s", def.dd_name);
	xm_domain_def_dispose(&def);
	return rc == XMCTL_OK ? xc_ok(x) : rc;
}
