/*
 * domain.save {domain, path, timeout} and node.restore {path}: save.c
 * and restore.c do the work; here the parameters are checked.  Paths
 * are xmd's host's and absolute: xmd runs in a directory of its own.
 */
#include <stdio.h>
#include <string.h>

#include <xmctl.h>

#include "dom_record.h"
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

static void
saved(void *arg, int code, const char *msg, const struct xmctl_saved *r)
{
	struct rpc_call *call = arg;

	if (code != 0)
		rpc_error(call, code, "%s", msg);
	else
		rpc_result(call, dr_write(&dr_saved, r));
}

void
m_domain_save(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct save_req req;
	const char *path;
	struct dom *d;

	if ((path = path_param(call, params)) == NULL ||
	    !methods_node_up(x, call) ||
	    (d = methods_dom(x, call, params, 1)) == NULL)
		return;
	memset(&req, 0, sizeof(req));
	req.sr_dom = d;
	req.sr_path = path;
	req.sr_timeout_s = methods_timeout(params, 1, SAVE_SUSPEND_TIMEOUT_S);
	req.sr_done = saved;
	req.sr_arg = call;
	save_start(x, &req);
}

static void
restored(void *arg, int code, const char *msg, struct dom *d)
{
	methods_answer_dom(arg, code, msg, d);
}

void
m_node_restore(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct restore_req req;
	const char *path;

	if ((path = path_param(call, params)) == NULL ||
	    !methods_node_up(x, call))
		return;
	req = (struct restore_req){ path, 0, restored, call, NULL };
	restore_start(x, &req);
}
