"""Maintainers' tools: benchmarks and the message catalogue; imported by nothing the site needs."""
