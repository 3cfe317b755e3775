/*
 * What xmd runs with: its options over xmd.conf over the defaults.
 * Numbers are parsed by common/parse_num.c in the ranges of conf.c's
 * table, the same for an option and the key that sets the same thing
 * (-S and node_cpus, -T and request_timeout, -t and hello_timeout, -m
 * and node_memory).
 */
#ifndef XMD_OPTIONS_H
#define XMD_OPTIONS_H

#include <limits.h>

#include "console.h"
#include "install_paths.h"
#include "conf.h"
#include "log.h"
#include "node.h"
#include "rpc.h"

struct options {
	int			 foreground;
	int			 check_only;	/* -n */
	int			 keep_node;	/* leave the node running */
	int			 syslog;	/* as a daemon, to syslog too */
	const char		*conf_path;	/* -f */
	struct xmd_conf		 conf;
	struct install_paths	 defaults;	/* -i, -r, -f's */
	const char		*socket, *socket_ro, *group;
	struct rpc_limits	 limits;
	enum log_level		 level;
	char			 state_dir[PATH_MAX];
	char			 socket_dir[PATH_MAX];	/* the sockets' default */
	const char		*kernel_dir;
	unsigned int		 hello_timeout;	/* seconds */
	unsigned int		 timeout;	/* a request's, seconds */
	unsigned int		 stats_interval_ms;
	unsigned int		 stats_samples;
	struct console_limits	 console;	/* console_log_size, _files */
	struct node_config	 node;
	char			 mem[24];	/* node.mem when set */
	char			 iso[PATH_MAX];	/* absolute paths */
	char			 runner[PATH_MAX];
	char			 node_path[PATH_MAX];
	const char		*tls_cert, *tls_key, *tls_ca;	/* absolute */
	char			 tls_buf[3][PATH_MAX];
};

/*
 * argv and the configuration file into o.  Exits 0 after -h (the usage
 * on standard output) and after -n; 1 when the file is bad; 2 after a
 * usage error (an unknown option, an operand, a malformed number).
 */
void	options_parse(int argc, char **argv, struct options *o);

#endif
