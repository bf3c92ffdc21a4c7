"""The benchmark: the course's recipes against the sources', same data, same machine, one run (make bench)."""
