#ifndef SLUICE_CRDKAFKA_SHIM_H
#define SLUICE_CRDKAFKA_SHIM_H

// librdkafka's C API and its mock cluster (our embedded broker, DESIGN.md §4).
// Debian: librdkafka-dev 2.0.2.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

// rd_kafka_producev is variadic, which Swift cannot call. This one call site builds the
// argument vector in C, on the stack, so the per-record path allocates nothing for it.
// `headers` may be NULL; on success librdkafka owns it, on failure the caller still does.
static inline rd_kafka_resp_err_t sluice_rd_kafka_produce(
    rd_kafka_t *rk, rd_kafka_topic_t *rkt, int32_t partition,
    const void *key, size_t key_len, const void *value, size_t value_len,
    int64_t timestamp, rd_kafka_headers_t *headers) {
    if (headers)
        return rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                 RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_VALUE((void *)value, value_len),
                                 RD_KAFKA_V_TIMESTAMP(timestamp), RD_KAFKA_V_HEADERS(headers),
                                 RD_KAFKA_V_END);
    return rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_VALUE((void *)value, value_len),
                             RD_KAFKA_V_TIMESTAMP(timestamp), RD_KAFKA_V_END);
}

// A consumed record's payload was written by a broker thread, so the stream thread's first read
// of it misses the cache; the stream thread asks for the next records' while it works on one.
// The prefetches are hints and never fault; finding the payload reads the message itself, which
// must be one of the batch's (still owned by the consumer).
static inline void sluice_prefetch_message(const rd_kafka_message_t *message) {
    if (!message) return;
    // The message is the head of librdkafka's larger record, whose timestamp and headers the
    // stream thread reads too: three lines hold them.
    const char *p = (const char *)message;
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
    __builtin_prefetch(p + 128);
}

static inline void sluice_prefetch_payload(const rd_kafka_message_t *message) {
    if (!message) return;
    const char *payload = (const char *)message->payload;
    size_t length = message->len < 256 ? message->len : 256;  // what a decoder reads first
    for (size_t offset = 0; offset < length; offset += 64) __builtin_prefetch(payload + offset);
    if (message->key) __builtin_prefetch(message->key);
}

// Reading a consumed record's headers costs librdkafka 2.0.2 an allocation and a parse even when
// the record has none (rd_kafka_message_headers: a record batch v2 record always carries a header
// count, so a record without headers has a one-byte block, `0`, which it parses into a buffer it
// callocs and frees, every time it is asked). The C pipe pays that too; Sluice asks here first.
// This mirrors rd_kafka_msg_t of librdkafka 2.0.2 (src/rdkafka_msg.h, private), up to the unparsed
// header block; callers use it only when rd_kafka_version() is exactly 2.0.2 (`HeaderProbe`).
struct sluice_rd_kafka_msg_v2_0_2 {
    rd_kafka_message_t rkmessage;
    struct { void *next; void **prev; } link;
    int flags;
    rd_kafka_timestamp_type_t tstype;
    int64_t timestamp;
    rd_kafka_headers_t *headers;
    rd_kafka_msg_status_t status;
    int32_t broker_id;
    union {
        struct { int64_t ts_timeout, ts_enq, ts_backoff; uint64_t msgid, last_msgid; int retries; } producer;
        struct { struct { int32_t len; const void *data; const char data_[1]; } binhdrs; } consumer;
    } u;
};

// 1 when a consumed message certainly has no headers (none parsed, and its header block empty or a
// count of zero); 0 when it may have some, for rd_kafka_message_headers to tell.
static inline int sluice_rd_kafka_consumed_without_headers_v2_0_2(const rd_kafka_message_t *message) {
    const struct sluice_rd_kafka_msg_v2_0_2 *m = (const struct sluice_rd_kafka_msg_v2_0_2 *)message;
    if (m->headers || (m->flags & 0x40000 /* RD_KAFKA_MSG_F_PRODUCER */)) return 0;
    int32_t len = m->u.consumer.binhdrs.len;
    return len == 0 || (len == 1 && *(const unsigned char *)m->u.consumer.binhdrs.data == 0);
}

#endif
