/*
 * The target of a migration, as domain.migrate names it:
 * xm+unix:///PATH (the target xmd's admin socket) or
 * xm+tls://HOST[:PORT]/ (its TCP listener; HOST may be [IPv6]).
 */
#include <stdio.h>
#include <string.h>

#include <xmctl.h>

#include "migrate_out_int.h"
#include "rpc.h"

#define URI_UNIX	"xm+unix://"
#define URI_TLS		"xm+tls://"
#define TLS_PORT	"16514"		/* libvirt's TLS port */

/* HOST[:PORT]/: 0, or -1. */
static int
parse_hostport(struct mig_out *mo, const char *s)
{
	const char *end = strchr(s, '/'), *colon;
	size_t hl;

	if (end == NULL || end[1] != '\0' || end == s)
		return -1;
	if (s[0] == '[') {
		if ((colon = memchr(s, ']', (size_t)(end - s))) == NULL)
			return -1;
		hl = (size_t)(colon - s - 1);
		s++;
		colon++;
	} else {
		colon = memchr(s, ':', (size_t)(end - s));
		hl = (size_t)((colon != NULL ? colon : end) - s);
	}
	if (hl == 0 || hl >= sizeof(mo->mo_host))
		return -1;
	memcpy(mo->mo_host, s, hl);
	mo->mo_host[hl] = '\0';
	if (colon == NULL || colon == end) {
		snprintf(mo->mo_port, sizeof(mo->mo_port), "%s", TLS_PORT);
		return 0;
	}
	if (*colon != ':' || end - colon - 1 < 1 || end - colon - 1 > 5 ||
	    strspn(colon + 1, "0123456789") != (size_t)(end - colon - 1))
		return -1;
	memcpy(mo->mo_port, colon + 1, (size_t)(end - colon - 1));
	mo->mo_port[end - colon - 1] = '\0';
	return atoi(mo->mo_port) > 0 && atoi(mo->mo_port) < 65536 ? 0 : -1;
}

/*
 * uri as xm+unix:///PATH or xm+tls://HOST[:PORT]/: 0, or -1 after the
 * call was answered.
 */
int
mo_parse_uri(struct mig_out *mo, struct rpc_call *call, const char *uri)
{
	const char *rest;
	int ok = 0;

	if (strncmp(uri, URI_UNIX, strlen(URI_UNIX)) == 0) {
		rest = uri + strlen(URI_UNIX);
		ok = rest[0] == '/' && strlen(rest) < sizeof(mo->mo_sock);
		if (ok)
			snprintf(mo->mo_sock, sizeof(mo->mo_sock), "%s", rest);
	} else if (strncmp(uri, URI_TLS, strlen(URI_TLS)) == 0)
		ok = parse_hostport(mo, uri + strlen(URI_TLS)) == 0;
	if ((!ok || strlen(uri) >= sizeof(mo->mo_uri)) && call == NULL)
		return -1;
	if (!ok || strlen(uri) >= sizeof(mo->mo_uri)) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "uri '%s': not one "
		    "this xmd migrates to (xm+unix:///PATH, the target xmd's "
		    "socket, or xm+tls://HOST[:PORT]/, its TCP listener)", uri);
		return -1;
	}
	snprintf(mo->mo_uri, sizeof(mo->mo_uri), "%s", uri);
	return 0;
}
