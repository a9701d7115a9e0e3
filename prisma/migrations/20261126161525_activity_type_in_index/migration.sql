-- DropIndex
DROP INDEX "Activity_occurredAt_ownerId_idx";

-- CreateIndex
CREATE INDEX "Activity_occurredAt_ownerId_type_idx" ON "Activity"("occurredAt", "ownerId", "type");
