import { CombinedError } from "urql";
import { describe, expect, it } from "vitest";
import { UNREACHABLE } from "./connection";
import { actionLabel, networkFailure } from "./resilience";

describe("network failures in words", () => {
  it("names the action from its operation", () => {
    expect(actionLabel("ArchiveCustomer")).toBe("Archive customer");
    expect(actionLabel("CreateWorkOrder")).toBe("Create work order");
    expect(actionLabel(undefined)).toBe("The change");
  });

  it("never shows the library's own text", () => {
    const refused = new CombinedError({ networkError: new TypeError("Failed to fetch") });
    expect(refused.message).toContain("[Network]");
    expect(networkFailure(refused)).toBe(UNREACHABLE);
    const proxy = new CombinedError({
      networkError: new Error("Bad Gateway"),
      response: new Response("", { status: 502 }),
    });
    expect(networkFailure(proxy)).toBe(UNREACHABLE);
    const broken = new CombinedError({
      networkError: new Error("Internal Server Error"),
      response: new Response("", { status: 500 }),
    });
    expect(networkFailure(broken)).toBe(
      "The server could not answer (error 500). Try again in a moment.",
    );
  });
});
