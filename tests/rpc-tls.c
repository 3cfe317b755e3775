/*
 * rpc-tls: send lines to xmd's TCP listener over TLS and print what
 * comes back, for tests/toolstack/tls.sh.
 *
 *	rpc-tls [-p] [-c CERT -k KEY] [-w WAIT_MS] ADDRESS PORT CA < lines
 *
 * The server's certificate must verify against CA; -c and -k give a
 * client certificate; -p talks plain TCP instead (what a client that
 * does not speak TLS sends).  Standard input is sent as it is; then
 * rpc-tls prints what xmd sends until it has been quiet for WAIT_MS
 * (default 500), and "closed" when xmd closed the connection.  The exit
 * status is 1 when the handshake failed.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

struct opts {
	const char	*cert, *key, *addr, *ca;
	int		 port, plain, wait_ms;
};

static int
dial(const struct opts *o)
{
	struct sockaddr_in sin;
	struct timeval tv = { o->wait_ms / 1000, (o->wait_ms % 1000) * 1000 };
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)o->port);
	if (inet_pton(AF_INET, o->addr, &sin.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static SSL *
handshake(const struct opts *o, int fd)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;

	if (ctx == NULL || SSL_CTX_load_verify_locations(ctx, o->ca,
	    NULL) != 1)
		goto out;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	if (o->cert != NULL && (SSL_CTX_use_certificate_file(ctx, o->cert,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_use_PrivateKey_file(ctx, o->key,
	    SSL_FILETYPE_PEM) != 1))
		goto out;
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_connect(ssl) != 1) {
		SSL_free(ssl);
		ssl = NULL;
	}
out:
	if (ssl == NULL)
		ERR_print_errors_fp(stderr);
	SSL_CTX_free(ctx);
	return ssl;
}

/* n bytes to the server; -1 when it went. */
static int
put(SSL *ssl, int fd, const char *buf, size_t n)
{
	if (ssl != NULL)
		return SSL_write(ssl, buf, (int)n) == (int)n ? 0 : -1;
	return write(fd, buf, n) == (ssize_t)n ? 0 : -1;
}

/* Bytes from the server; -1: it has been quiet; 0: it closed (or broke). */
static int
get(SSL *ssl, int fd, char *buf, size_t len)
{
	int n;

	errno = 0;
	if (ssl == NULL)
		n = (int)read(fd, buf, len);
	else
		n = SSL_read(ssl, buf, (int)len);
	if (n > 0)
		return n;
	return errno == EAGAIN || errno == EWOULDBLOCK ? -1 : 0;
}

static int
parse(int argc, char **argv, struct opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->wait_ms = 500;
	while ((ch = getopt(argc, argv, "c:k:pw:")) != -1) {
		if (ch == 'c')
			o->cert = optarg;
		else if (ch == 'k')
			o->key = optarg;
		else if (ch == 'p')
			o->plain = 1;
		else if (ch == 'w')
			o->wait_ms = atoi(optarg);
		else
			return -1;
	}
	if (argc - optind != 3 || (o->cert == NULL) != (o->key == NULL))
		return -1;
	o->addr = argv[optind];
	o->port = atoi(argv[optind + 1]);
	o->ca = argv[optind + 2];
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	char buf[65536];
	SSL *ssl = NULL;
	size_t len;
	int fd, n;

	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: rpc-tls [-p] [-c CERT -k KEY] "
		    "[-w WAIT_MS] ADDRESS PORT CA < lines\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((fd = dial(&o)) < 0) {
		perror(o.addr);
		return 1;
	}
	if (!o.plain && (ssl = handshake(&o, fd)) == NULL) {
		printf("handshake failed\n");
		return 1;
	}
	while ((len = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (put(ssl, fd, buf, len) != 0)
			break;
	while ((n = get(ssl, fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
	}
	if (n == 0)
		printf("closed\n");
	SSL_free(ssl);
	close(fd);
	return 0;
}
