/*
 * TLS for the TCP listener (see rpc_tls.h): OpenSSL through libevent's
 * bufferevent_openssl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>

#include "rpc_tls.h"

struct rpc_tls_token {
	enum rpc_role		 tt_role;
	unsigned char		 tt_hash[32];	/* SHA-256 of the secret */
};

struct rpc_tls_ctx {
	SSL_CTX			*t_ssl;
	int			 t_verify;	/* client certificates */
	enum rpc_role		 t_cert_role;
	struct rpc_tls_token	*t_tokens;
	size_t			 t_ntokens;
};

static int
sha256(const char *s, unsigned char out[32])
{
	unsigned int len = 32;

	return EVP_Digest(s, strlen(s), out, &len, EVP_sha256(), NULL) == 1 ?
	    0 : -1;
}

/* "what: OpenSSL's reason" in err. */
static void
ssl_why(char *err, size_t len, const char *what)
{
	char buf[256];

	ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
	snprintf(err, len, "%s: %s", what, buf);
}

static SSL_CTX *
ssl_ctx(const struct rpc_tls *conf, char *err, size_t len)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	STACK_OF(X509_NAME) *names;

	if (ctx == NULL) {
		ssl_why(err, len, "SSL_CTX_new");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, conf->cert) != 1) {
		ssl_why(err, len, conf->cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, conf->key,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		ssl_why(err, len, conf->key);
		goto fail;
	}
	if (conf->ca == NULL)
		return ctx;
	if (SSL_CTX_load_verify_locations(ctx, conf->ca, NULL) != 1 ||
	    (names = SSL_load_client_CA_file(conf->ca)) == NULL) {
		ssl_why(err, len, conf->ca);
		goto fail;
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	/* Not FAIL_IF_NO_PEER_CERT: token clients have none. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

struct rpc_tls_ctx *
rpc_tls_new(const struct rpc_tls *conf, char *err, size_t len)
{
	struct rpc_tls_ctx *t;
	size_t i;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (conf->ntokens > 0 && (t->t_tokens = calloc(conf->ntokens,
	    sizeof(*t->t_tokens))) == NULL)) {
		snprintf(err, len, "out of memory");
		goto fail;
	}
	for (i = 0; i < conf->ntokens; i++) {
		t->t_tokens[i].tt_role = conf->tokens[i].role;
		if (sha256(conf->tokens[i].secret,
		    t->t_tokens[i].tt_hash) != 0) {
			snprintf(err, len, "SHA-256 is not available");
			goto fail;
		}
	}
	t->t_ntokens = conf->ntokens;
	t->t_verify = conf->ca != NULL;
	t->t_cert_role = conf->cert_role;
	if ((t->t_ssl = ssl_ctx(conf, err, len)) == NULL)
		goto fail;
	return t;
fail:
	rpc_tls_free(t);
	return NULL;
}

void
rpc_tls_free(struct rpc_tls_ctx *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->t_ssl);
	if (t->t_tokens != NULL)
		OPENSSL_cleanse(t->t_tokens,
		    t->t_ntokens * sizeof(*t->t_tokens));
	free(t->t_tokens);
	free(t);
}

struct bufferevent *
rpc_tls_bev(struct rpc_tls_ctx *t, struct event_base *base, int fd)
{
	struct bufferevent *bev;
	SSL *ssl;

	if ((ssl = SSL_new(t->t_ssl)) == NULL)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		SSL_free(ssl);
	return bev;
}

void
rpc_tls_close_notify(struct bufferevent *bev)
{
	SSL *ssl = bufferevent_openssl_get_ssl(bev);

	if (ssl == NULL || !SSL_is_init_finished(ssl))
		return;
	(void)SSL_shutdown(ssl);	/* nonblocking: the alert, no wait */
	ERR_clear_error();
}

int
rpc_tls_cert_role(struct rpc_tls_ctx *t, struct bufferevent *bev,
    enum rpc_role *role)
{
	SSL *ssl = bufferevent_openssl_get_ssl(bev);
	X509 *x;
	int rc = -1;

	if (!t->t_verify || ssl == NULL)
		return -1;
	if ((x = SSL_get1_peer_certificate(ssl)) == NULL)
		return -1;
	if (SSL_get_verify_result(ssl) == X509_V_OK) {
		*role = t->t_cert_role;
		rc = 0;
	}
	X509_free(x);
	return rc;
}

int
rpc_tls_token_role(struct rpc_tls_ctx *t, const char *token,
    enum rpc_role *role)
{
	unsigned char h[32];
	size_t i;
	int rc = -1;

	if (sha256(token, h) != 0)
		return -1;
	/* Every token is compared: the time says nothing about which. */
	for (i = 0; i < t->t_ntokens; i++)
		if (CRYPTO_memcmp(h, t->t_tokens[i].tt_hash, sizeof(h)) == 0) {
			*role = t->t_tokens[i].tt_role;
			rc = 0;
		}
	OPENSSL_cleanse(h, sizeof(h));
	return rc;
}
