-- CreateTable
CREATE TABLE "RepDayStat" (
    "day" DATE NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "wonAmount" BIGINT NOT NULL DEFAULT 0,
    "wonCount" INTEGER NOT NULL DEFAULT 0,
    "lostCount" INTEGER NOT NULL DEFAULT 0,
    "activities" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RepDayStat_pkey" PRIMARY KEY ("ownerId","day")
);

-- CreateTable
CREATE TABLE "RollupDelta" (
    "id" BIGSERIAL NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "wonAmount" BIGINT NOT NULL DEFAULT 0,
    "wonCount" INTEGER NOT NULL DEFAULT 0,
    "lostCount" INTEGER NOT NULL DEFAULT 0,
    "activities" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RollupDelta_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepMonthStat" (
    "month" DATE NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "wonAmount" BIGINT NOT NULL DEFAULT 0,
    "wonCount" INTEGER NOT NULL DEFAULT 0,
    "lostCount" INTEGER NOT NULL DEFAULT 0,
    "activities" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RepMonthStat_pkey" PRIMARY KEY ("ownerId","month")
);

-- CreateTable
CREATE TABLE "RepWeekStat" (
    "week" DATE NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "wonAmount" BIGINT NOT NULL DEFAULT 0,
    "wonCount" INTEGER NOT NULL DEFAULT 0,
    "lostCount" INTEGER NOT NULL DEFAULT 0,
    "activities" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RepWeekStat_pkey" PRIMARY KEY ("ownerId","week")
);

-- CreateIndex
CREATE INDEX "RepDayStat_day_idx" ON "RepDayStat"("day");

-- CreateIndex
CREATE INDEX "RollupDelta_day_idx" ON "RollupDelta"("day");

-- CreateIndex
CREATE INDEX "RepMonthStat_month_idx" ON "RepMonthStat"("month");

-- CreateIndex
CREATE INDEX "RepWeekStat_week_idx" ON "RepWeekStat"("week");

-- Rollup maintenance (hand-written; Prisma's schema knows the tables, not the functions).
--
-- Writers only append: statement-level triggers with transition tables add one signed row per
-- (owner, day) a statement changes to "RollupDelta" (an update is "remove the old row, add the
-- new one", so an owner, status or close-date change moves the figures). No writer locks a
-- shared row, so concurrent imports and CRM syncs neither block nor deadlock each other here.
-- kpi_rollup_fold() moves committed deltas into the day, week and month tables in one
-- transaction, so a reader (which adds the deltas still pending) never counts a change twice.

-- Adds deltas (at most one per day and owner) to the three rollups. Keys go in (day, owner)
-- order, table by table, so concurrent folds take row locks in one global order.
CREATE FUNCTION kpi_rollup_add(owners int[], days date[], won_amount numeric[], won_count bigint[], lost_count bigint[], acts bigint[])
RETURNS void LANGUAGE sql AS $$
  INSERT INTO "RepDayStat" AS r ("day", "ownerId", "wonAmount", "wonCount", "lostCount", "activities")
  SELECT d, o, a, b, c, e FROM unnest(days, owners, won_amount, won_count, lost_count, acts) AS x(d, o, a, b, c, e)
  ORDER BY d, o
  ON CONFLICT ("ownerId", "day") DO UPDATE SET
    "wonAmount" = r."wonAmount" + EXCLUDED."wonAmount", "wonCount" = r."wonCount" + EXCLUDED."wonCount",
    "lostCount" = r."lostCount" + EXCLUDED."lostCount", "activities" = r."activities" + EXCLUDED."activities";
  INSERT INTO "RepWeekStat" AS r ("week", "ownerId", "wonAmount", "wonCount", "lostCount", "activities")
  SELECT date_trunc('week', d::timestamp)::date, o, sum(a), sum(b), sum(c), sum(e)
  FROM unnest(days, owners, won_amount, won_count, lost_count, acts) AS x(d, o, a, b, c, e)
  GROUP BY 1, 2
  ORDER BY 1, 2
  ON CONFLICT ("ownerId", "week") DO UPDATE SET
    "wonAmount" = r."wonAmount" + EXCLUDED."wonAmount", "wonCount" = r."wonCount" + EXCLUDED."wonCount",
    "lostCount" = r."lostCount" + EXCLUDED."lostCount", "activities" = r."activities" + EXCLUDED."activities";
  INSERT INTO "RepMonthStat" AS r ("month", "ownerId", "wonAmount", "wonCount", "lostCount", "activities")
  SELECT date_trunc('month', d::timestamp)::date, o, sum(a), sum(b), sum(c), sum(e)
  FROM unnest(days, owners, won_amount, won_count, lost_count, acts) AS x(d, o, a, b, c, e)
  GROUP BY 1, 2
  ORDER BY 1, 2
  ON CONFLICT ("ownerId", "month") DO UPDATE SET
    "wonAmount" = r."wonAmount" + EXCLUDED."wonAmount", "wonCount" = r."wonCount" + EXCLUDED."wonCount",
    "lostCount" = r."lostCount" + EXCLUDED."lostCount", "activities" = r."activities" + EXCLUDED."activities";
$$;

CREATE FUNCTION kpi_deal_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- PL/pgSQL plans a statement when it first runs it, so each branch may name only the
  -- transition tables its trigger event has.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "RollupDelta" ("ownerId", "day", "wonAmount", "wonCount", "lostCount")
    SELECT "ownerId", "closedAt"::date, sum(CASE WHEN status = 'won' THEN amount ELSE 0 END),
           count(*) FILTER (WHERE status = 'won'), count(*) FILTER (WHERE status = 'lost')
    FROM new_rows WHERE status IN ('won', 'lost') AND "closedAt" IS NOT NULL GROUP BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "RollupDelta" ("ownerId", "day", "wonAmount", "wonCount", "lostCount")
    SELECT "ownerId", "closedAt"::date, -sum(CASE WHEN status = 'won' THEN amount ELSE 0 END),
           -count(*) FILTER (WHERE status = 'won'), -count(*) FILTER (WHERE status = 'lost')
    FROM old_rows WHERE status IN ('won', 'lost') AND "closedAt" IS NOT NULL GROUP BY 1, 2;
  ELSE
    INSERT INTO "RollupDelta" ("ownerId", "day", "wonAmount", "wonCount", "lostCount")
    SELECT o, d, sum(a), sum(b), sum(c)
    FROM (SELECT "ownerId" AS o, "closedAt"::date AS d,
                 s * CASE WHEN status = 'won' THEN amount ELSE 0 END AS a,
                 s * (status = 'won')::int AS b, s * (status = 'lost')::int AS c
          FROM (SELECT *, 1 AS s FROM new_rows UNION ALL SELECT *, -1 AS s FROM old_rows) both_rows
          WHERE status IN ('won', 'lost') AND "closedAt" IS NOT NULL) signed
    GROUP BY 1, 2
    -- An edit that leaves the figures alone (a renamed customer) writes nothing.
    HAVING sum(a) <> 0 OR sum(b) <> 0 OR sum(c) <> 0;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION kpi_activity_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "RollupDelta" ("ownerId", "day", "activities")
    SELECT "ownerId", "occurredAt"::date, count(*) FROM new_rows WHERE type IN ('call', 'meeting', 'email') GROUP BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "RollupDelta" ("ownerId", "day", "activities")
    SELECT "ownerId", "occurredAt"::date, -count(*) FROM old_rows WHERE type IN ('call', 'meeting', 'email') GROUP BY 1, 2;
  ELSE
    INSERT INTO "RollupDelta" ("ownerId", "day", "activities")
    SELECT "ownerId", "occurredAt"::date, sum(s)
    FROM (SELECT "ownerId", "occurredAt", type, 1 AS s FROM new_rows
          UNION ALL SELECT "ownerId", "occurredAt", type, -1 AS s FROM old_rows) both_rows
    WHERE type IN ('call', 'meeting', 'email')
    GROUP BY 1, 2 HAVING sum(s) <> 0;
  END IF;
  RETURN NULL;
END $$;

-- TRUNCATE has no transition table: zero that table's columns, folded or not, and drop rows left
-- empty. (TRUNCATE locks its table exclusively; it is an operator's tool, not a sync's.)
CREATE FUNCTION kpi_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Deal' THEN
    UPDATE "RollupDelta" SET "wonAmount" = 0, "wonCount" = 0, "lostCount" = 0 WHERE "wonCount" <> 0 OR "lostCount" <> 0 OR "wonAmount" <> 0;
    UPDATE "RepDayStat" SET "wonAmount" = 0, "wonCount" = 0, "lostCount" = 0 WHERE "wonCount" <> 0 OR "lostCount" <> 0 OR "wonAmount" <> 0;
    UPDATE "RepWeekStat" SET "wonAmount" = 0, "wonCount" = 0, "lostCount" = 0 WHERE "wonCount" <> 0 OR "lostCount" <> 0 OR "wonAmount" <> 0;
    UPDATE "RepMonthStat" SET "wonAmount" = 0, "wonCount" = 0, "lostCount" = 0 WHERE "wonCount" <> 0 OR "lostCount" <> 0 OR "wonAmount" <> 0;
  ELSE
    UPDATE "RollupDelta" SET "activities" = 0 WHERE "activities" <> 0;
    UPDATE "RepDayStat" SET "activities" = 0 WHERE "activities" <> 0;
    UPDATE "RepWeekStat" SET "activities" = 0 WHERE "activities" <> 0;
    UPDATE "RepMonthStat" SET "activities" = 0 WHERE "activities" <> 0;
  END IF;
  DELETE FROM "RollupDelta" WHERE "wonAmount" = 0 AND "wonCount" = 0 AND "lostCount" = 0 AND "activities" = 0;
  DELETE FROM "RepDayStat" WHERE "wonAmount" = 0 AND "wonCount" = 0 AND "lostCount" = 0 AND "activities" = 0;
  DELETE FROM "RepWeekStat" WHERE "wonAmount" = 0 AND "wonCount" = 0 AND "lostCount" = 0 AND "activities" = 0;
  DELETE FROM "RepMonthStat" WHERE "wonAmount" = 0 AND "wonCount" = 0 AND "lostCount" = 0 AND "activities" = 0;
  RETURN NULL;
END $$;

-- Folds up to max_rows committed deltas (all of them for NULL) into the rollups; returns how
-- many. Deltas another fold is taking are skipped, so replicas can fold side by side.
CREATE FUNCTION kpi_rollup_fold(max_rows int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  n int;
BEGIN
  WITH taken AS (
    DELETE FROM "RollupDelta"
    WHERE id IN (SELECT id FROM "RollupDelta" ORDER BY id LIMIT max_rows FOR UPDATE SKIP LOCKED)
    RETURNING "ownerId", "day", "wonAmount", "wonCount", "lostCount", "activities"
  ), summed AS (
    SELECT "ownerId" AS o, "day" AS d, sum("wonAmount") AS a, sum("wonCount") AS b, sum("lostCount") AS c, sum("activities") AS e
    FROM taken GROUP BY 1, 2
  )
  SELECT (SELECT count(*) FROM taken)::int INTO n
  FROM (SELECT kpi_rollup_add(array_agg(o), array_agg(d), array_agg(a), array_agg(b), array_agg(c), array_agg(e)) FROM summed) added;
  RETURN n;
END $$;

-- Rebuilds every rollup from the raw rows (after triggers were bypassed, say by a restore with
-- --disable-triggers). Locks Deal and Activity against writers while it runs.
CREATE FUNCTION kpi_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE "Deal", "Activity" IN SHARE MODE;
  DELETE FROM "RollupDelta";
  DELETE FROM "RepDayStat";
  DELETE FROM "RepWeekStat";
  DELETE FROM "RepMonthStat";
  PERFORM kpi_rollup_add(array_agg(o), array_agg(d), array_agg(a), array_agg(b), array_agg(c), array_agg(e))
  FROM (SELECT o, d, sum(a) AS a, sum(b) AS b, sum(c) AS c, sum(e) AS e
        FROM (SELECT "ownerId" AS o, "closedAt"::date AS d, CASE WHEN status = 'won' THEN amount ELSE 0 END AS a,
                     (status = 'won')::int AS b, (status = 'lost')::int AS c, 0 AS e
              FROM "Deal" WHERE status IN ('won', 'lost') AND "closedAt" IS NOT NULL
              UNION ALL
              SELECT "ownerId", "occurredAt"::date, 0, 0, 0, 1 FROM "Activity" WHERE type IN ('call', 'meeting', 'email')) rows_
        GROUP BY 1, 2) x;
END $$;

CREATE TRIGGER kpi_deal_rollup_insert AFTER INSERT ON "Deal" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_deal_rollup();
CREATE TRIGGER kpi_deal_rollup_update AFTER UPDATE ON "Deal" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_deal_rollup();
CREATE TRIGGER kpi_deal_rollup_delete AFTER DELETE ON "Deal" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_deal_rollup();
CREATE TRIGGER kpi_deal_rollup_truncate AFTER TRUNCATE ON "Deal" FOR EACH STATEMENT EXECUTE FUNCTION kpi_rollup_truncate();
CREATE TRIGGER kpi_activity_rollup_insert AFTER INSERT ON "Activity" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_activity_rollup();
CREATE TRIGGER kpi_activity_rollup_update AFTER UPDATE ON "Activity" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_activity_rollup();
CREATE TRIGGER kpi_activity_rollup_delete AFTER DELETE ON "Activity" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_activity_rollup();
CREATE TRIGGER kpi_activity_rollup_truncate AFTER TRUNCATE ON "Activity" FOR EACH STATEMENT EXECUTE FUNCTION kpi_rollup_truncate();
-- Also under session_replication_role = replica (logical replication, pg_restore --disable-triggers).
ALTER TABLE "Deal" ENABLE ALWAYS TRIGGER kpi_deal_rollup_insert;
ALTER TABLE "Deal" ENABLE ALWAYS TRIGGER kpi_deal_rollup_update;
ALTER TABLE "Deal" ENABLE ALWAYS TRIGGER kpi_deal_rollup_delete;
ALTER TABLE "Deal" ENABLE ALWAYS TRIGGER kpi_deal_rollup_truncate;
ALTER TABLE "Activity" ENABLE ALWAYS TRIGGER kpi_activity_rollup_insert;
ALTER TABLE "Activity" ENABLE ALWAYS TRIGGER kpi_activity_rollup_update;
ALTER TABLE "Activity" ENABLE ALWAYS TRIGGER kpi_activity_rollup_delete;
ALTER TABLE "Activity" ENABLE ALWAYS TRIGGER kpi_activity_rollup_truncate;

-- What is already there.
SELECT kpi_rollup_rebuild();
