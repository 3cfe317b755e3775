/*
 * libxmctl's memory calls: domain.setMaxMemory and domain.setMemory,
 * one JSON-RPC method each, the answer read with common/dom_record.c's
 * dr_memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "dom_record.h"

static int
memory_call(struct xmctl *x, const char *method, const char *dom,
    uint64_t kib, unsigned int flags, struct xmctl_memory *out)
{
	struct json_object *p, *res;
	char err[256];
	int rc;

	if (kib > INT64_MAX)
		return xc_fail(x, XMCTL_E_ARG, "%s: %llu KiB is too large",
		    method, (unsigned long long)kib);
	p = xc_dom_params(dom);
	json_object_object_add(p, "kib", json_object_new_int64((int64_t)kib));
	if (flags & XMCTL_AFFECT_LIVE)
		json_object_object_add(p, "live", json_object_new_boolean(1));
	if (flags & XMCTL_AFFECT_CONFIG)
		json_object_object_add(p, "config",
		    json_object_new_boolean(1));
	if ((rc = xc_call(x, method, p, &res)) != XMCTL_OK)
		return rc;
	if (out != NULL && dr_read(&dr_memory, res, out, err,
	    sizeof(err)) != 0)
		rc = xc_fail(x, XMCTL_E_PROTOCOL, "%s", err);
	json_object_put(res);
	return rc;
}

XMCTL_API int
xmctl_domain_set_max_memory(struct xmctl *x, const char *dom, uint64_t kib,
    unsigned int flags, struct xmctl_memory *out)
{
	return memory_call(x, "domain.setMaxMemory", dom, kib, flags, out);
}

XMCTL_API int
xmctl_domain_set_memory(struct xmctl *x, const char *dom, uint64_t kib,
    unsigned int flags, struct xmctl_memory *out)
{
	return memory_call(x, "domain.setMemory", dom, kib, flags, out);
}
