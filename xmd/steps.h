/*
 * Work done over the control channel as a table of steps, each one
 * request whose reply starts the next: the domain builder, save and
 * restore.  A step's send() sends its request (steps_send) or says
 * there is nothing to send; its reply() takes the answer and says
 * whether the step is done or must be sent again (more to do: the
 * cursor says where it is, and is 0 at each step's start).  The first
 * failure is kept (code and message); then, or when the last step is
 * done, end() is called once.
 *
 * A step whose send() sets a window of n > 1 (steps_window) has up to n
 * requests under way at once
 * (the node answers them in order): send() is called again while they
 * are, and the step is done once send() says there is nothing more to
 * send (1) and every answer is in; its reply() returns 1 for each but
 * the last, which may return 0.  Bulk reads go faster so: the channel
 * is kept busy while xmd handles the answer before.
 *
 * A step whose work comes from outside (a stream still arriving) may
 * say, from send(), that it has nothing to send yet (STEP_WAIT): the
 * steps then wait, the step staying current with its cursor, until
 * steps_resume() runs them again (when more has come).  steps_stop()
 * ends them from outside: at once when they wait, else once the
 * request under way is answered.
 */
#ifndef XMD_STEPS_H
#define XMD_STEPS_H

#include <sys/uio.h>

#include <stddef.h>
#include <stdint.h>

struct ctl;
struct event_base;

#define STEP_WAIT	2

struct step {
	const char	*name;
	/*
	 * 0: sent; 1: nothing to send, go on; STEP_WAIT: nothing to send
	 * yet, wait for steps_resume(); -1: failed (steps_fail).
	 */
	int		(*send)(void *ctx);
	/* 0: done, go on; 1: send this step again; -1: failed. */
	int		(*reply)(void *ctx, const uint8_t *, size_t);
};

struct steps {
	const struct step	*s_table;
	size_t			 s_n;
	size_t			 s_step;
	uint64_t		 s_cursor;
	struct ctl		*s_ctl;
	void			*s_ctx;
	const char		*s_what;	/* "domain 'NAME'", for messages */
	void			(*s_end)(void *ctx);
	int			 s_code;	/* 0, or the XMCTL_E_* failure */
	char			 s_msg[512];
	int			 s_waiting;	/* a send() said STEP_WAIT */
	int			 s_stop;	/* steps_stop(): end at once */
	unsigned int		 s_window;	/* the step's; 0 or 1: one */
	unsigned int		 s_inflight;	/* requests under way */
	int			 s_drain;	/* all sent: wait for the answers */
	uint64_t		 s_t0_us;	/* the current step's start */
	uint64_t		 s_sends;	/* its requests */
};

void	steps_init(struct steps *, const struct step *, size_t n,
	    struct ctl *, void *ctx, const char *what, void (*end)(void *));
/* Run from the current step on (the first, at first). */
void	steps_run(struct steps *);
/* Run again if waiting (STEP_WAIT): 1; 0 if not (a reply will). */
int	steps_resume(struct steps *);
/* Keep this failure (if the first) and end: now if waiting, else once
 * the request under way is answered. */
void	steps_stop(struct steps *, int code, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Start later, from the event loop: 0, or -1 (not connected). */
int	steps_start(struct steps *, struct event_base *);
/* Send a step's request; its reply goes to the step's reply(). */
int	steps_send(struct steps *, uint16_t op, const struct iovec *,
	    int iovcnt);
/* From a step's send(): up to n of its requests under way at once. */
void	steps_window(struct steps *, unsigned int n);
/* Keep the first failure; returns -1 for the step to return. */
int	steps_fail(struct steps *, int code, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* The XMCTL_E_* code for a failed request's status. */
int	steps_code_of(int status);

#endif
