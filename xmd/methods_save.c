/*
 * domain.save {domain, path, timeout} and node.restore {path}: save.c
 * and restore.c do the work; here the parameters are checked.  Paths
 * are xmd's host's and absolute: xmd runs in a directory of its own.
 */
#include <stdio.h>
#include <string.h>

#include <xmctl.h>

#include "methods.h"
#include "registry.h"
#include "restore.h"
#include "rpc.h"
#include "save.h"
#include "xmd.h"

/* params' path, absolute; else NULL and call answered. */
static const char *
path_param(struct rpc_call *call, struct json_object *params)
{
	struct json_object *v;
	const char *path;

	json_object_object_get_ex(params, "path", &v);
	path = json_object_get_string(v);
	if (path[0] != '/' || strlen(path) >= PATH_MAX) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "path '%s': not an "
		    "absolute path on xmd's host", path);
		return NULL;
	}
	return path;
}

static unsigned int
timeout_param(struct json_object *params)
{
	struct json_object *v;
	int64_t t;

	if (!json_object_object_get_ex(params, "timeout", &v))
		return SAVE_SUSPEND_TIMEOUT_S;
	t = json_object_get_int64(v);
	return t < 1 ? 1 : t > 3600 ? 3600 : (unsigned int)t;
}

void
m_domain_save(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	const char *path;
	struct dom *d;

	if ((path = path_param(call, params)) == NULL ||
	    !methods_node_up(x, call) ||
	    (d = methods_dom(x, call, params, 1)) == NULL)
		return;
	save_start(x, call, d, path, timeout_param(params));
}

void
m_node_restore(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	const char *path;

	if ((path = path_param(call, params)) == NULL ||
	    !methods_node_up(x, call))
		return;
	restore_start(x, call, path);
}
