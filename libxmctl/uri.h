/*
 * The URIs libxmctl connects by (libxmctl(3), URIS):
 *
 *	unix:///PATH  xm+unix:///PATH
 *	xm+tls://HOST[:PORT]/[?ca=F&cert=F&key=F&token_file=F]
 *	xm+ssh://[USER@]HOST[:PORT]/[PATH][?keyfile=F&xmctl=CMD]
 *
 * HOST may be [IPv6]; query values are percent-decoded; an unknown
 * parameter, or one the scheme does not take, is an error.  No I/O.
 */
#ifndef LIBXMCTL_URI_H
#define LIBXMCTL_URI_H

#include <stddef.h>

#define XC_TLS_PORT	"16514"		/* xmd's, as libvirt's */
#define XC_URI_FIELD	1024

enum xc_scheme {
	XC_URI_UNIX,
	XC_URI_TLS,
	XC_URI_SSH,
};

struct xc_uri {
	enum xc_scheme	 u_scheme;
	char		 u_user[64];	/* ssh: "" if none */
	char		 u_host[256];
	char		 u_port[6];	/* "" if none */
	char		 u_path[XC_URI_FIELD]; /* ssh: "" for the default */
	/* The query's parameters: "" when not given. */
	char		 u_ca[XC_URI_FIELD];
	char		 u_cert[XC_URI_FIELD];
	char		 u_key[XC_URI_FIELD];
	char		 u_token_file[XC_URI_FIELD];
	char		 u_keyfile[XC_URI_FIELD];
	char		 u_xmctl[XC_URI_FIELD];
};

/* s into u: 0, or -1 with why in err. */
int	xc_uri_parse(const char *s, struct xc_uri *u, char *err,
	    size_t errlen);

#endif
