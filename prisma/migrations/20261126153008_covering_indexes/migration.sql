-- DropIndex
DROP INDEX "Activity_occurredAt_idx";

-- DropIndex
DROP INDEX "Deal_status_closedAt_idx";

-- CreateIndex
CREATE INDEX "Activity_occurredAt_ownerId_idx" ON "Activity"("occurredAt", "ownerId");

-- CreateIndex
CREATE INDEX "Deal_status_closedAt_ownerId_amount_createdAt_idx" ON "Deal"("status", "closedAt", "ownerId", "amount", "createdAt");
