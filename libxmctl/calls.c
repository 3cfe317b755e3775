/* libxmctl's calls: one JSON-RPC method each, results copied out. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "dom_record.h"

/* o as record r at out, or XMCTL_E_PROTOCOL naming the field. */
static int
to_record(struct xmctl *x, const struct dr_record *r, struct json_object *o,
    void *out)
{
	char err[256];

	if (dr_read(r, o, out, err, sizeof(err)) != 0)
		return xc_fail(x, XMCTL_E_PROTOCOL, "%s", err);
	return XMCTL_OK;
}

/* A call whose result is a domain (or null, then *out is untouched). */
static int
domain_call(struct xmctl *x, const char *method, struct json_object *params,
    struct xmctl_domain *out)
{
	struct json_object *r;
	int rc;

	if ((rc = xc_call(x, method, params, &r)) != XMCTL_OK)
		return rc;
	if (r != NULL && out != NULL)
		rc = to_record(x, &dr_domain, r, out);
	json_object_put(r);
	return rc;
}

XMCTL_API int
xmctl_domain_create(struct xmctl *x, const char *definition,
    struct xmctl_domain *out)
{
	struct json_object *p;

	if (definition == NULL)
		return xc_fail(x, XMCTL_E_ARG, "no definition");
	p = json_object_new_object();
	json_object_object_add(p, "definition",
	    json_object_new_string(definition));
	return domain_call(x, "domain.create", p, out);
}

/* A params object with one string. */
static struct json_object *
str_params(const char *key, const char *value)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, key, json_object_new_string(value));
	return p;
}

XMCTL_API int
xmctl_domain_define(struct xmctl *x, const char *definition,
    char name[XMCTL_NAME_MAX], char uuid[XMCTL_UUID_LEN])
{
	struct xmctl_domain d;
	struct json_object *r;
	int rc;

	if (definition == NULL)
		return xc_fail(x, XMCTL_E_ARG, "no definition");
	if ((rc = xc_call(x, "domain.define",
	    str_params("definition", definition), &r)) != XMCTL_OK)
		return rc;
	memset(&d, 0, sizeof(d));
	rc = to_record(x, &dr_defined, r, &d);
	json_object_put(r);
	if (rc != XMCTL_OK)
		return rc;
	if (name != NULL)
		snprintf(name, XMCTL_NAME_MAX, "%s", d.name);
	if (uuid != NULL)
		snprintf(uuid, XMCTL_UUID_LEN, "%s", d.uuid);
	return XMCTL_OK;
}

XMCTL_API int
xmctl_domain_undefine(struct xmctl *x, const char *dom)
{
	return domain_call(x, "domain.undefine", xc_dom_params(dom), NULL);
}

XMCTL_API int
xmctl_domain_start(struct xmctl *x, const char *dom)
{
	return domain_call(x, "domain.start", xc_dom_params(dom), NULL);
}

XMCTL_API int
xmctl_domain_shutdown(struct xmctl *x, const char *dom)
{
	return domain_call(x, "domain.shutdown", xc_dom_params(dom), NULL);
}

XMCTL_API int
xmctl_domain_shutdown_wait(struct xmctl *x, const char *dom, int reboot,
    unsigned int timeout_s)
{
	struct json_object *p = xc_dom_params(dom);

	json_object_object_add(p, "timeout",
	    json_object_new_int64((int64_t)timeout_s));
	return domain_call(x, reboot ? "domain.reboot" : "domain.shutdown", p,
	    NULL);
}

XMCTL_API int
xmctl_domain_reboot(struct xmctl *x, const char *dom)
{
	return domain_call(x, "domain.reboot", xc_dom_params(dom), NULL);
}

XMCTL_API int
xmctl_domain_autostart(struct xmctl *x, const char *dom, int enable)
{
	struct json_object *p = xc_dom_params(dom);

	json_object_object_add(p, "enable", json_object_new_boolean(enable));
	return domain_call(x, "domain.autostart", p, NULL);
}

XMCTL_API int
xmctl_domain_list(struct xmctl *x, struct xmctl_domain **doms, size_t *n)
{
	return xmctl_domain_list_flags(x, 0, doms, n);
}

XMCTL_API int
xmctl_domain_list_flags(struct xmctl *x, unsigned int flags,
    struct xmctl_domain **doms, size_t *n)
{
	struct json_object *r, *p = NULL;
	size_t i, len;
	int rc;

	*doms = NULL;
	*n = 0;
	/* Without flags, {}: what every xmd takes. */
	if (flags & XMCTL_LIST_ALL) {
		p = json_object_new_object();
		json_object_object_add(p, "all", json_object_new_boolean(1));
	}
	if ((rc = xc_call(x, "domain.list", p, &r)) != XMCTL_OK)
		return rc;
	if (!json_object_is_type(r, json_type_array)) {
		json_object_put(r);
		return xc_fail(x, XMCTL_E_PROTOCOL, "domain.list: not an array");
	}
	len = json_object_array_length(r);
	if ((*doms = calloc(len + 1, sizeof(**doms))) == NULL)
		rc = xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	for (i = 0; rc == XMCTL_OK && i < len; i++)
		rc = to_record(x, &dr_domain,
		    json_object_array_get_idx(r, i), &(*doms)[i]);
	json_object_put(r);
	if (rc != XMCTL_OK) {
		free(*doms);
		*doms = NULL;
		return rc;
	}
	*n = len;
	return XMCTL_OK;
}

XMCTL_API void
xmctl_free_domains(struct xmctl_domain *doms)
{
	free(doms);
}

XMCTL_API int
xmctl_domain_info(struct xmctl *x, const char *dom, struct xmctl_domain *out)
{
	return domain_call(x, "domain.info", xc_dom_params(dom), out);
}

XMCTL_API int
xmctl_domain_pause(struct xmctl *x, const char *dom)
{
	return domain_call(x, "domain.pause", xc_dom_params(dom), NULL);
}

XMCTL_API int
xmctl_domain_resume(struct xmctl *x, const char *dom)
{
	return domain_call(x, "domain.resume", xc_dom_params(dom), NULL);
}

XMCTL_API int
xmctl_domain_destroy(struct xmctl *x, const char *dom)
{
	return domain_call(x, "domain.destroy", xc_dom_params(dom), NULL);
}

XMCTL_API int
xmctl_domain_state(struct xmctl *x, const char *dom,
    struct xmctl_domain_state *out)
{
	struct json_object *r;
	int rc;

	if ((rc = xc_call(x, "domain.state", xc_dom_params(dom), &r)) !=
	    XMCTL_OK)
		return rc;
	rc = to_record(x, &dr_domain_state, r, out);
	json_object_put(r);
	return rc;
}

XMCTL_API int
xmctl_domain_definition(struct xmctl *x, const char *dom,
    const char *format, char **text)
{
	return xmctl_domain_definition_flags(x, dom, format, 0, text);
}

XMCTL_API int
xmctl_domain_definition_flags(struct xmctl *x, const char *dom,
    const char *format, unsigned int flags, char **text)
{
	struct json_object *p = xc_dom_params(dom), *r, *v;
	int rc;

	*text = NULL;
	json_object_object_add(p, "format",
	    json_object_new_string(format != NULL ? format : "xml"));
	if (flags & XMCTL_DEFINITION_INACTIVE)
		json_object_object_add(p, "inactive",
		    json_object_new_boolean(1));
	if ((rc = xc_call(x, "domain.definition", p, &r)) != XMCTL_OK)
		return rc;
	if (!json_object_object_get_ex(r, "definition", &v) ||
	    !json_object_is_type(v, json_type_string))
		rc = xc_fail(x, XMCTL_E_PROTOCOL,
		    "domain.definition: no definition in the answer");
	else if ((*text = strdup(json_object_get_string(v))) == NULL)
		rc = xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	json_object_put(r);
	return rc;
}

XMCTL_API int
xmctl_node_info(struct xmctl *x, struct xmctl_node_info *out)
{
	struct json_object *r;
	int rc;

	if ((rc = xc_call(x, "node.info", NULL, &r)) != XMCTL_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	rc = to_record(x, &dr_node_info, r, out);
	json_object_put(r);
	return rc;
}

XMCTL_API int
xmctl_daemon_version(struct xmctl *x, char *buf, size_t len)
{
	struct json_object *r, *v;
	int rc;

	if ((rc = xc_call(x, "xmd.version", NULL, &r)) != XMCTL_OK)
		return rc;
	if (!json_object_object_get_ex(r, "version", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		json_object_put(r);
		return xc_fail(x, XMCTL_E_PROTOCOL, "xmd.version: no version "
		    "in the answer");
	}
	snprintf(buf, len, "%s", json_object_get_string(v));
	json_object_put(r);
	return XMCTL_OK;
}

XMCTL_API const char *
xmctl_library_version(void)
{
	return PACKAGE_VERSION;
}

XMCTL_API int
xmctl_node_ping(struct xmctl *x, unsigned int count, unsigned int size,
    struct xmctl_ping *out)
{
	struct json_object *p, *r;
	int rc;

	if (count == 0)
		return xc_fail(x, XMCTL_E_ARG, "no echo to send");
	p = json_object_new_object();
	json_object_object_add(p, "count", json_object_new_int64(count));
	json_object_object_add(p, "size", json_object_new_int64(size));
	if ((rc = xc_call(x, "node.ping", p, &r)) != XMCTL_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	rc = to_record(x, &dr_ping, r, out);
	json_object_put(r);
	return rc;
}
