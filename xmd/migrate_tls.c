/*
 * The source's TLS connection to the target xmd of a migration
 * (xm+tls://HOST[:PORT]/): xmd's own certificate and key (tls_cert,
 * tls_key) as the client's, which the target's cert_role authorises,
 * and the target's certificate verified against tls_ca for HOST.
 */
#include <sys/socket.h>

#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "migrate.h"
#include "xmd.h"

static void
ssl_why(char *err, size_t len, const char *what, const char *file)
{
	unsigned long e = ERR_get_error();

	snprintf(err, len, "%s%s%s: %s", what, file != NULL ? " " : "",
	    file != NULL ? file : "", e != 0 ? ERR_reason_error_string(e) :
	    "failed");
	ERR_clear_error();
}

static SSL_CTX *
client_ctx(const struct xmd *x, char *err, size_t len)
{
	SSL_CTX *ctx;

	if (x->x_tls_cert == NULL || x->x_tls_key == NULL ||
	    x->x_tls_ca == NULL) {
		snprintf(err, len, "this xmd has no tls_cert, tls_key and "
		    "tls_ca (xmd.conf) to migrate over TLS with");
		return NULL;
	}
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		ssl_why(err, len, "SSL_CTX_new", NULL);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, x->x_tls_cert) != 1)
		ssl_why(err, len, "certificate", x->x_tls_cert);
	else if (SSL_CTX_use_PrivateKey_file(ctx, x->x_tls_key,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1)
		ssl_why(err, len, "key", x->x_tls_key);
	else if (SSL_CTX_load_verify_locations(ctx, x->x_tls_ca, NULL) != 1)
		ssl_why(err, len, "CA", x->x_tls_ca);
	else {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		return ctx;
	}
	SSL_CTX_free(ctx);
	return NULL;
}

struct bufferevent *
migrate_tls_connect(struct xmd *x, const char *host, const char *port,
    char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	struct bufferevent *bev = NULL;
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(err, errlen, "%s:%s: %s", host, port,
		    gai_strerror(rc));
		return NULL;
	}
	if ((ctx = client_ctx(x, err, errlen)) == NULL)
		goto out;
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);		/* ssl holds it */
	if (ssl == NULL || SSL_set1_host(ssl, host) != 1 ||
	    SSL_set_tlsext_host_name(ssl, host) != 1) {
		ssl_why(err, errlen, "SSL_new", NULL);
		goto out;
	}
	bev = bufferevent_openssl_socket_new(x->x_base, -1, ssl,
	    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ssl = NULL;			/* bev's */
	if (bufferevent_socket_connect(bev, ai->ai_addr,
	    (int)ai->ai_addrlen) != 0) {
		snprintf(err, errlen, "cannot connect to %s:%s", host, port);
		bufferevent_free(bev);
		bev = NULL;
	}
out:
	SSL_free(ssl);
	freeaddrinfo(ai);
	return bev;
}
