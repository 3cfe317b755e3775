/*
 * xmd: xm's management daemon.  Starts (or connects to) the node, waits
 * for domain 0's HELLO, learns what runs there, then serves JSON-RPC on
 * STATE/xmd.sock until SIGTERM or SIGINT, and stops the embedded node on
 * the way out; SIGHUP reopens the log and reads the configuration again.  SIGUSR1 (or keep_node = yes in xmd.conf) stops
 * xmd but leaves the embedded node and its domains running; the next
 * xmd on the state directory takes them over (node.h, runstate.c).
 *
 * As a daemon (without -d) the command returns once the node has
 * answered (status 0) or failed (status 1, with the reason), so that
 * "xmd && xmctl list" works.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>
#include <event2/event.h>

#include "conf.h"
#include "clock.h"
#include "ctl.h"
#include "events.h"
#include "log.h"
#include "migrate.h"
#include "node.h"
#include "metrics.h"
#include "options.h"
#include "stats.h"
#include "paths.h"
#include "rpc.h"
#include "xmd.h"
#include "shutdown_coop.h"
#include "xsd.h"

#define LIST_MAX	(XM_CTL_MAX_PAYLOAD / sizeof(struct xm_domctl_info))


static struct xmd	 xmd;
static struct event	*signals[4];
static int		 keep_node;	/* leave the embedded node running */
static struct options	*opts;		/* main's, for a reload */
static char		 log_path[PATH_MAX];	/* "": standard error */
static int		 ready_fd = -1;	/* to the parent */
static int		 exit_code;

/* Tell the waiting parent: "" for ready, else why not. */
static void
tell_parent(const char *why)
{
	if (ready_fd < 0)
		return;
	if (write(ready_fd, why, strlen(why) + 1) < 0)
		log_warn("telling the parent");
	close(ready_fd);
	ready_fd = -1;
}

static void
xmd_stop(int code, const char *why)
{
	if (why != NULL) {
		log_warnx("%s", why);
		tell_parent(why);
	}
	(void)sd_notify(0, "STOPPING=1");
	exit_code = code;
	event_base_loopexit(xmd.x_base, NULL);
}

void
xmd_node_ready(struct xmd *x)
{
	if (x->x_ready)
		return;
	x->x_ready = 1;
	runstate_free(x);
	stats_start(x->x_stats);
	clock_sync_start(x);
	migrate_recover(x);	/* what a killed xmd left under way */
	launch_autostart(x);
	log_info("ready: %u domains on the node; JSON-RPC on %s",
	    x->x_reg.r_count, x->x_rpc_socket);
	tell_parent("");
	/* Under systemd (Type=notify): started once the node answers. */
	(void)sd_notifyf(0, "READY=1\nSTATUS=%u domains; JSON-RPC on %s",
	    x->x_reg.r_count, x->x_rpc_socket);
}

static void
list_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct xmd *x = arg;

	if (status != 0) {
		xmd_stop(1, "the node cannot list its domains");
		return;
	}
	domains_reconcile(x, data, len);
	xmd_node_ready(x);
}

static void
hook_up(void *arg, const struct xm_ctl_hello_reply *h)
{
	struct xm_ctl_list l = { 0, 0, LIST_MAX };
	struct iovec iov = { &l, sizeof(l) };
	struct xmd *x = arg;

	log_info("node: domain 0 '%s' answered: protocol %u, hv %u.%u%s, "
	    "%u CPUs, %llu MiB free", h->dom0_version, h->version,
	    h->physinfo.hv_version >> 16, h->physinfo.hv_version & 0xffff,
	    h->physinfo.hv_extraversion, h->physinfo.nr_cpus,
	    (unsigned long long)h->physinfo.free_pages >> 8);
	if (ctl_request(x->x_ctl, XM_CTL_OP_LIST, &iov, 1, 0, list_reply,
	    x) != 0)
		xmd_stop(1, "cannot ask the node for its domains");
}

static void
hook_down(void *arg, const char *why)
{
	struct xmd *x = arg;
	char msg[PATH_MAX + 512];

	if (node_embedded(x->x_node))
		snprintf(msg, sizeof(msg), "node: control channel lost: %s (hv's log: %s/node.log)",
		    why, x->x_state_dir);
	else
		snprintf(msg, sizeof(msg), "node: control channel lost: %s",
		    why);
	xmd_stop(1, msg);
}

static void
hook_console(void *arg, xm_domid_t id, const char *data, size_t len)
{
	domains_console(arg, id, data, len);
}

static void
hook_domain(void *arg, const struct xm_domctl_info *info)
{
	domains_event(arg, info);
}

static void
hook_store(void *arg, xm_domid_t id, const uint8_t *data, size_t len)
{
	xsd_ring_output(arg, id, data, len);
}

static const struct ctl_hooks ctl_hooks = {
	hook_up, hook_down, hook_console, hook_domain, hook_store,
};

static unsigned int hello_timeout_ms;

static void
node_connected(void *arg, int fd)
{
	struct xmd *x = arg;

	if (ctl_start(x->x_ctl, fd, hello_timeout_ms) != 0)
		xmd_stop(1, "cannot start the control channel");
}

static void
node_failed(void *arg, const char *why)
{
	char msg[512];

	(void)arg;
	snprintf(msg, sizeof(msg), "node: %s", why);
	xmd_stop(1, msg);
}

static const struct node_hooks node_hooks = { node_connected, node_failed };

static void
needs_restart(const char *key, void *arg)
{
	(void)arg;
	if (strcmp(key, "console_log_size") != 0 &&
	    strcmp(key, "console_log_files") != 0)
		log_warnx("reload: %s changed: that takes effect when xmd "
		    "restarts", key);
}

/* The log reopened, the configuration read again (reload). */
static void
reload_files(void)
{
	struct xmd_conf nc;
	char err[PATH_MAX + 512];

	if (log_path[0] != '\0' && log_init(log_path, opts->level) != 0)
		log_warn("reload: %s", log_path);	/* to the old one */
	if (opts->conf_path == NULL) {
		log_info("reload: log reopened; no configuration file");
		return;
	}
	conf_init(&nc);
	if (conf_load(&nc, opts->conf_path, err, sizeof(err)) != 0) {
		log_warnx("reload: %s; the configuration stays as it was", err);
		conf_free(&nc);
		return;
	}
	conf_each_changed(&opts->conf, &nc, needs_restart, NULL);
	xmd.x_console_lim.max_bytes = nc.c_console_log_size > 0 ?
	    (uint64_t)nc.c_console_log_size : CONSOLE_LOG_SIZE;
	xmd.x_console_lim.files = nc.c_console_log_files >= 0 ?
	    (unsigned int)nc.c_console_log_files : CONSOLE_LOG_FILES;
	conf_free(&opts->conf);
	opts->conf = nc;
	log_info("reload: log reopened, %s read (console logs: %llu bytes, "
	    "%u old files)", opts->conf_path,
	    (unsigned long long)xmd.x_console_lim.max_bytes,
	    xmd.x_console_lim.files);
}

/*
 * SIGHUP, as systemd's ExecReload and logrotate send it: the log file
 * opened again (the old one may have been moved away) and the
 * configuration read again; what can change while xmd runs (the console
 * logs' limits) does, the rest is said to wait for a restart.  A file
 * that does not read leaves everything as it was.
 */
static void
reload(void)
{
	(void)sd_notify(0, "RELOADING=1");
	reload_files();
	(void)sd_notify(0, "READY=1");
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what, (void)arg;
	if (sig == SIGHUP) {
		reload();
		return;
	}
	if (sig == SIGUSR1)
		keep_node = 1;
	log_info("signal %d: stopping%s", (int)sig, keep_node ?
	    ", leaving the node running" : "");
	xmd_stop(0, NULL);
}

static void
set_path(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		fatalx("%s: the path is too long", src);
	strcpy(dst, src);
}

/* STATE/name in buf. */
static void
state_path(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", xmd.x_state_dir, name);

	if (n < 0 || (size_t)n >= len)
		fatalx("%s/%s: the path is too long", xmd.x_state_dir, name);
}

static void
mkdir_p(const char *path)
{
	char buf[PATH_MAX], *p;

	set_path(buf, sizeof(buf), path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			fatal("%s", buf);
		*p = '/';
	}
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		fatal("%s", buf);
}

/* An existing file's absolute path in buf; fatal, with a hint, if none. */
static const char *
must_exist(char *buf, const char *path, const char *what, const char *hint)
{
	char *abs = realpath(path, NULL);

	if (abs == NULL)
		fatal("%s %s (%s)", what, path, hint);
	set_path(buf, PATH_MAX, abs);
	free(abs);
	return buf;
}

/* path made absolute in buf, without asking whether it exists. */
static const char *
absolute(char *buf, const char *path)
{
	char cwd[PATH_MAX];
	int n;

	if (path[0] == '/')
		return path;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		fatal("getcwd");
	n = snprintf(buf, PATH_MAX, "%s/%s", cwd, path);
	if (n < 0 || n >= PATH_MAX)
		fatalx("%s: the path is too long", path);
	return buf;
}

/* The TLS files as absolute paths: xmd leaves its directory. */
static void
resolve_tls(struct options *o)
{
	const struct xmd_conf *c = &o->conf;

	if (c->c_tcp_listen == NULL && (c->c_metrics_listen == NULL ||
	    c->c_metrics_plain == 1))
		return;
	o->tls_cert = absolute(o->tls_buf[0], c->c_tls_cert);
	o->tls_key = absolute(o->tls_buf[1], c->c_tls_key);
	if (c->c_tls_ca != NULL)
		o->tls_ca = absolute(o->tls_buf[2], c->c_tls_ca);
}

static void
resolve_paths(struct options *o)
{
	char cwd[PATH_MAX];

	mkdir_p(o->state_dir);
	must_exist(xmd.x_state_dir, o->state_dir, "state directory",
	    "cannot create it");
	if (o->kernel_dir == NULL) {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			fatal("getcwd");
		o->kernel_dir = cwd;
	}
	must_exist(xmd.x_kernel_dir, o->kernel_dir, "kernel directory", "-K");
	resolve_tls(o);
	xmd.x_tls_cert = o->tls_cert;
	xmd.x_tls_key = o->tls_key;
	xmd.x_tls_ca = o->tls_ca;
	if (o->node.path != NULL) {
		o->node.path = absolute(o->node_path, o->node.path);
		return;
	}
	o->node.iso = must_exist(o->iso, o->node.iso, "node image",
	    o->defaults.from_build ? "build it with make, or give one with "
	    "-i or node_image in xmd.conf" : "install xm's node image, or "
	    "give one with -i or node_image in xmd.conf");
	o->node.runner = must_exist(o->runner, o->node.runner, "QEMU runner",
	    "give one with -r or node_runner in xmd.conf");
}

static int
lock_state_dir(void)
{
	char path[PATH_MAX];
	int fd;

	state_path(path, sizeof(path), "xmd.lock");
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		fatal("%s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		fatalx("another xmd is using %s", xmd.x_state_dir);
	return fd;
}

/* The parent waits for the daemon's word: "" (ready) or the reason. */
static void
daemonize(const char *state_dir)
{
	char msg[1024];
	size_t got = 0;
	ssize_t n;
	int p[2], fd;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0 || (pid = fork()) < 0)
		fatal("daemonize");
	if (pid > 0) {
		close(p[1]);
		while (got < sizeof(msg) - 1 &&
		    (n = read(p[0], msg + got, sizeof(msg) - 1 - got)) > 0)
			got += (size_t)n;
		msg[got] = '\0';
		if (got > 0 && msg[0] == '\0')
			exit(0);
		fprintf(stderr, "xmd: %s\n", got > 0 ? msg :
		    "the daemon stopped while starting");
		fprintf(stderr, "xmd: see %s/xmd.log\n", state_dir);
		exit(1);
	}
	close(p[0]);
	ready_fd = p[1];
	setsid();
	if (chdir("/") != 0 || (fd = open("/dev/null", O_RDWR)) < 0)
		fatal("daemonize");
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

static void
write_pid(void)
{
	char path[PATH_MAX];
	FILE *f;

	state_path(path, sizeof(path), "xmd.pid");
	if ((f = fopen(path, "w")) == NULL)
		fatal("%s", path);
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

static struct event *
add_signal(int sig)
{
	struct event *ev = evsignal_new(xmd.x_base, sig, on_signal, NULL);

	if (ev == NULL || evsignal_add(ev, NULL) != 0)
		fatalx("cannot handle signal %d", sig);
	return ev;
}

/* The group of the read-write socket: its id, or -1 for none. */
static gid_t
socket_gid(const char *group)
{
	struct group *g;

	if (group == NULL)
		return (gid_t)-1;
	if ((g = getgrnam(group)) == NULL)
		fatalx("socket_group: no group '%s'", group);
	return g->gr_gid;
}

/* The TLS files, client certificates' role and tokens, as TCP has them. */
static void
tls_conf(const struct options *o, struct rpc_tls *tls,
    struct rpc_token tokens[CONF_TOKENS_MAX])
{
	const struct xmd_conf *c = &o->conf;
	size_t i;

	for (i = 0; i < c->c_ntokens; i++) {
		tokens[i].role = c->c_tokens[i].t_admin ? RPC_ROLE_ADMIN :
		    RPC_ROLE_READ;
		tokens[i].secret = c->c_tokens[i].t_secret;
	}
	memset(tls, 0, sizeof(*tls));
	tls->cert = o->tls_cert;
	tls->key = o->tls_key;
	tls->ca = o->tls_ca;
	tls->cert_role = c->c_cert_role != NULL &&
	    strcmp(c->c_cert_role, "admin") == 0 ? RPC_ROLE_ADMIN :
	    RPC_ROLE_READ;
	tls->tokens = tokens;
	tls->ntokens = c->c_ntokens;
}

/*
 * Prometheus /metrics, when metrics_listen is set: with TLS and the
 * TCP listener's tokens and client certificates, or plain HTTP (with
 * the tokens, if any) when metrics_plain says so.
 */
static void
start_metrics(const struct options *o)
{
	const struct xmd_conf *c = &o->conf;
	struct rpc_token tokens[CONF_TOKENS_MAX];
	char err[PATH_MAX + 512];
	struct rpc_tls tls;
	int plain = c->c_metrics_plain == 1;

	if (c->c_metrics_listen == NULL)
		return;
	tls_conf(o, &tls, tokens);
	xmd.x_metrics = metrics_start(&xmd, c->c_metrics_listen,
	    plain ? NULL : &tls, c->c_tokens, c->c_ntokens, err, sizeof(err));
	if (xmd.x_metrics == NULL)
		fatalx("metrics_listen: %s", err);
	log_info("metrics on %s://%s/metrics", plain ? "http" : "https",
	    c->c_metrics_listen);
}

/* The TCP listener (TLS), when tcp_listen is set. */
static void
start_tcp(const struct options *o)
{
	const struct xmd_conf *c = &o->conf;
	struct rpc_token tokens[CONF_TOKENS_MAX];
	char err[PATH_MAX + 512];
	struct rpc_tls tls;

	if (c->c_tcp_listen == NULL)
		return;
	tls_conf(o, &tls, tokens);
	if (rpc_server_listen_tcp(xmd.x_rpc, c->c_tcp_listen, &tls, err,
	    sizeof(err)) != 0)
		fatalx("tcp_listen: %s", err);
	log_info("JSON-RPC with TLS on %s", c->c_tcp_listen);
}

/* The default sockets' paths: in the state directory, or for the
 * system's xmd in /run/xm (made 0755: the sockets' modes say who). */
static void
socket_paths(const struct options *o, char *rw, char *ro, size_t len)
{
	const char *dir = xmd.x_state_dir;

	if (strcmp(o->socket_dir, o->state_dir) != 0) {
		dir = o->socket_dir;
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			fatal("socket directory %s", dir);
	}
	if ((size_t)snprintf(rw, len, "%s/%s", dir, XM_RPC_SOCKET_NAME) >= len ||
	    (size_t)snprintf(ro, len, "%s/xmd-ro.sock", dir) >= len)
		fatalx("socket directory %s: the path is too long", dir);
}

static void
start_rpc(const struct options *o)
{
	char rw[PATH_MAX], ro[PATH_MAX], audit[PATH_MAX];
	gid_t gid = socket_gid(o->group);

	socket_paths(o, rw, ro, sizeof(rw));
	state_path(audit, sizeof(audit), "audit.log");
	xmd.x_rpc = rpc_server_new(xmd.x_base, xmd_methods, &xmd,
	    methods_peer_closed, &o->limits);
	if (xmd.x_rpc == NULL)
		fatalx("out of memory");
	if (o->socket != NULL)
		set_path(rw, sizeof(rw), o->socket);
	if (rpc_server_listen(xmd.x_rpc, rw, RPC_ROLE_ADMIN,
	    gid == (gid_t)-1 ? 0600 : 0660, gid) != 0)
		fatal("JSON-RPC socket %s", rw);
	set_path(xmd.x_rpc_socket, sizeof(xmd.x_rpc_socket), rw);
	if (o->socket_ro != NULL)
		set_path(ro, sizeof(ro), o->socket_ro);
	if (strcmp(ro, "none") != 0 && rpc_server_listen(xmd.x_rpc, ro,
	    RPC_ROLE_READ, 0666, (gid_t)-1) != 0)
		fatal("JSON-RPC socket %s", ro);
	if (rpc_server_audit(xmd.x_rpc, audit) != 0)
		fatal("%s", audit);
	start_tcp(o);
}

static void
start(const struct options *o)
{
	if ((xmd.x_base = event_base_new()) == NULL)
		fatalx("event_base_new");
	signals[0] = add_signal(SIGTERM);
	signals[1] = add_signal(SIGINT);
	signals[2] = add_signal(SIGHUP);
	signals[3] = add_signal(SIGUSR1);
	signal(SIGPIPE, SIG_IGN);
	registry_init(&xmd.x_reg);
	TAILQ_INIT(&xmd.x_subs);
	if (defs_load(&xmd.x_defs, xmd.x_state_dir) != 0)
		fatalx("cannot read the definitions in %s/defs",
		    xmd.x_state_dir);
	runstate_load(&xmd);
	start_rpc(o);
	start_metrics(o);
	hello_timeout_ms = o->hello_timeout * 1000;
	xmd.x_console_lim = o->console;
	xmd.x_ctl = ctl_new(xmd.x_base, &ctl_hooks, &xmd);
	xmd.x_node = node_new(xmd.x_base, &o->node, &node_hooks, &xmd);
	xmd.x_stats = stats_new(&xmd, o->stats_interval_ms,
	    o->stats_samples);
	if (xmd.x_ctl == NULL || xmd.x_node == NULL || xmd.x_stats == NULL ||
	    xsd_init(&xmd) != 0)
		fatalx("out of memory");
	ctl_set_timeout(xmd.x_ctl, o->timeout * 1000);
	log_info("starting: %s, state in %s", node_describe(xmd.x_node),
	    xmd.x_state_dir);
	if (node_start(xmd.x_node) != 0)
		xmd_stop(1, "cannot start the node");
	else if (node_embedded(xmd.x_node) && !node_adopted(xmd.x_node)) {
		runstate_free(&xmd);	/* a new node: nothing runs there */
		xsd_load(&xmd, 0);
	} else
		xsd_load(&xmd, 1);	/* before the domains are adopted */
}

static void
stop(void)
{
	char path[PATH_MAX];
	size_t i;

	tell_parent("xmd stopped before the node was ready");
	ctl_free(xmd.x_ctl);
	xmd.x_ctl = NULL;
	clock_sync_free(&xmd);		/* after: its request failed with it */
	metrics_free(xmd.x_metrics);
	xmd.x_metrics = NULL;
	stats_free(xmd.x_stats);	/* its request failed with the channel */
	xmd.x_stats = NULL;
	rpc_server_free(xmd.x_rpc);
	coop_shutdown_clear(&xmd);
	/* The store as the domains see it, before they are let go. */
	if (keep_node || !node_embedded(xmd.x_node))
		xsd_save(&xmd);
	else
		xsd_load(&xmd, 0);	/* the node goes: drops the file */
	domains_clear(&xmd, "xmd stopped");
	xsd_free(&xmd);
	if (keep_node)
		node_keep(xmd.x_node);
	else if (node_embedded(xmd.x_node))
		runstate_save(&xmd);	/* the node goes: nothing runs */
	events_free(&xmd);
	defs_free(&xmd.x_defs);
	runstate_close(&xmd);
	node_free(xmd.x_node);
	state_path(path, sizeof(path), "xmd.pid");
	unlink(path);
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		event_free(signals[i]);
	event_base_free(xmd.x_base);
	log_info("stopped");
}

int
main(int argc, char **argv)
{
	char logpath[PATH_MAX];
	struct options o;

	options_parse(argc, argv, &o);
	opts = &o;
	keep_node = o.keep_node;
	log_init(NULL, o.level);
	resolve_paths(&o);
	lock_state_dir();
	if (!o.foreground) {
		daemonize(xmd.x_state_dir);
		state_path(logpath, sizeof(logpath), "xmd.log");
		if (log_init(logpath, o.level) != 0)
			fatal("%s", logpath);
		set_path(log_path, sizeof(log_path), logpath);
		if (o.syslog)
			log_syslog();
	}
	write_pid();
	o.node.state_dir = xmd.x_state_dir;
	start(&o);
	event_base_dispatch(xmd.x_base);
	stop();
	log_close();
	return exit_code;
}
