"""Upper bounds for numbers people type into orders and stock: far above any real count or
price, so only a typo reaches them, and low enough that nothing derived from them (a line
total, an order total, a sum over a year) can overflow a PostgreSQL integer column."""

MAX_QTY = 10**9  # a count: within int4 (2,147,483,647)
MAX_FEN = 10**12  # ¥100亿, in fen: a price, an amount, an order's total; int8 holds 9.2 × 10¹⁸
MAX_QTY_WORDS = "10亿"
MAX_FEN_WORDS = "100亿元"
