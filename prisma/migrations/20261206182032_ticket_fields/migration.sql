-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "category" TEXT,
ADD COLUMN     "channel" TEXT,
ADD COLUMN     "priority" TEXT;
