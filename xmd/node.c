/*
 * The node: the embedded QEMU (started, watched, stopped) or a node given
 * by path, and connecting to its control channel.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "node.h"

#define CONNECT_RETRY_MS	100
#define CONNECT_TRIES		300	/* 30 s */
#define STOP_WAIT_MS		5000

struct node {
	struct event_base	*n_base;
	struct node_config	 n_cfg;
	const struct node_hooks	*n_hooks;
	void			*n_arg;
	char			 n_ctl_path[PATH_MAX];
	char			 n_pid_path[PATH_MAX];
	char			 n_desc[PATH_MAX + 32];
	pid_t			 n_pid;		/* xm-qemu */
	pid_t			 n_group;	/* its process group */
	struct event		*n_sigchld;
	struct event		*n_retry;
	int			 n_tries;
	int			 n_adopted;	/* a kept QEMU taken over */
	char			 n_kept_path[PATH_MAX];
};

static struct node *exit_node;	/* for atexit */

static void	node_connect_try(evutil_socket_t, short, void *);
static void	node_sigchld(evutil_socket_t, short, void *);

static void
node_atexit(void)
{
	if (exit_node != NULL)
		node_stop(exit_node);
}

struct node *
node_new(struct event_base *base, const struct node_config *cfg,
    const struct node_hooks *hooks, void *arg)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->n_base = base;
	n->n_cfg = *cfg;
	n->n_hooks = hooks;
	n->n_arg = arg;
	snprintf(n->n_ctl_path, sizeof(n->n_ctl_path), "%s/ctl.sock",
	    cfg->state_dir);
	snprintf(n->n_pid_path, sizeof(n->n_pid_path), "%s/qemu.pid",
	    cfg->state_dir);
	snprintf(n->n_kept_path, sizeof(n->n_kept_path), "%s/qemu.kept",
	    cfg->state_dir);
	if (cfg->path != NULL)
		snprintf(n->n_desc, sizeof(n->n_desc), "node at %s",
		    cfg->path);
	else
		snprintf(n->n_desc, sizeof(n->n_desc), "embedded node (%s)",
		    cfg->iso);
	n->n_retry = evtimer_new(base, node_connect_try, n);
	n->n_sigchld = evsignal_new(base, SIGCHLD, node_sigchld, n);
	if (n->n_retry == NULL || n->n_sigchld == NULL) {
		node_free(n);
		return NULL;
	}
	return n;
}

int
node_embedded(const struct node *n)
{
	return n->n_cfg.path == NULL;
}

const char *
node_describe(const struct node *n)
{
	return n->n_desc;
}

static int
cmdline_has(pid_t pid, const char *needle)
{
	char path[64], buf[8192];
	ssize_t len, i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	for (i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return strstr(buf, needle) != NULL;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* A QEMU left on this state dir that cannot be taken over. */
static void
stop_stale_qemu(struct node *n)
{
	FILE *f = fopen(n->n_pid_path, "r");
	int pid = 0, i;

	if (f == NULL)
		return;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	unlink(n->n_pid_path);
	if (pid <= 1 || !cmdline_has(pid, n->n_ctl_path))
		return;
	log_warnx("stopping the QEMU (pid %d) that an earlier xmd left running",
	    pid);
	kill(pid, SIGTERM);
	for (i = 0; i < STOP_WAIT_MS / 50 && kill(pid, 0) == 0; i++)
		sleep_ms(50);
	if (kill(pid, 0) == 0)
		kill(pid, SIGKILL);
}

static void
exec_runner(struct node *n, int logfd)
{
	const struct node_config *c = &n->n_cfg;
	char smp[16], serial[PATH_MAX];
	const char *argv[24];
	int i = 0;

	snprintf(smp, sizeof(smp), "%d", c->smp);
	snprintf(serial, sizeof(serial), "%s/node.log", c->state_dir);
	argv[i++] = "sh";
	argv[i++] = c->runner;
	argv[i++] = "-m", argv[i++] = c->mem;
	argv[i++] = "-s", argv[i++] = smp;
	argv[i++] = "-t", argv[i++] = "0";
	argv[i++] = "-o", argv[i++] = serial;
	argv[i++] = "-c", argv[i++] = n->n_ctl_path;
	if (c->kvm)
		argv[i++] = "-k";
	argv[i++] = c->iso;
	argv[i++] = "--";
	argv[i++] = "-pidfile", argv[i++] = n->n_pid_path;
	argv[i] = NULL;
	setsid();
	dup2(logfd, STDOUT_FILENO);
	dup2(logfd, STDERR_FILENO);
	close(STDIN_FILENO);
	open("/dev/null", O_RDONLY);
	closefrom(STDERR_FILENO + 1);
	execv("/bin/sh", (char *const *)argv);
	_exit(126);
}

static int
read_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/*
 * The QEMU an earlier xmd left running on this state directory: kept
 * on purpose (STATE/qemu.kept names its process group), or left by an
 * xmd killed outright.  Either is taken over with its domains, as
 * libvirtd takes its QEMUs back after a restart: stopping it would
 * take the domains with it, and a domain in the middle of a migration
 * would then run nowhere.  1 if taken over.
 */
static int
adopt_left(struct node *n)
{
	int kept = read_int(n->n_kept_path), pid = read_int(n->n_pid_path);
	pid_t group;

	unlink(n->n_kept_path);
	if (pid <= 1 || !cmdline_has(pid, n->n_ctl_path))
		return 0;
	group = getpgid(pid);
	if (group <= 1 || (kept != 0 && group != kept))
		return 0;
	n->n_group = group;
	n->n_adopted = 1;
	exit_node = n;
	if (kept != 0)
		log_info("node: taking over the QEMU (pid %d) an earlier xmd "
		    "kept running", pid);
	else
		log_warnx("node: taking over the QEMU (pid %d) an earlier xmd "
		    "left running when it was killed", pid);
	return 1;
}

void
node_keep(struct node *n)
{
	FILE *f;

	if (n->n_group == 0)
		return;
	if ((f = fopen(n->n_kept_path, "w")) == NULL) {
		log_warn("%s", n->n_kept_path);
		return;
	}
	fprintf(f, "%d\n", (int)n->n_group);
	fclose(f);
	log_info("node: left running (pid file %s)", n->n_pid_path);
	n->n_group = 0;
	n->n_pid = 0;
	if (exit_node == n)
		exit_node = NULL;
}

int
node_adopted(const struct node *n)
{
	return n->n_adopted;
}

static int
spawn_qemu(struct node *n)
{
	char path[PATH_MAX];
	int logfd;

	stop_stale_qemu(n);
	unlink(n->n_ctl_path);
	snprintf(path, sizeof(path), "%s/qemu.log", n->n_cfg.state_dir);
	if ((logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0) {
		log_warn("%s", path);
		return -1;
	}
	/* QEMU outlives its shell parent when killed: reap it here. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if ((n->n_pid = fork()) < 0) {
		log_warn("fork");
		close(logfd);
		return -1;
	}
	if (n->n_pid == 0)
		exec_runner(n, logfd);
	close(logfd);
	setpgid(n->n_pid, n->n_pid);
	n->n_group = n->n_pid;
	exit_node = n;
	log_info("node: started %s (pid %d), serial log %s/node.log",
	    n->n_cfg.iso, (int)n->n_pid, n->n_cfg.state_dir);
	return 0;
}

int
node_start(struct node *n)
{
	static int atexit_done;

	if (!atexit_done && atexit(node_atexit) == 0)
		atexit_done = 1;
	evsignal_add(n->n_sigchld, NULL);
	if (node_embedded(n) && !adopt_left(n) && spawn_qemu(n) != 0)
		return -1;
	node_reconnect(n);
	return 0;
}

void
node_reconnect(struct node *n)
{
	struct timeval tv = { 0, 0 };

	n->n_tries = 0;
	evtimer_add(n->n_retry, &tv);
}

/*
 * A serial line to domain 0's UART (guests/dom0/uart.c): raw bytes at
 * 115200 8N1 as domain 0 sets its side, no flow control (a three-wire
 * null-modem cable has none).
 */
static int
open_serial(const char *path)
{
	struct termios t;
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		t.c_cflag &= ~(tcflag_t)CRTSCTS;
		t.c_cflag |= CLOCAL | CREAD;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static int
open_socket(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
open_channel(struct node *n)
{
	const char *path = node_embedded(n) ? n->n_ctl_path : n->n_cfg.path;
	struct stat st;

	if (stat(path, &st) == 0 && S_ISCHR(st.st_mode))
		return open_serial(path);
	return open_socket(path);
}

static void
node_connect_try(evutil_socket_t unused, short what, void *arg)
{
	struct timeval tv = { 0, CONNECT_RETRY_MS * 1000 };
	struct node *n = arg;
	char why[PATH_MAX + 64];
	int fd;

	(void)unused, (void)what;
	if ((fd = open_channel(n)) >= 0) {
		log_info("node: control channel open (%s)", node_describe(n));
		n->n_hooks->connected(n->n_arg, fd);
		return;
	}
	if (++n->n_tries < CONNECT_TRIES &&
	    (errno == ENOENT || errno == ECONNREFUSED)) {
		evtimer_add(n->n_retry, &tv);
		return;
	}
	snprintf(why, sizeof(why), "cannot open the control channel %s: %s",
	    node_embedded(n) ? n->n_ctl_path : n->n_cfg.path, strerror(errno));
	n->n_hooks->failed(n->n_arg, why);
}

static void
describe_exit(char *buf, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "QEMU stopped (xm-qemu exit status %d)",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "QEMU stopped (xm-qemu killed by signal %d)",
		    WTERMSIG(status));
	else
		snprintf(buf, len, "QEMU stopped");
}

static void
node_sigchld(evutil_socket_t sig, short what, void *arg)
{
	struct node *n = arg;
	char why[128];
	int status;
	pid_t pid;

	(void)sig, (void)what;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (n->n_pid == 0 || pid != n->n_pid)
			continue;	/* QEMU itself, reaped as subreaper */
		describe_exit(why, sizeof(why), status);
		log_warnx("node: %s; its serial log is %s/node.log", why,
		    n->n_cfg.state_dir);
		/* Whatever is left of its group goes too. */
		node_stop(n);
		n->n_hooks->failed(n->n_arg, why);
	}
}

/* Reap the group's processes until none is left or ms have passed. */
static int
reap_group(pid_t pgid, long ms)
{
	pid_t pid;
	long waited = 0;

	for (;;) {
		while ((pid = waitpid(-pgid, NULL, WNOHANG)) > 0)
			;
		if (pid < 0 && errno == ECHILD && kill(-pgid, 0) != 0)
			return 0;
		if (waited >= ms)
			return -1;
		sleep_ms(20);
		waited += 20;
	}
}

void
node_stop(struct node *n)
{
	pid_t g = n->n_group;

	if (g == 0)
		return;
	n->n_group = 0;
	n->n_pid = 0;
	if (exit_node == n)
		exit_node = NULL;
	if (kill(-g, SIGTERM) == 0 && reap_group(g, STOP_WAIT_MS) != 0) {
		log_warnx("node: QEMU did not stop in %d s, killing it",
		    STOP_WAIT_MS / 1000);
		kill(-g, SIGKILL);
		reap_group(g, STOP_WAIT_MS);
	}
	unlink(n->n_pid_path);
	unlink(n->n_ctl_path);
	log_info("node: stopped");
}

void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	node_stop(n);
	if (n->n_retry != NULL)
		event_free(n->n_retry);
	if (n->n_sigchld != NULL)
		event_free(n->n_sigchld);
	free(n);
}
