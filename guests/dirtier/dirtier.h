/*
 * The pages guests/dirtier tags, as guests/dirtylog (domain 0) finds
 * them with foreign copies: each starts with a dirtier_head.  The hot
 * page's counter goes on increasing while the domain runs; a cold
 * page's is its index, written once.  Domain 0 writes DIRTIER_MARK at
 * DIRTIER_MARK_OFF of one cold page, which dirtier only reads, and
 * DIRTIER_STOP at DIRTIER_STOP_OFF of the hot page when it is done:
 * dirtier then stops before its run_ms are up.
 */

#ifndef _DIRTIER_H_
#define _DIRTIER_H_

#include <stdint.h>

#define DIRTIER_HOT_TAG		"DIRTIER-HOT"
#define DIRTIER_COLD_TAG	"DIRTIER-COLD"
#define DIRTIER_TAG_LEN		16
#define DIRTIER_PAGES		16		/* one hot, the others cold */
#define DIRTIER_MARK		"DOM0-WAS-HERE"
#define DIRTIER_MARK_LEN	16
#define DIRTIER_MARK_OFF	2048
#define DIRTIER_STOP		UINT64_C(0x504f545352454944)	/* "DIERSTOP" */
#define DIRTIER_STOP_OFF	64

struct dirtier_head {
	char		tag[DIRTIER_TAG_LEN];	/* NUL-padded */
	uint64_t	counter;	/* hot: increasing; cold: its index */
	uint64_t	pfn;		/* the page's own pfn */
};
_Static_assert(sizeof(struct dirtier_head) == 32, "dirtier_head");

#endif /* _DIRTIER_H_ */
