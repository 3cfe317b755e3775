/* Leveled logging to standard error or a file, one line per message. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static FILE		*log_file;
static enum log_level	 log_lvl = LOG_LVL_INFO;
static int		 log_to_syslog;

static const int syslog_prio[] = {
	[LOG_LVL_ERR] = LOG_ERR,
	[LOG_LVL_WARN] = LOG_WARNING,
	[LOG_LVL_INFO] = LOG_INFO,
	[LOG_LVL_DEBUG] = LOG_DEBUG,
};

static const char *const level_names[] = {
	[LOG_LVL_ERR] = "error",
	[LOG_LVL_WARN] = "warning",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

int
log_init(const char *path, enum log_level level)
{
	FILE *f = stderr;

	if (path != NULL && (f = fopen(path, "a")) == NULL)
		return -1;
	if (log_file != NULL && log_file != stderr)
		fclose(log_file);
	setvbuf(f, NULL, _IOLBF, 0);
	log_file = f;
	log_lvl = level;
	return 0;
}

void
log_set_level(enum log_level level)
{
	log_lvl = level;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcasecmp(name, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

void
log_close(void)
{
	if (log_file != NULL && log_file != stderr)
		fclose(log_file);
	log_file = NULL;
	if (log_to_syslog)
		closelog();
	log_to_syslog = 0;
}

void
log_syslog(void)
{
	openlog("xmd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_to_syslog = 1;
}

static void
vlog(enum log_level level, const char *err, const char *fmt, va_list ap)
{
	FILE *f = log_file != NULL ? log_file : stderr;
	char stamp[40] = "", msg[2048];
	struct timespec ts;
	struct tm tm;
	size_t n;

	if (level > log_lvl)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (f != stderr) {
		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		n = strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
		/* -v: milliseconds, to see where a migration's time goes. */
		snprintf(stamp + n, sizeof(stamp) - n, log_lvl >= LOG_LVL_DEBUG ?
		    ".%03ld " : " ", ts.tv_nsec / 1000000);
	}
	fprintf(f, "%sxmd: %s: %s%s%s\n", stamp, level_names[level], msg,
	    err != NULL ? ": " : "", err != NULL ? err : "");
	if (log_to_syslog)
		syslog(syslog_prio[level], "%s%s%s", msg, err != NULL ? ": " : "",
		    err != NULL ? err : "");
}

#define LOG_FN(fn, level, with_errno)					\
void									\
fn(const char *fmt, ...)						\
{									\
	const char *err = (with_errno) ? strerror(errno) : NULL;	\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	vlog(level, err, fmt, ap);					\
	va_end(ap);							\
}

LOG_FN(log_warn, LOG_LVL_WARN, 1)
LOG_FN(log_warnx, LOG_LVL_WARN, 0)
LOG_FN(log_info, LOG_LVL_INFO, 0)
LOG_FN(log_debug, LOG_LVL_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, err, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
