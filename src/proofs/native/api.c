/* Exported entry points that are not fr32 or commP: ABI version, SHA-256 implementation, node hashing. */
#include "petal.h"
#include "sha256.h"

PETAL_API int32_t petal_abi_version(void) {
  return PETAL_ABI_VERSION;
}

/* 0 = portable, 1 = x86 SHA-NI. */
PETAL_API int32_t petal_sha256_impl(void) {
  return (int32_t)petal_sha256_impl_active();
}

/* Forces an implementation (tests run both); PETAL_EUNSUPPORTED when the CPU lacks it. */
PETAL_API int32_t petal_sha256_force(int32_t impl) {
  return petal_sha256_impl_set((enum petal_sha_impl)impl) == 0 ? PETAL_OK : PETAL_EUNSUPPORTED;
}

/* sha256(data) into out (32 bytes). */
PETAL_API int32_t petal_sha256(const uint8_t *data, uint64_t len, uint8_t *out) {
  if ((!data && len) || !out) return PETAL_EINVAL;
  petal_sha256_digest(out, data, (size_t)len);
  return PETAL_OK;
}

/* n tree nodes: out[32i..] = trunc254(sha256(in[64i..64i+64))); out may equal in. */
PETAL_API int32_t petal_hash_pairs(const uint8_t *in, uint8_t *out, uint64_t n) {
  if ((!in || !out) && n) return PETAL_EINVAL;
  petal_sha256_nodes(out, in, (size_t)n);
  return PETAL_OK;
}
