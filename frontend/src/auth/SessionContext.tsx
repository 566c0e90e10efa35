import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import { fetchSession, type Session, type SessionUser } from "./session";

interface SessionState {
  session: Session | null;
  loading: boolean;
  setSession: (session: Session | null) => void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSessionState] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    fetchSession()
      .then(setSessionState)
      .catch(() => setSessionState(null))
      .finally(() => setLoading(false));
  }, []);

  const setSession = useCallback((next: Session | null) => setSessionState(next), []);
  return (
    <SessionContext.Provider value={{ session, loading, setSession }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === null) {
    throw new Error("useSession outside SessionProvider");
  }
  return state;
}

/** The signed-in user; only for components rendered behind the sign-in. */
export function useViewer(): SessionUser {
  const { session } = useSession();
  if (session === null) {
    throw new Error("useViewer without a session");
  }
  return session.user;
}
