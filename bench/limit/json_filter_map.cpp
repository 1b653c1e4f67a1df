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

        rd_kafka_t *producer = pipe_producer(bootstrap);
        rd_kafka_topic_t *out = rd_kafka_topic_new(producer, output, NULL);
        rd_kafka_t *consumer = pipe_consumer(bootstrap, group);
        subscribe(consumer, input);
        rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(consumer);

        // simdjson reads up to SIMDJSON_PADDING bytes past a document: each payload is copied into
        // a padded buffer first (librdkafka's buffers promise no padding).
        simdjson::ondemand::parser parser;
        std::string padded, summary;
        long received = 0, written = 0, dropped = 0;
        double wall = consume(queue, producer, expected, received, [&](rd_kafka_message_t *m) {
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
                        if (produce_like(producer, out, m, summary)) written++;
                }
        });
        printf("{\"records\":%ld,\"written\":%ld,\"dropped\":%ld,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"peak_rss_mb\":%.1f}\n",
               received, written, dropped, wall, cpu_seconds(), peak_rss_mb());

        rd_kafka_queue_destroy(queue);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_topic_destroy(out);
        rd_kafka_destroy(producer);
        return received == expected ? 0 : 1;
}
