/*
 * The source's side of a migration, shared by its files: migrate_out.c
 * (domain.migrate's steps), migrate_check.c (a commit whose answer was
 * lost, and one a killed xmd left) and migrate_uri.c (the target's URI).
 */
#ifndef XMD_MIGRATE_OUT_INT_H
#define XMD_MIGRATE_OUT_INT_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <limits.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>
#include <xmctl.h>

#include "migrate_opts.h"

struct bufferevent;
struct ev_token_bucket_cfg;
struct event;
struct rpc_call;
struct xmd;

#define ANSWER_MAX	(64 * 1024)	/* a line of the target's */
#define STEP_TIMEOUT_S	300		/* the target's answer to a step */
#define CHECK_WINDOW_S	30		/* asking after a lost commit */

enum mo_step {
	MO_PREPARE,	/* migration.prepare sent */
	MO_SAVING,	/* the save under way */
	MO_RECEIVE,	/* migration.receive sent */
	MO_FINISH,	/* the file and migration.finish sent */
	MO_COMMIT,	/* migration.commit sent: the target decides */
	MO_CHECK,	/* its answer lost: migration.status asked */
	MO_DESTROY,	/* ours goes */
};

struct mig_out {
	TAILQ_ENTRY(mig_out)	 mo_entry;
	struct xmd		*mo_x;
	struct rpc_call		*mo_call;
	enum mo_step		 mo_step;
	int			 mo_id;
	char			 mo_name[XMCTL_NAME_MAX];
	char			 mo_uuid[XMCTL_UUID_LEN];
	char			 mo_uri[PATH_MAX];
	char			 mo_sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char			 mo_host[256];	/* TLS: "" for a socket */
	char			 mo_port[8];
	char			 mo_path[PATH_MAX + 32];	/* the save file */
	unsigned int		 mo_timeout_s;
	uint64_t		 mo_bytes;
	int			 mo_kept;	/* the save left it suspended */
	int			 mo_req_id;
	const char		*mo_lost;	/* while saving: why */
	char			 mo_lost_buf[1024];
	int			 mo_lost_code;
	int			 mo_aborted;	/* domain.abortJob */
	struct migrate_opts	 mo_opt;	/* domain.migrate's options */
	struct ev_token_bucket_cfg *mo_rate;	/* mo_bev's, with a bandwidth */
	int			 mo_fd;		/* live: the stream, read */
	uint64_t		 mo_sent;	/* live: bytes gone */
	uint64_t		 mo_written;	/* live: bytes in the file */
	uint64_t		 mo_chunk;	/* live: a receive's, asked */
	int			 mo_flushing;	/* live: a receive of 0 bytes */
	uint64_t		 mo_flushed;	/* live: mo_sent the target wrote */
	int			 mo_saved;	/* live: the file is whole */
	uint64_t		 mo_suspended;	/* live: when it stopped, ms */
	char			 mo_phase[16];	/* of the last progress */
	unsigned int		 mo_round;
	uint64_t		 mo_event_ms;
	struct timespec		 mo_start;
	struct bufferevent	*mo_bev;
	struct event		*mo_check_ev;	/* asking the target again */
	int			 mo_recorded;	/* migrate_record() wrote one */
	uint64_t		 mo_check_until;	/* ms */
};

TAILQ_HEAD(mig_out_list, mig_out);
extern struct mig_out_list migrate_outgoing;

void	mo_free(struct mig_out *);
/* The caller's error: logged only for a migration a new xmd settles. */
void	mo_error(struct mig_out *, int code, const char *msg);
/* Before the commit: it runs on here; at it: the target is asked. */
void	mo_fail(struct mig_out *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	mo_request(struct mig_out *, enum mo_step, const char *method,
	    struct json_object *params);
/* 0, or -1 with why in err. */
int	mo_connect(struct mig_out *, char *err, size_t errlen);
void	mo_destroy_ours(struct mig_out *);
/* The URI into mo (answering call, if any, when it is not one): 0/-1. */
int	mo_parse_uri(struct mig_out *, struct rpc_call *call,
	    const char *uri);

/* migrate_check.c: ask the target again, or give up after the window. */
void	mo_check_again(struct mig_out *);
void	mo_check_answer(struct mig_out *, struct json_object *result);

#endif
