"""Series: links between media (linkers/), grouped into series (grouping.py), and overlaps."""
