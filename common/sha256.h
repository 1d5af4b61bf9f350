/* sha256: SHA-256 digests as 64 lowercase hex digits, the form the database
 * stores (batch_file.sha256, the revisions' documents) and ETags quote. */
#ifndef CR_SHA256_H
#define CR_SHA256_H

#include <stddef.h>

typedef struct sha256 sha256;

/* The digest of `len` bytes at `data`, into hex (64 digits and a NUL).
 * Returns 0, or ERR_FAIL (a libcrypto failure) with hex untouched. */
int sha256_hex(const void *data, size_t len, char hex[65]);

/* A digest fed in pieces, for input read in blocks: sha256_new, then
 * sha256_update for each block, then sha256_final once. Return 0 or
 * ERR_FAIL (message set); sha256_new writes *out only on success. */
int sha256_new(sha256 **out);
int sha256_update(sha256 *h, const void *data, size_t len);
int sha256_final(sha256 *h, char hex[65]);

/* Frees the digest; accepts NULL. */
void sha256_free(sha256 *h);

#endif
