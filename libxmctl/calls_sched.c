/*
 * libxmctl's scheduler calls: domain.schedinfo, domain.setSchedParams,
 * domain.vcpuinfo, domain.vcpupin; one JSON-RPC method each, results
 * read with the field tables of common/dom_record.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "dom_record.h"

/* The domain and the flags (XMCTL_AFFECT_*) as params. */
static struct json_object *
affect_params(const char *dom, unsigned int flags)
{
	struct json_object *p = xc_dom_params(dom);

	if (flags & XMCTL_AFFECT_LIVE)
		json_object_object_add(p, "live", json_object_new_boolean(1));
	if (flags & XMCTL_AFFECT_CONFIG)
		json_object_object_add(p, "config",
		    json_object_new_boolean(1));
	return p;
}

/* A call whose result is one record r at out (NULL: not wanted). */
static int
record_call(struct xmctl *x, const char *method, struct json_object *p,
    const struct dr_record *r, void *out)
{
	struct json_object *res;
	char err[256];
	int rc;

	if ((rc = xc_call(x, method, p, &res)) != XMCTL_OK)
		return rc;
	if (out != NULL && dr_read(r, res, out, err, sizeof(err)) != 0)
		rc = xc_fail(x, XMCTL_E_PROTOCOL, "%s", err);
	json_object_put(res);
	return rc;
}

/* A call whose result is an array of records r, of size each. */
static int
array_call(struct xmctl *x, const char *method, struct json_object *p,
    const struct dr_record *r, size_t size, void **out, size_t *n)
{
	struct json_object *res;
	char err[256];
	size_t i, len;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = xc_call(x, method, p, &res)) != XMCTL_OK)
		return rc;
	if (!json_object_is_type(res, json_type_array)) {
		json_object_put(res);
		return xc_fail(x, XMCTL_E_PROTOCOL, "%s: not an array",
		    method);
	}
	len = json_object_array_length(res);
	if ((*out = calloc(len + 1, size)) == NULL)
		rc = xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	for (i = 0; rc == XMCTL_OK && i < len; i++)
		if (dr_read(r, json_object_array_get_idx(res, i),
		    (char *)*out + i * size, err, sizeof(err)) != 0)
			rc = xc_fail(x, XMCTL_E_PROTOCOL, "%s", err);
	json_object_put(res);
	if (rc != XMCTL_OK) {
		free(*out);
		*out = NULL;
		return rc;
	}
	*n = len;
	return XMCTL_OK;
}

XMCTL_API int
xmctl_domain_schedinfo(struct xmctl *x, const char *dom, unsigned int flags,
    struct xmctl_sched *out)
{
	return record_call(x, "domain.schedinfo", affect_params(dom, flags),
	    &dr_sched, out);
}

XMCTL_API int
xmctl_domain_set_sched_params(struct xmctl *x, const char *dom,
    const int64_t *weight, const int64_t *cap, unsigned int flags,
    struct xmctl_sched *out)
{
	struct json_object *p;

	if (weight == NULL && cap == NULL)
		return xc_fail(x, XMCTL_E_ARG, "no weight nor cap to set");
	p = affect_params(dom, flags);
	if (weight != NULL)
		json_object_object_add(p, "weight",
		    json_object_new_int64(*weight));
	if (cap != NULL)
		json_object_object_add(p, "cap", json_object_new_int64(*cap));
	return record_call(x, "domain.setSchedParams", p, &dr_sched, out);
}

XMCTL_API int
xmctl_domain_vcpuinfo(struct xmctl *x, const char *dom,
    struct xmctl_vcpu **vcpus, size_t *n)
{
	return array_call(x, "domain.vcpuinfo", xc_dom_params(dom), &dr_vcpu,
	    sizeof(**vcpus), (void **)vcpus, n);
}

XMCTL_API int
xmctl_domain_vcpupin(struct xmctl *x, const char *dom, int vcpu,
    const char *cpulist, unsigned int flags, struct xmctl_vcpu_pin **pins,
    size_t *n)
{
	struct json_object *p;

	if ((vcpu < 0) != (cpulist == NULL)) {
		*pins = NULL;
		*n = 0;
		return xc_fail(x, XMCTL_E_ARG,
		    "a vCPU to pin needs a CPU list, and a list a vCPU");
	}
	p = affect_params(dom, flags);
	if (vcpu >= 0) {
		json_object_object_add(p, "vcpu", json_object_new_int(vcpu));
		json_object_object_add(p, "cpulist",
		    json_object_new_string(cpulist));
	}
	return array_call(x, "domain.vcpupin", p, &dr_vcpu_pin,
	    sizeof(**pins), (void **)pins, n);
}
