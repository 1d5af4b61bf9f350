#include "sha256.h"

#include "err.h"

#include <openssl/evp.h>
#include <stdlib.h>

struct sha256 {
	EVP_MD_CTX *md;
};

/* The 32 bytes of a digest as lowercase hex. */
static void to_hex(const unsigned char md[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

int sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return err_set(ERR_FAIL, "cannot compute a SHA-256 (libcrypto failure)");
	to_hex(md, hex);
	return 0;
}

int sha256_new(sha256 **out)
{
	sha256 *h = calloc(1, sizeof(*h));

	if (!h)
		return err_set(ERR_FAIL, "out of memory");
	h->md = EVP_MD_CTX_new();
	if (!h->md || EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1) {
		sha256_free(h);
		return err_set(ERR_FAIL, "cannot compute a SHA-256 (libcrypto failure)");
	}
	*out = h;
	return 0;
}

int sha256_update(sha256 *h, const void *data, size_t len)
{
	if (len && EVP_DigestUpdate(h->md, data, len) != 1)
		return err_set(ERR_FAIL, "cannot compute a SHA-256 (libcrypto failure)");
	return 0;
}

int sha256_final(sha256 *h, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(h->md, md, &n) != 1 || n != 32)
		return err_set(ERR_FAIL, "cannot compute a SHA-256 (libcrypto failure)");
	to_hex(md, hex);
	return 0;
}

void sha256_free(sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->md);
	free(h);
}
