/*
 * domain.console.input {domain, data}: what a user types into a
 * domain's console goes into its console ring's input side, through
 * domain 0 (XM_CTL_OP_CONSOLE_INPUT).  All of it or none: a full ring is
 * XMCTL_E_AGAIN and the client sends it again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "ctl.h"
#include "methods.h"
#include "registry.h"
#include "rpc_dispatch.h"
#include "xmd.h"

/* The console ring's input side holds this much. */
#define CONSOLE_INPUT_MAX	1024

struct input {
	struct rpc_call	*i_call;
	char		 i_name[XM_DEF_NAME_MAX + 1];
};

static void
input_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct input *in = arg;

	(void)data, (void)len;
	if (status == 0)
		rpc_result(in->i_call, NULL);
	else if (status == -XM_EAGAIN)
		rpc_error(in->i_call, XMCTL_E_AGAIN, "domain '%s': its console "
		    "input is full; send it again", in->i_name);
	else
		rpc_error(in->i_call, XMCTL_E_NODE, "domain '%s': cannot write "
		    "to its console: %s", in->i_name, ctl_strerror(status));
	free(in);
}

void
m_domain_console_input(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xm_ctl_console_data cd;
	struct xmd *x = ctx;
	struct json_object *v;
	struct iovec iov[2];
	struct input *in;
	struct dom *d;
	size_t len;

	if ((d = methods_dom(x, call, params, 1)) == NULL ||
	    !methods_node_up(x, call))
		return;
	json_object_object_get_ex(params, "data", &v);
	len = (size_t)json_object_get_string_len(v);
	if (len > CONSOLE_INPUT_MAX) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "data: %zu bytes; a "
		    "console takes at most %d at a time", len,
		    CONSOLE_INPUT_MAX);
		return;
	}
	if (d->d_privileged || d->d_id < 0 || d->d_busy) {
		rpc_error(call, XMCTL_E_STATE, "domain '%s': no console to "
		    "type into", d->d_name);
		return;
	}
	if ((in = calloc(1, sizeof(*in))) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	in->i_call = call;
	snprintf(in->i_name, sizeof(in->i_name), "%s", d->d_name);
	cd = (struct xm_ctl_console_data){ (xm_domid_t)d->d_id, 0,
	    (uint32_t)len };
	iov[0] = (struct iovec){ &cd, sizeof(cd) };
	iov[1] = (struct iovec){ (void *)json_object_get_string(v), len };
	if (ctl_request(x->x_ctl, XM_CTL_OP_CONSOLE_INPUT, iov, 2, 0,
	    input_reply, in) != 0) {
		rpc_error(call, XMCTL_E_NODE, "domain '%s': cannot reach the "
		    "node", in->i_name);
		free(in);
	}
}
