"""One read per file -> hashes + sniffed type -> decode under limits -> signals."""
