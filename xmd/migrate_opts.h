/*
 * domain.migrate's options (migrate_opts.c, no I/O: the unit tests link
 * it), and what --persistent and --undefinesource do to definitions
 * (migrate_persist.c): the target defines the domain it receives just
 * before it runs it (migration.commit), undoing that if it cannot run
 * it; the source undefines its own once its copy has gone.  A failed
 * migration changes no definition on either side.
 */
#ifndef XMD_MIGRATE_OPTS_H
#define XMD_MIGRATE_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain_def.h"
#include "uuid.h"

struct dom;
struct json_object;
struct xmd;

#define MIGRATE_BANDWIDTH_MAX	(UINT64_C(1) << 20)	/* MiB/s: 1 TiB/s */

struct migrate_opts {
	int		mop_live;	/* pre-copy rounds */
	unsigned int	mop_max_rounds;	/* live: 0, xmd's */
	unsigned int	mop_max_downtime_ms;
	uint64_t	mop_bandwidth;	/* MiB/s of the stream; 0: no limit */
	int		mop_persistent;	/* defined on the target */
	int		mop_undefine_source;	/* undefined here, once gone */
};

/*
 * live, max_rounds, max_downtime_ms, bandwidth, persistent and
 * undefine_source from domain.migrate's params: 0, or -1 with why (the
 * parameter named) in err.
 */
int	migrate_opts_read(struct json_object *params, struct migrate_opts *,
	    char *err, size_t errlen);

/*
 * The target, at migration.prepare with persistent: whether the
 * definitions let domain name of UUID uuid be defined here (none of
 * that name with another UUID, none of that UUID with another name):
 * 0, or -1 with why in err.
 */
int	migrate_persist_check(struct xmd *, const char *name,
	    const uint8_t *uuid, char *err, size_t errlen);

/* What migrate_persist_define() replaced, for migrate_persist_undo(). */
struct migrate_undo {
	int	 mu_done;	/* something was defined */
	char	 mu_name[XM_DEF_NAME_MAX + 1];
	uint8_t	 mu_uuid[XM_UUID_LEN];
	char	*mu_old;	/* the definition it replaced, or NULL */
	size_t	 mu_old_len;
};

/* The target, before it runs d: d's definition stored: 0, or -1 (err). */
int	migrate_persist_define(struct xmd *, const struct dom *,
	    struct migrate_undo *, char *err, size_t errlen);
/* It could not run after all: the definitions as they were. */
void	migrate_persist_undo(struct xmd *, struct migrate_undo *);
/* Free what undo kept, the definition staying. */
void	migrate_persist_keep(struct migrate_undo *);

/* The source, its copy gone: its persistent definition goes too. */
void	migrate_undefine_source(struct xmd *, const char *name,
	    const char *uuid);

#endif
