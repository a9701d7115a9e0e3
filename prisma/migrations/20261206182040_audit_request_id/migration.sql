-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "requestId" TEXT;
