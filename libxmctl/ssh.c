/*
 * xm+ssh://[USER@]HOST[:PORT]/[PATH]: ssh runs "xmctl stdio-proxy" on
 * HOST, which joins its standard input and output to xmd's unix socket
 * there; the JSON-RPC lines go through ssh's.  The handle's fd is our
 * end of a socket pair that is ssh's standard input and output; ssh's
 * standard error stays the caller's (its prompts and complaints).
 * $XMCTL_SSH names another program to run instead of ssh.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"

#define SSH_ARGS_MAX	16
#define REMOTE_CMD_MAX	(3 * XC_URI_FIELD)

extern char **environ;

/* s in single quotes for the remote shell, appended to buf. */
static int
append_quoted(char *buf, size_t len, const char *s)
{
	size_t o = strlen(buf);

	if (o + 3 > len)
		return -1;
	buf[o++] = '\'';
	for (; *s != '\0'; s++) {
		if (o + 6 > len)
			return -1;
		if (*s == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else
			buf[o++] = *s;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return 0;
}

/* What ssh runs on HOST: 'xmctl' stdio-proxy [-r] ['PATH']. */
static int
remote_command(const struct xc_uri *u, int readonly, char *buf, size_t len)
{
	buf[0] = '\0';
	if (append_quoted(buf, len, u->u_xmctl[0] != '\0' ? u->u_xmctl :
	    "xmctl") != 0 || strlen(buf) + 16 > len)
		return -1;
	strcat(buf, " stdio-proxy");
	if (readonly)
		strcat(buf, " -r");
	if (u->u_path[0] == '\0')
		return 0;
	strcat(buf, " ");
	return append_quoted(buf, len, u->u_path);
}

static void
ssh_argv(const struct xc_uri *u, const char *ssh, char *cmd,
    const char **argv)
{
	int n = 0;

	argv[n++] = ssh;
	argv[n++] = "-T";		/* no terminal: a byte stream */
	argv[n++] = "-e";
	argv[n++] = "none";		/* no escape character either */
	if (u->u_port[0] != '\0') {
		argv[n++] = "-p";
		argv[n++] = u->u_port;
	}
	if (u->u_user[0] != '\0') {
		argv[n++] = "-l";
		argv[n++] = u->u_user;
	}
	if (u->u_keyfile[0] != '\0') {
		argv[n++] = "-i";
		argv[n++] = u->u_keyfile;
	}
	argv[n++] = "--";
	argv[n++] = u->u_host;
	argv[n++] = cmd;
	argv[n] = NULL;
}

static int
spawn(struct xmctl *x, const char *uri, const char **argv)
{
	posix_spawn_file_actions_t fa;
	int sv[2], rc;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return xc_fail(x, XMCTL_E_SYSTEM, "socketpair: %s",
		    strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, sv[1], STDOUT_FILENO);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char **)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		return xc_fail(x, XMCTL_E_CONNECT, "URI '%s': cannot run %s: "
		    "%s", uri, argv[0], strerror(rc));
	}
	x->x_fd = sv[0];
	x->x_child = pid;
	return XMCTL_OK;
}

int
xc_ssh_connect(struct xmctl *x, const struct xc_uri *u, const char *uri,
    int readonly)
{
	const char *argv[SSH_ARGS_MAX], *ssh = getenv("XMCTL_SSH");
	char cmd[REMOTE_CMD_MAX];

	if (remote_command(u, readonly, cmd, sizeof(cmd)) != 0)
		return xc_fail(x, XMCTL_E_ARG, "URI '%s': too long", uri);
	ssh_argv(u, ssh != NULL && *ssh != '\0' ? ssh : "ssh", cmd, argv);
	return spawn(x, uri, argv);
}

/*
 * After the handle's fd closed: ssh sees the end of its input and goes;
 * one that lingers is told to.
 */
void
xc_ssh_reap(struct xmctl *x)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i;

	if (x->x_child <= 0)
		return;
	for (i = 0; i < 200; i++) {
		if (waitpid(x->x_child, NULL, WNOHANG) != 0)
			break;
		nanosleep(&tick, NULL);
	}
	if (i == 200) {
		kill(x->x_child, SIGTERM);
		waitpid(x->x_child, NULL, 0);
	}
	x->x_child = 0;
}
