/*
 * xmd.conf: "key = value" lines; '#' starts a comment; blank lines are
 * ignored; a key given twice is an error (but token, which adds one).
 * What xmd's options say wins over the file.
 *
 *	state_dir = /var/lib/xm
 *	socket = /run/xm/xmd.sock	read-write (admin)
 *	socket_ro = /run/xm/xmd-ro.sock	read-only; "none": no socket
 *	socket_group = xm		the rw socket 0660 to this group
 *	node = /dev/ttyS1		a node by path (else embedded)
 *	node_image = ..., node_runner = ..., node_memory = 256M (a size:
 *	MiB, or with K, M, G or T), node_cpus = 1, node_kvm = no
 *	keep_node = no			yes: leave the node running on exit
 *	syslog = yes			as a daemon, log to syslog too
 *	kernel_dir = /srv/kernels
 *	hello_timeout = 60, request_timeout = 10	(seconds)
 *	max_request = 2097152		bytes of one JSON-RPC request
 *	max_clients_per_uid = 32
 *	client_timeout = 30		seconds a client may stall
 *	stats_interval_ms = 1000	how often xmd samples statistics
 *	stats_samples = 60		samples kept per domain
 *	console_log_size = 1M		a console log's size before it turns
 *	console_log_files = 3		older console logs kept (NAME.log.1 ...)
 *	metrics_listen = 127.0.0.1:9177	Prometheus /metrics; off when absent
 *	metrics_plain = no		yes: /metrics over plain HTTP, not TLS
 *	tcp_listen = 0.0.0.0:16509	TLS; off when absent
 *	tls_cert = ..., tls_key = ..., tls_ca = ...	(client certificates)
 *	cert_role = read-only		a verified certificate's role (or admin)
 *	token = admin SECRET		or: token = read-only SECRET
 */
#ifndef XMD_CONF_H
#define XMD_CONF_H

#include <stddef.h>

#define CONF_TOKENS_MAX	16
#define CONF_DEFAULT	"/etc/xm/xmd.conf"

struct conf_token {
	int		 t_admin;
	char		*t_secret;
};

struct xmd_conf {
	const char	*c_path;
	char		*c_state_dir, *c_socket, *c_socket_ro, *c_socket_group;
	char		*c_node, *c_node_image, *c_node_runner;
	char		*c_kernel_dir, *c_tcp_listen, *c_metrics_listen;
	char		*c_tls_cert, *c_tls_key, *c_tls_ca, *c_cert_role;
	long		 c_node_memory;	/* bytes */
	long		 c_node_cpus, c_node_kvm, c_keep_node, c_syslog;
	long		 c_hello_timeout, c_request_timeout, c_max_request;
	long		 c_max_clients_per_uid, c_client_timeout;
	long		 c_stats_interval_ms, c_stats_samples;
	long		 c_metrics_plain;
	long		 c_console_log_size, c_console_log_files;
	struct conf_token c_tokens[CONF_TOKENS_MAX];
	size_t		 c_ntokens;
	int		 c_tcp_line;	/* where tcp_listen was given */
	int		 c_metrics_line;	/* where metrics_listen was */
};

/* Everything unset (strings NULL, numbers -1). */
void	conf_init(struct xmd_conf *);
/* fn(key) for each key whose value differs between a and b. */
void	conf_each_changed(const struct xmd_conf *, const struct xmd_conf *,
	    void (*fn)(const char *key, void *), void *);
/*
 * Read path into c: 0, or -1 with "PATH:LINE: why" (or "PATH: why") in
 * err.  Then the checks between keys (files that must exist, TLS for
 * TCP, the group).
 */
int	conf_load(struct xmd_conf *c, const char *path, char *err,
	    size_t errlen);
void	conf_free(struct xmd_conf *);
/*
 * value as the number (or size, in bytes) that key takes, in the key's
 * range: 0, or -1 with what is wrong in why ("too small (1..64)").  The
 * options that set what a key sets parse with it, so that each range
 * is written once, in conf.c's table.
 */
int	conf_number(const char *key, const char *value, long *n, char *why,
	    size_t len);

#endif
