from collections.abc import Awaitable, Callable

# Something a refusal leaves behind (a record that it happened): run after the handler's
# changes were rolled back, in the transaction that stores the reply.
Kept = Callable[[], Awaitable[object]]


class UserFacingError(Exception):
    """A problem the user can fix: its message is sent to them as the reply.

    Raise it for bad input ("金额要写成数字，例如：加席位 5"). Anything the handler changed
    before raising is rolled back, except what ``kept`` writes: each is awaited after the
    rollback, in the transaction that stores the reply (the stock module records refused
    stock-outs this way). Every other exception is logged, and the user gets a generic
    apology that never carries exception text.
    """

    def __init__(self, message: str, kept: tuple[Kept, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.kept = kept

    async def keep(self) -> None:
        for write in self.kept:
            await write()
