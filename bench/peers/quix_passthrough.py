"""The Quix Streams peer of the `topology_passthrough` row: bytes in, bytes out, at-least-once
commits every second. Usage: quix_passthrough.py bootstrap group input output expected."""

import sys

from quix_common import BenchRow

row = BenchRow()
source = row.app.topic(row.input, key_deserializer="bytes", value_deserializer="bytes")
sink = row.app.topic(row.output, key_serializer="bytes", value_serializer="bytes")
row.app.dataframe(source).to_topic(sink)
sys.exit(row.run())
