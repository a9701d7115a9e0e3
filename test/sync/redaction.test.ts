// HubSpot private-app tokens never reach the logs, whatever field carries them.
import { describe, expect, it } from "vitest";
import { redact, redactText, REDACTED } from "../../src/log.ts";

describe("HubSpot token redaction", () => {
  it("removes a pat- token from text and from any field", () => {
    const token = "pat-na1-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    expect(redactText(`GET /crm/v3/owners with ${token} failed`)).toBe(`GET /crm/v3/owners with ${REDACTED} failed`);
    expect(redactText(`authorization: Bearer ${token}`)).not.toContain("0a1b2c3d");
    expect(JSON.stringify(redact({ note: token, HUBSPOT_TOKEN: "anything" }))).not.toMatch(/0a1b2c3d|anything/);
    expect(redactText("the pat-tern of sales")).toBe("the pat-tern of sales");
  });
});
