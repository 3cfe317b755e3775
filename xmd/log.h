/*
 * xmd's log, after OpenBSD's log.c: levels, standard error in the
 * foreground, a file (STATE/xmd.log) as a daemon, and syslog too (the
 * daemon facility) when asked.  log_warn() and fatal() append
 * strerror(errno); the x variants do not.
 */
#ifndef XMD_LOG_H
#define XMD_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* path NULL: standard error.  0, or -1 if path cannot be opened. */
int	log_init(const char *path, enum log_level level);
void	log_set_level(enum log_level);
int	log_level_parse(const char *name, enum log_level *);
void	log_close(void);
/* Each message to syslog(3) too, as "xmd[PID]", facility daemon. */
void	log_syslog(void);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
