/* render: the pool of rendering threads hands cards out in card order,
 * byte for byte what rendering each card alone gives, with a bounded number
 * of cards alive at once, and the first failing card's error in order. */
#include "check_main.h"
#include "err.h"
#include "json.h"
#include "output.h"
#include "pdf.h"
#include "render.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A card source whose cards take uneven times to make, so that workers
 * finish out of order; it counts the cards alive (made, not yet given
 * back). */
struct fake {
	int fail_at; /* the card that fails, or -1 */
	pthread_mutex_t lock;
	int alive, max_alive, made;
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	ck_assert_ptr_nonnull(d);
	return d;
}

static struct scorecard *make_card(int i)
{
	struct scorecard *sc = NULL;
	char code[16];

	ck_assert_int_eq(sc_new(i ? CAT_AGREEMENT : CAT_POLICY, &sc), 0);
	sc->policy_code = xstrdup("QUA");
	sc->policy_name = xstrdup("Quartieri in comune");
	sc->locale = xstrdup("it");
	sc->min_cell = 5;
	snprintf(sc->period, sizeof(sc->period), "2024-Q2");
	snprintf(sc->period_start, sizeof(sc->period_start), "2024-04-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2024-06-30");
	snprintf(sc->period_previous, sizeof(sc->period_previous), "2024-Q1");
	sc->index.set = 1;
	sc->index.v = i; /* each card's bytes differ */
	if (i) {
		snprintf(code, sizeof(code), "QUA-%02d", i);
		sc->agreement_code = xstrdup(code);
		sc->agreement_title = xstrdup("Piazza della comunità");
		sc->agreement_status = xstrdup("signed");
	}
	return sc;
}

static int fake_get(void *ctx, int i, const struct scorecard **out)
{
	struct fake *f = ctx;
	/* card 0 slowest, then every third: later cards overtake them */
	struct timespec pause = {0, (i % 3 == 0 ? 3 : 0) * 1000000L};

	nanosleep(&pause, NULL);
	if (i == f->fail_at)
		return err_set(ERR_FAIL, "card %d is broken", i);
	pthread_mutex_lock(&f->lock);
	f->alive++;
	f->made++;
	if (f->alive > f->max_alive)
		f->max_alive = f->alive;
	pthread_mutex_unlock(&f->lock);
	*out = make_card(i);
	return 0;
}

static void fake_put(void *ctx, const struct scorecard *sc)
{
	struct fake *f = ctx;

	pthread_mutex_lock(&f->lock);
	f->alive--;
	pthread_mutex_unlock(&f->lock);
	sc_free((struct scorecard *)sc);
}

static void fake_init(struct fake *f, int fail_at)
{
	memset(f, 0, sizeof(*f));
	f->fail_at = fail_at;
	pthread_mutex_init(&f->lock, NULL);
}

static void check_in_order(int count, unsigned formats, int workers)
{
	struct fake f;
	struct rep_card_source src;
	struct rep_render *r = NULL;
	const struct rep_rendered *d = NULL;
	int i = 0, rc;

	fake_init(&f, -1);
	src.count = count;
	src.get = fake_get;
	src.put = fake_put;
	src.ctx = &f;
	ck_assert_int_eq(rep_render_start(&src, formats, workers, &r), 0);
	while ((rc = rep_render_next(r, &d)) > 0) {
		struct scorecard *alone = make_card(i);
		char *json = NULL;
		unsigned char *pdf = NULL;
		size_t len = 0;

		ck_assert_int_eq(d->index, i);
		ck_assert_ptr_nonnull(d->sc);
		ck_assert_int_eq((int)d->sc->index.v, i);
		if (formats & REP_FORMAT_JSON) {
			ck_assert_int_eq(rep_json_render(alone, &json), 0);
			ck_assert_uint_eq(d->json_len, strlen(json));
			ck_assert_str_eq(d->json, json);
		} else {
			ck_assert_ptr_null(d->json);
		}
		if (formats & REP_FORMAT_PDF) {
			ck_assert_int_eq(rep_pdf_render(alone, &pdf, &len), 0);
			ck_assert_uint_eq(d->pdf_len, len);
			ck_assert(memcmp(d->pdf, pdf, len) == 0);
		} else {
			ck_assert_ptr_null(d->pdf);
		}
		free(json);
		free(pdf);
		sc_free(alone);
		i++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(i, count);
	ck_assert_int_eq(rep_render_next(r, &d), 0); /* stays at the end */
	rep_render_stop(r);
	ck_assert_int_eq(f.made, count);
	ck_assert_int_eq(f.alive, 0);
	/* at most two cards per worker and the caller's are alive at once
	 * (2 x workers + 1 slots), never the whole run */
	ck_assert_int_le(f.max_alive, 2 * workers + 1);
	pthread_mutex_destroy(&f.lock);
}

START_TEST(test_render_in_card_order_json)
{
	check_in_order(60, REP_FORMAT_JSON, 4);
}
END_TEST

START_TEST(test_render_in_card_order_pdf_and_json)
{
	check_in_order(9, REP_FORMAT_JSON | REP_FORMAT_PDF, 3);
}
END_TEST

START_TEST(test_render_one_worker)
{
	check_in_order(7, REP_FORMAT_JSON | REP_FORMAT_PDF, 1);
}
END_TEST

/* Card 5 fails: cards 0-4 come out, then card 5's error, whatever the
 * workers had done beyond it; stopping gives every card back. */
START_TEST(test_render_first_error_in_order)
{
	struct fake f;
	struct rep_card_source src;
	struct rep_render *r = NULL;
	const struct rep_rendered *d = NULL;
	int i = 0, rc;

	fake_init(&f, 5);
	src.count = 30;
	src.get = fake_get;
	src.put = fake_put;
	src.ctx = &f;
	ck_assert_int_eq(rep_render_start(&src, REP_FORMAT_JSON, 4, &r), 0);
	while ((rc = rep_render_next(r, &d)) > 0)
		ck_assert_int_eq(d->index, i++);
	ck_assert_int_eq(rc, ERR_FAIL);
	ck_assert_int_eq(i, 5);
	ck_assert_str_eq(err_last(), "card 5 is broken");
	ck_assert_int_eq(rep_render_next(r, &d), ERR_FAIL); /* only stop remains */
	rep_render_stop(r);
	ck_assert_int_eq(f.alive, 0);
	pthread_mutex_destroy(&f.lock);
}
END_TEST

/* What the store of test_render_stored saw: each card's JSON length, and
 * the card it refuses. */
struct store_log {
	pthread_mutex_t lock;
	size_t len[40];
	int stored[40];
	int refuse;
};

static int store_json(void *ctx, const struct rep_rendered *d)
{
	struct store_log *l = ctx;

	if (d->index == l->refuse)
		return err_set(ERR_FAIL, "store %d refused", d->index);
	pthread_mutex_lock(&l->lock);
	l->stored[d->index]++;
	l->len[d->index] = strlen(d->json);
	pthread_mutex_unlock(&l->lock);
	return 0;
}

/* The workers store each card once, before the caller gets it; a card
 * whose store fails comes out as that error, its message as the store set
 * it (not as a rendering failure), after the cards before it. */
START_TEST(test_render_stored)
{
	struct fake f;
	struct store_log l;
	struct rep_card_source src;
	struct rep_render *r = NULL;
	const struct rep_rendered *d = NULL;
	int i = 0, rc;

	memset(&l, 0, sizeof(l));
	pthread_mutex_init(&l.lock, NULL);
	l.refuse = -1;
	fake_init(&f, -1);
	src.count = 40;
	src.get = fake_get;
	src.put = fake_put;
	src.ctx = &f;
	ck_assert_int_eq(rep_render_start_stored(&src, REP_FORMAT_JSON, 3, store_json, &l, &r), 0);
	while ((rc = rep_render_next(r, &d)) > 0) {
		ck_assert_int_eq(d->index, i);
		pthread_mutex_lock(&l.lock);
		ck_assert_int_eq(l.stored[i], 1);
		ck_assert_uint_eq(l.len[i], d->json_len);
		pthread_mutex_unlock(&l.lock);
		i++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(i, 40);
	rep_render_stop(r);

	l.refuse = 7;
	i = 0;
	ck_assert_int_eq(rep_render_start_stored(&src, REP_FORMAT_JSON, 3, store_json, &l, &r), 0);
	while ((rc = rep_render_next(r, &d)) > 0)
		ck_assert_int_eq(d->index, i++);
	ck_assert_int_eq(rc, ERR_FAIL);
	ck_assert_int_eq(i, 7);
	ck_assert_str_eq(err_last(), "store 7 refused");
	rep_render_stop(r);
	ck_assert_int_eq(f.alive, 0);
	pthread_mutex_destroy(&f.lock);
	pthread_mutex_destroy(&l.lock);
}
END_TEST

START_TEST(test_render_no_cards)
{
	struct fake f;
	struct rep_card_source src;
	struct rep_render *r = NULL;
	const struct rep_rendered *d = NULL;

	fake_init(&f, -1);
	src.count = 0;
	src.get = fake_get;
	src.put = fake_put;
	src.ctx = &f;
	ck_assert_int_eq(rep_render_start(&src, REP_FORMAT_JSON, 0, &r), 0);
	ck_assert_int_eq(rep_render_next(r, &d), 0);
	rep_render_stop(r);
	rep_render_stop(NULL);
	ck_assert_int_eq(f.made, 0);
	pthread_mutex_destroy(&f.lock);
}
END_TEST

Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("render");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_render_in_card_order_json);
	tcase_add_test(tc, test_render_in_card_order_pdf_and_json);
	tcase_add_test(tc, test_render_one_worker);
	tcase_add_test(tc, test_render_first_error_in_order);
	tcase_add_test(tc, test_render_stored);
	tcase_add_test(tc, test_render_no_cards);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(render_suite)
