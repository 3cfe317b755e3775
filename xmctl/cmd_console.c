/*
 * xmctl console: a domain's kept output, then what it writes, until the
 * domain goes or the user types Ctrl-] (0x1d).  What else is typed goes
 * to the domain's console (domain.console.input, on a second connection:
 * the first one follows the output).  On a terminal, standard input is
 * raw meanwhile.  Standard input at its end stops being read, the output
 * is still followed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "xmctl.h"

#define ESCAPE_CHAR	0x1d	/* Ctrl-] */
#define INPUT_CHUNK	1024	/* what domain.console.input takes */
#define INPUT_RETRIES	500	/* 10 ms apart: a console that reads */

static struct xmctl	*input_conn;

static struct termios	saved_tio;
static int		raw_on;

static void
restore_tty(void)
{
	if (raw_on) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
		raw_on = 0;
	}
}

static void
on_signal(int sig)
{
	restore_tty();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
raw_tty(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio) != 0)
		return;
	t = saved_tio;
	cfmakeraw(&t);
	t.c_oflag |= OPOST;	/* keep "\n" as "\r\n" for our own lines */
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0)
		return;
	raw_on = 1;
	atexit(restore_tty);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
}

static void
put(const char *data, size_t len)
{
	fwrite(data, 1, len, stdout);
	fflush(stdout);
}

/* Everything already received; 1: the console closed, -1: failed. */
static int
drain(struct xmctl *x)
{
	size_t len;
	char *data;
	int rc;

	while ((rc = xmctl_console_next(x, &data, &len, 0)) == XMCTL_OK) {
		put(data, len);
		free(data);
	}
	if (rc == XMCTL_E_AGAIN)
		return 0;
	restore_tty();
	if (rc == XMCTL_E_CLOSED) {
		fprintf(stderr, "\nxmctl: %s\n", xmctl_errmsg(x));
		return 1;
	}
	failx("%s", xmctl_errmsg(x));
	return -1;
}

/* Send what was typed; the console's input may be full a while. */
static int
send_input(struct cmd_ctx *ctx, const char *dom, const char *buf, size_t n)
{
	int rc = XMCTL_E_AGAIN, tries;

	if (n == 0)
		return 0;
	if (input_conn == NULL && (input_conn = connect_xmd(ctx)) == NULL)
		return -1;
	for (tries = 0; rc == XMCTL_E_AGAIN && tries < INPUT_RETRIES;
	    tries++) {
		if ((rc = xmctl_domain_console_input(input_conn, dom, buf, n)) ==
		    XMCTL_E_AGAIN)
			usleep(10000);
	}
	if (rc != XMCTL_OK) {
		restore_tty();
		return failx("%s", xmctl_errmsg(input_conn));
	}
	return 0;
}

/* Standard input: 1 when the user asked to detach, -1 on a failure. */
static int
read_input(struct cmd_ctx *ctx, const char *dom, int *stdin_open)
{
	char buf[INPUT_CHUNK];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	const char *esc;

	if (n <= 0) {
		if (n == 0 || errno != EINTR)
			*stdin_open = 0;
		return 0;
	}
	esc = memchr(buf, ESCAPE_CHAR, (size_t)n);
	if (send_input(ctx, dom, buf, esc != NULL ? (size_t)(esc - buf) :
	    (size_t)n) != 0)
		return -1;
	return esc != NULL;
}

static int
follow(struct cmd_ctx *ctx, const char *dom, struct xmctl *x)
{
	struct pollfd pfd[2];
	int stdin_open = 1, rc, in;

	for (;;) {
		if ((rc = drain(x)) != 0)
			return rc < 0;
		pfd[0] = (struct pollfd){ xmctl_fd(x), POLLIN, 0 };
		pfd[1] = (struct pollfd){ stdin_open ? STDIN_FILENO : -1,
		    POLLIN, 0 };
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			return failx("poll: %s", strerror(errno));
		if (pfd[1].revents != 0 &&
		    (in = read_input(ctx, dom, &stdin_open)) != 0) {
			restore_tty();
			if (in < 0)
				return 1;
			fprintf(stderr, "\n");
			return 0;
		}
	}
}

int
cmd_console(struct cmd_ctx *ctx)
{
	const char *dom = ctx->argv[1];
	struct xmctl *x;
	size_t len;
	char *data;
	int rc;

	if ((x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_domain_console(x, dom, !ctx->no_follow, &data, &len) !=
	    XMCTL_OK)
		return fail(x);
	put(data, len);
	free(data);
	rc = 0;
	if (!ctx->no_follow) {
		if (isatty(STDIN_FILENO))
			fprintf(stderr, "Connected to domain '%s' (Ctrl-] detaches)\n",
			    dom);
		raw_tty();
		rc = follow(ctx, dom, x);
		restore_tty();
	}
	if (input_conn != NULL)
		xmctl_free(input_conn);
	xmctl_free(x);
	return rc;
}
