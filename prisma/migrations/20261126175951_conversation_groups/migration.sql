-- AlterTable
ALTER TABLE "ConversationRef" ADD COLUMN     "groupId" TEXT;

-- CreateIndex
CREATE INDEX "ConversationRef_platform_groupId_idx" ON "ConversationRef"("platform", "groupId");
