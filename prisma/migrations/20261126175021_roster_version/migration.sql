-- CreateTable
CREATE TABLE "RosterVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "RosterVersion_pkey" PRIMARY KEY ("id")
);

-- Hand-written: the one row, and the triggers that move it. Statement-level, so a bulk import
-- bumps it once; it is bumped inside the writer's transaction, so a reader that sees the new
-- number also sees the change.
INSERT INTO "RosterVersion" ("id", "version") VALUES (1, 0);

CREATE FUNCTION kpi_roster_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER kpi_user_roster AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION kpi_roster_changed();
CREATE TRIGGER kpi_team_roster AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Team" FOR EACH STATEMENT EXECUTE FUNCTION kpi_roster_changed();
