"""metabolero.ingest"""
