#include "notes.h"

#include <stdio.h>
#include <string.h>

/* The note on the snapshot, with the import batch when there is one. */
static void snapshot(const struct scorecard *sc, int it, char *buf, size_t size)
{
	if (sc->batch_at)
		snprintf(buf, size,
			 it ? "Tutti i valori provengono da un'unica istantanea dei dati, "
			      "aggiornata all'importazione n. %lld del %s UTC."
			    : "Every value comes from one snapshot of the data, up to "
			      "import batch %lld of %s UTC.",
			 sc->batch_id, sc->batch_at);
	else
		snprintf(buf, size, "%s",
			 it ? "Tutti i valori provengono da un'unica istantanea dei dati."
			    : "Every value comes from one snapshot of the data.");
}

void notes_text(const struct scorecard *sc, enum sc_note note, char *buf, size_t size)
{
	int it = !sc->locale || strcmp(sc->locale, "en") != 0;

	switch (note) {
	case SC_NOTE_AS_OF:
		snprintf(buf, size,
			 it ? "Valori al %s: contano tutti i dati con data fino a quel giorno "
			      "compreso; il valore precedente è calcolato allo stesso modo alla "
			      "fine del trimestre %s."
			    : "Values as of %s: every record dated up to and including that day "
			      "counts; the previous value is computed the same way at the end of "
			      "quarter %s.",
			 sc->period_end, sc->period_previous);
		break;
	case SC_NOTE_MIN_CELL:
		snprintf(buf, size,
			 it ? "Gli indicatori da questionario con meno di %d rispondenti (o coppie "
			      "T0-T1) non sono pubblicati: valore e intervallo sono soppressi, n "
			      "resta indicato."
			    : "Survey indicators with fewer than %d respondents (or T0-T1 pairs) "
			      "are suppressed: value and interval are not published, n is still "
			      "given.",
			 sc->min_cell);
		break;
	case SC_NOTE_SECONDARY:
		snprintf(
			buf, size,
			it ? "Perché nessun valore soppresso si possa ricavare per differenza dal "
			     "totale della politica e dagli altri accordi, è soppresso anche il "
			     "valore degli accordi con meno rispondenti (soppressione secondaria), "
			     "finché i valori soppressi sono almeno due e contano almeno %d "
			     "rispondenti in tutto; se nemmeno tutti gli accordi insieme bastano, "
			     "è soppresso il valore della politica. Si applica a ogni data, "
			     "anche al valore precedente e alle serie storiche."
			   : "So that no suppressed value can be worked out by subtraction from "
			     "the policy's total and the other agreements, the values of the "
			     "agreements with the fewest respondents are suppressed as well "
			     "(secondary suppression) until at least two values with at least %d "
			     "respondents in all are withheld; when not even all agreements "
			     "together suffice, the policy's value is suppressed. This applies at "
			     "every date, to the previous value and to the trends too.",
			sc->min_cell);
		break;
	case SC_NOTE_SNAPSHOT:
		snapshot(sc, it, buf, size);
		break;
	case SC_NOTE_TERRITORY:
		snprintf(
			buf, size, "%s",
			it ? "Il quartiere conta tutti i dati degli accordi che lo coprono, anche "
			     "i partecipanti che abitano altrove; la popolazione è quella del "
			     "quartiere. Un valore da questionario del quartiere è pubblicato solo "
			     "se lo sono quelli di tutti gli accordi che lo coprono e hanno "
			     "rispondenti."
			   : "The neighbourhood counts every record of the agreements that cover "
			     "it, participants living elsewhere included; the population is the "
			     "neighbourhood's own. A survey value of the neighbourhood is "
			     "published "
			     "only when those of all the covering agreements with respondents "
			     "are.");
		break;
	default:
		snprintf(buf, size, "%s", "");
	}
}
