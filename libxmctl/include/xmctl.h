/*
 * libxmctl: the C client library of xmd, xm's management daemon.
 *
 * A connection is an opaque handle.  Every call sends one JSON-RPC 2.0
 * request to xmd (see xm-jsonrpc(7): newline-delimited JSON on a unix
 * socket, over TLS or through ssh), waits for its answer, copies the result out and returns 0 or
 * an error code (enum xmctl_code); the handle keeps the code and a
 * message naming the object ("domain 'web1': no such domain") for
 * xmctl_errmsg() until the next call.
 *
 * Threads: a handle is not safe to share between threads.  Use one
 * handle per thread (or guard a shared one with a lock of your own, held
 * across a call and the reading of its error); different handles are
 * independent of each other.
 *
 * The library is versioned by libtool (libxmctl.so.N) and exports only
 * the xmctl_* names below; pkg-config --cflags --libs libxmctl builds
 * against it.  libxmctl(3) describes every call.
 */
#ifndef XMCTL_H
#define XMCTL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Error codes.  The negative ones are JSON-RPC 2.0's; the small
 * positive ones come from xmd; those from 100 on are the library's own.
 * xmd uses the same numbers in its JSON-RPC errors.
 */
enum xmctl_code {
	XMCTL_OK = 0,

	XMCTL_E_PARSE = -32700,		/* the request is not JSON */
	XMCTL_E_INVALID_REQUEST = -32600, /* not a JSON-RPC request */
	XMCTL_E_NO_METHOD = -32601,	/* no such method */
	XMCTL_E_INVALID_PARAMS = -32602, /* parameters missing or wrong */
	XMCTL_E_INTERNAL = -32603,	/* xmd failed in itself */

	XMCTL_E_NO_DOMAIN = 1,		/* no such name, id or UUID */
	XMCTL_E_DEFINITION = 2,		/* the definition is invalid */
	XMCTL_E_EXISTS = 3,		/* name or UUID already in use */
	XMCTL_E_STATE = 4,		/* not in a state that allows it */
	XMCTL_E_NODE = 5,		/* the node refused or is not there */
	XMCTL_E_BUILD = 6,		/* the kernel cannot be built */
	XMCTL_E_NO_MEMORY = 7,		/* not enough memory free */
	XMCTL_E_TIMEOUT = 8,		/* the node did not answer */
	XMCTL_E_PERM = 9,		/* the connection may not do that */
	XMCTL_E_NO_KEY = 10,		/* no such xenstore path */
	XMCTL_E_SAVEFILE = 11,		/* a save file cut short, corrupt ... */
	XMCTL_E_TARGET = 12,		/* a migration's target broke off */
	XMCTL_E_ABORTED = 13,		/* domain.abortJob stopped it */

	XMCTL_E_CONNECT = 100,		/* cannot connect to xmd */
	XMCTL_E_IO = 101,		/* the connection broke */
	XMCTL_E_PROTOCOL = 102,		/* xmd's answer makes no sense */
	XMCTL_E_ARG = 103,		/* a bad argument to the call */
	XMCTL_E_SYSTEM = 104,		/* out of memory, or the like */
	XMCTL_E_AGAIN = 105,		/* console: no output yet */
	XMCTL_E_CLOSED = 106,		/* console: the domain went */
};

struct xmctl;

#define XMCTL_NAME_MAX	64	/* with the NUL */
#define XMCTL_UUID_LEN	37	/* 36 characters and the NUL */
#define XMCTL_STATE_LEN	16
#define XMCTL_PATH_LEN	4096	/* with the NUL */
#define XMCTL_CMDLINE_LEN 1024	/* start_info's, with the NUL */

/*
 * A domain as domain.info and domain.list describe it: the keys of
 * xm-jsonrpc(7)'s domain object, one member each.
 */
struct xmctl_domain {
	int		id;		/* -1 when it does not run */
	char		name[XMCTL_NAME_MAX];
	char		uuid[XMCTL_UUID_LEN];
	char		state[XMCTL_STATE_LEN];	/* "running", "paused" ... */
	unsigned int	vcpus;
	unsigned int	online_vcpus;
	uint64_t	cpu_time_ns;
	uint64_t	memory_kib;	/* as defined */
	uint64_t	current_kib;	/* what the domain has now */
	char		kernel[XMCTL_PATH_LEN];	/* "" when xmd sent none */
	char		cmdline[XMCTL_CMDLINE_LEN]; /* "" when none */
	int		persistent;	/* 1: xmd keeps its definition */
	int		autostart;	/* 1: xmd starts it when it starts */
};

/* domain.state */
struct xmctl_domain_state {
	char		domain[XMCTL_NAME_MAX];	/* its name */
	char		state[XMCTL_STATE_LEN];	/* "running", "shut off" ... */
	char		reason[64];	/* "poweroff" ...; "" when none */
};

/* xmctl_domain_list_flags() */
#define XMCTL_LIST_ALL	0x1	/* defined domains that are off, too */

/* node.info */
struct xmctl_node_info {
	char		hv_version[32];		/* "4.14.0-xm" */
	char		dom0_version[32];
	unsigned int	protocol;	/* the control channel's */
	unsigned int	nr_cpus;
	uint64_t	total_kib;
	uint64_t	free_kib;
	unsigned int	nr_domains;		/* as hv counts them */
	char		node[256];		/* how xmd reaches it */
};

/* node.ping: round trips of the control channel, in nanoseconds. */
#define XMCTL_PING_MAX_COUNT	1000	/* echoes in one node.ping */
struct xmctl_ping {
	unsigned int	count;		/* echoes, each answered */
	unsigned int	size;		/* bytes in each */
	uint64_t	min_ns;
	uint64_t	avg_ns;
	uint64_t	max_ns;
};

/*
 * The scheduler (domain.schedinfo, domain.setSchedParams, domain.vcpuinfo,
 * domain.vcpupin): a domain's share of the CPUs under hv's credit
 * scheduler and its vCPUs' pinning.  flags say which domain a call reads
 * or changes, as virsh's --live and --config: XMCTL_AFFECT_LIVE the
 * running domain, XMCTL_AFFECT_CONFIG its stored definition (used at
 * its next start), both, or 0: the running domain when it runs, else
 * the definition.
 */
#define XMCTL_AFFECT_LIVE	0x1
#define XMCTL_AFFECT_CONFIG	0x2
#define XMCTL_SCHED_LEN		16
#define XMCTL_CPULIST_LEN	96	/* "0,2,4,...,62" and the NUL */

struct xmctl_sched {
	char		scheduler[XMCTL_SCHED_LEN];	/* "credit", "rr" */
	unsigned int	weight;		/* 1..65535, relative to others */
	unsigned int	cap;		/* percent of one CPU; 0: none */
};

/* A domain's memory (domain.setMaxMemory, domain.setMemory). */
struct xmctl_memory {
	uint64_t	memory_kib;	/* the maximum: <memory>, hv's limit */
	uint64_t	current_kib;	/* the reservation (<currentMemory>) */
};

/* What a migration did (domain.migrate). */
struct xmctl_migrated {
	char		domain[XMCTL_NAME_MAX];	/* the domain's name */
	char		uri[XMCTL_PATH_LEN];	/* where it went */
	uint64_t	bytes;		/* of its state, sent */
	uint64_t	total_ms;	/* from the call to the commit */
};

/*
 * A live migration's progress (the migration.progress notification,
 * xm-jsonrpc(7)): at most five a second, and at every change of phase
 * or round.
 */
#define XMCTL_PHASE_LEN	16

struct xmctl_migration_progress {
	char		domain[XMCTL_NAME_MAX];	/* the domain's name */
	char		uri[XMCTL_PATH_LEN];	/* where it goes */
	char		phase[XMCTL_PHASE_LEN];	/* "precopy", "stop-and-copy",
						   "suspended" */
	unsigned int	round;		/* the pre-copy round, from 0 */
	uint64_t	sent;		/* pages sent, all rounds */
	uint64_t	remaining;	/* pages this round has still to send */
	uint64_t	dirty;		/* pages the last round found dirty */
	uint64_t	dirty_rate;	/* pages dirtied a second */
	uint64_t	mbps;		/* MB/s of pages, this round */
	uint64_t	bytes;		/* of the stream, so far */
};

typedef void	xmctl_progress_fn(void *arg,
		    const struct xmctl_migration_progress *);

/*
 * How to migrate (xmctl_domain_migrate_opts); all zeros is a stop and
 * copy with xmd's defaults, as xmctl_domain_migrate().  The struct
 * grows at its end only: the call is told its size (see
 * xmctl_domain_migrate_opts_sized), and reads no field that a caller
 * built against an older libxmctl did not have.
 */
struct xmctl_migrate_opts {
	unsigned int	timeout_s;	/* for the suspend; 0: xmd's (60) */
	int		live;		/* 1: pre-copy rounds while it runs */
	unsigned int	max_rounds;	/* live: 1..1000; 0: xmd's (30) */
	unsigned int	max_downtime_ms; /* live: 1..600000; 0: xmd's (300) */
	xmctl_progress_fn *progress;	/* NULL: none */
	void		*progress_arg;
	/* From libxmctl 10:0:8 (libxmctl.so.2.8) on. */
	unsigned int	bandwidth;	/* MiB/s of the stream; 0: no limit */
	int		persistent;	/* 1: defined on the target */
	int		undefine_source; /* 1: undefined here, once there */
};
/* The size of the struct before bandwidth (libxmctl 9:0:7). */
#define XMCTL_MIGRATE_OPTS_SIZE_V9	\
	offsetof(struct xmctl_migrate_opts, bandwidth)

/* What a save wrote (domain.save). */
struct xmctl_saved {
	char		domain[XMCTL_NAME_MAX];	/* the domain's name */
	char		path[XMCTL_PATH_LEN];	/* the file, on xmd's host */
	uint64_t	pages;		/* the domain's pages in it */
	uint64_t	bytes;		/* the file's size */
};

/* One vCPU of a running domain (domain.vcpuinfo). */
struct xmctl_vcpu {
	unsigned int	vcpu;
	int		cpu;		/* where it runs or last ran; -1 */
	char		state[XMCTL_STATE_LEN];	/* "running", "runnable",
						   "blocked", "offline" */
	uint64_t	time_ns;	/* time it has run */
	char		affinity[XMCTL_CPULIST_LEN];	/* "0-3,5" */
};

/* One vCPU's hard affinity (domain.vcpupin). */
struct xmctl_vcpu_pin {
	unsigned int	vcpu;
	char		affinity[XMCTL_CPULIST_LEN];	/* "0-3,5" */
};

/*
 * domain.stats and node.stats: xmd's latest sample of the node, with
 * rates over the samples before it. The keys on the wire are libvirt's
 * domstats names where one exists (xm-jsonrpc(7)); state.state is
 * libvirt's virDomainState number, vcpu.N.state its virVcpuState.
 */
#define XMCTL_STATS_MAX_VCPUS	8
#define XMCTL_STATS_MAX_CPUS	8
#define XMCTL_STATS_HYPERCALLS	56	/* hypercall numbers 0..55 */

struct xmctl_vcpu_stats {
	unsigned int	state;		/* 0 offline, 1 running, 2 blocked */
	uint64_t	time_ns;	/* running */
	uint64_t	wait_ns;	/* runnable, waiting for a CPU */
	uint64_t	blocked_ns;
	uint64_t	offline_ns;
	double		cpu_percent;	/* of one CPU, over the last interval */
};

struct xmctl_domain_stats {
	char		name[XMCTL_NAME_MAX];
	int		id;
	unsigned int	state;		/* state.state */
	uint64_t	cpu_time_ns;	/* cpu.time */
	unsigned int	vcpu_current;	/* vCPUs up */
	unsigned int	vcpu_maximum;
	uint64_t	balloon_current;	/* KiB */
	uint64_t	balloon_maximum;	/* KiB */
	double		cpu_percent;	/* of one CPU; may pass 100 */
	uint64_t	hypercalls;
	double		hypercall_rate;	/* per second */
	uint64_t	events_sent;
	uint64_t	events_received;
	double		event_rate;	/* received per second */
	uint64_t	mmu_updates;
	uint64_t	va_updates;
	uint64_t	mmuext_ops;
	uint64_t	traps_bounced;
	uint64_t	sample_ns;	/* hv's time of the sample */
	struct xmctl_vcpu_stats vcpu[XMCTL_STATS_MAX_VCPUS];
	/* By hypercall number: xm.hypercalls.NAME, Xen's names. */
	uint64_t	hypercall_ops[XMCTL_STATS_HYPERCALLS];
};

struct xmctl_cpu_stats {
	uint64_t	busy_ns;
	uint64_t	idle_ns;
	double		busy_percent;	/* over the last interval */
};

struct xmctl_node_stats {
	unsigned int	nr_cpus;
	unsigned int	nr_domains;
	uint64_t	uptime_ns;	/* hv's time of the sample */
	unsigned int	interval_ms;	/* xmd's sampling */
	unsigned int	samples;	/* kept per domain, at most */
	double		busy_percent;	/* all CPUs, over the last interval */
	struct xmctl_cpu_stats cpu[XMCTL_STATS_MAX_CPUS];
};

/* A handle, not yet connected; NULL when out of memory. */
struct xmctl	*xmctl_new(void);
/* Closes the connection, if any, and frees the handle. */
void		 xmctl_free(struct xmctl *);

/*
 * Connect to xmd.  uri is "unix:///path/to/xmd.sock",
 * "xm+tls://HOST[:PORT]/[?ca=F&cert=F&key=F&token_file=F]" (TLS to
 * xmd's TCP listener: the server's certificate verified against the CA
 * and HOST, then a client certificate or a token) or
 * "xm+ssh://[USER@]HOST[:PORT]/[PATH][?keyfile=F&xmctl=CMD]" (ssh to
 * HOST running "xmctl stdio-proxy [PATH]"); libxmctl(3) says where the
 * files are when the URI names none.  NULL means $XMCTL_URI, else
 * unix://DIR/xmd.sock with xmd's default socket directory
 * ($XM_STATE_DIR; /run/xm for root; $XDG_RUNTIME_DIR/xm;
 * /tmp/xm-UID).  Errors name the URI and the cause: XMCTL_E_ARG (the
 * URI or a file), XMCTL_E_CONNECT (unreachable, or a certificate not
 * trusted or not HOST's), XMCTL_E_PERM (a token xmd refused).
 */
int		 xmctl_connect(struct xmctl *, const char *uri);
/*
 * Connect to xmd's read-only socket: xmd-ro.sock in the directory of the
 * socket that uri names (on HOST for xm+ssh; XMCTL_E_ARG for xm+tls,
 * where a read-only token makes a read-only connection).  Only the
 * read-only methods may be called (xm-jsonrpc(7)); the others fail with
 * XMCTL_E_PERM.
 */
int		 xmctl_connect_readonly(struct xmctl *, const char *uri);

/* The last call's code and message ("" after success). */
int		 xmctl_errcode(const struct xmctl *);
const char	*xmctl_errmsg(const struct xmctl *);
/*
 * The last call's result as xmd sent it, as JSON text on one line, for
 * callers that pass it on (xmctl --json); NULL after a failed call.
 * Good until the next call on the handle.
 */
const char	*xmctl_result_json(const struct xmctl *);

/* domain.create: build and start a domain from a definition's text. */
int		 xmctl_domain_create(struct xmctl *, const char *definition,
		    struct xmctl_domain *out);
/*
 * domain.define: store a definition (XML or JSON text) in xmd, which
 * keeps it across restarts; the domain is not started.  The domain's
 * name and UUID are copied to name and uuid unless they are NULL.
 */
int		 xmctl_domain_define(struct xmctl *, const char *definition,
		    char name[XMCTL_NAME_MAX], char uuid[XMCTL_UUID_LEN]);
/* domain.undefine: forget a definition (a running domain keeps running). */
int		 xmctl_domain_undefine(struct xmctl *, const char *dom);
/* domain.start: build and start a defined domain. */
int		 xmctl_domain_start(struct xmctl *, const char *dom);
/* domain.shutdown: ask the domain to power off. */
int		 xmctl_domain_shutdown(struct xmctl *, const char *dom);
/* domain.reboot: ask the domain to reboot. */
int		 xmctl_domain_reboot(struct xmctl *, const char *dom);
/*
 * domain.shutdown or domain.reboot with a timeout: a domain that
 * listens on xenstore (Linux) is asked there and the call returns once
 * it has shut down, or fails with XMCTL_E_TIMEOUT after timeout_s
 * seconds (0: once asked).  Others are shut down by hv at once.
 */
int		 xmctl_domain_shutdown_wait(struct xmctl *, const char *dom,
		    int reboot, unsigned int timeout_s);
/* domain.autostart: whether xmd starts the domain when xmd starts. */
int		 xmctl_domain_autostart(struct xmctl *, const char *dom,
		    int enable);

/*
 * domain.list: the running domains; *doms (free with
 * xmctl_free_domains) holds *n domains.
 */
int		 xmctl_domain_list(struct xmctl *,
		    struct xmctl_domain **doms, size_t *n);
/* domain.list with flags: XMCTL_LIST_ALL adds the defined, off ones. */
int		 xmctl_domain_list_flags(struct xmctl *, unsigned int flags,
		    struct xmctl_domain **doms, size_t *n);
void		 xmctl_free_domains(struct xmctl_domain *);
/* dom names a domain by name, id or UUID. */
int		 xmctl_domain_info(struct xmctl *, const char *dom,
		    struct xmctl_domain *out);
int		 xmctl_domain_pause(struct xmctl *, const char *dom);
int		 xmctl_domain_resume(struct xmctl *, const char *dom);
int		 xmctl_domain_destroy(struct xmctl *, const char *dom);
/* domain.state: the state and why the domain is in it. */
int		 xmctl_domain_state(struct xmctl *, const char *dom,
		    struct xmctl_domain_state *out);
/*
 * domain.definition: the domain's definition as format ("xml" or
 * "json") in *text (free() it).
 */
int		 xmctl_domain_definition(struct xmctl *, const char *dom,
		    const char *format, char **text);
/*
 * The same with flags: XMCTL_DEFINITION_INACTIVE, the stored definition
 * of a persistent domain even while it runs (virsh's --inactive; else
 * the running one, with its id).
 */
#define XMCTL_DEFINITION_INACTIVE	0x1
int		 xmctl_domain_definition_flags(struct xmctl *,
		    const char *dom, const char *format, unsigned int flags,
		    char **text);

/*
 * domain.console: the output xmd kept (up to 64 KiB), in *data (free()
 * it; NUL-terminated, *len bytes without the NUL).  With follow, the
 * connection then carries the domain's further output: read it with
 * xmctl_console_next(); the handle is good for nothing else after.
 */
/*
 * domain.console.input: len bytes (UTF-8 text, at most 1024) typed into
 * the domain's console, on a handle of its own (not one that follows).
 * 0; XMCTL_E_AGAIN when the console's input is full (send it again).
 */
int		 xmctl_domain_console_input(struct xmctl *, const char *dom,
		    const char *data, size_t len);

int		 xmctl_domain_console(struct xmctl *, const char *dom,
		    int follow, char **data, size_t *len);
/*
 * The next output of a followed console, waiting up to timeout_ms (-1:
 * for ever).  XMCTL_E_AGAIN: nothing came; XMCTL_E_CLOSED: the domain is
 * gone (xmctl_errmsg() says why).  Call it with timeout 0 until it says
 * XMCTL_E_AGAIN before poll()ing xmctl_fd(): output may be buffered.
 */
int		 xmctl_console_next(struct xmctl *, char **data, size_t *len,
		    int timeout_ms);
int		 xmctl_fd(const struct xmctl *);

/*
 * Lifecycle events (events.subscribe), as xmd sends them: the event's
 * name without "domain." ("started", "paused", "resumed", "shutdown",
 * "crashed", "destroyed", "defined", "undefined", "suspended"), the
 * domain, and the reason where the event has one (shutdown: "poweroff",
 * "reboot" ...).
 */
#define XMCTL_EVENT_LEN	32

struct xmctl_event {
	char		event[XMCTL_EVENT_LEN];
	char		domain[XMCTL_NAME_MAX];
	int		id;		/* -1 when the domain has none */
	char		uuid[XMCTL_UUID_LEN];
	char		reason[64];	/* "" when there is none */
	char		timestamp[40];	/* as xmd sent it */
	char		action[16];	/* shutdown: "destroy" ...; or "" */
};

typedef void	xmctl_event_fn(void *arg, const struct xmctl_event *);

/*
 * events.subscribe: from now on xmd sends this connection lifecycle
 * events, and the handle hands each to cb(arg, event) (inside cb,
 * xmctl_result_json() is the event's parameters), but only inside
 * xmctl_events_dispatch() or xmctl_events_run(); events that come while
 * another call waits for its answer are kept until then.  cb may call
 * xmctl_events_stop(), not other calls on the same handle.
 */
int		 xmctl_events_subscribe(struct xmctl *, xmctl_event_fn *cb,
		    void *arg);
/*
 * Hand out the events kept and those that come within timeout_ms (-1:
 * wait for one).  0 when at least one was handed out, XMCTL_E_AGAIN when
 * none came; for event loops of one's own, poll xmctl_fd() for reading
 * and call this with timeout 0 until it says XMCTL_E_AGAIN.
 */
int		 xmctl_events_dispatch(struct xmctl *, int timeout_ms);
/*
 * Hand out events until xmctl_events_stop() (then 0) or the connection
 * fails (its error code, XMCTL_E_IO when xmd went away).
 */
int		 xmctl_events_run(struct xmctl *);
void		 xmctl_events_stop(struct xmctl *);

/* node.info */
int		 xmctl_node_info(struct xmctl *,
		    struct xmctl_node_info *out);
/* xmd.version: the connected xmd's version ("0.1.0") into buf. */
int		 xmctl_daemon_version(struct xmctl *, char *buf, size_t len);
/* This library's version, as its package's ("0.1.0"). */
const char	*xmctl_library_version(void);
/*
 * domain.stats: the figures of the named domains (names NULL or n 0:
 * every running domain) into *out, an array the caller frees with
 * free(); *count is how many.  node.stats: the node's.
 */
int		 xmctl_domain_stats(struct xmctl *, const char *const *names,
		    size_t n, struct xmctl_domain_stats **out, size_t *count);
int		 xmctl_node_stats(struct xmctl *, struct xmctl_node_stats *out);
/*
 * node.ping: xmd sends domain 0 count ECHO requests of size bytes, one
 * after another (count 1 to 1000, size at most 65536).
 */
int		 xmctl_node_ping(struct xmctl *, unsigned int count,
		    unsigned int size, struct xmctl_ping *out);

/* domain.schedinfo: the domain's scheduler parameters. */
int		 xmctl_domain_schedinfo(struct xmctl *, const char *dom,
		    unsigned int flags, struct xmctl_sched *out);
/*
 * domain.setSchedParams: set the weight and/or the cap (NULL: as it is);
 * out (unless NULL) gets the parameters now in force.  A value out of
 * range (weight 1..65535, cap 0..100 per vCPU) is XMCTL_E_INVALID_PARAMS
 * and changes nothing.
 */
int		 xmctl_domain_set_sched_params(struct xmctl *,
		    const char *dom, const int64_t *weight, const int64_t *cap,
		    unsigned int flags, struct xmctl_sched *out);
/* domain.vcpuinfo: *vcpus (free() it) holds *n vCPUs. */
int		 xmctl_domain_vcpuinfo(struct xmctl *, const char *dom,
		    struct xmctl_vcpu **vcpus, size_t *n);
/*
 * domain.vcpupin: pin vCPU vcpu to the CPUs of cpulist ("0-3,^2,5", as
 * virsh's); vcpu -1 and cpulist NULL change nothing.  Either way *pins
 * (free() it) holds the affinity of each of the *n vCPUs after.  An
 * unknown vCPU or a bad list is XMCTL_E_INVALID_PARAMS and changes
 * nothing.
 */
int		 xmctl_domain_vcpupin(struct xmctl *, const char *dom,
		    int vcpu, const char *cpulist, unsigned int flags,
		    struct xmctl_vcpu_pin **pins, size_t *n);

/*
 * domain.setMaxMemory: the most memory (KiB, whole pages) the domain
 * may have: hv refuses the running domain's requests for more
 * (XMCTL_AFFECT_LIVE) and the definition's <memory> is it
 * (XMCTL_AFFECT_CONFIG, which also lowers a larger <currentMemory>).
 * A running domain's limit cannot go below what it has; that, and a
 * size out of range (4 KiB to 1 TiB), is XMCTL_E_INVALID_PARAMS and
 * changes nothing.  out (unless NULL) gets the maximum and the
 * reservation after.
 */
int		 xmctl_domain_set_max_memory(struct xmctl *, const char *dom,
		    uint64_t kib, unsigned int flags, struct xmctl_memory *out);
/*
 * domain.setMemory: the domain's reservation (KiB), at most its
 * maximum: the definition's <currentMemory>, populated when it starts
 * (XMCTL_AFFECT_CONFIG).  A running domain's (XMCTL_AFFECT_LIVE) needs
 * its balloon driver and is not supported yet: XMCTL_E_STATE.
 */
int		 xmctl_domain_set_memory(struct xmctl *, const char *dom,
		    uint64_t kib, unsigned int flags, struct xmctl_memory *out);

/*
 * domain.save: the running domain is asked to suspend (through
 * xenstore's control/shutdown, as Xen's toolstack does; one already
 * suspended is taken as it is), written to path (absolute, on xmd's
 * host; xm-save(5)) and destroyed.  timeout_s is the guest's time to
 * suspend (0: xmd's default).  Nothing is left at path on failure and
 * the domain runs on: XMCTL_E_TIMEOUT when it did not suspend,
 * XMCTL_E_SAVEFILE when the file cannot be written.  out (unless NULL)
 * says what was written.
 */
int		 xmctl_domain_save(struct xmctl *, const char *dom,
		    const char *path, unsigned int timeout_s,
		    struct xmctl_saved *out);
/*
 * node.restore: a new domain from a file domain.save wrote, with the
 * saved domain's name, UUID and definition; it runs on from where it
 * was saved.  A file cut short, changed or of another version is
 * XMCTL_E_SAVEFILE and makes no domain; a name in use is
 * XMCTL_E_EXISTS.  out (unless NULL) gets the new domain.
 */
int		 xmctl_node_restore(struct xmctl *, const char *path,
		    struct xmctl_domain *out);
/*
 * domain.migrate: the running domain to the xmd at uri
 * (xm+unix:///PATH, the target's admin socket, or
 * xm+tls://HOST[:PORT]/, its TCP listener), stop and copy: it is
 * asked to suspend as for a save (timeout_s, 0: xmd's default), its
 * state goes to the target, which restores it paused, and once the
 * target has it running the copy here is destroyed.  On any failure
 * before that the domain runs on here: the target's refusal comes with
 * its code (XMCTL_E_EXISTS: the name is taken there), a target that
 * cannot be reached or breaks off is XMCTL_E_TARGET.  out (unless
 * NULL) says what was sent and how long it took.  The same as
 * xmctl_domain_migrate_opts() with only timeout_s set.
 */
int		 xmctl_domain_migrate(struct xmctl *, const char *dom,
		    const char *uri, unsigned int timeout_s,
		    struct xmctl_migrated *out);
/*
 * domain.migrate with options: opts NULL is as all zeros (see struct
 * xmctl_migrate_opts).  With live, the domain runs while its memory
 * goes to the target in rounds, each sending what the last one found
 * dirtied (hv's log-dirty), until what is left can go within
 * max_downtime_ms or max_rounds have gone; then it is asked to suspend
 * and the rest follows.  max_rounds or max_downtime_ms without live is
 * XMCTL_E_INVALID_PARAMS.  With a progress callback the handle first
 * subscribes to xmd's events (events.subscribe: for the rest of the
 * connection's life; lifecycle events are still handed out only after
 * xmctl_events_subscribe()) and resolves dom to the domain's name
 * (domain.state), then calls progress(progress_arg, p) for each of the
 * domain's migration.progress notifications that come while the call
 * waits for its answer, in the order xmd sent them.  progress may not
 * make calls on the handle.  Errors and out as xmctl_domain_migrate().
 */
int		 xmctl_domain_migrate_opts(struct xmctl *, const char *dom,
		    const char *uri, const struct xmctl_migrate_opts *opts,
		    struct xmctl_migrated *out);
/*
 * The same, opts being opts_size bytes (sizeof(struct
 * xmctl_migrate_opts) as the caller was built): fields beyond them are
 * taken as zero.  A program built against this header calls it for
 * xmctl_domain_migrate_opts() (the macro below); one built against
 * libxmctl 9:0:7 calls the function of that name, which reads only the
 * fields it had.  bandwidth limits the stream to the target, pre-copy
 * rounds and stop-and-copy alike, to that many MiB a second; persistent
 * defines the domain on the target (as domain.define) when it starts
 * running there; undefine_source removes its persistent definition
 * here once the copy here is destroyed.  A failed migration changes no
 * definition on either side.
 */
int		 xmctl_domain_migrate_opts_sized(struct xmctl *,
		    const char *dom, const char *uri,
		    const struct xmctl_migrate_opts *opts, size_t opts_size,
		    struct xmctl_migrated *out);
#define xmctl_domain_migrate_opts(x, dom, uri, opts, out)		\
	xmctl_domain_migrate_opts_sized((x), (dom), (uri), (opts),	\
	    sizeof(struct xmctl_migrate_opts), (out))
/*
 * domain.abortJob: stop the domain's migration before the target
 * commits it; the domain runs on here, and the migration's call fails
 * with XMCTL_E_ABORTED.  None under way, or one being committed, is
 * XMCTL_E_STATE.
 */
int		 xmctl_domain_abort_job(struct xmctl *, const char *dom);

/*
 * Check a definition's text (XML or JSON) offline, as xmd will check
 * it (xmd also checks the kernel and the memory when it builds the
 * domain): 0, with the domain's name in name (if not NULL), or
 * XMCTL_E_DEFINITION with the reason ("line 7: unknown element <video>
 * in <devices>").  Needs no connection.
 */
int		 xmctl_definition_check(struct xmctl *, const char *text,
		    char *name, size_t namelen);
/*
 * Convert a definition's text (XML or JSON) offline to its canonical
 * form in format ("xml" or "json"; xm-domain(5) describes both) in *out
 * (free() it): 0, or XMCTL_E_DEFINITION with the reason.  A UUID is
 * generated when the definition has none.  Needs no connection.
 */
int		 xmctl_definition_convert(struct xmctl *, const char *text,
		    const char *format, char **out);
/*
 * What a valid definition keeps without effect on xm (elements that
 * virsh dumpxml prints, like <graphics>), one line each in *out (free()
 * it; "" when nothing): 0, or XMCTL_E_DEFINITION with the reason when
 * the definition is not valid.  Needs no connection.
 */
int		 xmctl_definition_warnings(struct xmctl *, const char *text,
		    char **out);

/*
 * xenstore, with domain 0's rights (admin connections only): the
 * store.* methods of xm-jsonrpc(7).  A path that is not there is
 * XMCTL_E_NO_KEY.
 */
int		 xmctl_store_read(struct xmctl *, const char *path,
		    char **value);		/* free() it */
int		 xmctl_store_write(struct xmctl *, const char *path,
		    const char *value);
int		 xmctl_store_rm(struct xmctl *, const char *path);

struct xmctl_store_entry {
	char		*path;
	char		*value;		/* NULL: the node has none */
	char		 perms[128];	/* "n0,r3": owner first */
};

/* path and everything below it, depth first; *truncated when xmd cut
 * the list short.  Free with xmctl_store_entries_free(). */
int		 xmctl_store_ls(struct xmctl *, const char *path,
		    struct xmctl_store_entry **out, size_t *n,
		    int *truncated);
void		 xmctl_store_entries_free(struct xmctl_store_entry *,
		    size_t n);

typedef void	xmctl_watch_fn(void *arg, const char *watch,
		    const char *path);
/*
 * Watch path (and what lies below): cb(arg, path watched, path changed)
 * once at once and then on every change, inside xmctl_events_dispatch()
 * or _run(), until the connection closes.
 */
int		 xmctl_store_watch(struct xmctl *, const char *path,
		    xmctl_watch_fn *cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* XMCTL_H */
