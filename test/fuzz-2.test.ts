// The second half of the handle() property test (test/support/fuzz-handle.ts): 5,000 of its 10,000 inputs.
import { describeHandleFuzz } from "./support/fuzz-handle.ts";

describeHandleFuzz(5_000);
