/*
 * xmctl event [--loop] [--json]: subscribe to xmd's lifecycle events and
 * print the first (with --loop, each until xmd goes or a signal ends
 * xmctl), one line each.
 */
#include <stdio.h>

#include "xmctl.h"

struct watch {
	struct xmctl	*w_x;
	int		 w_json;
	int		 w_loop;
};

static void
on_event(void *arg, const struct xmctl_event *ev)
{
	struct watch *w = arg;
	const char *text;

	if (!w->w_json)
		print_event(ev);
	else if ((text = xmctl_result_json(w->w_x)) != NULL)
		printf("%s\n", text);
	fflush(stdout);
	if (!w->w_loop)
		xmctl_events_stop(w->w_x);
}

int
cmd_event(struct cmd_ctx *ctx)
{
	struct watch w;
	struct xmctl *x;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	w.w_x = x;
	w.w_json = ctx->json;
	w.w_loop = (ctx->opts & O_LOOP) != 0;
	if (xmctl_events_subscribe(x, on_event, &w) != XMCTL_OK ||
	    xmctl_events_run(x) != XMCTL_OK)
		return fail(x);
	xmctl_free(x);
	return 0;
}
