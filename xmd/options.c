/* xmd's options and configuration file (see options.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "exit_status.h"
#include "install_paths.h"
#include "options.h"
#include "parse_num.h"
#include "paths.h"

#define OPTSTRING	"df:hi:K:kl:m:N:nr:S:s:T:t:Vv"

static void
usage(FILE *f, int status)
{
	struct install_paths d;

	install_paths(&d);
	fprintf(f,
"usage: xmd [-dhknVv] [-f conf] [-i iso] [-K dir] [-l level] [-m mem]\n"
"           [-N node] [-r runner] [-S cpus] [-s statedir] [-T secs]\n"
"           [-t secs]\n"
"  -f FILE    the configuration (default: %s if it exists);\n"
"             options win over it\n"
"  -i ISO     the embedded node's image (default: %s)\n"
"  -r RUNNER  the QEMU runner (default: %s)\n", d.conf, d.iso, d.runner);
	fprintf(f, "%s",
"  -n         check the configuration, say what is wrong, and exit\n"
"  -d         stay in the foreground and log to standard error\n"
"  -h         print this and exit; -V: print xmd's version and exit\n"
"  -v         log debug messages too (-l error|warning|info|debug)\n"
"  -s DIR     the state directory (default: $XM_STATE_DIR; /var/lib/xm for\n"
"             root, its sockets in /run/xm; $XDG_RUNTIME_DIR/xm; /tmp/xm-UID)\n"
"  -N PATH    manage the node whose control channel is PATH (a unix socket\n"
"             or a serial device) instead of starting the embedded one\n"
"  -m MEM     the embedded node's memory: MiB, or with K, M, G or T (256M)\n"
"  -S N       its CPUs (1); -k: use KVM instead of TCG\n"
"  -K DIR     where relative kernel paths in definitions start (default:\n"
"             the directory xmd was started in)\n"
"  -t SECS    how long domain 0 may take to answer HELLO (60)\n"
"  -T SECS    how long the node may take to answer a request (10; the\n"
"             builder's requests get three times as long)\n"
"SIGTERM, SIGINT: stop xmd and the embedded node; SIGHUP: reopen the log\n"
"and read the configuration again; SIGUSR1: stop\n"
"xmd and leave the node running for the next xmd (as keep_node = yes)\n"
"Exit status: 0 done, 1 failed (the message says why), 2 a usage error\n");
	exit(status);
}

/* "xmd: MESSAGE" and exit 2, for a malformed option. */
static void __attribute__((format(printf, 1, 2), noreturn))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xmd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(XM_EXIT_USAGE);
}

/* optarg as the number that xmd.conf's key takes, in the key's range. */
static long
option_number(int ch, const char *key)
{
	char why[128];
	long n;

	if (conf_number(key, optarg, &n, why, sizeof(why)) != 0)
		usage_error("-%c %s: %s", ch, optarg, why);
	return n;
}

/* A state directory named (-s, state_dir) has the sockets too. */
static void
set_state_dir(struct options *o, const char *dir)
{
	if (strlen(dir) >= sizeof(o->state_dir))
		fatalx("%s: the path is too long", dir);
	strcpy(o->state_dir, dir);
	strcpy(o->socket_dir, dir);
}

/* The node's memory in bytes, as QEMU reads it ("256M"). */
static void
set_mem(struct options *o, long bytes)
{
	xm_size_format((uint64_t)bytes, o->mem, sizeof(o->mem));
	o->node.mem = o->mem;
}

static void
parse_option(int ch, struct options *o)
{
	switch (ch) {
	case 'd':
		o->foreground = 1;
		break;
	case 'f':
		o->conf_path = optarg;
		break;
	case 'h':
		usage(stdout, XM_EXIT_OK);
		break;
	case 'V':
		printf("xmd (xm) %s\n", PACKAGE_VERSION);
		exit(XM_EXIT_OK);
	case 'i':
		o->node.iso = optarg;
		break;
	case 'K':
		o->kernel_dir = optarg;
		break;
	case 'k':
		o->node.kvm = 1;
		break;
	case 'l':
		if (log_level_parse(optarg, &o->level) != 0)
			usage_error("-l %s: not a level (error, warning, info "
			    "or debug)", optarg);
		break;
	case 'm':
		set_mem(o, option_number(ch, "node_memory"));
		break;
	case 'N':
		o->node.path = optarg;
		break;
	case 'n':
		o->check_only = 1;
		break;
	case 'r':
		o->node.runner = optarg;
		break;
	case 'S':
		o->node.smp = (int)option_number(ch, "node_cpus");
		break;
	case 's':
		set_state_dir(o, optarg);
		break;
	case 'T':
		o->timeout = (unsigned int)option_number(ch,
		    "request_timeout");
		break;
	case 't':
		o->hello_timeout = (unsigned int)option_number(ch,
		    "hello_timeout");
		break;
	case 'v':
		o->level = LOG_LVL_DEBUG;
		break;
	default:
		usage(stderr, XM_EXIT_USAGE);
	}
}

/* -n: say whether the configuration is good, and exit. */
static void
check_conf(const struct options *o, int rc, const char *err)
{
	if (rc != 0) {
		fprintf(stderr, "xmd: %s\n", err);
		exit(XM_EXIT_FAIL);
	}
	printf("xmd: %s: configuration OK\n", o->conf_path != NULL ?
	    o->conf_path : "(no file: the defaults)");
	exit(XM_EXIT_OK);
}

/* The file's settings, before the options that win over them. */
static void
apply_conf(struct options *o)
{
	const struct xmd_conf *c = &o->conf;

	if (c->c_state_dir != NULL)
		set_state_dir(o, c->c_state_dir);
	o->socket = c->c_socket;
	o->socket_ro = c->c_socket_ro;
	o->group = c->c_socket_group;
	o->node.path = c->c_node;
	o->kernel_dir = c->c_kernel_dir;
	if (c->c_node_image != NULL)
		o->node.iso = c->c_node_image;
	if (c->c_node_runner != NULL)
		o->node.runner = c->c_node_runner;
	if (c->c_node_memory > 0)
		set_mem(o, c->c_node_memory);
	if (c->c_node_cpus > 0)
		o->node.smp = (int)c->c_node_cpus;
	o->node.kvm = c->c_node_kvm == 1;
	o->keep_node = c->c_keep_node == 1;
	o->syslog = c->c_syslog != 0;
	if (c->c_hello_timeout > 0)
		o->hello_timeout = (unsigned int)c->c_hello_timeout;
	if (c->c_request_timeout > 0)
		o->timeout = (unsigned int)c->c_request_timeout;
	if (c->c_max_request > 0)
		o->limits.max_request = (size_t)c->c_max_request;
	if (c->c_max_clients_per_uid > 0)
		o->limits.max_clients_per_uid =
		    (unsigned int)c->c_max_clients_per_uid;
	if (c->c_client_timeout > 0)
		o->limits.stall_ms = (unsigned int)c->c_client_timeout * 1000;
	if (c->c_stats_interval_ms > 0)
		o->stats_interval_ms = (unsigned int)c->c_stats_interval_ms;
	if (c->c_stats_samples > 0)
		o->stats_samples = (unsigned int)c->c_stats_samples;
	if (c->c_console_log_size > 0)
		o->console.max_bytes = (uint64_t)c->c_console_log_size;
	if (c->c_console_log_files >= 0)
		o->console.files = (unsigned int)c->c_console_log_files;
}

static void
load_conf(struct options *o)
{
	char err[PATH_MAX + 512];
	const char *path = o->conf_path;
	int rc = 0;

	conf_init(&o->conf);
	if (path == NULL && access(o->defaults.conf, F_OK) == 0)
		path = o->conf_path = o->defaults.conf;
	if (path != NULL)
		rc = conf_load(&o->conf, path, err, sizeof(err));
	if (o->check_only)
		check_conf(o, rc, err);
	if (rc != 0)
		fatalx("%s", err);
	apply_conf(o);
}

static void
set_defaults(struct options *o)
{
	struct rpc_limits lim = RPC_LIMITS_DEFAULT;

	memset(o, 0, sizeof(*o));
	o->level = LOG_LVL_INFO;
	o->hello_timeout = 60;
	o->timeout = CTL_TIMEOUT_MS / 1000;
	o->stats_interval_ms = 1000;
	o->stats_samples = 60;
	o->console.max_bytes = CONSOLE_LOG_SIZE;
	o->console.files = CONSOLE_LOG_FILES;
	install_paths(&o->defaults);
	o->node.runner = o->defaults.runner;
	o->node.iso = o->defaults.iso;
	o->node.mem = "256M";
	o->node.smp = 1;
	o->limits = lim;
	if (xm_default_state_dir(o->state_dir, sizeof(o->state_dir)) != 0 ||
	    xm_default_socket_dir(o->socket_dir, sizeof(o->socket_dir)) != 0)
		fatalx("the default state directory's path is too long");
}

/*
 * Twice through the options: first all of them, for -f, -n and the
 * usage errors, before the file is read; then again, over the file.
 */
void
options_parse(int argc, char **argv, struct options *o)
{
	int ch;

	set_defaults(o);
	while ((ch = getopt(argc, argv, OPTSTRING)) != -1)
		parse_option(ch, o);
	if (optind != argc)
		usage_error("%s: xmd takes no operands (xmd -h)",
		    argv[optind]);
	load_conf(o);
	optind = 1;
	while ((ch = getopt(argc, argv, OPTSTRING)) != -1)
		parse_option(ch, o);
}
