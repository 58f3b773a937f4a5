-- walltrack.monitored_tokens() (the open positions' and the shadow book's tokens in one array) is no
-- longer read: the price monitor prices the open positions' tokens (walltrack.open_position_tokens)
-- at every poll and the shadow book's (walltrack.shadow_book_tokens) once a run, after them.
drop function walltrack.monitored_tokens();

-- Rollback: create walltrack.monitored_tokens() again as in 20261206170200_shadow_book.sql.
