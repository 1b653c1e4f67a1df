/*
 * The JSON filter-and-map job written by hand in C++, as fast as we know how (make bench, the
 * `limit_cpp_json_filter_map` row): the C pipe (rdkafka_pipe.c) with the JSON row's work in the
 * middle. Each event is parsed with simdjson's On-Demand API (the fastest JSON parser we know),
 * every member the Swift row's `BenchClick` holds is read (strings as views into simdjson's
 * buffer, no copies: what C++ can do and a Swift `String` cannot), clicks are kept and their
 * summary written as JSON ({"user","page","device","cents"}, escaped), then produced with the
 * event's key, headers and timestamp. An event that does not parse is counted and dropped.
 * (simdjson validates the UTF-8 of the whole event and what it reads, here every member; unlike
 * Sluice's decoder it does not look past the event's closing brace.)
 *
 * It shows what the JSON row's goal asks of Sluice: a ratio to the C pipe that this program
 * cannot reach is out of any JSON library's reach too.
 *
 *   json_filter_map BOOTSTRAP GROUP INPUT OUTPUT EXPECTED
 *
 * Prints one JSON object like rdkafka_pipe's (records read, wall seconds from the first record to
 * the last acknowledgement, CPU seconds of the process, peak RSS), plus the records written and
 * dropped. Exits 1 if fewer than EXPECTED records came through within 120 s without progress.
 */
#include "common.hpp"

#include <librdkafka/rdkafka.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <sys/resource.h>

struct Click {
        std::string_view event_id, user_id, type, page, session_id, device, country;
        int64_t ts;
        double value;
};

/* Reads every member of the event, in any order, as the Swift row's BenchClick does. */
static bool parse(simdjson::ondemand::parser &parser, const char *bytes, size_t length, size_t capacity, Click &c) {
        using namespace simdjson;
        ondemand::document doc;
        if (parser.iterate(bytes, length, capacity).get(doc)) return false;
        ondemand::object o;
        if (doc.get_object().get(o)) return false;
        ondemand::object s;
        if (o["event_id"].get_string().get(c.event_id) || o["user_id"].get_string().get(c.user_id) ||
            o["type"].get_string().get(c.type) || o["ts"].get_int64().get(c.ts) || o["page"].get_string().get(c.page) ||
            o["session"].get_object().get(s) || s["id"].get_string().get(c.session_id) ||
            s["device"].get_string().get(c.device) || s["country"].get_string().get(c.country) ||
            o["value"].get_double().get(c.value))
                return false;
        return true;
}

int main(int argc, char **argv) {
        if (argc < 6) {
                fprintf(stderr, "usage: %s BOOTSTRAP GROUP INPUT OUTPUT EXPECTED\n", argv[0]);
                return 2;
        }
        const char *bootstrap = argv[1], *group = argv[2], *input = argv[3], *output = argv[4];
        long expected = atol(argv[5]);
        const int batch_size = 1000;
        char err[512];

        rd_kafka_conf_t *pconf = rd_kafka_conf_new();
        set(pconf, "bootstrap.servers", bootstrap);
        set(pconf, "enable.idempotence", "true");
        set(pconf, "linger.ms", "5");
        set(pconf, "partitioner", "murmur2_random");
        set(pconf, "delivery.report.only.error", "true");
        rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, err, sizeof(err));
        if (!producer) { fprintf(stderr, "producer: %s\n", err); return 2; }
        rd_kafka_topic_t *out = rd_kafka_topic_new(producer, output, NULL);

        rd_kafka_conf_t *cconf = rd_kafka_conf_new();
        set(cconf, "bootstrap.servers", bootstrap);
        set(cconf, "group.id", group);
        set(cconf, "auto.offset.reset", "earliest");
        set(cconf, "enable.auto.commit", "false");
        set(cconf, "enable.auto.offset.store", "false");
        set(cconf, "partition.assignment.strategy", "range");
        rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, err, sizeof(err));
        if (!consumer) { fprintf(stderr, "consumer: %s\n", err); return 2; }
        rd_kafka_poll_set_consumer(consumer);
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, input, RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(consumer, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(consumer);

        // simdjson reads up to SIMDJSON_PADDING bytes past a document: each payload is copied into
        // a padded buffer first (librdkafka's buffers promise no padding).
        simdjson::ondemand::parser parser;
        std::string padded, summary;
        rd_kafka_message_t **msgs = (rd_kafka_message_t **)malloc(sizeof(*msgs) * batch_size);
        long received = 0, written = 0, dropped = 0;
        double first = 0, last_progress = now();
        while (received < expected && now() - last_progress < 120) {
                ssize_t n = rd_kafka_consume_batch_queue(queue, 100, msgs, batch_size);
                for (ssize_t i = 0; i < n; i++) {
                        rd_kafka_message_t *m = msgs[i];
                        if (!m->err) {
                                if (!first) first = now();
                                received++;
                                padded.assign((const char *)m->payload, m->len);
                                padded.resize(m->len + simdjson::SIMDJSON_PADDING);
                                Click c;
                                if (!parse(parser, padded.data(), m->len, padded.size(), c)) {
                                        dropped++;
                                } else if (c.type == "click") {
                                        summary.clear();
                                        summary += "{\"user\":";
                                        put_string(summary, c.user_id);
                                        summary += ",\"page\":";
                                        put_string(summary, c.page);
                                        summary += ",\"device\":";
                                        put_string(summary, c.device);
                                        summary += ",\"cents\":";
                                        summary += std::to_string((long long)(c.value * 100));
                                        summary += '}';
                                        rd_kafka_headers_t *hdrs = NULL, *copy = NULL;
                                        if (!rd_kafka_message_headers(m, &hdrs)) copy = rd_kafka_headers_copy(hdrs);
                                        rd_kafka_timestamp_type_t tstype;
                                        int64_t ts = rd_kafka_message_timestamp(m, &tstype);
                                        rd_kafka_resp_err_t e;
                                        while ((e = rd_kafka_producev(producer, RD_KAFKA_V_RKT(out),
                                                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                                      RD_KAFKA_V_KEY(m->key, m->key_len),
                                                                      RD_KAFKA_V_VALUE((void *)summary.data(), summary.size()),
                                                                      RD_KAFKA_V_TIMESTAMP(ts), RD_KAFKA_V_HEADERS(copy),
                                                                      RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                                rd_kafka_poll(producer, 10);
                                        if (e) {
                                                fprintf(stderr, "produce: %s\n", rd_kafka_err2str(e));
                                                if (copy) rd_kafka_headers_destroy(copy);
                                        } else {
                                                written++;
                                        }
                                }
                        }
                        rd_kafka_message_destroy(m);
                }
                if (n > 0) last_progress = now();
                rd_kafka_poll(producer, 0);
        }
        rd_kafka_flush(producer, 60000);
        double wall = first ? now() - first : 0;

        rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
        printf("{\"records\":%ld,\"written\":%ld,\"dropped\":%ld,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"peak_rss_mb\":%.1f}\n",
               received, written, dropped, wall, cpu, peak_rss_mb());

        free(msgs);
        rd_kafka_queue_destroy(queue);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_topic_destroy(out);
        rd_kafka_destroy(producer);
        return received == expected ? 0 : 1;
}
