/*
 * The node xmd manages.  Embedded (the default): xmd starts tools/xm-qemu
 * on the ISO with the control port on STATE/ctl.sock and hv's serial log
 * in STATE/node.log, in a process group of its own, watches it, and kills
 * the whole group when xmd exits (atexit too), so that no QEMU is left.
 * A QEMU left behind by an xmd that was killed outright is found by its
 * pid file (STATE/qemu.pid) and stopped when the next xmd starts.
 * Otherwise the node is a path: a unix socket or a serial device.
 *
 * node_keep() lets an embedded node outlive xmd (xmd's SIGUSR1, or
 * keep_node in xmd.conf): it writes STATE/qemu.kept, and the next xmd
 * on the state directory takes that QEMU over instead of stopping it.
 */
#ifndef XMD_NODE_H
#define XMD_NODE_H

struct event_base;
struct node;

struct node_config {
	const char	*state_dir;
	const char	*path;		/* NULL: the embedded node */
	const char	*runner;	/* tools/xm-qemu */
	const char	*iso;
	const char	*mem;		/* as QEMU spells it */
	int		 smp;
	int		 kvm;
};

struct node_hooks {
	/* The control channel is open: fd belongs to the callee. */
	void	(*connected)(void *arg, int fd);
	/* The node cannot be reached, or QEMU stopped. */
	void	(*failed)(void *arg, const char *why);
};

struct node	*node_new(struct event_base *, const struct node_config *,
		    const struct node_hooks *, void *arg);
/* Start QEMU if embedded, then connect (retrying for a while). */
int		 node_start(struct node *);
/* Connect again (a path node whose channel closed). */
void		 node_reconnect(struct node *);
/* Stop the embedded QEMU and wait for it; idempotent. */
void		 node_stop(struct node *);
void		 node_free(struct node *);
/* Leave the embedded QEMU running for the next xmd. */
void		 node_keep(struct node *);
/* Whether node_start() took over a QEMU that an earlier xmd kept. */
int		 node_adopted(const struct node *);
int		 node_embedded(const struct node *);
const char	*node_describe(const struct node *);

#endif
