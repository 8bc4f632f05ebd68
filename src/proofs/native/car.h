/*
 * What the CAR kernels (car.c, car-put.c) share: the varint reader that only takes what it is sure of.
 */
#ifndef PETAL_CAR_H
#define PETAL_CAR_H

#include <stdint.h>

/* A minimal varint of at most four bytes at p[0..end); its length in *n, or -1 when unsure. */
static inline int64_t small_varint(const uint8_t *p, const uint8_t *end, int *n) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    if (p + i >= end) return -1;
    uint8_t b = p[i];
    v |= (uint32_t)(b & 0x7f) << (7 * i);
    if (b < 0x80) {
      if (b == 0 && i > 0) return -1; /* not minimal: the reference names the error */
      *n = i + 1;
      return v;
    }
  }
  return -1;
}

/* Where a CID's parts lie: its multihash (code and digest) within the CID's bytes. */
struct car_cid {
  const uint8_t *mh;     /* the multihash: code, digest length, digest */
  const uint8_t *digest; /* the digest; the CID ends at digest + digest_len */
  uint64_t digest_len;
  uint32_t code;         /* the multihash code */
};

/* Parses the multihash at mh[0, end) (small minimal varints, digest within end) into out; 0 when unsure. */
static inline int parse_multihash(const uint8_t *mh, const uint8_t *end, struct car_cid *out) {
  int n;
  int64_t c = small_varint(mh, end, &n);
  if (c < 0) return 0;
  const uint8_t *q = mh + n;
  int64_t d = small_varint(q, end, &n);
  if (d < 0) return 0;
  q += n;
  if ((uint64_t)(end - q) < (uint64_t)d) return 0;
  out->mh = mh;
  out->code = (uint32_t)c;
  out->digest = q;
  out->digest_len = (uint64_t)d;
  return 1;
}

/*
 * Parses the CID at the start of cid[0, end) when it is a CIDv0 or a CIDv1 with small minimal varints and
 * its digest fits before end; 0 otherwise (the TypeScript reference then names what is wrong).
 */
static inline int parse_cid(const uint8_t *cid, const uint8_t *end, struct car_cid *out) {
  if (end - cid >= 2 && cid[0] == 0x12 && cid[1] == 0x20) {
    if (end - cid < 34) return 0;
    out->mh = cid;
    out->code = 0x12;
    out->digest = cid + 2;
    out->digest_len = 32;
    return 1;
  }
  int n;
  if (end - cid < 1 || cid[0] != 0x01) return 0; /* CID version 1, one byte */
  if (small_varint(cid + 1, end, &n) < 0) return 0; /* content codec */
  return parse_multihash(cid + 1 + n, end, out);
}

#endif
