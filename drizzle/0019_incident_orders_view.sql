-- Custom SQL migration file, put your code below! --
-- custom SQL (keep when renumbering)
-- The analysts' per-incident view of orders (docs/regulatory-record.md): one row per incident with
-- at least one order, its order fields summed up; never the incident's title, so a private
-- incident is counted like the others. Times as typed on the orders (the transparency report
-- also takes them from the incident's answered clocks, by the config's regulatory: kinds).
CREATE VIEW "incident_orders" AS
SELECT
  i.id AS incident_id,
  i.number AS incident_number,
  i.is_private AS private,
  i.severity,
  i.category,
  i.declared_at,
  count(*)::int AS orders,
  (count(*) FILTER (WHERE o.order_type = 'act'))::int AS orders_to_act,
  (count(*) FILTER (WHERE o.order_type = 'information'))::int AS orders_to_provide_information,
  array_agg(DISTINCT o.legal_basis ORDER BY o.legal_basis) AS legal_bases,
  array_remove(array_agg(DISTINCT o.member_state ORDER BY o.member_state), NULL) AS member_states,
  (count(*) FILTER (WHERE o.member_state IS NULL))::int AS orders_from_outside_eu,
  array_agg(DISTINCT o.content_type ORDER BY o.content_type) AS content_types,
  array_agg(DISTINCT coalesce(o.effect_given, 'pending') ORDER BY coalesce(o.effect_given, 'pending')) AS effect_given,
  min(o.received_at) AS first_received_at,
  max(o.received_at) AS last_received_at,
  (count(*) FILTER (WHERE o.receipt_confirmed_at IS NULL))::int AS orders_without_receipt_confirmed,
  (count(*) FILTER (WHERE o.effect_given_at IS NULL))::int AS orders_without_effect_time,
  max(extract(epoch FROM (o.receipt_confirmed_at - o.received_at)))::bigint AS longest_time_to_confirm_receipt_s,
  max(extract(epoch FROM (o.effect_given_at - o.received_at)))::bigint AS longest_time_to_give_effect_s
FROM "orders" o
JOIN "incidents" i ON i.id = o.incident_id
GROUP BY i.id;
