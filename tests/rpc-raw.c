/*
 * rpc-raw: send lines to xmd's JSON-RPC socket as they are and print
 * what comes back, for tests that must send what xmctl never would.
 *
 *	rpc-raw SOCKET [WAIT_MS] < lines
 *
 * Each line of standard input is sent as it is (with its newline);
 * then rpc-raw prints what xmd sends until it has been quiet for
 * WAIT_MS (default 500) or closes the connection.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un sun;
	char buf[65536];
	struct pollfd pfd;
	ssize_t n;
	size_t len;
	int fd, wait_ms = argc > 2 ? atoi(argv[2]) : 500;

	if (argc < 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: rpc-raw SOCKET [WAIT_MS] < lines\n");
		return 2;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		perror(argv[1]);
		return 1;
	}
	/* xmd may close first (a refused client): read what it said. */
	signal(SIGPIPE, SIG_IGN);
	while ((len = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (write(fd, buf, len) != (ssize_t)len) {
			perror("write");
			break;
		}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, wait_ms) > 0 &&
	    (n = read(fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);		/* for a reader that gets killed */
	}
	close(fd);
	return 0;
}
