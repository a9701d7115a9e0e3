import { z } from "zod";

/** The two languages of the bot; detected from the text of a command. */
export const Lang = z.enum(["en", "zh"]);
export type Lang = z.infer<typeof Lang>;
