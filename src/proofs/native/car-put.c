/*
 * The dedupe step of a ReadWrite blockstore's putMany (src/store/blockstore/read-write.ts), run over a
 * whole batch of sections at once against the store's CarIndex (src/store/car/car-index.ts): its columns
 * and its live open-addressing hash table, which this code reads and extends exactly as the TypeScript
 * `addIfAbsent` does (same key hash, same probe order, same slot layout), so either side can carry on
 * where the other stopped.
 */
#include <string.h>

#include "car.h"
#include "petal.h"

/* CarIndex's key hash: four bytes a step, then murmur3's finalizer, from a per-process seed. */
static inline uint32_t key_hash(uint32_t seed, const uint8_t *p, uint64_t n) {
  uint32_t h = seed ^ (uint32_t)n;
  uint64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t k = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;
    h = (h ^ (k * 0xcc9e2d51u)) * 0x1b873593u;
    h = (h << 13) | (h >> 19);
  }
  for (; i < n; i++) h = (h ^ p[i]) * 0x01000193u;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  return h ^ (h >> 16);
}

/* The parts of one section of the batch. */
struct section {
  const uint8_t *start; /* the varint */
  uint64_t total;       /* varint + CID + block */
  const uint8_t *key;   /* the multihash */
  uint64_t key_len;
  uint32_t size; /* block bytes */
  uint32_t hash;
};

/* Parses the section at p[0, end); 0 when it is not whole or not one the TypeScript side would write. */
static inline int parse_section(const uint8_t *p, const uint8_t *end, struct section *s) {
  int vl;
  int64_t slen = small_varint(p, end, &vl);
  if (slen <= 0 || (uint64_t)(end - p) < (uint64_t)vl + (uint64_t)slen) return 0;
  const uint8_t *sec_end = p + vl + slen;
  struct car_cid c;
  if (!parse_cid(p + vl, sec_end, &c)) return 0;
  const uint8_t *cid_end = c.digest + c.digest_len;
  s->start = p;
  s->total = (uint64_t)vl + (uint64_t)slen;
  s->key = c.mh;
  s->key_len = (uint64_t)(cid_end - c.mh);
  s->size = (uint32_t)(sec_end - cid_end);
  return 1;
}

#define AHEAD 16

/*
 * Dedupes and indexes the sections of buf[0, len), a batch the caller encoded, to be written at payload
 * offset `offset`. A section whose multihash the index already holds (from an earlier batch or earlier in
 * this one) is dropped and the batch compacted in place; a new one becomes entry `count` (key appended to
 * pool, offset = `offset` + its place in the compacted batch, block size) and claims its empty slot.
 * Slots are (entry, hash) int32 pairs, `slot_count` of them (a power of two), -1 when empty.
 * io (u64[6]): in  [0] count, [1] pool used, [2] distinct keys;
 *              out [0..2] updated, [3] bytes of input consumed, [4] compacted length, [5] sections consumed.
 * It stops before a section it cannot take (not whole, a CID it does not parse, no room in the columns or
 * pool, or a claim that would fill the table past half, where the TypeScript index would rehash); the
 * caller handles the rest.
 */
PETAL_API int32_t petal_car_put_sections(uint8_t *buf, uint64_t len, uint64_t offset, uint32_t seed, uint8_t *pool,
                                         uint64_t pool_cap, uint32_t *key_start, double *offsets, uint32_t *sizes,
                                         int32_t *hashes, int32_t *next, int32_t *last, uint64_t entry_cap,
                                         int32_t *slots, uint64_t slot_count, uint64_t *io) {
  if ((!buf && len) || !pool || !key_start || !offsets || !sizes || !hashes || !next || !last || !slots || !io)
    return PETAL_EINVAL;
  if (slot_count == 0 || (slot_count & (slot_count - 1)) || slot_count > 0x40000000ull) return PETAL_EINVAL;
  uint64_t count = io[0], used = io[1], distinct = io[2];
  if (count > entry_cap || entry_cap > 0x7fffffffull || used > pool_cap || pool_cap > 0xffffffffull) return PETAL_EINVAL;
  const uint64_t mask = slot_count - 1;
  const uint8_t *end = buf + len;
  uint8_t *p = buf;
  uint64_t out = 0, sections = 0;
  struct section ahead[AHEAD];
  int stop = 0;
  while (!stop && p < end) {
    /* Parse and hash a few sections first and touch their slots, so the table's cache misses overlap. */
    int n = 0;
    for (const uint8_t *q = p; n < AHEAD && q < end; n++) {
      if (!parse_section(q, end, &ahead[n])) break;
      ahead[n].hash = key_hash(seed, ahead[n].key, ahead[n].key_len);
      __builtin_prefetch(&slots[(ahead[n].hash & mask) << 1]);
      q += ahead[n].total;
    }
    if (n == 0) break;
    for (int k = 0; k < n; k++) {
      const struct section *s = &ahead[k];
      const int32_t h = (int32_t)s->hash;
      uint64_t i = s->hash & mask;
      int found = 0;
      for (;;) {
        const int32_t e = slots[i << 1];
        if (e == -1) break;
        if (slots[(i << 1) + 1] == h) {
          const uint32_t ks = key_start[e];
          if (key_start[e + 1] - ks == s->key_len && memcmp(pool + ks, s->key, s->key_len) == 0) {
            found = 1;
            break;
          }
        }
        i = (i + 1) & mask;
      }
      if (!found) {
        if (count >= entry_cap || used + s->key_len > pool_cap || (distinct + 1) * 2 > slot_count) {
          stop = 1;
          break;
        }
        memcpy(pool + used, s->key, s->key_len);
        key_start[count] = (uint32_t)used;
        used += s->key_len;
        key_start[count + 1] = (uint32_t)used;
        offsets[count] = (double)(offset + out);
        sizes[count] = s->size;
        hashes[count] = h;
        next[count] = -1;
        last[count] = (int32_t)count;
        slots[i << 1] = (int32_t)count;
        slots[(i << 1) + 1] = h;
        count++;
        distinct++;
        if (buf + out != s->start) memmove(buf + out, s->start, s->total);
        out += s->total;
      }
      p += s->total;
      sections++;
    }
    if (n < AHEAD && p < end && !stop) break; /* the look-ahead met a section it does not take */
  }
  io[0] = count;
  io[1] = used;
  io[2] = distinct;
  io[3] = (uint64_t)(p - buf);
  io[4] = out;
  io[5] = sections;
  return PETAL_OK;
}

/*
 * Builds the CarIndex hash table over entries [0, count) in entry order, as the TypeScript `#build` does:
 * each key's first entry claims a slot (hashes[id], last[id] = id), a later entry with the same key is
 * chained after the key's last one (next[], last[]). The caller sized `slots` (slot_count pairs, a power of
 * two, all -1) to at least twice `count`, so no claim needs a rehash; next[] is set to -1 here.
 * Hashing and slot loads of a few entries ahead overlap their cache misses. *distinct: keys claimed.
 */
PETAL_API int32_t petal_car_index_build(const uint8_t *pool, uint64_t pool_len, const uint32_t *key_start, uint64_t count,
                                        uint32_t seed, int32_t *hashes, int32_t *next, int32_t *last, int32_t *slots,
                                        uint64_t slot_count, uint64_t *distinct_out) {
  if ((count && (!pool || !key_start || !hashes || !next || !last)) || !slots || !distinct_out) return PETAL_EINVAL;
  if (slot_count == 0 || (slot_count & (slot_count - 1)) || slot_count > 0x40000000ull || count > 0x7fffffffull ||
      count * 2 > slot_count)
    return PETAL_EINVAL;
  if (count && key_start[count] > pool_len) return PETAL_EINVAL;
  const uint64_t mask = slot_count - 1;
  uint64_t distinct = 0;
  uint32_t ahead[AHEAD];
  for (uint64_t base = 0; base < count; base += AHEAD) {
    const uint64_t n = count - base < AHEAD ? count - base : AHEAD;
    for (uint64_t k = 0; k < n; k++) {
      const uint64_t id = base + k;
      const uint32_t ks = key_start[id], ke = key_start[id + 1];
      if (ke < ks) return PETAL_EINVAL;
      ahead[k] = key_hash(seed, pool + ks, ke - ks);
      __builtin_prefetch(&slots[(ahead[k] & mask) << 1]);
    }
    for (uint64_t k = 0; k < n; k++) {
      const uint64_t id = base + k;
      const int32_t h = (int32_t)ahead[k];
      const uint32_t ks = key_start[id], len = key_start[id + 1] - ks;
      uint64_t i = ahead[k] & mask;
      int32_t first = -1;
      for (;;) {
        const int32_t e = slots[i << 1];
        if (e == -1) break;
        if (slots[(i << 1) + 1] == h && key_start[e + 1] - key_start[e] == len && memcmp(pool + key_start[e], pool + ks, len) == 0) {
          first = e;
          break;
        }
        i = (i + 1) & mask;
      }
      hashes[id] = h;
      next[id] = -1;
      if (first == -1) {
        slots[i << 1] = (int32_t)id;
        slots[(i << 1) + 1] = h;
        last[id] = (int32_t)id;
        distinct++;
      } else {
        next[last[first]] = (int32_t)id;
        last[first] = (int32_t)id;
      }
    }
  }
  *distinct_out = distinct;
  return PETAL_OK;
}
