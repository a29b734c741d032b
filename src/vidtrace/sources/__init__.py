"""Evidence -> (provenance, byte stream): folders, zip and tar archives, read in place."""
