-- CreateTable
CREATE TABLE "RosterVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,
    "epoch" TEXT NOT NULL,

    CONSTRAINT "RosterVersion_pkey" PRIMARY KEY ("id")
);

-- Hand-written: the one row, and the triggers that move it.
INSERT INTO "RosterVersion" ("id", "version", "epoch") VALUES (1, 0, md5(random()::text || clock_timestamp()::text));

CREATE FUNCTION kpi_roster_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END $$;

-- BEFORE each statement, so every writer locks the counter row before any User or Team row: two
-- writers can then wait for each other but never deadlock over it. The bump commits or rolls back
-- with the change. Writers of User and Team take turns; those writes are rare (linking, imports).
CREATE TRIGGER kpi_user_roster BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION kpi_roster_changed();
CREATE TRIGGER kpi_team_roster BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Team" FOR EACH STATEMENT EXECUTE FUNCTION kpi_roster_changed();
-- Also under session_replication_role = replica (logical replication, pg_restore --disable-triggers).
ALTER TABLE "User" ENABLE ALWAYS TRIGGER kpi_user_roster;
ALTER TABLE "Team" ENABLE ALWAYS TRIGGER kpi_team_roster;
