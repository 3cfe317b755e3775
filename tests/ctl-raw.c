/*
 * ctl-raw: send domain 0 raw bytes on the control channel and print what
 * comes back, one line per frame ("op=N seq=N status=N len=N flags=N").
 * For tests of the node's handling of bad frames; xmd never sends these.
 *
 * usage: ctl-raw SOCKET TIMEOUT_MS ITEM...
 *   ITEM is "garbage:N" (N bytes of junk), "hello:SEQ", "badversion:SEQ",
 *   "huge:SEQ" (a header claiming 1 MiB), "physinfo:SEQ" or "echo:SEQ"
 *   (ECHO with ECHO_LEN bytes).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_frame.h"

#define ECHO_LEN	100

static int
connect_to(const char *path)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (fd < 0 || strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

static int
send_item(int fd, const char *item)
{
	unsigned char buf[sizeof(struct xm_ctl_hdr) + ECHO_LEN];
	struct xm_ctl_hello hello = { XM_CTL_VERSION, XM_CTL_VERSION, 0 };
	unsigned long n = strtoul(strchr(item, ':') + 1, NULL, 0);
	struct xm_ctl_hdr *h = (struct xm_ctl_hdr *)buf;
	size_t i;

	if (strncmp(item, "garbage:", 8) == 0) {
		unsigned char junk[4096];

		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (unsigned char)(i * 37 + 11);
		return send_all(fd, junk, n < sizeof(junk) ? n : sizeof(junk));
	}
	if (strncmp(item, "hello:", 6) == 0 ||
	    strncmp(item, "badversion:", 11) == 0) {
		ctl_frame_encode(buf, XM_CTL_OP_HELLO, (uint32_t)n, 0,
		    sizeof(hello), 0);
		if (item[0] == 'b')
			h->version = 99;
		memcpy(buf + sizeof(*h), &hello, sizeof(hello));
		return send_all(fd, buf, sizeof(*h) + sizeof(hello));
	}
	if (strncmp(item, "huge:", 5) == 0) {
		ctl_frame_encode(buf, XM_CTL_OP_PHYSINFO, (uint32_t)n, 0,
		    1U << 20, 0);
		return send_all(fd, buf, sizeof(*h));
	}
	if (strncmp(item, "echo:", 5) == 0) {
		ctl_frame_encode(buf, XM_CTL_OP_ECHO, (uint32_t)n, 0, ECHO_LEN,
		    0);
		for (i = 0; i < ECHO_LEN; i++)
			buf[sizeof(*h) + i] = (unsigned char)i;
		return send_all(fd, buf, sizeof(*h) + ECHO_LEN);
	}
	if (strncmp(item, "physinfo:", 9) == 0) {
		ctl_frame_encode(buf, XM_CTL_OP_PHYSINFO, (uint32_t)n, 0, 0, 0);
		return send_all(fd, buf, sizeof(*h));
	}
	return -1;
}

/* Print every frame that arrives until timeout_ms pass in silence. */
static void
read_replies(int fd, int timeout_ms)
{
	static unsigned char buf[4 * CTL_FRAME_MAX];
	size_t have = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };
	struct ctl_scan_result r;
	ssize_t n;

	while (poll(&pfd, 1, timeout_ms) > 0) {
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n <= 0)
			return;
		have += (size_t)n;
		for (;;) {
			ctl_frame_scan(buf, have, &r);
			if (r.kind == CTL_SCAN_MORE)
				break;
			if (r.kind == CTL_SCAN_BAD) {
				printf("bad: %s\n", r.why);
				memmove(buf, buf + r.skip, have - r.skip);
				have -= r.skip;
				continue;
			}
			printf("op=%u seq=%u status=%d len=%u flags=%u\n",
			    r.hdr.op, r.hdr.seq, r.hdr.status, r.hdr.len,
			    r.hdr.flags);
			fflush(stdout);
			memmove(buf, buf + r.size, have - r.size);
			have -= r.size;
		}
	}
}

int
main(int argc, char **argv)
{
	int fd, i, timeout;

	if (argc < 4) {
		fprintf(stderr, "usage: ctl-raw SOCKET TIMEOUT_MS ITEM...\n");
		return 2;
	}
	timeout = atoi(argv[2]);
	if ((fd = connect_to(argv[1])) < 0) {
		fprintf(stderr, "ctl-raw: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (i = 3; i < argc; i++) {
		if (send_item(fd, argv[i]) != 0) {
			fprintf(stderr, "ctl-raw: cannot send %s\n", argv[i]);
			return 1;
		}
		read_replies(fd, timeout);
	}
	close(fd);
	return 0;
}
