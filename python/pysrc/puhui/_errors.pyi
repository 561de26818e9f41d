from typing import Optional

class PuhuiError(ValueError):
    code: str
    message: str
    path: Optional[str]
    def __init__(self, code: str, message: str, path: Optional[str] = ...) -> None: ...
