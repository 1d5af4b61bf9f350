#include "respond.h"

#include "err.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Bodies below this size gain too little from compression to be worth a
 * second response. */
#define GZIP_MIN 1024

/* True when an If-None-Match value names the tag (weak comparison, as
 * RFC 9110 asks for If-None-Match) or is "*". */
static int etag_matches(const char *header, const char *sha)
{
	const char *p = header, *q;

	while (p && *p) {
		p += strspn(p, " \t,");
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"') {
			p = strchr(p, ',');
			continue;
		}
		q = strchr(p + 1, '"');
		if (!q)
			return 0;
		/* the gzip twin's tag names the same content */
		if ((q - p - 1 == 64 || (q - p - 1 == 69 && strncmp(p + 65, "-gzip", 5) == 0)) &&
		    strncmp(p + 1, sha, 64) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

static int add_header(struct MHD_Response *r, const char *name, const char *value, int *ok)
{
	*ok = *ok && MHD_add_response_header(r, name, value) == MHD_YES;
	return *ok;
}

/* The bytes of a body, shared by the responses made of it and freed with
 * the last one. */
struct shared_body {
	atomic_int refs;
	unsigned char *data;
};

static void shared_body_release(void *cls)
{
	struct shared_body *b = cls;

	if (atomic_fetch_sub(&b->refs, 1) == 1) {
		free(b->data);
		free(b);
	}
}

void respond_free(void *answer)
{
	struct answer *a = answer;

	if (!a)
		return;
	if (a->full)
		MHD_destroy_response(a->full);
	if (a->nm)
		MHD_destroy_response(a->nm);
	if (a->gz)
		MHD_destroy_response(a->gz);
	if (a->gz_nm)
		MHD_destroy_response(a->gz_nm);
	free(a);
}

/* Whether a body of this type and size is worth a gzip twin: text, not the
 * PDFs (their streams are deflated already). */
static int compressible(const struct reply *rp)
{
	const char *type = rp->body.content_type;

	return rp->status == MHD_HTTP_OK && rp->body.sha256[0] && rp->body.len >= GZIP_MIN &&
	       type &&
	       (strncmp(type, "application/json", 16) == 0 || strncmp(type, "text/", 5) == 0);
}

/* Compresses `len` bytes into a gzip member (RFC 1952) at deflate's
 * default level: the same bytes for the same input. Returns 0 and *out,
 * *out_len (the caller frees *out), or -1 when memory runs out or the
 * result would not be smaller. */
static int gzip_of(const unsigned char *data, size_t len, unsigned char **out, size_t *out_len)
{
	z_stream z = {0};
	unsigned char *buf = NULL;
	uLong bound;
	int rc = -1;

	/* 15 + 16: a window of 32 KiB and a gzip header and trailer */
	if (len > UINT_MAX || deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
					   Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len);
	buf = malloc(bound);
	if (!buf || bound > UINT_MAX)
		goto out;
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out >= len)
		goto out;
	*out = buf;
	*out_len = z.total_out;
	buf = NULL;
	rc = 0;
out:
	deflateEnd(&z);
	free(buf);
	return rc;
}

/* How a response's body is sent: the one coding there is, identity beside
 * a gzip twin, or that twin. */
enum coding { CODING_ONE, CODING_IDENTITY, CODING_GZIP };

/* Adds the headers of `rp` to a response of `status`. */
static int add_headers(struct MHD_Response *resp, const struct reply *rp, unsigned status,
		       const char *allow, enum coding coding)
{
	char etag[80], value[200];
	int ok = 1;

	snprintf(etag, sizeof(etag), "\"%s%s\"", rp->body.sha256,
		 coding == CODING_GZIP ? "-gzip" : "");
	if (status != MHD_HTTP_NOT_MODIFIED)
		add_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rp->body.content_type, &ok);
	if (coding == CODING_GZIP && status != MHD_HTTP_NOT_MODIFIED)
		add_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip", &ok);
	/* shared caches must keep the two codings apart */
	if (coding != CODING_ONE)
		add_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding", &ok);
	add_header(resp, "X-Content-Type-Options", "nosniff", &ok);
	if (status == MHD_HTTP_OK || status == MHD_HTTP_NOT_MODIFIED) {
		add_header(resp, MHD_HTTP_HEADER_ETAG, etag, &ok);
		add_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
			   rp->immutable ? "public, max-age=31536000, immutable"
					 : "public, max-age=60",
			   &ok);
	} else {
		add_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store", &ok);
	}
	if (rp->scorecard && rp->body.revision > 0) {
		snprintf(value, sizeof(value), "%d", rp->body.revision);
		add_header(resp, "X-Cruscotto-Revision", value, &ok);
		if (rp->target->format == API_PDF && status == MHD_HTTP_OK) {
			/* codes and periods hold no quote: the name needs no escaping */
			snprintf(value, sizeof(value), "inline; filename=\"%s-%s-r%d.pdf\"",
				 rp->target->code, rp->target->period, rp->body.revision);
			add_header(resp, "Content-Disposition", value, &ok);
		}
	}
	if (rp->api || rp->status != MHD_HTTP_OK) {
		/* errors are JSON wherever they happen, readable by any origin */
		add_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*", &ok);
		add_header(resp, "Access-Control-Expose-Headers", "ETag, X-Cruscotto-Revision",
			   &ok);
	} else if (rp->target && rp->target->kind == T_STORED) {
		/* the stored pages hold no inline style or script (html.h) */
		add_header(resp, "Content-Security-Policy",
			   "default-src 'self'; base-uri 'none'; form-action 'none'; "
			   "frame-ancestors 'none'",
			   &ok);
		add_header(resp, "Referrer-Policy", "same-origin", &ok);
	} else if (rp->target &&
		   (rp->target->kind == T_PAGE || rp->target->kind == T_PERIOD_PAGE ||
		    rp->target->kind == T_POLICY_PAGE || rp->target->kind == T_SEARCH)) {
		/* the search form submits to this server only */
		add_header(resp, "Content-Security-Policy",
			   "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
			   "form-action 'self'; frame-ancestors 'none'",
			   &ok);
		add_header(resp, "Referrer-Policy", "no-referrer", &ok);
	}
	if (allow)
		add_header(resp, MHD_HTTP_HEADER_ALLOW, allow, &ok);
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		add_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5", &ok);
	return ok;
}

/* libmicrohttpd sends no body with a 304 (nor for HEAD) but derives
 * Content-Length from it, which must then be the length a 200 would have
 * had (RFC 9110, 8.6), not 0: the 304 twin holds the bytes too. */
struct answer *respond_make(struct reply *rp, const char *allow)
{
	struct answer *a = calloc(1, sizeof(*a));
	struct shared_body *b = calloc(1, sizeof(*b));
	unsigned char *packed = NULL;
	enum coding coding = CODING_ONE;

	if (!a || !b)
		goto fail;
	atomic_init(&b->refs, 1);
	b->data = rp->body.data;
	rp->body.data = NULL;
	a->status = rp->status;
	a->len = rp->body.len;
	snprintf(a->sha256, sizeof(a->sha256), "%s", rp->body.sha256);
	a->full = MHD_create_response_from_buffer_with_free_callback_cls(a->len, b->data,
									 shared_body_release, b);
	if (!a->full)
		goto fail;
	/* from here on the response owns the bytes; without memory for the
	 * twin the body still goes as it is */
	if (compressible(rp) && gzip_of(b->data, a->len, &packed, &a->gz_len) == 0)
		coding = CODING_IDENTITY;
	if (!add_headers(a->full, rp, rp->status, allow, coding))
		goto fail_answer;
	if (rp->status == MHD_HTTP_OK && rp->body.sha256[0]) {
		atomic_fetch_add(&b->refs, 1);
		a->nm = MHD_create_response_from_buffer_with_free_callback_cls(
			a->len, b->data, shared_body_release, b);
		if (!a->nm) {
			shared_body_release(b);
			goto fail_answer;
		}
		if (!add_headers(a->nm, rp, MHD_HTTP_NOT_MODIFIED, NULL, coding))
			goto fail_answer;
	}
	if (coding == CODING_IDENTITY) {
		struct shared_body *g = calloc(1, sizeof(*g));

		if (!g)
			goto fail_answer;
		atomic_init(&g->refs, 2); /* the twin and its 304 */
		g->data = packed;
		packed = NULL;
		a->gz = MHD_create_response_from_buffer_with_free_callback_cls(
			a->gz_len, g->data, shared_body_release, g);
		if (!a->gz) {
			free(g->data);
			free(g);
			goto fail_answer;
		}
		a->gz_nm = MHD_create_response_from_buffer_with_free_callback_cls(
			a->gz_len, g->data, shared_body_release, g);
		if (!a->gz_nm) {
			shared_body_release(g);
			goto fail_answer;
		}
		if (!add_headers(a->gz, rp, rp->status, NULL, CODING_GZIP) ||
		    !add_headers(a->gz_nm, rp, MHD_HTTP_NOT_MODIFIED, NULL, CODING_GZIP))
			goto fail_answer;
	}
	api_body_free(&rp->body);
	return a;
fail:
	if (b)
		free(b->data); /* NULL while rp still holds the bytes */
	free(b);
	free(a);
	api_body_free(&rp->body);
	return NULL;
fail_answer:
	free(packed);
	respond_free(a);
	api_body_free(&rp->body);
	return NULL;
}

enum MHD_Result respond_queue(struct MHD_Connection *conn, struct request *rq,
			      const struct answer *a)
{
	const char *inm = NULL;
	int not_modified = 0, gzip = 0;
	enum MHD_Result res;

	if (a->nm) {
		inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						  MHD_HTTP_HEADER_IF_NONE_MATCH);
		not_modified = inm && etag_matches(inm, a->sha256);
	}
	if (a->gz)
		gzip = route_accepts_gzip(MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
	if (not_modified)
		res = MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, gzip ? a->gz_nm : a->nm);
	else
		res = MHD_queue_response(conn, a->status, gzip ? a->gz : a->full);
	rq->status = not_modified ? MHD_HTTP_NOT_MODIFIED : a->status;
	rq->bytes = not_modified || strcmp(rq->method, "HEAD") == 0 ? 0 : gzip ? a->gz_len : a->len;
	rq->answered = 1;
	return res;
}

/* Sends `rp` once (its body is handed over). */
static enum MHD_Result send_reply(struct MHD_Connection *conn, struct request *rq, struct reply *rp,
				  const char *allow)
{
	struct answer *a = respond_make(rp, allow);
	enum MHD_Result res;

	if (!a)
		return MHD_NO;
	res = respond_queue(conn, rq, a);
	respond_free(a);
	return res;
}

enum MHD_Result respond_error(struct MHD_Connection *conn, struct request *rq, unsigned status,
			      const char *message, const char *allow)
{
	struct reply rp = {0};
	cJSON *json = cJSON_CreateObject();

	rp.status = status;
	if (json && !cJSON_AddStringToObject(json, "error", message)) {
		cJSON_Delete(json);
		json = NULL;
	}
	/* without memory for the body the status still says it all */
	if (!json || api_json_body(json, &rp.body) != 0)
		rp.body.content_type = "application/json; charset=utf-8";
	return send_reply(conn, rq, &rp, allow);
}

enum MHD_Result respond_redirect(struct MHD_Connection *conn, struct request *rq,
				 const char *location)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result res;
	int ok = 1;

	if (!r)
		return MHD_NO;
	add_header(r, MHD_HTTP_HEADER_LOCATION, location, &ok);
	add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "public, max-age=3600", &ok);
	add_header(r, "X-Content-Type-Options", "nosniff", &ok);
	res = ok ? MHD_queue_response(conn, MHD_HTTP_MOVED_PERMANENTLY, r) : MHD_NO;
	MHD_destroy_response(r);
	rq->status = MHD_HTTP_MOVED_PERMANENTLY;
	rq->bytes = 0;
	rq->answered = 1;
	return res;
}

enum MHD_Result respond_failure(struct MHD_Connection *conn, struct request *rq, int rc)
{
	switch (rc) {
	case ERR_USAGE:
		return respond_error(conn, rq, MHD_HTTP_BAD_REQUEST, err_last(), NULL);
	case ERR_NOTFOUND:
		return respond_error(conn, rq, MHD_HTTP_NOT_FOUND, err_last(), NULL);
	case ERR_DB:
		snprintf(rq->reason, sizeof(rq->reason), "%s", err_last());
		return respond_error(conn, rq, MHD_HTTP_SERVICE_UNAVAILABLE,
				     "the database is unavailable; try again shortly", NULL);
	default:
		snprintf(rq->reason, sizeof(rq->reason), "%s", err_last());
		return respond_error(conn, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error",
				     NULL);
	}
}
