/* notes: a scorecard's notes on method in words, in its locale. The
 * scorecard carries which notes it has (sc->notes) and the facts they state;
 * every output (JSON "notes", PDF, HTML, terminal) writes the same text. */
#ifndef CR_NOTES_H
#define CR_NOTES_H

#include "scorecard.h"

#include <stddef.h>

/* Size enough for the longest note. */
#define NOTES_SIZE 1024

/* Writes note `note` of sc into buf (UTF-8; cut at size - 1 bytes). */
void notes_text(const struct scorecard *sc, enum sc_note note, char *buf, size_t size);

#endif
