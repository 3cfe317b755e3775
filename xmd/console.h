/*
 * A domain's console output: appended to STATE/console/NAME.log, the
 * last CONSOLE_KEEP bytes kept in memory for domain.console, and passed
 * on to whoever follows it.  A log that would grow past max_bytes turns
 * over first, as xenconsoled's log-rotate: NAME.log becomes NAME.log.1,
 * .1 becomes .2 and so on, keeping files of them (0: none).
 */
#ifndef XMD_CONSOLE_H
#define XMD_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_KEEP	(64 * 1024)
#define CONSOLE_LOG_SIZE	(1024 * 1024)	/* console_log_size */
#define CONSOLE_LOG_FILES	3		/* console_log_files */

struct console_limits {
	uint64_t	max_bytes;
	unsigned int	files;
};

struct console;

struct console_sink {
	void	(*output)(void *arg, const char *dom, const char *, size_t);
	void	(*closed)(void *arg, const char *dom, const char *why);
};

/* NULL with errno set if the log cannot be opened; the limits are read
 * at each write (they must outlive the console). */
struct console	*console_open(const char *dir, const char *dom,
		    const struct console_limits *);
/* Tells each follower why, then frees the console. */
void		 console_close(struct console *, const char *why);

void		 console_write(struct console *, const char *, size_t);
/* The kept output, oldest first: up to CONSOLE_KEEP bytes at out. */
size_t		 console_kept(const struct console *, char *out);

int		 console_follow(struct console *,
		    const struct console_sink *, void *arg);
void		 console_unfollow(struct console *, void *arg);
const char	*console_path(const struct console *);

#endif
