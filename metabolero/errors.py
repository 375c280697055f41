"""metabolero's exception types. Messages name the file, the field and what was expected."""


class MetaboleroError(Exception):
    """Base class of every error metabolero raises on purpose."""


class RecordError(MetaboleroError, ValueError):
    """A record field holds a value outside what the schema allows."""


class IngestError(MetaboleroError):
    """A source could not be read into a Document; ``path`` names the file."""

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ExtractionError(MetaboleroError):
    """Extraction could not run on a document (not raised for merely finding nothing)."""


class MetaAnalysisError(MetaboleroError, ValueError):
    """Pooling inputs are invalid (e.g. a non-positive SE), naming the study."""


class KMError(MetaboleroError, ValueError):
    """KM reconstruction or survival analysis inputs are invalid."""


class ConfigError(MetaboleroError):
    """A review configuration file is missing a field or holds a wrong value."""


class StoreError(MetaboleroError):
    """The living-review store cannot be opened, locked, migrated or written."""
