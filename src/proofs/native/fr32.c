/*
 * fr32 padding: 127 payload bytes → four 254-bit field elements in 128 bytes (the bit stream read least
 * significant bit first, each element little-endian with two zero top bits). The pad side moves 64-bit words;
 * the unpad side goes byte by byte and rejects elements with their top bits set.
 */
#include <string.h>
#include "fr32.h"
#include "petal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PETAL_LITTLE_ENDIAN 1
#endif

#define TOP2 0x3fffffffffffffffULL

static inline uint64_t ld64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static inline void st64(uint8_t *p, uint64_t v) {
  memcpy(p, &v, 8);
}

/* Element k starts at bit 254k: byte offsets 0, 31, 63, 95 with bit shifts 0, 6, 4, 2. */
void petal_fr32_pad_quad(const uint8_t *in, uint8_t *out) {
#ifdef PETAL_LITTLE_ENDIAN
  st64(out + 0, ld64(in + 0));
  st64(out + 8, ld64(in + 8));
  st64(out + 16, ld64(in + 16));
  st64(out + 24, ld64(in + 24) & TOP2);
  for (int w = 0; w < 3; w++) st64(out + 32 + 8 * w, (ld64(in + 31 + 8 * w) >> 6) | ((uint64_t)in[39 + 8 * w] << 58));
  st64(out + 56, ((ld64(in + 55) >> 6) | ((uint64_t)in[63] << 58)) & TOP2);
  for (int w = 0; w < 3; w++) st64(out + 64 + 8 * w, (ld64(in + 63 + 8 * w) >> 4) | ((uint64_t)in[71 + 8 * w] << 60));
  st64(out + 88, ((ld64(in + 87) >> 4) | ((uint64_t)in[95] << 60)) & TOP2);
  for (int w = 0; w < 3; w++) st64(out + 96 + 8 * w, (ld64(in + 95 + 8 * w) >> 2) | ((uint64_t)in[103 + 8 * w] << 62));
  /* Bytes 119..126 hold the last 62 bits; the two bits the next byte would add are the cleared top bits. */
  st64(out + 120, ld64(in + 119) >> 2);
#else
  for (int i = 0; i < 31; i++) out[i] = in[i];
  out[31] = in[31] & 0x3f;
  for (int i = 32; i < 64; i++) out[i] = (uint8_t)((in[i] << 2) | (in[i - 1] >> 6));
  out[63] &= 0x3f;
  for (int i = 64; i < 96; i++) out[i] = (uint8_t)((in[i] << 4) | (in[i - 1] >> 4));
  out[95] &= 0x3f;
  for (int i = 96; i < 127; i++) out[i] = (uint8_t)((in[i] << 6) | (in[i - 1] >> 2));
  out[127] = in[126] >> 2;
#endif
}

static int unpad_quad(const uint8_t *in, uint8_t *out) {
  if ((in[31] | in[63] | in[95] | in[127]) & 0xc0) return PETAL_EFR32;
  for (int i = 0; i < 31; i++) out[i] = in[i];
  out[31] = (uint8_t)(in[31] | (in[32] << 6));
  for (int i = 32; i < 63; i++) out[i] = (uint8_t)((in[i] >> 2) | (in[i + 1] << 6));
  out[63] = (uint8_t)((in[63] >> 2) | (in[64] << 4));
  for (int i = 64; i < 95; i++) out[i] = (uint8_t)((in[i] >> 4) | (in[i + 1] << 4));
  out[95] = (uint8_t)((in[95] >> 4) | (in[96] << 2));
  for (int i = 96; i < 127; i++) out[i] = (uint8_t)((in[i] >> 6) | (in[i + 1] << 2));
  return PETAL_OK;
}

PETAL_API int32_t petal_fr32_pad(const uint8_t *in, uint8_t *out, uint64_t nquads) {
  if ((!in || !out) && nquads) return PETAL_EINVAL;
  for (uint64_t q = 0; q < nquads; q++) petal_fr32_pad_quad(in + 127 * q, out + 128 * q);
  return PETAL_OK;
}

PETAL_API int32_t petal_fr32_unpad(const uint8_t *in, uint8_t *out, uint64_t nquads) {
  if ((!in || !out) && nquads) return PETAL_EINVAL;
  for (uint64_t q = 0; q < nquads; q++) {
    int rc = unpad_quad(in + 128 * q, out + 127 * q);
    if (rc != PETAL_OK) return rc;
  }
  return PETAL_OK;
}
