/* What the C++ limit programs (json_filter_map.cpp, stream_table_join.cpp) share with each other
 * and, in C++, with rdkafka_pipe.c: its clock, its peak-RSS reading, its configuration helper. */
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
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

/* A JSON string: quotes, backslashes and control characters escaped; a string with none of them
 * (nearly all) is appended whole. */
static void put_string(std::string &out, std::string_view s) {
        static const char hex[] = "0123456789abcdef";
        out += '"';
        size_t plain = 0;
        while (plain < s.size() && (unsigned char)s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\') plain++;
        out.append(s.data(), plain);
        for (unsigned char c : s.substr(plain)) {
                if (c == '"' || c == '\\') {
                        out += '\\';
                        out += char(c);
                } else if (c < 0x20) {
                        out += "\\u00";
                        out += hex[c >> 4];
                        out += hex[c & 15];
                } else {
                        out += char(c);
                }
        }
        out += '"';
}
