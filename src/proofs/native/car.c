/*
 * CAR hot loops for src/store/car: the section scan that builds an index, and the CARv2 index encoder
 * (MultihashIndexSorted 0x0401 / IndexSorted 0x0400). The TypeScript code (src/store/car/scan.ts and
 * index-codec.ts) is the reference and owns every error: the scanner only takes the sections it is sure
 * of (minimal varints of at most four bytes, CIDv0 or CIDv1, whole in the buffer) and stops at anything
 * else, so the caller's TypeScript handles that section and gets the same typed error or result.
 * https://ipld.io/specs/transport/car/carv1/ , https://ipld.io/specs/transport/car/carv2/
 */
#include <stdlib.h>
#include <string.h>

#include "car.h"
#include "petal.h"

#define CAR_INCLUDE_IDENTITY 1u
#define CAR_KEY_DIGEST 2u

/*
 * Indexes the whole sections of buf[0, len), payload offset `offset` at buf[0]: for each, its key (the
 * CID's multihash, or digest with CAR_KEY_DIGEST) is appended to pool at io[1] and the entry at io[0]
 * gets key_start[e + 1], offsets[e] (payload offset) and sizes[e] (block bytes). Identity CIDs are
 * skipped unless CAR_INCLUDE_IDENTITY. Stops before the first section it cannot take whole (incomplete
 * in buf, zero or over max_section long, an unusual varint or CID, no room left in pool or the columns)
 * and returns the bytes it consumed in io[2]. key_start[io[0]] must already hold io[1].
 */
PETAL_API int32_t petal_car_scan(const uint8_t *buf, uint64_t len, uint64_t offset, uint64_t max_section, uint32_t flags,
                                 uint8_t *pool, uint64_t pool_cap, uint32_t *key_start, double *offsets, uint32_t *sizes,
                                 uint64_t entry_cap, uint64_t *io) {
  if ((!buf && len) || !pool || !key_start || !offsets || !sizes || !io) return PETAL_EINVAL;
  uint64_t count = io[0], used = io[1];
  if (count > entry_cap || used > pool_cap || pool_cap > 0xffffffffull) return PETAL_EINVAL;
  const uint8_t *p = buf, *end = buf + len;
  const int with_identity = (flags & CAR_INCLUDE_IDENTITY) != 0, by_digest = (flags & CAR_KEY_DIGEST) != 0;
  while (p < end && count < entry_cap) {
    int vl;
    int64_t slen = small_varint(p, end, &vl);
    if (slen <= 0 || (uint64_t)slen > max_section) break;
    if ((uint64_t)(end - p) < (uint64_t)vl + (uint64_t)slen) break;
    const uint8_t *cid = p + vl, *sec_end = cid + slen;
    struct car_cid c;
    if (!parse_cid(cid, sec_end, &c)) break;
    const uint8_t *cid_end = c.digest + c.digest_len;
    if (c.code != 0 || with_identity) {
      const uint8_t *key = by_digest ? c.digest : c.mh;
      uint64_t klen = (uint64_t)(cid_end - key);
      if (used + klen > pool_cap) break;
      memcpy(pool + used, key, klen);
      used += klen;
      offsets[count] = (double)(offset + (uint64_t)(p - buf));
      sizes[count] = (uint32_t)(sec_end - cid_end);
      key_start[++count] = (uint32_t)used;
    }
    p = sec_end;
  }
  io[0] = count;
  io[1] = used;
  io[2] = (uint64_t)(p - buf);
  return PETAL_OK;
}

/* ---- index encoding ---- */

#define MAX_GROUPS 64

struct group {
  int64_t code; /* -1 for IndexSorted */
  uint32_t width;
  uint64_t count;
  uint64_t at; /* where its entries start in the output */
};

/* Reads a multihash key's code and digest start; 0 when it is not a well-formed short multihash. */
static int parse_key(const uint8_t *k, const uint8_t *end, int64_t *code, const uint8_t **digest) {
  struct car_cid m;
  if (!parse_multihash(k, end, &m) || m.digest + m.digest_len != end) return 0;
  *code = m.code;
  *digest = m.digest;
  return 1;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v) {
  put32(p, (uint32_t)v);
  put32(p + 4, (uint32_t)(v >> 32));
}

static int cmp_group(const void *a, const void *b) {
  const struct group *x = a, *y = b;
  if (x->code != y->code) return x->code < y->code ? -1 : 1;
  return x->width < y->width ? -1 : x->width > y->width;
}

/* Finds the groups (code and width) of n keys; group of each key in gid. Returns the group count or -1. */
static int find_groups(const uint8_t *pool, const uint32_t *key_start, uint64_t n, int multihash_keys, int by_code,
                       struct group *g, uint8_t *gid, uint32_t *dstart) {
  int ng = 0, last = -1;
  for (uint64_t i = 0; i < n; i++) {
    const uint8_t *k = pool + key_start[i], *end = pool + key_start[i + 1];
    int64_t code = -1;
    const uint8_t *digest = k;
    if (multihash_keys && !parse_key(k, end, &code, &digest)) return -1;
    if (!by_code) code = -1;
    uint64_t width = (uint64_t)(end - digest) + 8;
    if (width > 0xffffffffu) return -1;
    int found = last;
    if (found < 0 || g[found].code != code || g[found].width != width) {
      found = -1;
      for (int j = 0; j < ng; j++)
        if (g[j].code == code && g[j].width == width) found = j;
      if (found < 0) {
        if (ng == MAX_GROUPS) return -1;
        found = ng++;
        g[found].code = code;
        g[found].width = (uint32_t)width;
        g[found].count = 0;
      }
      last = found;
    }
    gid[i] = (uint8_t)found;
    dstart[i] = (uint32_t)(digest - pool);
    g[found].count++;
  }
  return ng;
}

static uint64_t layout_size(struct group *g, int ng, int by_code) {
  uint64_t size = 2 + 4;
  for (int j = 0; j < ng; j++) {
    if (by_code && (j == 0 || g[j].code != g[j - 1].code)) size += 12;
    size += 12 + g[j].count * g[j].width;
  }
  return size;
}

/* Byte size of the encoded index (codec 0x0400 or 0x0401) in *size; PETAL_EUNSUPPORTED when the keys are
 * not all short well-formed multihashes or there are over 64 groups (the caller then encodes in TypeScript). */
PETAL_API int32_t petal_car_index_size(const uint8_t *pool, const uint32_t *key_start, uint64_t n, uint32_t codec,
                                       uint32_t digest_keys, uint64_t *size) {
  if ((!pool && n) || !key_start || !size || (codec != 0x0400 && codec != 0x0401)) return PETAL_EINVAL;
  uint8_t *gid = malloc(n ? n : 1);
  uint32_t *dstart = malloc((n ? n : 1) * sizeof(uint32_t));
  struct group g[MAX_GROUPS];
  int ng = (gid && dstart) ? find_groups(pool, key_start, n, !digest_keys, codec == 0x0401, g, gid, dstart) : -1;
  free(gid);
  free(dstart);
  if (ng < 0) return PETAL_EUNSUPPORTED;
  qsort(g, (size_t)ng, sizeof g[0], cmp_group);
  *size = layout_size(g, ng, codec == 0x0401);
  return PETAL_OK;
}

/* Digest order, ties by entry number (insertion order). */
struct sort_ctx {
  const uint8_t *pool;
  const uint32_t *dstart;
  uint32_t dlen;
};

static int cmp_tail(const struct sort_ctx *c, uint32_t x, uint32_t y) {
  int d = c->dlen > 4 ? memcmp(c->pool + c->dstart[x] + 4, c->pool + c->dstart[y] + 4, c->dlen - 4) : 0;
  if (d) return d;
  return x < y ? -1 : x > y;
}

static _Thread_local const struct sort_ctx *tie_ctx;

static int cmp_tail_q(const void *x, const void *y) {
  return cmp_tail(tie_ctx, *(const uint32_t *)x, *(const uint32_t *)y);
}

/* Sorts ids (entry numbers of one group, ascending) by digest: LSD radix on the first four bytes (kept in
 * a key column read in pool order), then insertion sort of the rare runs that tie on them. */
static int sort_group(uint32_t *ids, uint64_t n, const struct sort_ctx *c) {
  if (n < 2) return 0;
  uint32_t *keys = malloc(n * sizeof(uint32_t)), *keys2 = malloc(n * sizeof(uint32_t)), *tmp = malloc(n * sizeof(uint32_t));
  uint32_t *counts = calloc(3 * 2048, sizeof(uint32_t));
  if (!keys || !keys2 || !tmp || !counts) {
    free(keys), free(keys2), free(tmp), free(counts);
    return -1;
  }
  uint32_t head = c->dlen < 4 ? c->dlen : 4;
  for (uint64_t i = 0; i < n; i++) {
    const uint8_t *d = c->pool + c->dstart[ids[i]];
    uint32_t k = 0;
    for (uint32_t b = 0; b < 4; b++) k = (k << 8) | (b < head ? d[b] : 0);
    keys[i] = k;
    counts[k & 0x7ff]++;
    counts[2048 + ((k >> 11) & 0x7ff)]++;
    counts[4096 + (k >> 22)]++;
  }
  uint32_t *a = ids, *b = tmp;
  for (int pass = 0; pass < 3; pass++) {
    uint32_t *cnt = counts + pass * 2048;
    int shift = pass * 11;
    if (cnt[(keys[0] >> shift) & 0x7ff] == n) continue;
    uint32_t sum = 0;
    for (int d = 0; d < 2048; d++) {
      uint32_t v = cnt[d];
      cnt[d] = sum;
      sum += v;
    }
    for (uint64_t i = 0; i < n; i++) {
      uint32_t k = keys[i], at = cnt[(k >> shift) & 0x7ff]++;
      keys2[at] = k;
      b[at] = a[i];
    }
    uint32_t *t = a;
    a = b;
    b = t;
    t = keys;
    keys = keys2;
    keys2 = t;
  }
  if (c->dlen > 4) {
    for (uint64_t s = 0, i = 1; i <= n; i++) {
      if (i < n && keys[i] == keys[s]) continue;
      if (i - s > 16) {
        /* A long tie (hostile input can make one): O(n log n), never insertion sort's O(n^2). */
        tie_ctx = c;
        qsort(a + s, (size_t)(i - s), sizeof(uint32_t), cmp_tail_q);
        s = i;
        continue;
      }
      for (uint64_t x = s + 1; x < i; x++) {
        uint32_t v = a[x];
        uint64_t y = x;
        while (y > s && cmp_tail(c, a[y - 1], v) > 0) {
          a[y] = a[y - 1];
          y--;
        }
        a[y] = v;
      }
      s = i;
    }
  }
  if (a != ids) memcpy(ids, a, n * sizeof(uint32_t));
  free(keys), free(keys2), free(tmp), free(counts);
  return 0;
}

/* Encodes the index of n entries (keys in pool at key_start, payload offsets below 2^53) into out, which
 * must be exactly the size petal_car_index_size gave; byte for byte what src/store/car/index-codec.ts
 * writes. PETAL_EUNSUPPORTED as for petal_car_index_size. */
PETAL_API int32_t petal_car_index_encode(const uint8_t *pool, const uint32_t *key_start, const double *offsets, uint64_t n,
                                         uint32_t codec, uint32_t digest_keys, uint8_t *out, uint64_t out_len) {
  if ((!pool && n) || !key_start || (!offsets && n) || !out || (codec != 0x0400 && codec != 0x0401)) return PETAL_EINVAL;
  int by_code = codec == 0x0401;
  int32_t status = PETAL_OK;
  uint8_t *gid = malloc(n ? n : 1);
  uint32_t *dstart = malloc((n ? n : 1) * sizeof(uint32_t));
  uint32_t *ids = malloc((n ? n : 1) * sizeof(uint32_t));
  struct group g[MAX_GROUPS];
  int order[MAX_GROUPS];
  if (!gid || !dstart || !ids) {
    status = PETAL_EINVAL;
    goto done;
  }
  int ng = find_groups(pool, key_start, n, !digest_keys, by_code, g, gid, dstart);
  if (ng < 0) {
    status = PETAL_EUNSUPPORTED;
    goto done;
  }
  /* Sorted group order, and each group's members (ascending entry numbers) laid out in ids. */
  struct group s[MAX_GROUPS];
  memcpy(s, g, sizeof(struct group) * (size_t)ng);
  for (int j = 0; j < ng; j++) s[j].at = (uint64_t)j; /* remember the original index through the sort */
  qsort(s, (size_t)ng, sizeof s[0], cmp_group);
  for (int j = 0; j < ng; j++) order[s[j].at] = j;
  if (layout_size(s, ng, by_code) != out_len) {
    status = PETAL_EINVAL;
    goto done;
  }
  uint64_t fill[MAX_GROUPS], first[MAX_GROUPS];
  uint64_t sum = 0;
  for (int j = 0; j < ng; j++) {
    first[j] = sum;
    fill[j] = sum;
    sum += s[j].count;
  }
  for (uint64_t i = 0; i < n; i++) ids[fill[order[gid[i]]]++] = (uint32_t)i;
  /* Headers in order; each group's entry area recorded. */
  uint8_t *p = out;
  *p++ = (uint8_t)(0x80 | (codec & 0x7f));
  *p++ = (uint8_t)(codec >> 7);
  if (by_code) {
    uint32_t codes = 0;
    for (int j = 0; j < ng; j++)
      if (j == 0 || s[j].code != s[j - 1].code) codes++;
    put32(p, codes);
    p += 4;
  } else {
    put32(p, (uint32_t)ng);
    p += 4;
  }
  for (int j = 0; j < ng; j++) {
    if (by_code && (j == 0 || s[j].code != s[j - 1].code)) {
      put64(p, (uint64_t)s[j].code);
      uint32_t buckets = 0;
      for (int k = j; k < ng && s[k].code == s[j].code; k++) buckets++;
      put32(p + 8, buckets);
      p += 12;
    }
    put32(p, s[j].width);
    put64(p + 4, s[j].count * s[j].width);
    p += 12;
    struct sort_ctx ctx = {pool, dstart, s[j].width - 8};
    if (sort_group(ids + first[j], s[j].count, &ctx) != 0) {
      status = PETAL_EINVAL;
      goto done;
    }
    /* Entries in sorted order: the output streams, the pool reads are prefetched a few entries ahead. */
    const uint32_t *gids = ids + first[j];
    uint32_t dl = s[j].width - 8;
    for (uint64_t e = 0; e < s[j].count; e++) {
      /* Two steps ahead: the digest position and offset of entry e + 16, then the digest of e + 8. */
      if (e + 16 < s[j].count) {
        __builtin_prefetch(dstart + gids[e + 16]);
        __builtin_prefetch(offsets + gids[e + 16]);
      }
      if (e + 8 < s[j].count) __builtin_prefetch(pool + dstart[gids[e + 8]]);
      uint32_t id = gids[e];
      memcpy(p, pool + dstart[id], dl);
      put64(p + dl, (uint64_t)offsets[id]);
      p += s[j].width;
    }
  }
done:
  free(gid), free(dstart), free(ids);
  return status;
}

/*
 * Reads `n` entries of one index bucket from buf (each `width` bytes: a digest of width - 8 bytes, then the
 * block's payload offset as a little-endian u64) into the index columns: the key is prefix (the multihash's
 * code and length varints, or nothing for a digest-keyed index) then the digest; the block size is
 * unknown (0xffffffff). `prev` (width - 8 bytes, when has_prev) is the digest before the first entry.
 * Stops before the first entry the TypeScript reader would refuse (a digest below the one before it, an
 * offset of 2^53 or more) or that does not fit the columns, and leaves it to that reader, which raises
 * the error. io: in [0] count, [1] pool used; out [0..1] updated, [2] entries read.
 */
PETAL_API int32_t petal_car_index_entries(const uint8_t *buf, uint64_t n, uint32_t width, const uint8_t *prefix,
                                          uint32_t prefix_len, const uint8_t *prev, uint32_t has_prev, uint8_t *pool,
                                          uint64_t pool_cap, uint32_t *key_start, double *offsets, uint32_t *sizes,
                                          uint64_t entry_cap, uint64_t *io) {
  if ((!buf && n) || (!prefix && prefix_len) || (has_prev && !prev) || !pool || !key_start || !offsets || !sizes || !io)
    return PETAL_EINVAL;
  if (width < 8) return PETAL_EINVAL;
  const uint32_t dlen = width - 8;
  uint64_t count = io[0], used = io[1], done = 0;
  if (count > entry_cap || used > pool_cap) return PETAL_EINVAL;
  const uint8_t *before = has_prev ? prev : NULL;
  for (; done < n; done++) {
    const uint8_t *e = buf + done * (uint64_t)width;
    if (before && memcmp(before, e, dlen) > 0) break;
    uint64_t offset = 0;
    for (int k = 7; k >= 0; k--) offset = offset << 8 | e[dlen + k];
    if (offset >= (1ull << 53)) break;
    if (count >= entry_cap || used + prefix_len + dlen > pool_cap || used + prefix_len + dlen > 0xffffffffull) break;
    if (prefix_len) memcpy(pool + used, prefix, prefix_len);
    memcpy(pool + used + prefix_len, e, dlen);
    key_start[count] = (uint32_t)used;
    used += prefix_len + dlen;
    key_start[count + 1] = (uint32_t)used;
    offsets[count] = (double)offset;
    sizes[count] = 0xffffffffu;
    count++;
    before = e;
  }
  io[0] = count;
  io[1] = used;
  io[2] = done;
  return PETAL_OK;
}
