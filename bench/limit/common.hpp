/* What the C++ limit programs (json_filter_map.cpp, stream_table_join.cpp) share: rdkafka_pipe.c's
 * clock, peak-RSS reading, producer, consumer and way of producing, in C++ (the C pipe stays one
 * plain C file, readable on its own), and the JSON string writer. */
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sys/resource.h>
#include <string>
#include <string_view>

static double now() {
        timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* VmHWM, as rdkafka_pipe.c reads it (not ru_maxrss, which a spawned child inherits). */
static double peak_rss_mb() {
        FILE *f = fopen("/proc/self/status", "r");
        char line[256];
        long kb = 0;
        if (!f) return 0;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
        fclose(f);
        return kb / 1024.0;
}

static void set(rd_kafka_conf_t *conf, const char *k, const char *v) {
        char err[512];
        if (rd_kafka_conf_set(conf, k, v, err, sizeof(err)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "config %s: %s\n", k, err);
                exit(2);
        }
}

/* A JSON string written as the Swift rows write it (Foundation's JSONEncoder's bytes): quotes,
 * backslashes, slashes and control characters escaped; a string with none of them is appended
 * whole. (The bench compares the two outputs record for record.) */
static void put_string(std::string &out, std::string_view s) {
        static const char hex[] = "0123456789abcdef";
        out += '"';
        size_t plain = 0;
        while (plain < s.size() && (unsigned char)s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\' && s[plain] != '/')
                plain++;
        out.append(s.data(), plain);
        for (unsigned char c : s.substr(plain)) {
                if (c == '"' || c == '\\' || c == '/') {
                        out += '\\';
                        out += char(c);
                } else if (c < 0x20) {
                        switch (c) {
                        case '\b': out += "\\b"; break;
                        case '\f': out += "\\f"; break;
                        case '\n': out += "\\n"; break;
                        case '\r': out += "\\r"; break;
                        case '\t': out += "\\t"; break;
                        default:
                                out += "\\u00";
                                out += hex[c >> 4];
                                out += hex[c & 15];
                        }
                } else {
                        out += char(c);
                }
        }
        out += '"';
}

/* A client of `type` made from `conf`, or the process exits naming `what`. */
static rd_kafka_t *new_client(rd_kafka_type_t type, rd_kafka_conf_t *conf, const char *what) {
        char err[512];
        rd_kafka_t *client = rd_kafka_new(type, conf, err, sizeof(err));
        if (!client) {
                fprintf(stderr, "%s: %s\n", what, err);
                exit(2);
        }
        return client;
}

/* The C pipe's producer: idempotent, 5 ms linger, librdkafka's partitioner, reports of errors only. */
static rd_kafka_t *pipe_producer(const char *bootstrap) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        set(conf, "bootstrap.servers", bootstrap);
        set(conf, "enable.idempotence", "true");
        set(conf, "linger.ms", "5");
        set(conf, "partitioner", "murmur2_random");
        set(conf, "delivery.report.only.error", "true");
        return new_client(RD_KAFKA_PRODUCER, conf, "producer");
}

/* The C pipe's consumer, polled through its consumer queue: from the earliest offset, committing
 * nothing. */
static rd_kafka_t *pipe_consumer(const char *bootstrap, const char *group) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        set(conf, "bootstrap.servers", bootstrap);
        set(conf, "group.id", group);
        set(conf, "auto.offset.reset", "earliest");
        set(conf, "enable.auto.commit", "false");
        set(conf, "enable.auto.offset.store", "false");
        set(conf, "partition.assignment.strategy", "range");
        rd_kafka_t *consumer = new_client(RD_KAFKA_CONSUMER, conf, "consumer");
        rd_kafka_poll_set_consumer(consumer);
        return consumer;
}

/* Joins the consumer's group for `topic`. */
static void subscribe(rd_kafka_t *consumer, const char *topic) {
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(consumer, topics);
        rd_kafka_topic_partition_list_destroy(topics);
}

/* Produces `value` with the key, headers and timestamp of the consumed `m`, as the C pipe produces
 * each record. Returns whether librdkafka took it. */
static bool produce_like(rd_kafka_t *producer, rd_kafka_topic_t *out, rd_kafka_message_t *m, const std::string &value) {
        rd_kafka_headers_t *hdrs = NULL, *copy = NULL;
        if (!rd_kafka_message_headers(m, &hdrs)) copy = rd_kafka_headers_copy(hdrs);
        rd_kafka_timestamp_type_t tstype;
        int64_t ts = rd_kafka_message_timestamp(m, &tstype);
        rd_kafka_resp_err_t e;
        while ((e = rd_kafka_producev(producer, RD_KAFKA_V_RKT(out), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                      RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE((void *)value.data(), value.size()),
                                      RD_KAFKA_V_TIMESTAMP(ts), RD_KAFKA_V_HEADERS(copy), RD_KAFKA_V_END)) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL)
                rd_kafka_poll(producer, 10);
        if (e) {
                fprintf(stderr, "produce: %s\n", rd_kafka_err2str(e));
                if (copy) rd_kafka_headers_destroy(copy);
                return false;
        }
        return true;
}

/* User and system CPU seconds of the whole process, every thread. */
static double cpu_seconds() {
        rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The C pipe's loop: batches of up to 1,000 records from `queue` until `expected` came (counted in
 * `received`) or none came for 120 s, each handed to `handle`, then the producer flushed.
 * Returns the wall seconds from the first record to the last acknowledgement. */
template <typename Handle>
static double consume(rd_kafka_queue_t *queue, rd_kafka_t *producer, long expected, long &received, Handle handle) {
        static rd_kafka_message_t *msgs[1000];
        double first = 0, last_progress = now();
        while (received < expected && now() - last_progress < 120) {
                ssize_t n = rd_kafka_consume_batch_queue(queue, 100, msgs, 1000);
                for (ssize_t i = 0; i < n; i++) {
                        rd_kafka_message_t *m = msgs[i];
                        if (!m->err) {
                                if (!first) first = now();
                                received++;
                                handle(m);
                        }
                        rd_kafka_message_destroy(m);
                }
                if (n > 0) last_progress = now();
                rd_kafka_poll(producer, 0);
        }
        rd_kafka_flush(producer, 60000);
        return first ? now() - first : 0;
}
