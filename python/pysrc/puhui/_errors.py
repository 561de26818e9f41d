"""The exception every puhui function raises for a refused input."""

from typing import Optional


class PuhuiError(ValueError):
    """A typed refusal from the engine.

    Attributes:
        code: stable kebab-case code (``invalid-amount``, ``signature-invalid``, ...); the same
            code the CLI, the wasm package and the HTTP API give for the same problem.
        message: human-readable explanation (lowercase, no trailing period).
        path: JSON path of the offending input (``installments[3].amount``) or, for batch
            functions, the column name; ``None`` when the error has no single location.
    """

    def __init__(self, code: str, message: str, path: Optional[str] = None) -> None:
        super().__init__(f"{code}: {message}" + (f" (at {path})" if path else ""))
        self.code = code
        self.message = message
        self.path = path

    def __reduce__(self):  # picklable, so Spark executors can send it back to the driver
        return (PuhuiError, (self.code, self.message, self.path))
