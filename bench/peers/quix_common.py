"""What the Quix Streams bench rows share: the bench row's arguments, Quix made to start against
librdkafka's mock cluster (the embedded broker, DESIGN.md §4), and the report line.

A row runs as `<script> bootstrap group input output expected`, like the Swift rows: it stops
once it has processed `expected` input records (Quix then flushes its producer and commits), and
its last stdout line is the ProcessReport JSON that sluice-bench reads:
{"records", "seconds", "cpu_seconds", "peak_rss_mb"}.
"""

import json
import logging
import resource
import sys
import tempfile
import threading
import time

from quixstreams import Application
from quixstreams.models.topics.admin import TopicAdmin
from quixstreams.models.topics.topic import TopicConfig


# Kafka's defaults for the topic configs Quix imports (TopicManager._extra_config_imports).
KAFKA_DEFAULT_TOPIC_CONFIG = {"retention.ms": "604800000", "retention.bytes": "-1", "cleanup.policy": "delete"}


def _inspect_topics_from_metadata(self, topic_names, timeout=30):
    """TopicAdmin.inspect_topics without DescribeConfigs, which the mock never answers: partitions
    and replicas come from metadata, and the configs Quix reads (it copies them onto the changelog
    and repartition topics it derives from a topic) are Kafka's broker defaults."""
    cluster = self.list_topics(timeout=timeout)
    return {
        name: (
            TopicConfig(
                num_partitions=len(cluster[name].partitions),
                replication_factor=len(cluster[name].partitions[0].replicas),
                extra_config=dict(KAFKA_DEFAULT_TOPIC_CONFIG),
            )
            if name in cluster
            else None
        )
        for name in topic_names
    }


TopicAdmin.inspect_topics = _inspect_topics_from_metadata


class BenchRow:
    """Parses the row's arguments and builds the Application that stops after `expected` records."""

    def __init__(self, argv=None):
        args = sys.argv[1:] if argv is None else argv
        if len(args) != 5:
            sys.exit(f"usage: {sys.argv[0]} bootstrap group input output expected")
        self.bootstrap, self.group, self.input, self.output = args[:4]
        self.expected = int(args[4])
        self.processed = 0
        self.first_at = None
        self.state_dir = tempfile.TemporaryDirectory(prefix=f"quix-bench-{self.group}-")
        self.app = Application(
            broker_address=self.bootstrap,
            consumer_group=self.group,
            auto_offset_reset="earliest",
            # The Sluice rows commit every second: the same here (Quix's default is 5 s).
            commit_interval=1.0,
            state_dir=self.state_dir.name,
            # The mock creates no topics for clients (no CreateTopics): sluice-bench creates the
            # input and output topics through its control channel before the row starts.
            auto_create_topics=False,
            # No changelog topic for windowed state: Quix would have to create it, and its writes
            # would be part of the cost. Without them Quix's windowed figures are flattered.
            use_changelog_topics=False,
            on_message_processed=self._processed,
            loglevel=logging.WARNING,
        )

    def _processed(self, topic, partition, offset):
        self.processed += 1
        if self.first_at is None:
            self.first_at = time.monotonic()
        if self.processed >= self.expected:
            self.app.stop()

    def _watch(self):
        """Stops a row that has made no progress for 120 s, as the Swift rows do."""
        last = (-1, time.monotonic())
        while not self._done.wait(1.0):
            if self.processed != last[0]:
                last = (self.processed, time.monotonic())
            elif time.monotonic() - last[1] > 120:
                print(f"no progress for 120 s after {self.processed} records: stopping", file=sys.stderr)
                self.app.stop()
                return

    def run(self):
        """Runs the app until `expected` records (or a stall), then prints the report."""
        self._done = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()
        self.app.run()
        self._done.set()
        seconds = time.monotonic() - self.first_at if self.first_at is not None else 0.0
        usage = resource.getrusage(resource.RUSAGE_SELF)
        report = {
            "records": self.processed,
            "seconds": seconds,
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": _peak_rss_mb(),
        }
        self.state_dir.cleanup()
        print(json.dumps(report), flush=True)
        return 0 if self.processed == self.expected else 1


def _peak_rss_mb():
    """VmHWM from /proc/self/status, as the Swift rows report it."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0
