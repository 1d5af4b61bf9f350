/* respond: the answers of the HTTP server (libmicrohttpd responses): the
 * headers of http.h (Content-Type, ETag and 304, Cache-Control, CORS, CSP,
 * X-Cruscotto-Revision), errors as JSON, redirects, and the record of what
 * was sent, for the access log. */
#ifndef CR_RESPOND_H
#define CR_RESPOND_H

#include "api.h"
#include "route.h"

#include <microhttpd.h>
#include <stddef.h>
#include <time.h>

enum { LOG_PATH_MAX = 200 }; /* bytes of the path an access-log line shows */

/* One request, from its first callback to its completion. */
struct request {
	struct timespec start;
	char method[12];
	char path[4 * LOG_PATH_MAX + 4]; /* escaped for the log */
	unsigned status;
	size_t bytes;
	int answered;
	char reason[300]; /* why a 5xx happened, for the log */
};

/* The answer to send. */
struct reply {
	unsigned status;
	struct api_body body;
	int api;       /* an /api/ resource: CORS headers */
	int immutable; /* an explicit revision: cached for good */
	int scorecard; /* X-Cruscotto-Revision, Content-Disposition for PDFs */
	const struct target *target;
};

/* An answer ready to be queued, as many times as wanted: libmicrohttpd
 * counts the references to a response, so a cached answer is sent by every
 * thread at once without a copy. A text body (JSON, HTML, CSV) of 1 KiB or
 * more that deflate shrinks also has a gzip twin, compressed once, sent to
 * clients that accept it (Content-Encoding: gzip, ETag "<sha256>-gzip"). */
struct answer {
	struct MHD_Response *full; /* with the body: 200, or an error */
	struct MHD_Response *nm;   /* 304 Not Modified; NULL for errors */
	struct MHD_Response *gz;   /* the gzip twin of a 200, or NULL */
	struct MHD_Response *gz_nm;
	unsigned status; /* of `full` */
	size_t len;
	size_t gz_len;
	char sha256[65];
};

/* Frees an answer (a void * for cache.h). Accepts NULL. */
void respond_free(void *answer);

/* Makes the answer of `rp`, taking its body (freed whatever the outcome);
 * `allow` (or NULL) is the Allow header. A 200 gets its 304 twin: both
 * share the bytes; and its gzip twins when the body is text worth
 * compressing. Returns NULL when memory runs out. */
struct answer *respond_make(struct reply *rp, const char *allow);

/* Queues `a` (304 when If-None-Match names its tag, with or without
 * "-gzip"; the gzip twin when the request's Accept-Encoding allows it) and
 * notes the status and size in `rq` for the log. */
enum MHD_Result respond_queue(struct MHD_Connection *conn, struct request *rq,
			      const struct answer *a);

/* Sends a JSON error {"error": message} of `status` (Allow: `allow` when
 * not NULL). */
enum MHD_Result respond_error(struct MHD_Connection *conn, struct request *rq, unsigned status,
			      const char *message, const char *allow);

/* Sends 301 Moved Permanently to `location` (a reference relative to the
 * request's path, RFC 9110 10.2.2), without a body. */
enum MHD_Result respond_redirect(struct MHD_Connection *conn, struct request *rq,
				 const char *location);

/* Turns the failure `rc` (err_last() telling why) into its response: 400,
 * 404, 503 or 500; the details of 5xx go to rq->reason (the log) only. */
enum MHD_Result respond_failure(struct MHD_Connection *conn, struct request *rq, int rc);

#endif
