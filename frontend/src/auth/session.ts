export type Role = "ADMIN" | "SALES_MANAGER" | "SALES_REP" | "SUPPORT";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

let csrfToken: string | null = null;

/** The CSRF token of the signed-in session: every mutation sends it as X-CSRF-Token. */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

export class SignInError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** fetch, with a failure to reach the server said in words (never "Failed to fetch"). */
async function send(input: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch {
    throw new SignInError(
      "The server could not be reached. Check your connection and try again.",
      0,
    );
  }
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === "object" && "error" in body && typeof body.error === "string") {
      return body.error;
    }
  } catch {
    // not JSON: fall through to the status text
  }
  return response.statusText || `Request failed (${response.status})`;
}

function remember(session: Session): Session {
  csrfToken = session.csrfToken;
  return session;
}

export async function signIn(email: string, password: string): Promise<Session> {
  const response = await send("/auth/login", {
    method: "POST",
    credentials: "include",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) {
    throw new SignInError(await errorMessage(response), response.status);
  }
  return remember((await response.json()) as Session);
}

export async function fetchSession(): Promise<Session | null> {
  const response = await send("/auth/me", { credentials: "include" });
  if (response.status === 401) {
    return null;
  }
  if (!response.ok) {
    throw new Error(await errorMessage(response));
  }
  return remember((await response.json()) as Session);
}

export async function signOut(): Promise<void> {
  await send("/auth/logout", {
    method: "POST",
    credentials: "include",
    headers: csrfToken ? { "X-CSRF-Token": csrfToken } : {},
  });
  csrfToken = null;
}
