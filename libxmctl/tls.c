/*
 * xm+tls://HOST[:PORT]/: xmd's TCP listener.  The server's certificate
 * must verify against the CA and name HOST; the client proves who it is
 * by a certificate of its own or by a token (auth.token, xmd's
 * rpc.h).  Each file is the URI's parameter, else an environment
 * variable's, else the default in the client's configuration directory
 * (libxmctl(3), URIS).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "conn.h"
#include "secret_file.h"

#define TOKEN_MAX	4096

struct tls_files {
	char	ca[XC_URI_FIELD], cert[XC_URI_FIELD], key[XC_URI_FIELD];
	char	token[XC_URI_FIELD];
};

/*
 * $XMCTL_CONFIG_DIR; else for root /etc/xm; for others
 * $XDG_CONFIG_HOME/xm or ~/.config/xm.
 */
static int
config_dir(char *buf, size_t len)
{
	const char *env = getenv("XMCTL_CONFIG_DIR");
	int n;

	if (env != NULL && *env != '\0')
		n = snprintf(buf, len, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(buf, len, "/etc/xm");
	else if ((env = getenv("XDG_CONFIG_HOME")) != NULL && *env != '\0')
		n = snprintf(buf, len, "%s/xm", env);
	else if ((env = getenv("HOME")) != NULL && *env != '\0')
		n = snprintf(buf, len, "%s/.config/xm", env);
	else
		return -1;
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

/*
 * One file: the URI's value, else $env's, else dir/name when it
 * exists (or must: then it is named even if it does not).
 */
static void
pick(char *dst, const char *param, const char *env, const char *dir,
    const char *name, int must)
{
	const char *e = getenv(env);

	if (*param != '\0')
		snprintf(dst, XC_URI_FIELD, "%s", param);
	else if (e != NULL && *e != '\0')
		snprintf(dst, XC_URI_FIELD, "%s", e);
	else if (*dir != '\0') {
		snprintf(dst, XC_URI_FIELD, "%s/%s", dir, name);
		if (!must && access(dst, F_OK) != 0)
			dst[0] = '\0';
	}
}

/* Whether file (if any) cannot be read: then the error is set. */
static int
unreadable(struct xmctl *x, const char *uri, const char *what,
    const char *file)
{
	if (*file == '\0' || access(file, R_OK) == 0)
		return 0;
	xc_fail(x, XMCTL_E_ARG, "URI '%s': %s %s: %s", uri, what, file,
	    strerror(errno));
	return 1;
}

/* A key or token file that every user may read: refused, as ssh does. */
static int
exposed(struct xmctl *x, const char *uri, const char *what,
    const char *file)
{
	char why[XC_URI_FIELD + 128];

	if (*file == '\0' || xm_secret_file_check(file, why,
	    sizeof(why)) == 0)
		return 0;
	xc_fail(x, XMCTL_E_ARG, "URI '%s': %s %s", uri, what, why);
	return 1;
}

static int
pick_files(struct xmctl *x, const struct xc_uri *u, const char *uri,
    struct tls_files *f)
{
	char dir[XC_URI_FIELD - 32] = "";

	memset(f, 0, sizeof(*f));
	if (config_dir(dir, sizeof(dir)) != 0)
		dir[0] = '\0';
	pick(f->ca, u->u_ca, "XMCTL_TLS_CA", dir, "ca.pem", 1);
	pick(f->cert, u->u_cert, "XMCTL_TLS_CERT", dir, "client.pem", 0);
	pick(f->key, u->u_key, "XMCTL_TLS_KEY", dir, "client.key", 0);
	pick(f->token, u->u_token_file, "XMCTL_TOKEN_FILE", dir, "token", 0);
	if (f->ca[0] == '\0')
		return xc_fail(x, XMCTL_E_ARG, "URI '%s': no CA certificate "
		    "(?ca=FILE or $XMCTL_TLS_CA)", uri);
	if ((f->cert[0] == '\0') != (f->key[0] == '\0'))
		return xc_fail(x, XMCTL_E_ARG, "URI '%s': a client "
		    "certificate needs its key, and a key its certificate",
		    uri);
	if (f->cert[0] == '\0' && f->token[0] == '\0')
		return xc_fail(x, XMCTL_E_ARG, "URI '%s': neither a client "
		    "certificate nor a token (?token_file=FILE or "
		    "$XMCTL_TOKEN_FILE)", uri);
	if (unreadable(x, uri, "CA certificate", f->ca) ||
	    unreadable(x, uri, "certificate", f->cert) ||
	    unreadable(x, uri, "key", f->key) ||
	    exposed(x, uri, "key", f->key))
		return x->x_code;
	return XMCTL_OK;
}

/* The token: the file's first line. */
static int
read_token(struct xmctl *x, const char *uri, const char *file, char *buf,
    size_t len)
{
	FILE *f;
	int ok;

	if (exposed(x, uri, "token file", file))
		return x->x_code;
	if ((f = fopen(file, "re")) == NULL)
		return xc_fail(x, XMCTL_E_ARG, "URI '%s': token file %s: %s",
		    uri, file, strerror(errno));
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	buf[ok ? strcspn(buf, "\r\n") : 0] = '\0';
	if (buf[0] == '\0')
		return xc_fail(x, XMCTL_E_ARG, "URI '%s': token file %s is "
		    "empty", uri, file);
	return XMCTL_OK;
}

static int
dial(struct xmctl *x, const struct xc_uri *u, const char *uri)
{
	struct addrinfo hints, *ai = NULL, *a;
	int fd = -1, rc, saved = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(u->u_host, u->u_port[0] != '\0' ? u->u_port :
	    XC_TLS_PORT, &hints, &ai)) != 0)
		return xc_fail(x, XMCTL_E_CONNECT, "URI '%s': %s: %s", uri,
		    u->u_host, gai_strerror(rc));
	for (a = ai; a != NULL && fd < 0; a = a->ai_next) {
		if ((fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC,
		    a->ai_protocol)) < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
			saved = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0)
		return xc_fail(x, XMCTL_E_CONNECT, "cannot connect to xmd at "
		    "%s: %s", uri, strerror(saved != 0 ? saved : errno));
	x->x_fd = fd;
	return XMCTL_OK;
}

static const char *
ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	return r != NULL ? r : "failed";
}

static SSL_CTX *
client_ctx(struct xmctl *x, const char *uri, const struct tls_files *f)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	const char *bad = NULL;

	if (ctx == NULL) {
		xc_fail(x, XMCTL_E_SYSTEM, "SSL_CTX_new: %s", ssl_reason());
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
	if (SSL_CTX_load_verify_locations(ctx, f->ca, NULL) != 1)
		bad = f->ca;
	else if (f->cert[0] != '\0' &&
	    SSL_CTX_use_certificate_chain_file(ctx, f->cert) != 1)
		bad = f->cert;
	else if (f->cert[0] != '\0' && (SSL_CTX_use_PrivateKey_file(ctx,
	    f->key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx)
	    != 1))
		bad = f->key;
	if (bad == NULL) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		return ctx;
	}
	xc_fail(x, XMCTL_E_ARG, "URI '%s': %s: %s", uri, bad, ssl_reason());
	SSL_CTX_free(ctx);
	return NULL;
}

/*
 * One SSL_connect ('c'), SSL_read ('r'), SSL_write ('w') or
 * SSL_shutdown ('s') with SIGPIPE
 * held back: a server that went away is an error, not the caller's
 * death (a library leaves the signal's disposition alone).
 */
static int
tls_io(SSL *ssl, void *buf, size_t len, int op)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipe, old, pending;
	int n, was;

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigpending(&pending);
	was = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &old);
	errno = 0;
	if (op == 'c')
		n = SSL_connect(ssl);
	else if (op == 'r')
		n = SSL_read(ssl, buf, (int)len);
	else if (op == 's')
		n = SSL_shutdown(ssl);
	else
		n = SSL_write(ssl, buf, (int)len);
	sigpending(&pending);
	if (!was && sigismember(&pending, SIGPIPE))
		sigtimedwait(&pipe, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return n;
}

/* The name the certificate must have: an IP address's or a host's. */
static int
expect_host(SSL *ssl, const char *host)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, host, a) == 1 ||
	    inet_pton(AF_INET6, host, a) == 1)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
		    host) == 1 ? 0 : -1;
	return SSL_set1_host(ssl, host) == 1 &&
	    SSL_set_tlsext_host_name(ssl, host) == 1 ? 0 : -1;
}

/* Why SSL_connect failed, in words a user can act on. */
static int
handshake_failed(struct xmctl *x, SSL *ssl, const char *uri,
    const struct xc_uri *u, const struct tls_files *f)
{
	long v = SSL_get_verify_result(ssl);

	if (v == X509_V_ERR_HOSTNAME_MISMATCH ||
	    v == X509_V_ERR_IP_ADDRESS_MISMATCH)
		return xc_fail(x, XMCTL_E_CONNECT, "URI '%s': the server's "
		    "certificate is not for host %s", uri, u->u_host);
	if (v != X509_V_OK)
		return xc_fail(x, XMCTL_E_CONNECT, "URI '%s': the server's "
		    "certificate is not trusted by CA %s: %s", uri, f->ca,
		    X509_verify_cert_error_string(v));
	return xc_fail(x, XMCTL_E_CONNECT, "URI '%s': TLS handshake "
	    "failed: %s", uri, ssl_reason());
}

static int
handshake(struct xmctl *x, const struct xc_uri *u, const char *uri,
    const struct tls_files *f)
{
	SSL_CTX *ctx;
	SSL *ssl;
	int rc = XMCTL_OK;

	ERR_clear_error();
	if ((ctx = client_ctx(x, uri, f)) == NULL)
		return x->x_code;
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);		/* ssl holds it */
	if (ssl == NULL || expect_host(ssl, u->u_host) != 0 ||
	    SSL_set_fd(ssl, x->x_fd) != 1)
		rc = xc_fail(x, XMCTL_E_SYSTEM, "URI '%s': %s", uri,
		    ssl_reason());
	else if (tls_io(ssl, NULL, 0, 'c') != 1)
		rc = handshake_failed(x, ssl, uri, u, f);
	if (rc != XMCTL_OK)
		SSL_free(ssl);
	else
		x->x_ssl = ssl;
	ERR_clear_error();
	return rc;
}

/* auth.token: a wrong token is refused, and xmd closes the connection. */
static int
send_token(struct xmctl *x, const char *uri, const char *file)
{
	struct json_object *p = json_object_new_object(), *res = NULL;
	char token[TOKEN_MAX], why[sizeof(x->x_msg)];
	int rc;

	if ((rc = read_token(x, uri, file, token, sizeof(token))) != 0) {
		json_object_put(p);
		return rc;
	}
	json_object_object_add(p, "token", json_object_new_string(token));
	explicit_bzero(token, sizeof(token));
	rc = xc_call(x, "auth.token", p, &res);
	json_object_put(res);
	if (rc == XMCTL_E_PERM)
		return xc_fail(x, XMCTL_E_PERM, "URI '%s': xmd refused the "
		    "token in %s", uri, file);
	if (rc != XMCTL_OK) {
		snprintf(why, sizeof(why), "%s", xmctl_errmsg(x));
		return xc_fail(x, rc, "URI '%s': auth.token: %s", uri, why);
	}
	return XMCTL_OK;
}

int
xc_tls_connect(struct xmctl *x, const struct xc_uri *u, const char *uri)
{
	struct tls_files f;
	int rc;

	if ((rc = pick_files(x, u, uri, &f)) != XMCTL_OK ||
	    (rc = dial(x, u, uri)) != XMCTL_OK)
		return rc;
	if ((rc = handshake(x, u, uri, &f)) == XMCTL_OK &&
	    f.cert[0] == '\0')
		rc = send_token(x, uri, f.token);
	if (rc != XMCTL_OK)
		xc_close(x);
	return rc;
}


/* Bytes from xmd: as read(2), -1 with errno EIO when TLS broke. */
ssize_t
xc_tls_read(struct xmctl *x, void *buf, size_t len)
{
	int n = tls_io(x->x_ssl, buf, len > INT_MAX ? INT_MAX : len, 'r');

	if (n > 0)
		return n;
	if (SSL_get_error(x->x_ssl, n) == SSL_ERROR_ZERO_RETURN)
		return 0;
	ERR_clear_error();
	errno = errno != 0 ? errno : EIO;
	return -1;
}

ssize_t
xc_tls_write(struct xmctl *x, const void *buf, size_t len)
{
	int n = tls_io(x->x_ssl, (void *)buf, len > INT_MAX ? INT_MAX : len,
	    'w');

	if (n > 0)
		return n;
	ERR_clear_error();
	errno = errno != 0 ? errno : EIO;
	return -1;
}

/* Whether bytes are read and decrypted already: no poll() needed. */
int
xc_tls_pending(const struct xmctl *x)
{
	return x->x_ssl != NULL && SSL_pending(x->x_ssl) > 0;
}

/*
 * The connection's end, as TLS means it: a close_notify alert first,
 * so that xmd sees the end was meant, not cut.  The socket no longer
 * blocks: an alert that does not fit is not waited for.
 */
void
xc_tls_free(struct xmctl *x)
{
	int fl;

	if (x->x_ssl != NULL && SSL_is_init_finished(x->x_ssl) &&
	    x->x_fd >= 0 && (fl = fcntl(x->x_fd, F_GETFL)) >= 0 &&
	    fcntl(x->x_fd, F_SETFL, fl | O_NONBLOCK) == 0) {
		(void)tls_io(x->x_ssl, NULL, 0, 's');
		ERR_clear_error();
	}
	SSL_free(x->x_ssl);
	x->x_ssl = NULL;
}
