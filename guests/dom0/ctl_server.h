/*
 * The control protocol's server in domain 0: bytes from the control
 * port go through the stream (ctl_stream) to the op table (ctl_ops);
 * replies and events go back through the port.
 */

#ifndef _DOM0_CTL_SERVER_H_
#define _DOM0_CTL_SERVER_H_

#include <stddef.h>
#include <stdint.h>

void	ctl_server_init(void);
/* Bytes from the port (a chan_rx_t). */
void	ctl_server_input(void *arg, const uint8_t *p, size_t n);
/* Drop an unfinished frame that has waited too long. */
void	ctl_server_tick(uint64_t now);
/* Whether the server holds a partial frame (so tick matters). */
int	ctl_server_partial(void);
/*
 * An event frame to xmd, its payload a struct then data; dropped while
 * no xmd has said HELLO.  0 or -XM_E*.
 */
int	ctl_send_event(uint16_t op, const void *s, size_t slen,
	    const void *data, size_t dlen);

#endif /* _DOM0_CTL_SERVER_H_ */
