-- A read-only role for analysts: the analytics views only, never the tables behind them
-- (raw titles of private incidents, summaries and timelines stay out of reach).
-- Run as the database owner after the migrations; replace the password.
-- The views run with their owner's rights, so SELECT on the views is enough.

CREATE ROLE meridian_analyst LOGIN PASSWORD 'change-me' NOSUPERUSER NOCREATEDB NOCREATEROLE;

GRANT CONNECT ON DATABASE meridian TO meridian_analyst;
GRANT USAGE ON SCHEMA public TO meridian_analyst;

-- Nothing by default, then the views one by one.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM meridian_analyst;
GRANT SELECT ON incident_metrics, page_log, deadline_outcomes, responder_hubs, order_record, incident_orders TO meridian_analyst;

-- Every query an analyst runs is read-only and bounded.
ALTER ROLE meridian_analyst SET default_transaction_read_only = on;
ALTER ROLE meridian_analyst SET statement_timeout = '60s';
