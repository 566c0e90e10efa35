import { MantineProvider } from "@mantine/core";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SessionProvider } from "../auth/SessionContext";
import { currentCsrfToken } from "../auth/session";
import { LoginPage } from "./LoginPage";

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

function renderLogin(onSignedIn: () => void) {
  render(
    <MantineProvider>
      <SessionProvider>
        <LoginPage onSignedIn={onSignedIn} />
      </SessionProvider>
    </MantineProvider>,
  );
  fireEvent.change(screen.getByLabelText(/Email/), { target: { value: "rep@example.com" } });
  fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "secret-pass" } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

afterEach(() => vi.unstubAllGlobals());

describe("sign-in form", () => {
  it("shows the server's message on a refusal, tied to the fields", async () => {
    const fetchMock = vi.fn(async (url: string) =>
      url === "/auth/me"
        ? respond(401, { error: "Not signed in." })
        : respond(401, { error: "The email or the password is wrong." }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const onSignedIn = vi.fn();
    renderLogin(onSignedIn);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("The email or the password is wrong.");
    const password = screen.getByLabelText(/^Password/);
    expect(password.getAttribute("aria-describedby")).toContain(alert.id);
    expect(screen.getByLabelText(/Email/).getAttribute("aria-invalid")).toBe("true");
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("signs in, keeps the CSRF token and moves on", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url === "/auth/me") return respond(401, { error: "Not signed in." });
        expect(JSON.parse(String(init?.body))).toEqual({
          email: "rep@example.com",
          password: "secret-pass",
        });
        return respond(200, {
          user: { id: "VXNlcjox", name: "Riley", email: "rep@example.com", role: "SALES_REP" },
          csrfToken: "token-123",
        });
      }),
    );
    const onSignedIn = vi.fn();
    renderLogin(onSignedIn);
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
    expect(currentCsrfToken()).toBe("token-123");
  });

  it("says in words when the server cannot be reached", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    renderLogin(vi.fn());
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "The server could not be reached. Check your connection and try again.",
    );
  });
});
