/* xmctl: the command table and what the commands share. */
#ifndef XMCTL_XMCTL_H
#define XMCTL_XMCTL_H

#include <stdio.h>

#include <xmctl.h>

/* What a command gets: its arguments after the verb and the options. */
struct cmd_ctx {
	int		 argc;
	char		**argv;		/* argv[0] is the verb */
	const char	*uri;
	int		 json;		/* --json */
	int		 no_follow;	/* console --no-follow */
};

struct cmd {
	const char	*name;
	int		(*fn)(struct cmd_ctx *);
	const char	*args;		/* usage after the verb */
	const char	*help;
	int		 nargs;		/* operands it takes */
	int		 json;		/* --json is allowed */
};

/* main.c */
void	 usage_cmd(const struct cmd *);
/* Connected handle, or NULL after the error was printed. */
struct xmctl *connect_xmd(const struct cmd_ctx *);
/* "xmctl: MESSAGE" and 1, for a failed call. */
int	 fail(struct xmctl *);
int	 failx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* output.c */
void	 print_domain_json(const struct xmctl_domain *);
void	 print_domains_json(const struct xmctl_domain *, size_t);
void	 print_domains_table(const struct xmctl_domain *, size_t);
void	 print_domain_info(const struct xmctl_domain *);
void	 print_node_json(const struct xmctl_node_info *);
void	 print_node_info(const struct xmctl_node_info *);

/* The commands. */
int	 cmd_create(struct cmd_ctx *);
int	 cmd_list(struct cmd_ctx *);
int	 cmd_dominfo(struct cmd_ctx *);
int	 cmd_pause(struct cmd_ctx *);
int	 cmd_resume(struct cmd_ctx *);
int	 cmd_destroy(struct cmd_ctx *);
int	 cmd_console(struct cmd_ctx *);
int	 cmd_nodeinfo(struct cmd_ctx *);

#endif
