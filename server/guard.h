/* guard: what keeps a slow or greedy client from holding the server
 * (http.h): a deadline for each request head, checked by a watcher thread
 * that closes the connections which miss it; the bounds of a request head
 * and its Host header; the descriptors the connections need. libmicrohttpd
 * itself bounds the connections of one address. */
#ifndef CR_GUARD_H
#define CR_GUARD_H

#include <microhttpd.h>

struct guard;

/* Creates the record of open connections, whose request heads are due
 * `header_timeout_ms` after their opening or their previous response.
 * Returns 0 and *out (free with guard_free), or ERR_FAIL. */
int guard_new(int header_timeout_ms, struct guard **out);

/* Starts the watcher thread. Returns 0 or ERR_FAIL. */
int guard_start(struct guard *l);

/* Stops the watcher thread, if it runs. Accepts NULL. */
void guard_stop(struct guard *l);

/* Frees the record, once libmicrohttpd has closed every connection.
 * Accepts NULL. */
void guard_free(struct guard *l);

/* libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION, with the guard as `cls`:
 * records each connection as it opens (a connection that cannot be
 * recorded is shut) and forgets it as it closes. */
void guard_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			 enum MHD_ConnectionNotificationCode code);

/* Marks the connection of a request as waiting for a head (from now on) or
 * as having delivered one. */
void guard_set_waiting(struct guard *l, struct MHD_Connection *conn, int waiting);

/* Checks a request head: its size (an 8 KiB target, 16 KiB of header
 * fields; beyond libmicrohttpd's buffer it answers by itself) and its Host
 * header (RFC 9112, 3.2: required in HTTP/1.1, never twice). Returns 0, or
 * the status to answer with and *why. */
unsigned guard_check_head(struct MHD_Connection *conn, const char *url, const char *version,
			  const char **why);

/* Lets the process hold as many descriptors as `connections` need. */
void guard_raise_fd(unsigned connections);

#endif
