-- AlterTable
ALTER TABLE "AlertEvent" ADD COLUMN     "groupKey" TEXT,
ADD COLUMN     "groupLabel" TEXT;

-- CreateTable
CREATE TABLE "AlertGroup" (
    "alertId" INTEGER NOT NULL,
    "groupKey" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'clear',
    "lastValue" DOUBLE PRECISION,

    CONSTRAINT "AlertGroup_pkey" PRIMARY KEY ("alertId","groupKey")
);

-- AddForeignKey
ALTER TABLE "AlertGroup" ADD CONSTRAINT "AlertGroup_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
