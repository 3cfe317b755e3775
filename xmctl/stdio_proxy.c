/*
 * xmctl stdio-proxy [-r] [PATH]: the remote end of xm+ssh:// (libxmctl's
 * ssh.c runs it through ssh).  Standard input goes to xmd's unix socket
 * PATH (default: xmd.sock, or with -r xmd-ro.sock, in the default state
 * directory), and what xmd sends goes to standard output, byte for byte,
 * until either side ends.  Not a user's command: no help lists it.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exit_status.h"
#include "paths.h"
#include "xmctl.h"

#define RO_SOCKET_NAME	"xmd-ro.sock"

/* -r PATH: xmd-ro.sock next to PATH, as xmctl -r's unix:// is. */
static int
ro_sibling(char *buf, size_t len, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dir = slash != NULL ? (int)(slash - path) + 1 : 0;

	return snprintf(buf, len, "%.*s%s", dir, path, RO_SOCKET_NAME);
}

static int
proxy_connect(const char *path, int readonly)
{
	struct sockaddr_un sun;
	char dir[sizeof(sun.sun_path)];
	int fd, n;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (path != NULL && readonly)
		n = ro_sibling(sun.sun_path, sizeof(sun.sun_path), path);
	else if (path != NULL)
		n = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	else if (xm_default_socket_dir(dir, sizeof(dir)) != 0)
		n = -1;
	else
		n = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir,
		    readonly ? RO_SOCKET_NAME : XM_RPC_SOCKET_NAME);
	if (n < 0 || (size_t)n >= sizeof(sun.sun_path)) {
		failx("stdio-proxy: the socket's path is too long");
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		failx("stdio-proxy: cannot connect to xmd at %s: %s",
		    sun.sun_path, strerror(errno));
		return -1;
	}
	return fd;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w, n -= (size_t)w;
	}
	return 0;
}

/* What came on from (if anything) to to: 1 more to come, 0 the end. */
static int
pass(int from, int to)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(from, buf, sizeof(buf))) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return 0;
	return write_all(to, buf, (size_t)n) == 0;
}

static void
shuttle(int sock)
{
	struct pollfd pfd[2] = {
		{ STDIN_FILENO, POLLIN, 0 },
		{ sock, POLLIN, 0 },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pfd[0].revents != 0 && !pass(STDIN_FILENO, sock))
			return;
		if (pfd[1].revents != 0 && !pass(sock, STDOUT_FILENO))
			return;
	}
}

int
stdio_proxy(int argc, char **argv)
{
	int readonly = 0, sock;

	if (argc > 1 && strcmp(argv[1], "-r") == 0) {
		readonly = 1;
		argc--, argv++;
	}
	if (argc > 2)
		return usagex("usage: xmctl stdio-proxy [-r] [PATH]");
	signal(SIGPIPE, SIG_IGN);
	if ((sock = proxy_connect(argc == 2 ? argv[1] : NULL, readonly)) < 0)
		return XM_EXIT_FAIL;
	shuttle(sock);
	close(sock);
	return XM_EXIT_OK;
}
