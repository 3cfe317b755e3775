/*
 * XS_CONTROL, as xenstored takes it from domain 0 (xenstore-control):
 * the payload is a command and its arguments, each ended by a NUL; the
 * answer is text.  The commands are xenstored's that mean something for
 * a store inside xmd:
 *
 *	help			the commands, one a line
 *	check			the quota accounting counted again from the
 *				tree; "OK", or what was wrong (now right)
 *	quota			the limits, "name value" a line
 *	quota DOMID		what that domain uses of them
 *	quota NAME VALUE	a limit changed (it holds until xmd exits)
 *
 * Any other command (log, logfile, memreport, live-update ...) is EINVAL,
 * as xenstored answers one it does not know.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_int.h"

static const char help_text[] =
    "check\n"
    "help\n"
    "quota [DOMID | NAME VALUE]\n";

/* The limits by xenstored's names for them. */
static unsigned *
limit(struct xs_limits *l, const char *name)
{
	static const struct { const char *name; size_t off; } names[] = {
		{ "nodes", offsetof(struct xs_limits, nodes_per_domain) },
		{ "watches", offsetof(struct xs_limits, watches_per_domain) },
		{ "transactions", offsetof(struct xs_limits, txns_per_domain) },
		{ "node-size", offsetof(struct xs_limits, entry_size) },
		{ "permissions", offsetof(struct xs_limits, perms_per_node) },
		{ "path-max", offsetof(struct xs_limits, path_max) },
		{ "transaction-bytes", offsetof(struct xs_limits, txn_bytes) },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0)
			return (unsigned *)(void *)((char *)l + names[i].off);
	return NULL;
}

static int
text(char **out, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
text(char **out, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ENOMEM;
	*len = (size_t)n + 1;
	return 0;
}

static int
quota_show(struct xs_store *st, char **out, size_t *len)
{
	const struct xs_limits *l = &st->lim;

	return text(out, len, "nodes %u\nwatches %u\ntransactions %u\n"
	    "node-size %u\npermissions %u\npath-max %u\n"
	    "transaction-bytes %u\n", l->nodes_per_domain,
	    l->watches_per_domain, l->txns_per_domain, l->entry_size,
	    l->perms_per_node, l->path_max, l->txn_bytes);
}

static int
number(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno != 0 || *end != '\0' || *v > max ? EINVAL : 0;
}

static int
quota(struct xs_store *st, const char **argv, size_t argc, char **out,
    size_t *len)
{
	unsigned long v;
	struct xs_dom *d;
	unsigned *lim;

	if (argc == 0)
		return quota_show(st, out, len);
	if (argc == 1) {
		if (number(argv[0], UINT32_MAX, &v) != 0)
			return EINVAL;
		if ((d = xs_dom_get(st, (uint32_t)v, 0)) == NULL)
			return ENOENT;
		return text(out, len, "nodes %u\nwatches %u\ntransactions %u\n"
		    "transaction-bytes %zu\n", d->nodes, d->watches, d->txns,
		    d->txn_bytes);
	}
	if (argc != 2 || (lim = limit(&st->lim, argv[0])) == NULL ||
	    number(argv[1], UINT32_MAX, &v) != 0 || v == 0)
		return EINVAL;
	*lim = (unsigned)v;
	return text(out, len, "OK");
}

/* The accounting counted again; what differed, or "OK". */
static int
check(struct xs_store *st, char **out, size_t *len)
{
	struct { uint32_t id; unsigned nodes; } *had;
	struct xs_dom *d;
	size_t n = 0, i;
	char *msg = NULL, *more;

	for (d = st->doms; d != NULL; d = d->next)
		n++;
	if ((had = calloc(n + 1, sizeof(*had))) == NULL)
		return ENOMEM;
	for (d = st->doms, i = 0; d != NULL; d = d->next, i++) {
		had[i].id = d->domid;
		had[i].nodes = d->nodes;
	}
	xs_count_nodes(st);
	for (i = 0; i < n; i++) {
		d = xs_dom_get(st, had[i].id, 0);
		if (d == NULL || d->nodes == had[i].nodes)
			continue;
		if (asprintf(&more, "%sdomain %" PRIu32 ": %u nodes counted, "
		    "%u owned\n", msg != NULL ? msg : "", had[i].id,
		    had[i].nodes, d->nodes) < 0) {
			free(msg);
			free(had);
			return ENOMEM;
		}
		free(msg);
		msg = more;
	}
	free(had);
	if (msg == NULL)
		return text(out, len, "OK");
	*out = msg;
	*len = strlen(msg) + 1;
	return 0;
}

int
xs_control(struct xs_store *st, const char **argv, size_t argc, char **out,
    size_t *len)
{
	if (argc == 0)
		return EINVAL;
	if (strcmp(argv[0], "help") == 0 && argc == 1)
		return text(out, len, "%s", help_text);
	if (strcmp(argv[0], "check") == 0 && argc == 1)
		return check(st, out, len);
	if (strcmp(argv[0], "quota") == 0)
		return quota(st, argv + 1, argc - 1, out, len);
	return EINVAL;
}
