-- AlterTable
ALTER TABLE "AlertEvent" ADD COLUMN     "currency" TEXT,
ADD COLUMN     "daysLeft" INTEGER,
ADD COLUMN     "milestone" INTEGER,
ADD COLUMN     "periodKey" TEXT,
ADD COLUMN     "quota" BIGINT,
ADD COLUMN     "won" BIGINT;

-- CreateIndex
CREATE UNIQUE INDEX "AlertEvent_alertId_periodKey_milestone_key" ON "AlertEvent"("alertId", "periodKey", "milestone");
