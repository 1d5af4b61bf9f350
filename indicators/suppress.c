#include "suppress.h"

#include "err.h"

#include <string.h>

/* True when the withheld cells are at least two and each of their counts
 * sums to min_cell. */
static int enough(const struct sup_cell *cells, int ncells, int ncounts, long long min_cell)
{
	long long sum[2] = {0, 0};
	int i, k, members = 0;

	for (i = 0; i < ncells; i++) {
		if (cells[i].suppression == SUP_NONE)
			continue;
		members++;
		for (k = 0; k < ncounts; k++)
			sum[k] += cells[i].count[k];
	}
	if (members < 2)
		return 0;
	for (k = 0; k < ncounts; k++)
		if (sum[k] < min_cell)
			return 0;
	return 1;
}

/* The published cell with the smallest n (ties: code in byte order), or -1
 * when every cell is withheld. */
static int smallest(const struct sup_cell *cells, int ncells)
{
	int i, best = -1;

	for (i = 0; i < ncells; i++) {
		if (cells[i].suppression != SUP_NONE)
			continue;
		if (best < 0 || cells[i].n < cells[best].n ||
		    (cells[i].n == cells[best].n && strcmp(cells[i].code, cells[best].code) < 0))
			best = i;
	}
	return best;
}

int sup_complete(struct sup_cell *cells, int ncells, int ncounts, long long min_cell, int *policy)
{
	int i, any = 0, next;

	if (ncells < 0 || ncounts < 1 || ncounts > 2)
		return err_set(ERR_FAIL,
			       "internal error: complementary suppression of %d cells "
			       "with %d counts",
			       ncells, ncounts);
	for (i = 0; i < ncells; i++)
		any = any || cells[i].suppression != SUP_NONE;
	if (!any) {
		*policy = 0;
		return 0;
	}
	/* one at a time: each addition may be the one that suffices */
	while (!enough(cells, ncells, ncounts, min_cell)) {
		next = smallest(cells, ncells);
		if (next < 0) {
			*policy = 1;
			return 0;
		}
		cells[next].suppression = SUP_SECONDARY;
	}
	*policy = 0;
	return 0;
}

int sup_territory(const struct sup_cell *cells, int ncells, int *withhold)
{
	int i, any = 0;

	if (ncells < 0)
		return err_set(ERR_FAIL, "internal error: territory suppression of %d cells",
			       ncells);
	for (i = 0; i < ncells && !any; i++)
		any = (cells[i].n > 0 || cells[i].count[0] > 0 || cells[i].count[1] > 0) &&
		      cells[i].suppression != SUP_NONE;
	*withhold = any;
	return 0;
}
