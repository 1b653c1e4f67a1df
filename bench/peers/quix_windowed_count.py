"""The Quix Streams peer of the `windowed_count_10s` row: a count per user key in 10 s tumbling
windows of the records' Kafka timestamps, emitting only final results. A window closes when its
partition's event time (the latest timestamp in the partition) reaches its end, with no grace:
`closing_strategy="partition"`, the rule the bench's expected count follows (Quix's default,
"key", would close a user's window only when that user's next record comes).
Window state is in RocksDB without a changelog topic (see quix_common.py).
Usage: quix_windowed_count.py bootstrap group input output expected."""

import sys
from datetime import timedelta

from quix_common import BenchRow

row = BenchRow()
source = row.app.topic(row.input, key_deserializer="str", value_deserializer="bytes")
# Key: the user id; value: {"start", "end", "value"} as JSON, Quix's own window result.
sink = row.app.topic(row.output, key_serializer="str", value_serializer="json")
(
    row.app.dataframe(source)
    .tumbling_window(timedelta(seconds=10))
    .count()
    .final(closing_strategy="partition")
    .to_topic(sink)
)
sys.exit(row.run())
