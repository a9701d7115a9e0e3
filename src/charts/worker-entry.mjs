// Worker threads start from plain JavaScript: register tsx's loader (as `npm start` does for the
// main thread) before loading the TypeScript worker. Idempotent when the thread already has it.
import { register } from "tsx/esm/api";

register();
const { default: render } = await import("./worker.ts");
export default render;
