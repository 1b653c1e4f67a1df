/*
 * The physical limit of a Kafka pipe here (make bench, DESIGN.md §7): consume a topic and produce
 * every record unchanged (key, value, headers, timestamp) to another, through librdkafka's C API,
 * with nothing else in the way. Sluice's rows are measured against this one, in the same run.
 *
 *   rdkafka_pipe BOOTSTRAP GROUP INPUT OUTPUT EXPECTED [BATCH]
 *
 * Prints one JSON object: records, wall seconds from the first record to the last acknowledgement,
 * CPU seconds (user+sys of the whole process), peak RSS. Exits 1 if fewer than EXPECTED records
 * came through within 120 s without progress.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Peak resident memory of this process image, from VmHWM. Not ru_maxrss: a process started with
 * posix_spawn (vfork) inherits its parent's high-water mark across exec, so a child of a large
 * bench process would report the parent's memory. */
static double peak_rss_mb(void) {
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

int main(int argc, char **argv) {
        if (argc < 6) {
                fprintf(stderr, "usage: %s BOOTSTRAP GROUP INPUT OUTPUT EXPECTED [BATCH]\n", argv[0]);
                return 2;
        }
        const char *bootstrap = argv[1], *group = argv[2], *input = argv[3], *output = argv[4];
        long expected = atol(argv[5]);
        int batch_size = argc > 6 ? atoi(argv[6]) : 1000;
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

        rd_kafka_message_t **msgs = malloc(sizeof(*msgs) * batch_size);
        long received = 0;
        double first = 0, last_progress = now();
        while (received < expected && now() - last_progress < 120) {
                ssize_t n = rd_kafka_consume_batch_queue(queue, 100, msgs, batch_size);
                for (ssize_t i = 0; i < n; i++) {
                        rd_kafka_message_t *m = msgs[i];
                        if (!m->err) {
                                rd_kafka_headers_t *hdrs = NULL, *copy = NULL;
                                if (!rd_kafka_message_headers(m, &hdrs)) copy = rd_kafka_headers_copy(hdrs);
                                rd_kafka_timestamp_type_t tstype;
                                int64_t ts = rd_kafka_message_timestamp(m, &tstype);
                                rd_kafka_resp_err_t e;
                                while ((e = rd_kafka_producev(producer, RD_KAFKA_V_RKT(out),
                                                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                              RD_KAFKA_V_KEY(m->key, m->key_len),
                                                              RD_KAFKA_V_VALUE(m->payload, m->len),
                                                              RD_KAFKA_V_TIMESTAMP(ts),
                                                              RD_KAFKA_V_HEADERS(copy), RD_KAFKA_V_END)) ==
                                       RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                        rd_kafka_poll(producer, 10);
                                if (e) {
                                        fprintf(stderr, "produce: %s\n", rd_kafka_err2str(e));
                                        if (copy) rd_kafka_headers_destroy(copy);
                                }
                                if (!first) first = now();
                                received++;
                        }
                        rd_kafka_message_destroy(m);
                }
                if (n > 0) last_progress = now();
                rd_kafka_poll(producer, 0);
        }
        rd_kafka_flush(producer, 60000);
        double wall = first ? now() - first : 0;

        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
        printf("{\"records\":%ld,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"peak_rss_mb\":%.1f,\"in_flight\":%d}\n",
               received, wall, cpu, peak_rss_mb(), rd_kafka_outq_len(producer));

        free(msgs);
        rd_kafka_queue_destroy(queue);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_topic_destroy(out);
        rd_kafka_destroy(producer);
        return received == expected ? 0 : 1;
}
