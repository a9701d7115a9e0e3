-- AlterTable
ALTER TABLE "Deal" ADD COLUMN     "pipeline" VARCHAR(1000),
ADD COLUMN     "product" VARCHAR(1000),
ADD COLUMN     "region" VARCHAR(1000),
ADD COLUMN     "segment" VARCHAR(1000),
ADD COLUMN     "source" VARCHAR(1000),
ADD COLUMN     "stage" VARCHAR(1000),
ADD COLUMN     "type" VARCHAR(1000),
ALTER COLUMN "amount" DROP NOT NULL;

-- Only an open deal may lack an amount: the rollups and sales figures read won (and lost) amounts.
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_amount_when_closed" CHECK ("amount" IS NOT NULL OR "status" = 'open');
