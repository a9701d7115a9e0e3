// The Adaptive Card 1.5 rules our cards rely on, as a strict zod schema written from the
// adaptivecards.io schema explorer (element types, required properties, enum values), so a typo or
// a newer-than-1.5 element fails here before Teams shows "unsupported card".
import { z } from "zod";

const Spacing = z.enum(["None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"]);
const Colors = z.enum(["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"]);
const ContainerStyle = z.enum(["default", "emphasis", "good", "attention", "warning", "accent"]);

const TextBlock = z.strictObject({
  type: z.literal("TextBlock"),
  text: z.string(),
  wrap: z.boolean().optional(),
  size: z.enum(["Small", "Default", "Medium", "Large", "ExtraLarge"]).optional(),
  weight: z.enum(["Lighter", "Default", "Bolder"]).optional(),
  color: Colors.optional(),
  isSubtle: z.boolean().optional(),
  spacing: Spacing.optional(),
  separator: z.boolean().optional(),
  horizontalAlignment: z.enum(["Left", "Center", "Right"]).optional(),
  maxLines: z.number().int().positive().optional(),
  style: z.enum(["default", "heading"]).optional(),
});

const FactSet = z.strictObject({
  type: z.literal("FactSet"),
  facts: z.array(z.strictObject({ title: z.string(), value: z.string() })).min(1),
  spacing: Spacing.optional(),
});

const Image = z.strictObject({
  type: z.literal("Image"),
  url: z.string().regex(/^(https?:\/\/|data:image\/(png|jpeg|gif);base64,)/, "an http(s) URL or an image data URI"),
  altText: z.string().max(2000).optional(),
  size: z.enum(["Auto", "Stretch", "Small", "Medium", "Large"]).optional(),
  spacing: Spacing.optional(),
});

const TableCell = z.strictObject({ type: z.literal("TableCell"), items: z.array(TextBlock), style: ContainerStyle.optional() });
const TableRow = z.strictObject({ type: z.literal("TableRow"), cells: z.array(TableCell), style: ContainerStyle.optional() });
const Table = z
  .strictObject({
    type: z.literal("Table"),
    columns: z.array(z.strictObject({ width: z.number().positive(), horizontalCellContentAlignment: z.enum(["Left", "Center", "Right"]).optional() })).min(1),
    rows: z.array(TableRow),
    firstRowAsHeader: z.boolean().optional(),
    showGridLines: z.boolean().optional(),
    gridStyle: ContainerStyle.optional(),
    spacing: Spacing.optional(),
  })
  .refine((t) => t.rows.every((r) => r.cells.length === t.columns.length), "every row has one cell per column");

const Container = z.strictObject({
  type: z.literal("Container"),
  items: z.array(TextBlock).min(1),
  style: ContainerStyle.optional(),
  spacing: Spacing.optional(),
});

const Element = z.union([TextBlock, FactSet, Image, Table, Container]);

const Submit = z.strictObject({
  type: z.literal("Action.Submit"),
  title: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});

const OpenUrl = z.strictObject({
  type: z.literal("Action.OpenUrl"),
  title: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
});

export const AdaptiveCard15 = z.strictObject({
  type: z.literal("AdaptiveCard"),
  $schema: z.literal("http://adaptivecards.io/schemas/adaptive-card.json"),
  version: z.literal("1.5"),
  lang: z.string().optional(),
  fallbackText: z.string().optional(),
  body: z.array(Element).min(1),
  // Teams renders at most 6 actions.
  actions: z.array(z.union([Submit, OpenUrl])).max(6).optional(),
  msteams: z.strictObject({ width: z.literal("Full") }).optional(),
});
