-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "pendingManager" TEXT;
