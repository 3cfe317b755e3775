/*
 * xmctl-list: libxmctl's example, the domains xmd knows and their
 * states.  Build it against an installed libxmctl with
 *
 *	cc -o xmctl-list xmctl-list.c $(pkg-config --cflags --libs libxmctl)
 *
 * usage: xmctl-list [-a] [URI]	(-a: defined domains that are off too)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <xmctl.h>

int
main(int argc, char **argv)
{
	struct xmctl_domain *doms = NULL;
	struct xmctl *x;
	unsigned int flags = 0;
	const char *uri = NULL;
	size_t i, n;
	int rc = 1;

	if (argc > 1 && strcmp(argv[1], "-a") == 0) {
		flags |= XMCTL_LIST_ALL;
		argc--, argv++;
	}
	if (argc > 2) {
		fprintf(stderr, "usage: xmctl-list [-a] [URI]\n");
		return 1;
	}
	if (argc == 2)
		uri = argv[1];
	if ((x = xmctl_new()) == NULL) {
		fprintf(stderr, "xmctl-list: out of memory\n");
		return 1;
	}
	if (xmctl_connect(x, uri) != XMCTL_OK ||
	    xmctl_domain_list_flags(x, flags, &doms, &n) != XMCTL_OK) {
		fprintf(stderr, "xmctl-list: %s\n", xmctl_errmsg(x));
		goto out;
	}
	for (i = 0; i < n; i++)
		printf("%-20s %4d %-9s %8" PRIu64 " KiB %s\n", doms[i].name,
		    doms[i].id, doms[i].state, doms[i].memory_kib,
		    doms[i].uuid);
	rc = 0;
out:
	xmctl_free_domains(doms);
	xmctl_free(x);
	return rc;
}
