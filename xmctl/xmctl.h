/* xmctl: the command table and what the commands share. */
#ifndef XMCTL_XMCTL_H
#define XMCTL_XMCTL_H

#include <stdint.h>
#include <stdio.h>

#include <xmctl.h>

/* The options a verb takes (struct cmd's opts), one bit each. */
#define O_JSON		0x01	/* --json: JSON on standard output */
#define O_NOFOLLOW	0x02	/* console --no-follow */
#define O_ALL		0x04	/* list --all */
#define O_NAME		0x08	/* list --name */
#define O_UUID		0x10	/* list --uuid */
#define O_DISABLE	0x20	/* autostart --disable */
#define O_LOOP		0x40	/* event --loop */
#define O_TO		0x80	/* convert --to json|xml */
#define O_COUNT		0x100	/* ping --count N */
#define O_WEIGHT	0x200	/* schedinfo --weight N */
#define O_CAP		0x400	/* schedinfo --cap N */
#define O_LIVE		0x800	/* --live: the running domain; migrate's */
#define O_CONFIG	0x1000	/* --config: its stored definition */
#define O_BATCH		0x2000	/* top -b */
#define O_DELAY		0x4000	/* top -d SECONDS */
#define O_ITER		0x8000	/* top -n N */
#define O_SORT		0x10000	/* top -s KEY */
#define O_TIMEOUT	0x20000	/* shutdown, reboot, save, migrate --timeout */
#define O_FORCE		0x40000	/* shutdown, reboot --force */
#define O_MAX_ROUNDS	0x80000	/* migrate --max-rounds N */
#define O_MAX_DOWNTIME	0x100000 /* migrate --max-downtime MS */
#define O_VERBOSE	0x200000 /* migrate --verbose: its progress */
#define O_BANDWIDTH	0x400000 /* migrate --bandwidth MIB */
#define O_PERSISTENT	0x800000 /* migrate --persistent */
#define O_UNDEFSOURCE	0x1000000 /* migrate --undefinesource */

/* What a command gets: its arguments after the verb and the options. */
struct cmd_ctx {
	int		 argc;
	char		**argv;		/* argv[0] is the verb */
	const char	*to;		/* --to's argument, or NULL */
	const char	*count;		/* --count's argument, or NULL */
	const char	*weight;	/* --weight's argument, or NULL */
	const char	*cap;		/* --cap's argument, or NULL */
	const char	*delay;		/* top -d, -n, -s: or NULL */
	const char	*iter;
	const char	*sort;
	const char	*timeout;	/* --timeout's argument, or NULL */
	const char	*max_rounds;	/* migrate's, or NULL */
	const char	*max_downtime;
	const char	*bandwidth;	/* migrate --bandwidth's, or NULL */
	const char	*uri;		/* -c */
	int		 readonly;	/* -r */
	int		 json;		/* --json */
	int		 no_follow;	/* console --no-follow */
	int		 opts;		/* O_* given */
};

struct cmd {
	const char	*name;
	int		(*fn)(struct cmd_ctx *);
	const char	*args;		/* usage after the verb */
	const char	*help;
	int		 nargs;		/* operands it takes, or: */
#define NARGS_0_OR_1	(-1)		/* none or one */
#define NARGS_1_OR_3	(-2)		/* one or three */
#define NARGS_ANY	(-3)		/* none or more */
	int		 opts;		/* O_* it takes (1: O_JSON) */
};

/*
 * xmctl.c.  The exit statuses are common/exit_status.h's: a command
 * returns XM_EXIT_OK, XM_EXIT_FAIL (fail, failx) or XM_EXIT_USAGE
 * (usage_cmd, usagex, a malformed operand).
 */
/* The verb's usage on standard error; XM_EXIT_USAGE. */
int	 usage_cmd(const struct cmd *);
/* Connected handle (-r: read-only), or NULL after the error was printed. */
struct xmctl *connect_xmd(const struct cmd_ctx *);
/* Connect x as ctx says; the library's code. */
int	 connect_handle(struct xmctl *, const struct cmd_ctx *);
/* "xmctl: MESSAGE" and XM_EXIT_FAIL, for a failed call. */
int	 fail(struct xmctl *);
int	 failx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "xmctl: MESSAGE" and XM_EXIT_USAGE, for a command given wrong. */
int	 usagex(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * An operand that is a number (or a size, common/parse_num.h) in
 * min..max: 0 with *v set, or XM_EXIT_USAGE after
 * "xmctl: memory '4q': unknown unit (K, M, G or T)".
 */
int	 operand_number(const char *what, const char *s, uint64_t min,
	    uint64_t max, uint64_t *v);
int	 operand_size(const char *what, const char *s, uint64_t scale,
	    uint64_t min, uint64_t max, uint64_t *bytes);

/* output.c */
/* --json: the last call's result, as xmd sent it. */
void	 print_result_json(const struct xmctl *);
void	 print_domains_table(const struct xmctl_domain *, size_t);
void	 print_domain_info(const struct xmctl_domain *);
void	 print_event(const struct xmctl_event *);
void	 print_node_info(const struct xmctl_node_info *);
void	 print_ping(const struct xmctl_ping *, int json);
void	 print_sched(const struct xmctl_sched *);
void	 print_vcpus(const struct xmctl_vcpu *, size_t);
void	 print_vcpu_pins(const struct xmctl_vcpu_pin *, size_t);

/* The commands. */
int	 cmd_define(struct cmd_ctx *);
int	 cmd_undefine(struct cmd_ctx *);
int	 cmd_create(struct cmd_ctx *);
int	 cmd_start(struct cmd_ctx *);
int	 cmd_shutdown(struct cmd_ctx *);
int	 cmd_reboot(struct cmd_ctx *);
int	 cmd_list(struct cmd_ctx *);
int	 cmd_dominfo(struct cmd_ctx *);
int	 cmd_domstate(struct cmd_ctx *);
int	 cmd_pause(struct cmd_ctx *);
int	 cmd_resume(struct cmd_ctx *);
int	 cmd_destroy(struct cmd_ctx *);
int	 cmd_autostart(struct cmd_ctx *);
int	 cmd_console(struct cmd_ctx *);
int	 cmd_event(struct cmd_ctx *);
int	 cmd_nodeinfo(struct cmd_ctx *);
int	 print_versions(const struct cmd_ctx *);
int	 cmd_ping(struct cmd_ctx *);
/* cmd_sched.c */
int	 cmd_schedinfo(struct cmd_ctx *);
int	 cmd_vcpuinfo(struct cmd_ctx *);
int	 cmd_vcpupin(struct cmd_ctx *);
/* cmd_mem.c */
int	 cmd_setmaxmem(struct cmd_ctx *);
int	 cmd_setmem(struct cmd_ctx *);
/* cmd_save.c */
int	 cmd_save(struct cmd_ctx *);
int	 cmd_restore(struct cmd_ctx *);
int	 cmd_migrate(struct cmd_ctx *);
int	 cmd_migrate_abort(struct cmd_ctx *);
/* cmd_stats.c */
int	 cmd_domstats(struct cmd_ctx *);
/* cmd_top.c */
int	 cmd_top(struct cmd_ctx *);
/* cmd_store.c */
int	 cmd_store(struct cmd_ctx *);
/* cmd_def.c */
int	 cmd_validate(struct cmd_ctx *);
int	 cmd_convert(struct cmd_ctx *);
int	 cmd_dumpxml(struct cmd_ctx *);
int	 cmd_dumpjson(struct cmd_ctx *);
/* stdio_proxy.c: xm+ssh://'s remote end, argv[0] "stdio-proxy" */
int	 stdio_proxy(int argc, char **argv);
/* "xmctl: warning: <graphics> is kept ..." on stderr, for each. */
void	 print_def_warnings(struct xmctl *, const char *text);
/* cmd_edit.c */
int	 cmd_edit(struct cmd_ctx *);

#endif
