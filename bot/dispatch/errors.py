class UserFacingError(Exception):
    """A problem the user can fix: its message is sent to them as the reply.

    Raise it for bad input ("金额要写成数字，例如：加席位 5"). Anything the handler changed
    before raising is rolled back. Every other exception is logged, and the user gets a generic
    apology that never carries exception text.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
