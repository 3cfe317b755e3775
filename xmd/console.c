/* Domain consoles: a log file, a ring of recent output, followers. */
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "console.h"
#include "log.h"

struct follower {
	TAILQ_ENTRY(follower)	 f_entry;
	const struct console_sink *f_sink;
	void			*f_arg;
};

struct console {
	char			 c_dom[64];
	char			 c_path[PATH_MAX];
	int			 c_fd;
	uint64_t		 c_size;	/* of the log file */
	const struct console_limits *c_lim;	/* xmd's: a reload changes them */
	char			 c_ring[CONSOLE_KEEP];
	size_t			 c_head;	/* next byte goes here */
	size_t			 c_len;
	TAILQ_HEAD(, follower)	 c_followers;
};

struct console *
console_open(const char *dir, const char *dom,
    const struct console_limits *lim)
{
	struct console *c;
	char cdir[PATH_MAX];
	struct stat st;
	int n;

	snprintf(cdir, sizeof(cdir), "%s/console", dir);
	if (mkdir(cdir, 0750) != 0 && errno != EEXIST)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	snprintf(c->c_dom, sizeof(c->c_dom), "%s", dom);
	n = snprintf(c->c_path, sizeof(c->c_path), "%s/%s.log", cdir, dom);
	if (n < 0 || (size_t)n >= sizeof(c->c_path)) {
		free(c);
		errno = ENAMETOOLONG;
		return NULL;
	}
	TAILQ_INIT(&c->c_followers);
	c->c_lim = lim;
	c->c_fd = open(c->c_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0640);
	if (c->c_fd < 0) {
		free(c);
		return NULL;
	}
	if (fstat(c->c_fd, &st) == 0)
		c->c_size = (uint64_t)st.st_size;
	return c;
}

/* NAME.log.K for k > 0, NAME.log for 0: 0, or -1 when too long. */
static int
old_path(const struct console *c, unsigned int k, char *buf, size_t len)
{
	int n = k == 0 ? snprintf(buf, len, "%s", c->c_path) :
	    snprintf(buf, len, "%s.%u", c->c_path, k);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* NAME.log turns over: .K-1 to .K ..., the oldest dropped, a new one. */
static void
rotate(struct console *c)
{
	char from[PATH_MAX + 8], to[PATH_MAX + 8];
	unsigned int k;
	int fd;

	if (old_path(c, c->c_lim->files, to, sizeof(to)) == 0)
		(void)unlink(to);
	for (k = c->c_lim->files; k > 0; k--)
		if (old_path(c, k - 1, from, sizeof(from)) == 0 &&
		    old_path(c, k, to, sizeof(to)) == 0 &&
		    rename(from, to) != 0 && errno != ENOENT)
			log_warn("console %s: %s to %s", c->c_dom, from, to);
	fd = open(c->c_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0640);
	if (fd < 0) {
		log_warn("console %s: %s", c->c_dom, c->c_path);
		return;			/* the old one goes on growing */
	}
	close(c->c_fd);
	c->c_fd = fd;
	c->c_size = 0;
}

void
console_close(struct console *c, const char *why)
{
	struct follower *f;

	if (c == NULL)
		return;
	while ((f = TAILQ_FIRST(&c->c_followers)) != NULL) {
		TAILQ_REMOVE(&c->c_followers, f, f_entry);
		f->f_sink->closed(f->f_arg, c->c_dom, why);
		free(f);
	}
	close(c->c_fd);
	free(c);
}

static void
ring_put(struct console *c, const char *data, size_t len)
{
	size_t n;

	if (len > CONSOLE_KEEP) {
		data += len - CONSOLE_KEEP;
		len = CONSOLE_KEEP;
	}
	while (len > 0) {
		n = CONSOLE_KEEP - c->c_head;
		n = n < len ? n : len;
		memcpy(c->c_ring + c->c_head, data, n);
		c->c_head = (c->c_head + n) % CONSOLE_KEEP;
		c->c_len = c->c_len + n > CONSOLE_KEEP ? CONSOLE_KEEP :
		    c->c_len + n;
		data += n, len -= n;
	}
}

void
console_write(struct console *c, const char *data, size_t len)
{
	struct follower *f, *next;

	if (c->c_size > 0 && c->c_size + len > c->c_lim->max_bytes)
		rotate(c);
	if (write(c->c_fd, data, len) != (ssize_t)len)
		log_warn("console %s: %s", c->c_dom, c->c_path);
	c->c_size += len;
	ring_put(c, data, len);
	TAILQ_FOREACH_SAFE(f, &c->c_followers, f_entry, next)
		f->f_sink->output(f->f_arg, c->c_dom, data, len);
}

size_t
console_kept(const struct console *c, char *out)
{
	size_t start = (c->c_head + CONSOLE_KEEP - c->c_len) % CONSOLE_KEEP;
	size_t first = CONSOLE_KEEP - start;

	if (first >= c->c_len)
		memcpy(out, c->c_ring + start, c->c_len);
	else {
		memcpy(out, c->c_ring + start, first);
		memcpy(out + first, c->c_ring, c->c_len - first);
	}
	return c->c_len;
}

int
console_follow(struct console *c, const struct console_sink *sink,
    void *arg)
{
	struct follower *f;

	TAILQ_FOREACH(f, &c->c_followers, f_entry)
		if (f->f_arg == arg)
			return 0;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->f_sink = sink;
	f->f_arg = arg;
	TAILQ_INSERT_TAIL(&c->c_followers, f, f_entry);
	return 0;
}

void
console_unfollow(struct console *c, void *arg)
{
	struct follower *f, *next;

	TAILQ_FOREACH_SAFE(f, &c->c_followers, f_entry, next)
		if (f->f_arg == arg) {
			TAILQ_REMOVE(&c->c_followers, f, f_entry);
			free(f);
		}
}

const char *
console_path(const struct console *c)
{
	return c->c_path;
}
