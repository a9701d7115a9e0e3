-- Rollups that cannot overflow or wedge (hand-written; no table changes).
--
-- Imports bound every amount to 10^12 hundredths (src/data/import/amounts.ts, MAX_MINOR). With
-- that bound:
-- * a delta row never sums more than 2^20 deals (grouped by id >> 20 as well as owner and day),
--   so it holds at most 2^20 · 10^12 ≈ 1.05·10^18 < BIGINT's 9.2·10^18; activity counts per
--   delta stay below 2^20 too (INTEGER);
-- * folding can still overflow if one owner's day, week or month really sums beyond BIGINT (9.2
--   million deals at the maximum, or rows written around the import). Then the fold folds every
--   other owner and day and leaves only those deltas pending: readers add pending deltas
--   themselves, so figures stay right, and no later write or fold is blocked by them.

CREATE OR REPLACE FUNCTION kpi_deal_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- PL/pgSQL plans a statement when it first runs it, so each branch may name only the
  -- transition tables its trigger event has. "id >> 20": at most 2^20 deals per delta row.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "RollupDelta" ("ownerId", "day", "wonAmount", "wonCount", "lostCount")
    SELECT "ownerId", "closedAt"::date, sum(CASE WHEN status = 'won' THEN amount ELSE 0 END),
           count(*) FILTER (WHERE status = 'won'), count(*) FILTER (WHERE status = 'lost')
    FROM new_rows WHERE status IN ('won', 'lost') AND "closedAt" IS NOT NULL GROUP BY 1, 2, id >> 20;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "RollupDelta" ("ownerId", "day", "wonAmount", "wonCount", "lostCount")
    SELECT "ownerId", "closedAt"::date, -sum(CASE WHEN status = 'won' THEN amount ELSE 0 END),
           -count(*) FILTER (WHERE status = 'won'), -count(*) FILTER (WHERE status = 'lost')
    FROM old_rows WHERE status IN ('won', 'lost') AND "closedAt" IS NOT NULL GROUP BY 1, 2, id >> 20;
  ELSE
    INSERT INTO "RollupDelta" ("ownerId", "day", "wonAmount", "wonCount", "lostCount")
    SELECT o, d, sum(a), sum(b), sum(c)
    FROM (SELECT "ownerId" AS o, "closedAt"::date AS d, id >> 20 AS k,
                 s * CASE WHEN status = 'won' THEN amount ELSE 0 END AS a,
                 s * (status = 'won')::int AS b, s * (status = 'lost')::int AS c
          FROM (SELECT *, 1 AS s FROM new_rows UNION ALL SELECT *, -1 AS s FROM old_rows) both_rows
          WHERE status IN ('won', 'lost') AND "closedAt" IS NOT NULL) signed
    GROUP BY 1, 2, k
    -- An edit that leaves the figures alone (a renamed customer) writes nothing.
    HAVING sum(a) <> 0 OR sum(b) <> 0 OR sum(c) <> 0;
  END IF;
  RETURN NULL;
END $$;

-- Moves the given deltas into the rollups, all or nothing (raises numeric_value_out_of_range
-- when a sum does not fit).
CREATE FUNCTION kpi_rollup_fold_ids(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  WITH taken AS (
    DELETE FROM "RollupDelta" WHERE id = ANY(ids)
    RETURNING "ownerId", "day", "wonAmount", "wonCount", "lostCount", "activities"
  ), summed AS (
    SELECT "ownerId" AS o, "day" AS d, sum("wonAmount") AS a, sum("wonCount") AS b, sum("lostCount") AS c, sum("activities") AS e
    FROM taken GROUP BY 1, 2
  )
  SELECT kpi_rollup_add(array_agg(o), array_agg(d), array_agg(a), array_agg(b), array_agg(c), array_agg(e)) FROM summed;
$$;

-- Folds up to max_rows committed deltas with ids above after_id (all for NULL), skipping ones
-- another fold is taking. taken: deltas looked at; folded: moved into the rollups; last_id: the
-- highest id looked at (the next call's after_id). When the batch does not fit, each owner and
-- day is folded on its own and only those that do not fit stay pending (with a WARNING).
CREATE FUNCTION kpi_rollup_fold_from(max_rows int, after_id bigint, OUT folded int, OUT taken int, OUT last_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  g record;
BEGIN
  SELECT array_agg(id ORDER BY id) INTO ids
  FROM (SELECT id FROM "RollupDelta" WHERE id > after_id ORDER BY id LIMIT max_rows FOR UPDATE SKIP LOCKED) x;
  taken := coalesce(cardinality(ids), 0);
  last_id := ids[taken];
  folded := 0;
  IF taken = 0 THEN
    RETURN;
  END IF;
  BEGIN
    PERFORM kpi_rollup_fold_ids(ids);
    folded := taken;
    RETURN;
  EXCEPTION WHEN numeric_value_out_of_range THEN
    NULL;
  END;
  FOR g IN SELECT "ownerId" AS o, "day" AS d, array_agg(id) AS gids FROM "RollupDelta" WHERE id = ANY(ids) GROUP BY 1, 2 ORDER BY 2, 1 LOOP
    BEGIN
      PERFORM kpi_rollup_fold_ids(g.gids);
      folded := folded + cardinality(g.gids);
    EXCEPTION WHEN numeric_value_out_of_range THEN
      RAISE WARNING 'kpi_rollup_fold: owner % on % sums beyond BIGINT; % delta(s) stay pending', g.o, g.d, cardinality(g.gids);
    END;
  END LOOP;
END $$;

-- The old entry point: one batch from the start, returns how many deltas were folded.
CREATE OR REPLACE FUNCTION kpi_rollup_fold(max_rows int) RETURNS int LANGUAGE sql AS $$
  SELECT folded FROM kpi_rollup_fold_from(max_rows, 0);
$$;

-- Rebuilds every rollup from the raw rows, as deltas (at most 2^20 rows each) folded like any
-- others: a sum that does not fit stays pending instead of failing the rebuild.
CREATE OR REPLACE FUNCTION kpi_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE "Deal", "Activity" IN SHARE MODE;
  DELETE FROM "RollupDelta";
  DELETE FROM "RepDayStat";
  DELETE FROM "RepWeekStat";
  DELETE FROM "RepMonthStat";
  INSERT INTO "RollupDelta" ("ownerId", "day", "wonAmount", "wonCount", "lostCount", "activities")
  SELECT o, d, sum(a), sum(b), sum(c), sum(e)
  FROM (SELECT "ownerId" AS o, "closedAt"::date AS d, id >> 20 AS k, CASE WHEN status = 'won' THEN amount ELSE 0 END AS a,
               (status = 'won')::int AS b, (status = 'lost')::int AS c, 0 AS e
        FROM "Deal" WHERE status IN ('won', 'lost') AND "closedAt" IS NOT NULL
        UNION ALL
        SELECT "ownerId", "occurredAt"::date, id >> 20, 0, 0, 0, 1 FROM "Activity" WHERE type IN ('call', 'meeting', 'email')) rows_
  GROUP BY o, d, k;
  PERFORM kpi_rollup_fold_from(NULL, 0);
END $$;
