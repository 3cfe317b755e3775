/* libxmctl: domain.stats and node.stats, copied out of xmd's answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "dom_record.h"

static int
fail_record(struct xmctl *x, const char *err)
{
	return xc_fail(x, XMCTL_E_PROTOCOL, "%s", err);
}

/* One {"name", "id", "stats"} entry of domain.stats into s. */
static int
read_domain(struct xmctl *x, struct json_object *e,
    struct xmctl_domain_stats *s)
{
	struct json_object *v, *st;
	char err[256], prefix[32];
	unsigned int i;

	if (!json_object_object_get_ex(e, "stats", &st) ||
	    !json_object_object_get_ex(e, "name", &v) ||
	    !json_object_is_type(v, json_type_string))
		return fail_record(x, "domain.stats reply: an entry without "
		    "name or stats");
	snprintf(s->name, sizeof(s->name), "%s", json_object_get_string(v));
	s->id = json_object_object_get_ex(e, "id", &v) ?
	    json_object_get_int(v) : -1;
	if (dr_read(&dr_domain_stats, st, s, err, sizeof(err)) != 0)
		return fail_record(x, err);
	dr_read_hypercalls(st, s->hypercall_ops);
	for (i = 0; i < s->vcpu_maximum && i < XMCTL_STATS_MAX_VCPUS; i++) {
		snprintf(prefix, sizeof(prefix), "vcpu.%u.", i);
		if (dr_read_prefixed(&dr_vcpu_stats, st, prefix, &s->vcpu[i],
		    err, sizeof(err)) != 0)
			return fail_record(x, err);
	}
	return XMCTL_OK;
}

/* The entries of one domain.stats answer, appended to *out. */
static int
append(struct xmctl *x, struct json_object *r,
    struct xmctl_domain_stats **out, size_t *count)
{
	struct json_object *a;
	struct xmctl_domain_stats *n;
	size_t i, len;
	int rc = XMCTL_OK;

	if (!json_object_object_get_ex(r, "domains", &a) ||
	    !json_object_is_type(a, json_type_array))
		return fail_record(x, "domain.stats reply: no domains array");
	len = json_object_array_length(a);
	n = realloc(*out, (*count + len + 1) * sizeof(**out));
	if (n == NULL)
		return xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	*out = n;
	memset(n + *count, 0, (len + 1) * sizeof(*n));
	for (i = 0; rc == XMCTL_OK && i < len; i++)
		rc = read_domain(x, json_object_array_get_idx(a, i),
		    &n[*count + i]);
	if (rc == XMCTL_OK)
		*count += len;
	return rc;
}

static int
stats_call(struct xmctl *x, const char *dom,
    struct xmctl_domain_stats **out, size_t *count)
{
	struct json_object *r;
	int rc;

	if ((rc = xc_call(x, "domain.stats", dom != NULL ?
	    xc_dom_params(dom) : NULL, &r)) != XMCTL_OK)
		return rc;
	rc = append(x, r, out, count);
	json_object_put(r);
	return rc;
}

XMCTL_API int
xmctl_domain_stats(struct xmctl *x, const char *const *names, size_t n,
    struct xmctl_domain_stats **out, size_t *count)
{
	size_t i;
	int rc = XMCTL_OK;

	*out = NULL;
	*count = 0;
	if (names == NULL || n == 0)
		rc = stats_call(x, NULL, out, count);
	for (i = 0; rc == XMCTL_OK && names != NULL && i < n; i++)
		rc = stats_call(x, names[i], out, count);
	if (rc != XMCTL_OK) {
		free(*out);
		*out = NULL;
		*count = 0;
	}
	return rc;
}

XMCTL_API int
xmctl_node_stats(struct xmctl *x, struct xmctl_node_stats *out)
{
	struct json_object *r;
	char err[256], prefix[32];
	unsigned int i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = xc_call(x, "node.stats", NULL, &r)) != XMCTL_OK)
		return rc;
	if (dr_read(&dr_node_stats, r, out, err, sizeof(err)) != 0)
		rc = fail_record(x, err);
	for (i = 0; rc == XMCTL_OK && i < out->nr_cpus &&
	    i < XMCTL_STATS_MAX_CPUS; i++) {
		snprintf(prefix, sizeof(prefix), "cpu.%u.", i);
		if (dr_read_prefixed(&dr_cpu_stats, r, prefix, &out->cpu[i],
		    err, sizeof(err)) != 0)
			rc = fail_record(x, err);
	}
	json_object_put(r);
	return rc;
}
