/*
 * The stream-table join row's job written by hand in C++ (make bench, the
 * `limit_cpp_stream_table_join` row), as fast as we know how: the user table's topic is read to
 * its end first, each row parsed (simdjson On-Demand), written to one RocksDB database (no WAL, in
 * batches) and kept decoded in an open-addressed hash table in front of it; then each event is
 * parsed (every member the Swift row's `BenchClick` holds, strings as views), joined with its user
 * from that table (an inner join: an event without a user is dropped and counted), and written as
 * the row's enriched JSON with the event's key, headers and timestamp. It keeps no changelog and
 * commits nothing, where the Sluice row does both: a lower bound for the job, not the same fault
 * tolerance.
 *
 *   stream_table_join BOOTSTRAP GROUP INPUT OUTPUT EXPECTED USERS_TOPIC
 *
 * Prints one JSON object like rdkafka_pipe's (events read, wall seconds, CPU seconds of the whole
 * process, table included, peak RSS), plus table rows, events written and dropped. Exits 1 if the
 * table or fewer than EXPECTED events came through within 120 s without progress.
 */
#include "common.hpp"

#include <librdkafka/rdkafka.h>
#include <rocksdb/c.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

struct User {
        std::string plan, country;
};

/* The decoded table in one open-addressed array (linear probing, at most half full): a lookup
 * is one probe into one entry, whose short strings sit inside it, so it costs the misses of one
 * entry's two cache lines (std::unordered_map's chained nodes cost three: bucket, node, key). */
class UserTable {
        struct Entry {
                size_t hash = 0;
                bool used = false;
                std::string key;
                User user;
        };
        std::vector<Entry> entries = std::vector<Entry>(1024);
        size_t count = 0;

        Entry &probe(std::string_view key, size_t hash) {
                size_t mask = entries.size() - 1;
                for (size_t i = hash & mask;; i = (i + 1) & mask)
                        if (!entries[i].used || (entries[i].hash == hash && entries[i].key == key)) return entries[i];
        }

    public:
        void put(std::string_view key, User user) {
                if ((count + 1) * 2 > entries.size()) {
                        std::vector<Entry> old(entries.size() * 2);
                        old.swap(entries);
                        for (Entry &e : old)
                                if (e.used) probe(e.key, e.hash) = std::move(e);
                }
                size_t hash = std::hash<std::string_view>()(key);
                Entry &e = probe(key, hash);
                if (!e.used) {
                        count++;
                        e.used = true;
                        e.hash = hash;
                        e.key.assign(key);
                }
                e.user = std::move(user);
        }

        const User *find(std::string_view key) {
                Entry &e = probe(key, std::hash<std::string_view>()(key));
                return e.used ? &e.user : nullptr;
        }
};

struct Click {
        std::string_view event_id, user_id, type, page, session_id, device, country;
        int64_t ts;
        double value;
};

/* simdjson reads up to SIMDJSON_PADDING bytes past a document: payloads are copied into a padded
 * buffer first (librdkafka's buffers promise no padding). */
static simdjson::ondemand::document *iterate(simdjson::ondemand::parser &parser, std::string &padded, const void *bytes,
                                             size_t length, simdjson::ondemand::document &doc) {
        padded.assign((const char *)bytes, length);
        padded.resize(length + simdjson::SIMDJSON_PADDING);
        if (parser.iterate(padded.data(), length, padded.size()).get(doc)) return nullptr;
        return &doc;
}

static bool parse_user(simdjson::ondemand::document &doc, User &u) {
        using namespace simdjson;
        ondemand::object o;
        std::string_view id, plan, country;
        int64_t day;
        if (doc.get_object().get(o) || o["user_id"].get_string().get(id) || o["plan"].get_string().get(plan) ||
            o["country"].get_string().get(country) || o["signup_day"].get_int64().get(day))
                return false;
        u.plan.assign(plan);
        u.country.assign(country);
        return true;
}

static bool parse_click(simdjson::ondemand::document &doc, Click &c) {
        using namespace simdjson;
        ondemand::object o;
        ondemand::object s;
        return !(doc.get_object().get(o) || o["event_id"].get_string().get(c.event_id) ||
                 o["user_id"].get_string().get(c.user_id) || o["type"].get_string().get(c.type) ||
                 o["ts"].get_int64().get(c.ts) || o["page"].get_string().get(c.page) || o["session"].get_object().get(s) ||
                 s["id"].get_string().get(c.session_id) || s["device"].get_string().get(c.device) ||
                 s["country"].get_string().get(c.country) || o["value"].get_double().get(c.value));
}

int main(int argc, char **argv) {
        if (argc < 7) {
                fprintf(stderr, "usage: %s BOOTSTRAP GROUP INPUT OUTPUT EXPECTED USERS_TOPIC\n", argv[0]);
                return 2;
        }
        const char *bootstrap = argv[1], *group = argv[2], *input = argv[3], *output = argv[4], *users_topic = argv[6];
        long expected = atol(argv[5]);
        const int batch_size = 1000;

        rd_kafka_t *producer = pipe_producer(bootstrap);
        rd_kafka_topic_t *out = rd_kafka_topic_new(producer, output, NULL);
        rd_kafka_t *consumer = pipe_consumer(bootstrap, group);
        rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(consumer);

        char dir[] = "/tmp/sluice-bench-join-XXXXXX";
        if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
        rocksdb_options_t *options = rocksdb_options_create();
        rocksdb_options_set_create_if_missing(options, 1);
        char *db_err = NULL;
        rocksdb_t *db = rocksdb_open(options, dir, &db_err);
        if (!db) { fprintf(stderr, "rocksdb: %s\n", db_err); return 2; }
        rocksdb_writeoptions_t *write_options = rocksdb_writeoptions_create();
        rocksdb_writeoptions_disable_WAL(write_options, 1);

        simdjson::ondemand::parser parser;
        simdjson::ondemand::document doc;
        std::string padded, enriched;
        UserTable users;
        rd_kafka_message_t **msgs = (rd_kafka_message_t **)malloc(sizeof(*msgs) * batch_size);

        // The table first, each partition to the end it has now (the Sluice row's tasks also read
        // their table partition to its end before their events).
        const rd_kafka_metadata_t *metadata = NULL;
        rd_kafka_topic_t *users_handle = rd_kafka_topic_new(consumer, users_topic, NULL);
        if (rd_kafka_metadata(consumer, 0, users_handle, &metadata, 10000) || metadata->topic_cnt != 1) {
                fprintf(stderr, "no metadata for %s\n", users_topic);
                return 2;
        }
        rd_kafka_topic_partition_list_t *table = rd_kafka_topic_partition_list_new(metadata->topics[0].partition_cnt);
        long table_rows = 0, table_expected = 0, table_dropped = 0;
        for (int p = 0; p < metadata->topics[0].partition_cnt; p++) {
                int64_t low = 0, high = 0;
                rd_kafka_query_watermark_offsets(consumer, users_topic, p, &low, &high, 10000);
                table_expected += high - low;
                rd_kafka_topic_partition_list_add(table, users_topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
        }
        rd_kafka_metadata_destroy(metadata);
        rd_kafka_topic_destroy(users_handle);
        rd_kafka_assign(consumer, table);
        rocksdb_writebatch_t *batch = rocksdb_writebatch_create();
        double last_progress = now();
        while (table_rows + table_dropped < table_expected && now() - last_progress < 120) {
                ssize_t n = rd_kafka_consume_batch_queue(queue, 100, msgs, batch_size);
                for (ssize_t i = 0; i < n; i++) {
                        rd_kafka_message_t *m = msgs[i];
                        User u;
                        if (!m->err && m->key && iterate(parser, padded, m->payload, m->len, doc) && parse_user(doc, u)) {
                                rocksdb_writebatch_put(batch, (const char *)m->key, m->key_len, (const char *)m->payload, m->len);
                                users.put(std::string_view((const char *)m->key, m->key_len), std::move(u));
                                table_rows++;
                        } else if (!m->err) {
                                table_dropped++;
                        }
                        rd_kafka_message_destroy(m);
                }
                if (n > 0) {
                        rocksdb_write(db, write_options, batch, &db_err);
                        if (db_err) { fprintf(stderr, "rocksdb: %s\n", db_err); return 2; }
                        rocksdb_writebatch_clear(batch);
                        last_progress = now();
                }
        }
        rd_kafka_assign(consumer, NULL);
        rd_kafka_topic_partition_list_destroy(table);

        subscribe(consumer, input);
        long received = 0, written = 0, dropped = 0;
        double wall = consume(queue, producer, expected, received, [&](rd_kafka_message_t *m) {
                Click c;
                const User *user = nullptr;
                if (iterate(parser, padded, m->payload, m->len, doc) && parse_click(doc, c)) user = users.find(c.user_id);
                if (!user) {
                        dropped++;
                        return;
                }
                enriched.clear();
                enriched += "{\"event_id\":";
                put_string(enriched, c.event_id);
                enriched += ",\"user\":";
                put_string(enriched, c.user_id);
                enriched += ",\"page\":";
                put_string(enriched, c.page);
                enriched += ",\"cents\":";
                enriched += std::to_string((long long)(c.value * 100));
                enriched += ",\"plan\":";
                put_string(enriched, user->plan);
                enriched += ",\"country\":";
                put_string(enriched, user->country);
                enriched += '}';
                if (produce_like(producer, out, m, enriched)) written++;
        });
        printf("{\"records\":%ld,\"table_rows\":%ld,\"written\":%ld,\"dropped\":%ld,\"seconds\":%.3f,\"cpu_seconds\":%.3f,"
               "\"peak_rss_mb\":%.1f}\n",
               received, table_rows, written, dropped, wall, cpu_seconds(), peak_rss_mb());

        free(msgs);
        rocksdb_writebatch_destroy(batch);
        rocksdb_writeoptions_destroy(write_options);
        rocksdb_close(db);
        rocksdb_destroy_db(options, dir, &db_err);
        rocksdb_options_destroy(options);
        rmdir(dir);
        rd_kafka_queue_destroy(queue);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_topic_destroy(out);
        rd_kafka_destroy(producer);
        return received == expected && table_rows == table_expected ? 0 : 1;
}
